/**
 * KPIs of regions read from the counters apply.lua writes: one pipeline per
 * partition for any number of regions, every period plus the point-in-time
 * counts. A region held by several partitions (above PARTITION_LEVEL) is the
 * exact sum of their counters: day/month/year hashes field by field, the
 * ZCARD/ZCOUNT/SCARD counts added, the week's patrolled grids united (a grid
 * is patrolled in its own partition only, so the SCARDs of a day, month or
 * year add up to the size of their union).
 */
import type { Redis } from 'ioredis'
import { dayKey, lastDays } from '../domain/clock.ts'
import { addCounters, agentVisitPlan, computeKpis, periodDays, type AgentPlan, type Counters, type KpiSet, type NowCounts, type Period } from '../domain/kpis.ts'
import { toCounters } from '../domain/counters.ts'
import type { ChannelKeys } from './keys.ts'
import { ONE_PARTITION, readRegions, sumCounts, type PartitionMap, type Queue, type Replies } from './partition-reads.ts'

export interface KpiQuery {
  channel: string
  now: number
  zone: string
  basicWeight: number
  gridCount: (region: string) => number
  agentPlan?: AgentPlan
  /** The partitions of the channel (DESIGN §11); one when not told. */
  regions?: PartitionMap
}

/** What one partition holds of a region's KPIs; parts of several partitions add up with mergeKpiParts. */
export interface KpiPart {
  /** The last 7 days' counters, oldest first, then the month's and the year's. */
  hashes: Counters[]
  /** caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty, serviceOpen, serviceOverdue, grids patrolled today, this month, this year. */
  counts: number[]
  /** Grids patrolled in the last 7 days. */
  weekGrids: string[]
}

const WEEK = 7

/** Queue the reads of one region in one partition's keys. */
export function queueKpiPart(p: Queue, k: ChannelKeys, region: string, q: KpiQuery): (r: Replies) => KpiPart {
  const today = dayKey(q.now, q.zone)
  const week = lastDays(q.now, q.zone, WEEK) // oldest first, today last
  const [month, year] = [today.slice(0, 6), today.slice(0, 4)]
  for (const d of week) p.hgetall(k.day(region, d))
  p.hgetall(k.month(region, month)).hgetall(k.year(region, year))
  p.zcard(k.open('case', region)).zcount(k.open('case', region), '-inf', `(${q.now}`)
  p.scard(k.pending(region))
  p.zcard(k.open('hotline', region)).zcount(k.open('hotline', region), '-inf', `(${q.now}`)
  p.scard(k.onDuty(region))
  p.zcard(k.open('service', region)).zcount(k.open('service', region), '-inf', `(${q.now}`)
  p.scard(k.patrolled(region, today)).scard(k.patrolled(region, month)).scard(k.patrolled(region, year))
  p.sunion(...week.map((d) => k.patrolled(region, d)))
  return (r) => ({
    hashes: r.take(WEEK + 2).map((h) => toCounters(h as Record<string, string>)),
    counts: r.take(11) as number[],
    weekGrids: r.next<string[]>(),
  })
}

/** The parts of a region in several partitions as one. */
export function mergeKpiParts(parts: KpiPart[]): KpiPart {
  if (parts.length === 1) return parts[0]!
  return {
    hashes: Array.from({ length: WEEK + 2 }, (_, i) => parts.reduce((acc, part) => addCounters(acc, part.hashes[i]!), {} as Counters)),
    counts: sumCounts(parts.map((part) => part.counts)),
    weekGrids: [...new Set(parts.flatMap((part) => part.weekGrids))],
  }
}

/** A region's KPIs of every period from its (merged) counters. */
export function kpisOf(part: KpiPart, region: string, q: KpiQuery): KpiSet {
  const today = dayKey(q.now, q.zone)
  const { hashes, weekGrids } = part
  const [caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty, serviceOpen, serviceOverdue, pcToday, pcMonth, pcYear] =
    part.counts as [number, number, number, number, number, number, number, number, number, number, number]
  const now: NowCounts = { caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty, serviceOpen, serviceOverdue }
  const days = hashes.slice(0, WEEK)
  const villages = q.agentPlan?.villages(region) ?? 0
  const ctx = (patrolledGrids: number, period: Period) => ({
    now, patrolledGrids, grids: q.gridCount(region), basicWeight: q.basicWeight,
    plannedAgentVisits: agentVisitPlan(villages, q.agentPlan?.perVillagePerWeek ?? 0, periodDays(period, today)),
  })
  return {
    today: computeKpis(days[WEEK - 1]!, ctx(pcToday, 'today')),
    '7d': computeKpis(days.reduce((acc, c) => addCounters(acc, c), {}), ctx(weekGrids.length, '7d')),
    month: computeKpis(hashes[WEEK]!, ctx(pcMonth, 'month')),
    year: computeKpis(hashes[WEEK + 1]!, ctx(pcYear, 'year')),
  }
}

/** KPIs of several regions in one round trip (one pipeline per partition, together). */
export async function readKpis(redis: Redis, regions: string[], q: KpiQuery): Promise<Map<string, KpiSet>> {
  const sets = await readRegions(redis, q.channel, q.regions ?? ONE_PARTITION, regions,
    (p, k, region) => queueKpiPart(p, k, region, q),
    (parts, region) => kpisOf(mergeKpiParts(parts), region, q))
  return new Map(regions.map((r, i) => [r, sets[i]!]))
}
