/**
 * What the wall shows of one region, fed by the store's socket: pushes wait
 * in inboxes and reach the refs together on the store's fixed tick, however
 * fast they arrive. Every list is capped, so a wall that runs for weeks
 * holds flat memory.
 */
import { computed, ref, shallowRef } from 'vue'
import type { Alert, AlertUpdate } from '@domain/alerts.ts'
import type { KpiSet, KpiValues, Period } from '@domain/kpis.ts'
import type { ClockState, LiveEvent, OverdueItem, Panels, Snapshot } from '@domain/protocol.ts'
import { newestStreamId } from '@domain/stream-id.ts'
import { appendAlertLog, applyAlertUpdates, missedAlerts, seedAlertLog, type AlertLogEntry } from './alert-list.ts'
import { mergeNewestFirst } from './event-ring.ts'
import { mergeKpis } from './merge-kpis.ts'
import { WorkerBook, type WorkerMark } from './worker-book.ts'

/** Channel clock as last received, with the local monotonic time it arrived at (for ticking between pushes). */
export interface ClockReading { state: ClockState; receivedAt: number }

export const RECENT_CAP = 200
export const POINTS_CAP = 500
const POINTS_MAX = 20_000

/** How many located events the map keeps: 500, or `?points=N` (at most 20,000) for big walls and the frame benchmark. */
export function pointsCap(search = typeof location === 'undefined' ? '' : location.search): number {
  const n = Number(new URLSearchParams(search).get('points'))
  return Number.isInteger(n) && n > 0 ? Math.min(n, POINTS_MAX) : POINTS_CAP
}
export const ALERTS_CAP = 200
export const ALERT_LOG_CAP = 100
export const WORKERS_CAP = 5_000
const INBOX_CAP = 5_000 // a stalled tab must not hoard events; the ring keeps only RECENT_CAP anyway

export function createRegionFeed() {
  const pointCap = pointsCap()
  const snapshot = shallowRef<Snapshot | null>(null)
  const kpis = shallowRef<KpiSet | null>(null)
  const panels = shallowRef<Panels | null>(null)
  const clock = shallowRef<ClockReading | null>(null)
  /** Latest applied events, newest first. */
  const recent = shallowRef<readonly LiveEvent[]>([])
  /** Latest applied events that carry a location, newest first (map points). */
  const points = shallowRef<readonly LiveEvent[]>([])
  /** Active alerts of the region's subtree, newest first. */
  const alerts = shallowRef<readonly Alert[]>([])
  /** The region's active alerts at subscribe, then every update received since, newest first; `seq` tells a reader what is new. */
  const alertLog = shallowRef<readonly AlertLogEntry[]>([])
  /** On-duty grid workers by id: last position and when. */
  const workers = shallowRef<ReadonlyMap<string, WorkerMark>>(new Map())
  const overdue = computed<readonly OverdueItem[]>(() => panels.value?.overdue ?? [])
  const serviceOverdue = computed<readonly OverdueItem[]>(() => panels.value?.serviceOverdue ?? [])
  /** Newest log position received; sent as `since` when subscribing again. */
  const cursor = ref<string | null>(null)

  let inbox: LiveEvent[] = []
  let alertInbox: AlertUpdate[] = []
  let kpiInbox: KpiSet | null = null // pushes merged as they come (≤1/s), shown on the tick
  let panelsInbox: Panels | null = null
  let alertSeq = 0 // never reset: a reader's "seen up to" stays valid across regions
  const book = new WorkerBook(WORKERS_CAP)

  function receiveEvents(items: readonly LiveEvent[], batchCursor: string) {
    // Refused (out-of-order) events stay in the log but changed nothing: not news for a wall.
    for (const e of items) if (e.applied) inbox.push(e)
    if (inbox.length > INBOX_CAP) inbox = inbox.slice(-INBOX_CAP)
    cursor.value = newestStreamId(cursor.value, batchCursor)
  }
  const receiveKpis = (values: Partial<Record<Period, KpiValues>>) => (kpiInbox = mergeKpis(kpiInbox ?? kpis.value, values))
  const receivePanels = (p: Panels) => (panelsInbox = p)
  const receiveClock = (state: ClockState) => (clock.value = { state, receivedAt: performance.now() })
  function receiveAlert(u: AlertUpdate) {
    alertInbox.push(u)
    // a burst (or a throttled background tab) must not pile up: apply early rather than drop state changes
    if (alertInbox.length >= ALERT_LOG_CAP) flushAlerts()
  }

  function flushAlerts() {
    if (alertInbox.length === 0) return
    const updates = alertInbox
    alertInbox = []
    alerts.value = applyAlertUpdates(alerts.value, updates, ALERTS_CAP)
    alertLog.value = appendAlertLog(alertLog.value, updates, alertSeq, ALERT_LOG_CAP)
    alertSeq += updates.length
  }

  /** Show what arrived since the last tick. */
  function flush(moveWorkers = true) {
    if (inbox.length) {
      const batch = inbox
      inbox = []
      recent.value = mergeNewestFirst(recent.value, batch, RECENT_CAP)
      const located = batch.filter((e) => e.location)
      if (located.length) points.value = mergeNewestFirst(points.value, located, pointCap)
      if (moveWorkers) book.apply(batch)
    }
    const moved = book.takeChanges()
    if (moved) workers.value = moved
    flushAlerts()
    if (kpiInbox) {
      kpis.value = kpiInbox
      kpiInbox = null
    }
    if (panelsInbox) {
      panels.value = panelsInbox
      panelsInbox = null
    }
  }

  /** Forget what belongs to the region shown so far (another region, a gap too old to replay, a replay seek). */
  function clear() {
    recent.value = []
    points.value = []
    alertLog.value = []
    inbox = []
    alertInbox = []
    kpiInbox = null
    panelsInbox = null
    cursor.value = null
  }

  /**
   * A resumed snapshot carries exactly the events after our `since`, so they
   * merge into what is shown; any other replaces it, or the ticker would hide a hole.
   */
  function applySnapshot(s: Snapshot) {
    if (!s.resumed) clear()
    kpiInbox = null // the snapshot is newer than any push waiting for the tick
    panelsInbox = null
    snapshot.value = s
    kpis.value = s.kpis
    panels.value = {
      trend: s.trend, categories: s.categories, hotlineKinds: s.hotlineKinds, overdue: s.overdue, serviceOverdue: s.serviceOverdue, ranking: s.ranking,
    }
    // the log starts with what is open, not only with what is raised after the page opened
    if (!s.resumed) alertLog.value = seedAlertLog(s.alerts, alertSeq, ALERT_LOG_CAP)
    else for (const alert of missedAlerts(alerts.value, s.alerts)) alertInbox.push({ state: 'active', alert })
    alerts.value = s.alerts.slice(0, ALERTS_CAP)
    receiveClock(s.clock)
    if (!s.resumed) book.reset(s.workers, s.clock.now)
    receiveEvents(s.events, s.cursor)
    // the last 50 events of a fresh snapshot are older than its worker list: they must not move anyone back
    flush(s.resumed)
  }

  return {
    state: { snapshot, kpis, panels, clock, recent, points, alerts, alertLog, workers, overdue, serviceOverdue, cursor },
    receiveEvents, receiveKpis, receivePanels, receiveClock, receiveAlert, flush, clear, applySnapshot,
  }
}
