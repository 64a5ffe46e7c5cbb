/**
 * A region's Snapshot (DESIGN §7), read in one MULTI so the KPIs and the
 * cursor describe the same moment of the log; then its recent events.
 */
import type { Redis } from 'ioredis'
import type { Alert } from '../domain/alerts.ts'
import { dayKey } from '../domain/clock.ts'
import { SNAPSHOT_EVENTS, type ClockState, type LiveEvent, type Snapshot, type TrendPoint } from '../domain/protocol.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { keys } from './keys.ts'
import { compareStreamIds as compareSid } from '../domain/stream-id.ts'
import { toLiveEvent, type RawEntry } from './log-entry.ts'
import { queueKpiReads, readKpis, type KpiQuery } from './read-kpis.ts'
import { readOverdue, readWorkers } from './read-region-state.ts'
import { rankChildren, type Ranking, type RankingConfig } from '../domain/rankings.ts'

const SCAN_PAGE = 500
const SCAN_MAX = 5_000
const RESUME_MAX = 1_000
const SNAPSHOT_ALERTS = 100

export interface SnapshotQuery extends KpiQuery { region: string; since?: string; clock: ClockState; regions: RegionIndex; ranking: RankingConfig }

export async function readSnapshot(redis: Redis, q: SnapshotQuery): Promise<Snapshot> {
  const k = keys(q.channel)
  const today = dayKey(q.now, q.zone)
  const yesterday = dayKey(q.now - 86_400_000, q.zone)
  const m = redis.multi()
  const kpis = queueKpiReads(m as unknown as ReturnType<Redis['pipeline']>, q.region, q)
  m.hgetall(k.trend(q.region, today)).hgetall(k.trend(q.region, yesterday)).hgetall(k.categories(q.region, today))
  m.xrevrange(k.log, '+', '-', 'COUNT', 1)
  m.hvals(k.alertsById)
  const replies = ((await m.exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  const [trendToday, trendYesterday, cats, last, alerts] = replies.slice(kpis.size) as [
    Record<string, string>, Record<string, string>, Record<string, string>, RawEntry[], string[],
  ]
  const cursor = last[0]?.[0] ?? '0-0'
  const inRegion = (e: LiveEvent) => e.region !== '' && q.regions.within(e.region, q.region)
  const resumed = q.since ? await eventsSince(redis, k.log, q.since, cursor, inRegion) : null
  const kpiReplies = replies.slice(0, kpis.size)
  const [events, overdue, workers, ranking] = await Promise.all([
    resumed ?? recentEvents(redis, k.log, cursor, inRegion),
    readOverdue(redis, q.channel, q.region, q.now),
    readWorkers(redis, q.channel, q.region),
    rankingOf(redis, q),
  ])
  return {
    channel: q.channel,
    region: q.region,
    kpis: kpis.decode(kpiReplies),
    trend: trend(trendToday, trendYesterday),
    categories: Object.entries(cats)
      .map(([code, n]) => ({ code, count: Number(n) }))
      .sort((a, b) => b.count - a.count),
    events,
    resumed: resumed !== null,
    alerts: alerts
      .map((j) => JSON.parse(j) as Alert)
      .filter((a) => q.regions.within(a.region, q.region))
      .sort((a, b) => b.at - a.at)
      .slice(0, SNAPSHOT_ALERTS),
    overdue,
    workers,
    hotlineKinds: Object.entries(kpis.today(kpiReplies))
      .filter(([key]) => key.startsWith('hk.'))
      .map(([key, count]) => ({ kind: key.slice(3), count }))
      .sort((a, b) => b.count - a.count),
    ranking,
    cursor,
    clock: q.clock,
  }
}

/** The region's children ranked on the configured period; null for a region without children. */
async function rankingOf(redis: Redis, q: SnapshotQuery): Promise<Ranking | null> {
  const children = q.regions.childrenOf(q.region)
  if (children.length === 0) return null
  const kpis = await readKpis(redis, children.map((c) => c.code), q)
  return rankChildren(children.map((c) => ({ code: c.code, name: c.name, values: kpis.get(c.code)![q.ranking.period] })), q.ranking)
}

function trend(today: Record<string, string>, yesterday: Record<string, string>): TrendPoint[] {
  return Array.from({ length: 144 }, (_, bucket) => ({
    bucket, today: Number(today[bucket] ?? 0), yesterday: Number(yesterday[bucket] ?? 0),
  }))
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
