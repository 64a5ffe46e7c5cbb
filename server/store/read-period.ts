/**
 * KPIs of regions over any run of calendar days (a 日报's day, week or month
 * and the period before it): the day hashes apply.lua writes are summed, the
 * patrolled grids of the days united, and the formulas of domain/kpis.ts
 * applied. Also the period's intake trend and category counts.
 */
import type { Redis } from 'ioredis'
import { addCounters, agentVisitPlan, computeKpis, type AgentPlan, type Counters, type KpiValues, type NowCounts } from '../domain/kpis.ts'
import { toCounters } from '../domain/counters.ts'
import type { ChannelKeys } from './keys.ts'
import { ONE_PARTITION, readRegions, sumCounts, sumFields, type PartitionMap, type Queue, type Replies } from './partition-reads.ts'

export interface PeriodQuery {
  channel: string
  now: number
  basicWeight: number
  gridCount: (region: string) => number
  agentPlan?: AgentPlan
  /** The partitions of the channel (DESIGN §11); one when not told. */
  regions?: PartitionMap
}

export interface PeriodRead {
  values: KpiValues
  /** The raw counters of each day, oldest first (daily trends). */
  perDay: Counters[]
}

/** What one partition holds of a region over the days; several partitions' parts add up exactly. */
interface PeriodPart { perDay: Counters[]; grids: string[]; counts: number[] }

function queuePeriod(p: Queue, k: ChannelKeys, region: string, days: string[], q: PeriodQuery): (r: Replies) => PeriodPart {
  for (const d of days) p.hgetall(k.day(region, d))
  p.sunion(...days.map((d) => k.patrolled(region, d)))
  p.zcard(k.open('case', region)).zcount(k.open('case', region), '-inf', `(${q.now}`)
  p.scard(k.pending(region))
  p.zcard(k.open('hotline', region)).zcount(k.open('hotline', region), '-inf', `(${q.now}`)
  p.scard(k.onDuty(region))
  p.zcard(k.open('service', region)).zcount(k.open('service', region), '-inf', `(${q.now}`)
  return (r) => ({
    perDay: r.take(days.length).map((h) => toCounters(h as Record<string, string>)),
    grids: r.next<string[]>(),
    counts: r.take(8) as number[],
  })
}

function mergePeriod(parts: PeriodPart[]): PeriodPart {
  if (parts.length === 1) return parts[0]!
  return {
    perDay: parts[0]!.perDay.map((_, i) => parts.reduce((acc, part) => addCounters(acc, part.perDay[i]!), {} as Counters)),
    grids: [...new Set(parts.flatMap((part) => part.grids))],
    counts: sumCounts(parts.map((part) => part.counts)),
  }
}

function periodOf({ perDay, grids, counts }: PeriodPart, region: string, days: string[], q: PeriodQuery): PeriodRead {
  const [caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty, serviceOpen, serviceOverdue] =
    counts as [number, number, number, number, number, number, number, number]
  const now: NowCounts = { caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty, serviceOpen, serviceOverdue }
  const sum = perDay.reduce((acc, c) => addCounters(acc, c), {})
  const plannedAgentVisits = agentVisitPlan(q.agentPlan?.villages(region) ?? 0, q.agentPlan?.perVillagePerWeek ?? 0, days.length)
  return { perDay, values: computeKpis(sum, { now, patrolledGrids: grids.length, grids: q.gridCount(region), basicWeight: q.basicWeight, plannedAgentVisits }) }
}

/** KPIs of each region over the days, in one round trip (one pipeline per partition, together). */
export async function readPeriodKpis(redis: Redis, regions: string[], days: string[], q: PeriodQuery): Promise<Map<string, PeriodRead>> {
  const reads = await readRegions(redis, q.channel, q.regions ?? ONE_PARTITION, regions,
    (p, k, region) => queuePeriod(p, k, region, days, q),
    (parts, region) => periodOf(mergePeriod(parts), region, days, q))
  return new Map(regions.map((r, i) => [r, reads[i]!]))
}

/** Sums of one integer hash per day (trend buckets, category counts) of a region over its partitions. */
async function sumDayHashes(redis: Redis, channel: string, map: PartitionMap, region: string, key: (k: ChannelKeys, day: string) => string, days: string[]) {
  const [sum] = await readRegions(redis, channel, map, [region], (p, k) => {
    for (const d of days) p.hgetall(key(k, d))
    return (r) => r.take(days.length) as Record<string, string>[]
  }, (parts) => sumFields(parts.flat()))
  return sum!
}

/** Intake per 10-minute bucket (0–143) of one day of a region. */
export async function readDayBuckets(redis: Redis, channel: string, region: string, day: string, map: PartitionMap = ONE_PARTITION): Promise<number[]> {
  const h = await sumDayHashes(redis, channel, map, region, (k, d) => k.trend(region, d), [day])
  return Array.from({ length: 144 }, (_, b) => h[b] ?? 0)
}

/** Intake by category over the days, largest first. */
export async function readPeriodCategories(redis: Redis, channel: string, region: string, days: string[], map: PartitionMap = ONE_PARTITION) {
  // fields are category codes, not counters
  const sum = await sumDayHashes(redis, channel, map, region, (k, d) => k.categories(region, d), days)
  return Object.entries(sum)
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}
