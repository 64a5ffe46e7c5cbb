/**
 * A region's Snapshot (DESIGN §7), read in one MULTI so the KPIs and the
 * cursor describe the same moment of the log; then its recent events, from
 * the region's own list of recent stream ids (written by apply.lua), so a
 * quiet grid does not scan thousands of other regions' entries for its last 50.
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
const RECENT_LISTED = 100 // apply.lua keeps at least this many per region

export interface SnapshotQuery extends PanelQuery { since?: string; clock: ClockState }

export async function readSnapshot(redis: Redis, q: SnapshotQuery): Promise<Snapshot> {
  const k = keys(q.channel)
  const m = redis.multi()
  const kpis = queueKpiReads(m, q.region, q)
  m.xrevrange(k.log, '+', '-', 'COUNT', 1)
  m.hvals(k.alertsById)
  m.lrange(k.recent(q.region), 0, RECENT_LISTED - 1)
  m.get(k.recentFrom)
  const replies = ((await m.exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  const [last, alerts, listed, listedFrom] = replies.slice(kpis.size) as [RawEntry[], string[], string[], string | null]
  const cursor = last[0]?.[0] ?? '0-0'
  const inRegion = (e: LiveEvent) => e.region !== '' && q.regions.within(e.region, q.region)
  const resumed = q.since ? await eventsSince(redis, k.log, q.since, cursor, inRegion) : null
  const [events, workers, panels] = await Promise.all([
    resumed ?? listedEvents(redis, k.log, { cursor, listed, listedFrom }, inRegion),
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

interface Listed { cursor: string; listed: string[]; listedFrom: string | null }

/**
 * The newest events of the subtree up to the cursor, oldest first: the region's listed
 * stream ids, each read from the log (a pipeline of single-entry ranges); entries from
 * before the lists began (`listedFrom`) only when the list holds too few.
 */
async function listedEvents(redis: Redis, log: string, l: Listed, keep: (e: LiveEvent) => boolean) {
  const sids = l.listed.filter((sid) => compareSid(sid, l.cursor) <= 0).slice(0, SNAPSHOT_EVENTS)
  const p = redis.pipeline()
  for (const sid of sids) p.xrange(log, sid, sid)
  const out: LiveEvent[] = []
  for (const [err, entries] of (await p.exec()) ?? []) {
    if (err) throw err
    const entry = (entries as RawEntry[])[0] // gone when the log was trimmed past it
    if (!entry) continue
    const e = toLiveEvent(entry)
    if (keep(e)) out.push(e)
  }
  if (out.length < SNAPSHOT_EVENTS && l.listed.length < RECENT_LISTED) {
    const before = l.listedFrom === null ? l.cursor : `(${l.listedFrom}`
    out.push(...(await recentEvents(redis, log, before, keep, SNAPSHOT_EVENTS - out.length)).reverse())
  }
  return out.reverse()
}

/** The newest `want` events of the subtree up to `end` (inclusive, or exclusive as "(sid"), oldest first, by scanning the log. */
async function recentEvents(redis: Redis, log: string, end: string, keep: (e: LiveEvent) => boolean, want: number) {
  const out: LiveEvent[] = []
  for (let scanned = 0; scanned < SCAN_MAX && out.length < want; scanned += SCAN_PAGE) {
    const page = (await redis.xrevrange(log, end, '-', 'COUNT', SCAN_PAGE)) as RawEntry[]
    for (const entry of page) {
      if (entry[0] === end && scanned > 0) continue
      const e = toLiveEvent(entry)
      if (keep(e)) out.push(e)
      if (out.length === want) break
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
  return entries.map((entry) => toLiveEvent(entry)).filter(keep)
}
