/**
 * A region's Snapshot (DESIGN §7), read in one MULTI so the KPIs and the
 * cursor describe the same moment of the log; then its recent events.
 */
import type { Redis } from 'ioredis'
import type { Alert } from '../domain/alerts.ts'
import { SNAPSHOT_EVENTS, type ClockState, type LiveEvent, type Snapshot } from '../domain/protocol.ts'
import { keys } from './keys.ts'
import { compareStreamIds as compareSid } from '../domain/stream-id.ts'
import { toLiveEvent, type RawEntry } from './log-entry.ts'
import { readPanels, type PanelQuery } from './read-panels.ts'
import { queueKpiReads } from './read-kpis.ts'
import { readWorkers } from './read-region-state.ts'

const SCAN_PAGE = 500
const SCAN_MAX = 5_000
const RESUME_MAX = 1_000
const SNAPSHOT_ALERTS = 100

export interface SnapshotQuery extends PanelQuery { since?: string; clock: ClockState }

export async function readSnapshot(redis: Redis, q: SnapshotQuery): Promise<Snapshot> {
  const k = keys(q.channel)
  const m = redis.multi()
  const kpis = queueKpiReads(m as unknown as ReturnType<Redis['pipeline']>, q.region, q)
  m.xrevrange(k.log, '+', '-', 'COUNT', 1)
  m.hvals(k.alertsById)
  const replies = ((await m.exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  const [last, alerts] = replies.slice(kpis.size) as [RawEntry[], string[]]
  const cursor = last[0]?.[0] ?? '0-0'
  const inRegion = (e: LiveEvent) => e.region !== '' && q.regions.within(e.region, q.region)
  const resumed = q.since ? await eventsSince(redis, k.log, q.since, cursor, inRegion) : null
  const [events, workers, panels] = await Promise.all([
    resumed ?? recentEvents(redis, k.log, cursor, inRegion),
    readWorkers(redis, q.channel, q.region),
    readPanels(redis, q),
  ])
  return {
    channel: q.channel,
    region: q.region,
    kpis: kpis.decode(replies.slice(0, kpis.size)),
    ...panels,
    events,
    resumed: resumed !== null,
    alerts: alerts
      .map((j) => JSON.parse(j) as Alert)
      .filter((a) => q.regions.within(a.region, q.region))
      .sort((a, b) => b.at - a.at)
      .slice(0, SNAPSHOT_ALERTS),
    workers,
    cursor,
    clock: q.clock,
  }
}

/** The newest events of the subtree up to the cursor, oldest first. */
async function recentEvents(redis: Redis, log: string, cursor: string, keep: (e: LiveEvent) => boolean) {
  const out: LiveEvent[] = []
  let end = cursor
  for (let scanned = 0; scanned < SCAN_MAX && out.length < SNAPSHOT_EVENTS; scanned += SCAN_PAGE) {
    const page = (await redis.xrevrange(log, end, '-', 'COUNT', SCAN_PAGE)) as RawEntry[]
    for (const entry of page) {
      if (entry[0] === end && scanned > 0) continue
      const e = toLiveEvent(entry)
      if (keep(e)) out.push(e)
      if (out.length === SNAPSHOT_EVENTS) break
    }
    if (page.length < SCAN_PAGE) break
    end = page[page.length - 1]![0]
  }
  return out.reverse()
}

/** Events after `since` up to the cursor, or null when the gap is too old or too long to replay. */
async function eventsSince(redis: Redis, log: string, since: string, cursor: string, keep: (e: LiveEvent) => boolean) {
  if (!/^\d+-\d+$/.test(since) || compareSid(since, cursor) > 0) return null
  const first = (await redis.xrange(log, '-', '+', 'COUNT', 1)) as RawEntry[]
  if (first[0] && compareSid(since, first[0][0]) < 0 && since !== '0-0') return null
  const entries = (await redis.xrange(log, `(${since}`, cursor, 'COUNT', RESUME_MAX + 1)) as RawEntry[]
  if (entries.length > RESUME_MAX) return null
  return entries.map(toLiveEvent).filter(keep)
}
