/**
 * KPIs of regions over any run of calendar days (a 日报's day, week or month
 * and the period before it): the day hashes apply.lua writes are summed, the
 * patrolled grids of the days united, and the formulas of domain/kpis.ts
 * applied. Also the period's intake trend and category counts.
 */
import type { Redis } from 'ioredis'
import { addCounters, agentVisitPlan, computeKpis, type AgentPlan, type Counters, type KpiValues, type NowCounts } from '../domain/kpis.ts'
import { toCounters } from '../domain/counters.ts'
import { keys } from './keys.ts'

export interface PeriodQuery {
  channel: string
  now: number
  basicWeight: number
  gridCount: (region: string) => number
  agentPlan?: AgentPlan
}

export interface PeriodRead {
  values: KpiValues
  /** The raw counters of each day, oldest first (daily trends). */
  perDay: Counters[]
}

type Queue = ReturnType<Redis['pipeline']>

function queuePeriod(p: Queue, region: string, days: string[], q: PeriodQuery) {
  const k = keys(q.channel)
  for (const d of days) p.hgetall(k.day(region, d))
  p.sunion(...days.map((d) => k.patrolled(region, d)))
  p.zcard(k.open('case', region)).zcount(k.open('case', region), '-inf', `(${q.now}`)
  p.scard(k.pending(region))
  p.zcard(k.open('hotline', region)).zcount(k.open('hotline', region), '-inf', `(${q.now}`)
  p.scard(k.onDuty(region))
  p.zcard(k.open('service', region)).zcount(k.open('service', region), '-inf', `(${q.now}`)
  return {
    size: days.length + 9,
    decode(r: unknown[]): PeriodRead {
      const perDay = r.slice(0, days.length).map((h) => toCounters(h as Record<string, string>))
      const patrolled = (r[days.length] as string[]).length
      const [caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty, serviceOpen, serviceOverdue] =
        r.slice(days.length + 1) as number[]
      const now: NowCounts = {
        caseOpen: caseOpen!, caseOverdue: caseOverdue!, casePending: casePending!,
        hotlineOpen: hotlineOpen!, hotlineOverdue: hotlineOverdue!, workersOnDuty: workersOnDuty!,
        serviceOpen: serviceOpen!, serviceOverdue: serviceOverdue!,
      }
      const sum = perDay.reduce((acc, c) => addCounters(acc, c), {})
      const plannedAgentVisits = agentVisitPlan(q.agentPlan?.villages(region) ?? 0, q.agentPlan?.perVillagePerWeek ?? 0, days.length)
      return { perDay, values: computeKpis(sum, { now, patrolledGrids: patrolled, grids: q.gridCount(region), basicWeight: q.basicWeight, plannedAgentVisits }) }
    },
  }
}

/** KPIs of each region over the days, in one round trip. */
export async function readPeriodKpis(redis: Redis, regions: string[], days: string[], q: PeriodQuery): Promise<Map<string, PeriodRead>> {
  const p = redis.pipeline()
  const decoders = regions.map((r) => queuePeriod(p, r, days, q))
  const replies = ((await p.exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  const out = new Map<string, PeriodRead>()
  let at = 0
  regions.forEach((r, i) => {
    const d = decoders[i]!
    out.set(r, d.decode(replies.slice(at, at + d.size)))
    at += d.size
  })
  return out
}

/** Intake per 10-minute bucket (0–143) of one day of a region. */
export async function readDayBuckets(redis: Redis, channel: string, region: string, day: string): Promise<number[]> {
  const h = await redis.hgetall(keys(channel).trend(region, day))
  return Array.from({ length: 144 }, (_, b) => Number(h[b] ?? 0))
}

/** Intake by category over the days, largest first. */
export async function readPeriodCategories(redis: Redis, channel: string, region: string, days: string[]) {
  const k = keys(channel)
  const replies = ((await redis.pipeline(days.map((d) => ['hgetall', k.categories(region, d)])).exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v as Record<string, string>
  })
  // fields are category codes, not counters
  const sum = new Map<string, number>()
  for (const h of replies) for (const [code, n] of Object.entries(h)) sum.set(code, (sum.get(code) ?? 0) + Number(n))
  return [...sum]
    .map(([code, count]) => ({ code, count }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
}
