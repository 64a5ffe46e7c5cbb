/**
 * KPIs of regions read from the counters apply.lua writes: one pipeline for
 * any number of regions, every period plus the point-in-time counts.
 */
import type { Redis } from 'ioredis'
import { dayKey, lastDays } from '../domain/clock.ts'
import { addCounters, agentVisitPlan, computeKpis, periodDays, type AgentPlan, type Counters, type KpiSet, type NowCounts, type Period } from '../domain/kpis.ts'
import { toCounters } from '../domain/counters.ts'
import { keys } from './keys.ts'


export interface KpiQuery {
  channel: string
  now: number
  zone: string
  basicWeight: number
  gridCount: (region: string) => number
  agentPlan?: AgentPlan
}

type Queue = ReturnType<Redis['pipeline']>

/** Queue the reads of one region on a pipeline/multi; returns how many replies and how to decode them. */
export function queueKpiReads(p: Queue, region: string, q: KpiQuery) {
  const k = keys(q.channel)
  const today = dayKey(q.now, q.zone)
  const week = lastDays(q.now, q.zone, 7) // oldest first, today last
  const [month, year] = [today.slice(0, 6), today.slice(0, 4)]
  for (const d of week) p.hgetall(k.day(region, d))
  p.hgetall(k.month(region, month)).hgetall(k.year(region, year))
  p.zcard(k.open('case', region)).zcount(k.open('case', region), '-inf', `(${q.now}`)
  p.scard(k.pending(region))
  p.zcard(k.open('hotline', region)).zcount(k.open('hotline', region), '-inf', `(${q.now}`)
  p.scard(k.onDuty(region))
  p.scard(k.patrolled(region, today))
  p.sunion(...week.map((d) => k.patrolled(region, d)))
  p.scard(k.patrolled(region, month)).scard(k.patrolled(region, year))
  p.zcard(k.open('service', region)).zcount(k.open('service', region), '-inf', `(${q.now}`)
  const size = week.length + 2 + 6 + 4 + 2
  return {
    size,
    /** Today's raw counters (e.g. work orders by kind) from the same replies. */
    today: (replies: unknown[]): Counters => toCounters(replies[week.length - 1] as Record<string, string>),
    decode(replies: unknown[]): KpiSet {
      const hashes = replies.slice(0, week.length + 2).map((r) => toCounters(r as Record<string, string>))
      const rest = replies.slice(week.length + 2)
      const [caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty] = rest as number[]
      const [serviceOpen, serviceOverdue] = rest.slice(10) as number[]
      const now: NowCounts = {
        caseOpen: caseOpen!, caseOverdue: caseOverdue!, casePending: casePending!,
        hotlineOpen: hotlineOpen!, hotlineOverdue: hotlineOverdue!, workersOnDuty: workersOnDuty!,
        serviceOpen: serviceOpen!, serviceOverdue: serviceOverdue!,
      }
      const [pcToday, pcWeek, pcMonth, pcYear] = rest.slice(6) as [number, string[], number, number]
      const days = hashes.slice(0, week.length)
      const villages = q.agentPlan?.villages(region) ?? 0
      const ctx = (patrolledGrids: number, period: Period) => ({
        now, patrolledGrids, grids: q.gridCount(region), basicWeight: q.basicWeight,
        plannedAgentVisits: agentVisitPlan(villages, q.agentPlan?.perVillagePerWeek ?? 0, periodDays(period, today)),
      })
      return {
        today: computeKpis(days[days.length - 1]!, ctx(pcToday, 'today')),
        '7d': computeKpis(days.reduce((acc, c) => addCounters(acc, c), {}), ctx(pcWeek.length, '7d')),
        month: computeKpis(hashes[week.length]!, ctx(pcMonth, 'month')),
        year: computeKpis(hashes[week.length + 1]!, ctx(pcYear, 'year')),
      }
    },
  }
}

/** KPIs of several regions in one round trip. */
export async function readKpis(redis: Redis, regions: string[], q: KpiQuery): Promise<Map<string, KpiSet>> {
  const p = redis.pipeline()
  const decoders = regions.map((r) => queueKpiReads(p, r, q))
  const replies = (await p.exec()) ?? []
  const out = new Map<string, KpiSet>()
  let at = 0
  regions.forEach((r, i) => {
    const d = decoders[i]!
    const slice = replies.slice(at, at + d.size).map(([err, v]) => {
      if (err) throw err
      return v
    })
    out.set(r, d.decode(slice))
    at += d.size
  })
  return out
}
