/**
 * The apply model read the way the server reads Redis: KPIs as
 * server/store/read-kpis.ts computes them, and subject hashes as stored.
 */
import type { Aggregates, SubjectState } from './apply-model-state.ts'
import { dayKey, lastDays } from '../domain/clock.ts'
import { addCounters, agentVisitPlan, computeKpis, periodDays, type Counters, type KpiSet, type NowCounts, type Period } from '../domain/kpis.ts'
import { regionKeys as K } from '../store/keys.ts'

/** A region's KPIs for every period at `now`, from the model, with the server's formulas. */
export function kpisFromModel(
  state: Aggregates, region: string, now: number, zone: string, gridCount: number, basicWeight: number,
  plan: { villages: number; perVillagePerWeek: number } = { villages: 0, perVillagePerWeek: 0 },
): KpiSet {
  const counters = (key: string): Counters => Object.fromEntries(state.hashes.get(key) ?? [])
  const members = (key: string) => state.sets.get(key) ?? new Set<string>()
  const open = (feed: 'case' | 'hotline' | 'service') => [...(state.zsets.get(K.open(feed, region))?.values() ?? [])]
  const today = dayKey(now, zone)
  const week = lastDays(now, zone, 7)
  const [month, year] = [today.slice(0, 6), today.slice(0, 4)]
  const nowCounts: NowCounts = {
    caseOpen: open('case').length,
    caseOverdue: open('case').filter((deadline) => deadline < now).length,
    casePending: members(K.pending(region)).size,
    hotlineOpen: open('hotline').length,
    hotlineOverdue: open('hotline').filter((deadline) => deadline < now).length,
    workersOnDuty: members(K.onDuty(region)).size,
    serviceOpen: open('service').length,
    serviceOverdue: open('service').filter((deadline) => deadline < now).length,
  }
  const ctx = (patrolledGrids: number, period: Period) => ({
    now: nowCounts, patrolledGrids, grids: gridCount, basicWeight,
    plannedAgentVisits: agentVisitPlan(plan.villages, plan.perVillagePerWeek, periodDays(period, today)),
  })
  const weekGrids = new Set(week.flatMap((d) => [...members(K.patrolled(region, d))]))
  return {
    today: computeKpis(counters(K.day(region, today)), ctx(members(K.patrolled(region, today)).size, 'today')),
    '7d': computeKpis(week.reduce((acc, d) => addCounters(acc, counters(K.day(region, d))), {}), ctx(weekGrids.size, '7d')),
    month: computeKpis(counters(K.month(region, month)), ctx(members(K.patrolled(region, month)).size, 'month')),
    year: computeKpis(counters(K.year(region, year)), ctx(members(K.patrolled(region, year)).size, 'year')),
  }
}

/** A subject as its Redis hash holds it (field → string), for comparison with HGETALL. */
export function subjectHash(sub: SubjectState): Record<string, string> {
  const h: Record<string, string> = {}
  const put = (field: string, v: string | number | undefined) => { if (v !== undefined) h[field] = String(v) }
  if (sub.state !== '') Object.assign(h, { state: sub.state, chain: sub.chain.join(',') })
  put('dat', sub.dutyAt)
  put('fon', sub.firstOn)
  put('pat', sub.posAt)
  put('iday', sub.iday)
  put('cday', sub.cday)
  put('deadline', sub.deadline)
  put('category', sub.category)
  put('sla', sub.sla)
  put('priority', sub.priority)
  put('kind', sub.kind)
  put('scope', sub.scope)
  put('prev', sub.prev)
  put('paused', sub.paused)
  for (const [name, at] of sub.milestones) put(`m.${name}`, at)
  put('sat', sub.sat)
  if (sub.sat !== undefined) {
    put('solved', sub.solved ? '1' : '0')
    put('contacted', sub.contacted ? '1' : '0')
  }
  return h
}
