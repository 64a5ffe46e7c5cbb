/**
 * The SLA scanner of one channel: overdue is detected when a deadline passes
 * on the channel clock — no event needed. It sleeps until the earliest open
 * deadline (scaled by the clock's speed), raises each overdue alert once
 * (deduplicated in Redis, so any number of instances may scan), and resolves
 * overdue alerts whose subject closed or got a later deadline.
 */
import { overdueAlert, type Alert } from '../domain/alerts.ts'
import { systemTime } from '../domain/clock.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel } from '../channels/channels.ts'
import { activeAlerts, endAlert, queueRaise, type StillOpen } from '../store/alert-store.ts'
import { alertsRaised, channelKind } from '../metrics/metrics.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'
import { placeName } from './region-place.ts'
import { resolveEnded, type AlertLifetimes } from './alert-lifecycle.ts'

const FEEDS = ['case', 'hotline', 'service'] as const
const MAX_SLEEP_MS = 1000 // new subjects with earlier deadlines and speed changes are noticed within this
const RESOLVE_EVERY_MS = 2000
const BATCH = 1000

type Due = { feed: (typeof FEEDS)[number]; subject: string; deadline: number }
type Armed = { alert: Alert; guard: StillOpen }

export interface ScannerDeps {
  store: Store; channel: Channel; regions: RegionIndex; categories: Categories
  /** Lifetimes of the other alert kinds, resolved on the same round (absent: only overdue alerts are resolved here). */
  lifetimes?: AlertLifetimes
}

export class OverdueScanner {
  private armed: { deadline: number; alerts: Armed[] } | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private lastResolve = 0
  private readonly k: ReturnType<typeof keys>

  constructor(private readonly d: ScannerDeps) {
    this.k = keys(d.channel.id)
  }

  start(): void {
    this.schedule(0)
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => void this.tick(), ms)
  }

  private async tick(): Promise<void> {
    let sleep = MAX_SLEEP_MS
    try {
      if (this.d.store.status === 'ready') {
        const clock = this.d.channel.clock
        const now = clock.now()
        if (this.armed && this.armed.deadline < now) {
          await this.raise(this.armed.alerts)
          this.armed = undefined
        }
        const more = await this.raiseDue(now)
        if (systemTime() - this.lastResolve > RESOLVE_EVERY_MS) {
          this.lastResolve = systemTime()
          await this.resolveEnded(now)
        }
        const next = await this.nextDeadline(now)
        if (next !== null && clock.wallDelayUntil(next) < MAX_SLEEP_MS) await this.arm(next)
        // wake just after the deadline: overdue means deadline < now
        sleep = more ? 0 : Math.min(MAX_SLEEP_MS, next === null ? Infinity : Math.ceil(clock.wallDelayUntil(next + 1)))
      }
    } catch {
      // Redis away: try again after a while; nothing is lost, the watermark did not move
    }
    this.schedule(sleep)
  }

  /** Raise alerts for deadlines in [watermark, now) in three round trips; true when a batch was full. */
  private async raiseDue(now: number): Promise<boolean> {
    const { store, regions } = this.d
    const root = regions.root.code
    const from = (await store.hget(this.k.meta, 'overdueScannedTo')) ?? '-inf'
    const ranges = await store
      .pipeline(FEEDS.map((feed) => ['zrangebyscore', this.k.open(feed, root), from, `(${now}`, 'WITHSCORES', 'LIMIT', 0, BATCH]))
      .exec()
    const due: Due[] = []
    let full = false
    let reached = now
    FEEDS.forEach((feed, i) => {
      const flat = (ranges?.[i]?.[1] ?? []) as string[]
      for (let j = 0; j < flat.length; j += 2) due.push({ feed, subject: flat[j]!, deadline: Number(flat[j + 1]) })
      if (flat.length === BATCH * 2) {
        full = true
        reached = Math.min(reached, Number(flat[flat.length - 1]))
      }
    })
    await this.raise(await this.build(due))
    if (this.stopped) return false // the channel may be gone: never write into a deleted channel's meta
    await store.hset(this.k.meta, 'overdueScannedTo', String(reached))
    return full
  }

  /** The alerts of subjects due, with what to check when raising them. */
  private async build(due: Due[]): Promise<Armed[]> {
    if (due.length === 0) return []
    const { store, regions, categories, channel } = this.d
    const root = regions.root.code
    const details = await store.pipeline(due.map((x) => ['hmget', this.k.subject(x.feed, x.subject), 'chain', 'category'])).exec()
    return due.map((x, i) => {
      const [chain, category] = (details?.[i]?.[1] ?? []) as (string | null)[]
      const region = chain?.split(',')[0] ?? root
      const alert = overdueAlert({
        ...x, region, place: placeName(regions, region), zone: channel.clock.zone,
        ...(category ? { category, categoryName: categories.name(category) } : {}),
      })
      return { alert, guard: { open: this.k.open(x.feed, root), subject: x.subject, deadline: x.deadline } }
    })
  }

  /** One round trip; each raise checks atomically that its subject is still open with that deadline. */
  private async raise(alerts: Armed[]): Promise<void> {
    if (alerts.length === 0) return
    const p = this.d.store.pipeline()
    for (const a of alerts) queueRaise(p, this.d.channel.id, a.alert, a.guard)
    const replies = await p.exec()
    const raised = replies?.filter(([err, r]) => !err && r === 1).length ?? 0
    if (raised > 0) alertsRaised.inc({ channel: channelKind(this.d.channel.id), type: 'overdue' }, raised)
  }

  /**
   * Prepare the alerts of the next deadline before it passes, so that waking
   * costs one round trip: at 60× a few milliseconds are seconds of channel time.
   */
  private async arm(next: number): Promise<void> {
    if (this.armed?.deadline === next) return
    const root = this.d.regions.root.code
    const due: Due[] = []
    for (const feed of FEEDS) {
      for (const subject of await this.d.store.zrangebyscore(this.k.open(feed, root), next, next, 'LIMIT', 0, BATCH)) {
        due.push({ feed, subject, deadline: next })
      }
    }
    this.armed = { deadline: next, alerts: await this.build(due) }
  }

  /** Overdue alerts end when their subject left the open set or its deadline moved; the other kinds by their own rule. */
  private async resolveEnded(now: number): Promise<void> {
    const { store, regions, channel } = this.d
    const root = regions.root.code
    const active = await activeAlerts(store, channel.id)
    if (this.d.lifetimes) await resolveEnded(store, channel.id, active, now, this.d.lifetimes)
    for (const a of active) {
      if (a.type !== 'overdue' || !a.subject || (a.feed !== 'case' && a.feed !== 'hotline' && a.feed !== 'service')) continue
      const score = await store.zscore(this.k.open(a.feed, root), a.subject)
      if (score === null || Number(score) !== a.at) await endAlert(store, channel.id, a.id, 'resolved')
    }
  }

  private async nextDeadline(now: number): Promise<number | null> {
    const root = this.d.regions.root.code
    let next: number | null = null
    for (const feed of FEEDS) {
      const [, score] = await this.d.store.zrangebyscore(this.k.open(feed, root), now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      if (score !== undefined && (next === null || Number(score) < next)) next = Number(score)
    }
    return next
  }
}
