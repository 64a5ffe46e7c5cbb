/**
 * KPIs of regions read from the counters apply.lua writes: one pipeline for
 * any number of regions, every period plus the point-in-time counts.
 */
import type { Redis } from 'ioredis'
import { dayKey, lastDays } from '../domain/clock.ts'
import { addCounters, computeKpis, type Counters, type KpiSet, type NowCounts } from '../domain/kpis.ts'
import { keys } from './keys.ts'

const toCounters = (h: Record<string, string>): Counters => {
  const c: Counters = {}
  for (const [k, v] of Object.entries(h)) c[k] = Number(v)
  return c
}

export interface KpiQuery { channel: string; now: number; zone: string; basicWeight: number }

/** Queue the reads of one region on a pipeline/multi; returns how to decode its replies. */
export function queueKpiReads(p: ReturnType<Redis['pipeline']>, region: string, q: KpiQuery) {
  const k = keys(q.channel)
  const today = dayKey(q.now, q.zone)
  const week = lastDays(q.now, q.zone, 7) // oldest first, today last
  for (const d of week) p.hgetall(k.day(region, d))
  p.hgetall(k.month(region, today.slice(0, 6)))
  p.hgetall(k.year(region, today.slice(0, 4)))
  p.zcard(k.open('case', region)).zcount(k.open('case', region), '-inf', `(${q.now}`)
  p.scard(k.pending(region))
  p.zcard(k.open('hotline', region)).zcount(k.open('hotline', region), '-inf', `(${q.now}`)
  p.scard(k.onDuty(region))
  const size = week.length + 2 + 6
  return {
    size,
    decode(replies: unknown[]): KpiSet {
      const h = replies.slice(0, week.length + 2).map((r) => toCounters(r as Record<string, string>))
      const [caseOpen, caseOverdue, casePending, hotlineOpen, hotlineOverdue, workersOnDuty] = replies
        .slice(week.length + 2) as number[]
      const now: NowCounts = { caseOpen: caseOpen!, caseOverdue: caseOverdue!, casePending: casePending!, hotlineOpen: hotlineOpen!, hotlineOverdue: hotlineOverdue!, workersOnDuty: workersOnDuty! }
      const days = h.slice(0, week.length)
      const weekSum = days.reduce((acc, c) => addCounters(acc, c), {})
      return {
        today: computeKpis(days[days.length - 1]!, now, q.basicWeight),
        '7d': computeKpis(weekSum, now, q.basicWeight),
        month: computeKpis(h[week.length]!, now, q.basicWeight),
        year: computeKpis(h[week.length + 1]!, now, q.basicWeight),
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
