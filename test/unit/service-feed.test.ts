// 便民服务代办 (the service feed) at its edges: what ingest accepts and how it
// says no, the time limits (7 days local, 30 days outside, an item's own
// limit, attrs.deadline), the lifecycle table, and the KPIs of DESIGN §6 on
// the apply model.
import { describe, expect, it } from 'vitest'
import { applyModel, createModelState, kpisFromModel, type ModelState } from '../../server/consistency/apply-model.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { nextState, SERVICE_LIFECYCLE, SERVICE_TYPES } from '../../server/domain/lifecycles.ts'
import { compositeScore, rankingConfigSchema } from '../../server/domain/rankings.ts'
import { readFileSync } from 'node:fs'
import { prepare } from '../../server/ingest/ingest.ts'
import type { ApplyInput } from '../../server/store/apply-event.ts'

const ZONE = 'Asia/Shanghai'
const HOUR = 3_600_000
const DAY = 24 * HOUR
const GRID = '650402001001001'
const VILLAGE = '650402001001'
const T0 = Date.parse('2026-11-23T09:00:00+08:00') // a Monday
const iso = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00')
const deps = { regions: loadRegions(), categories: loadCategories() }

let n = 0
function errand(type: string, subject: string, at: number, attrs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { id: `sv-${subject}-${type}-${++n}`, feed: 'service', type, subject, at: iso(at), attrs, ...extra }
}
const accepted = (subject: string, at: number, scope: string, item: string, attrs: Record<string, unknown> = {}) =>
  errand('accepted', subject, at, { scope, item, ...attrs }, { region: GRID })
const ready = (raw: unknown): ApplyInput => {
  const p = prepare(raw, deps)
  if (typeof p === 'string') throw new Error(p)
  return p
}
const rejection = (raw: unknown) => prepare(raw, deps) as string

describe('service feed at ingest', () => {
  it('accepts an errand with scope and item; the item is its category', () => {
    const p = ready(accepted('E1', T0, 'local', 'svc.social.card'))
    expect(p.event.category).toBe('svc.social.card')
    expect(p.chain[0]).toBe(GRID)
  })

  it('refuses bad errands with a clear reason', () => {
    expect(rejection(errand('accepted', 'E2', T0, { item: 'svc.social.card' }, { region: GRID }))).toMatch(/^attrs\.scope: /)
    expect(rejection(accepted('E2', T0, 'abroad', 'svc.social.card'))).toMatch(/^attrs\.scope: /)
    expect(rejection(errand('accepted', 'E2', T0, { scope: 'local' }, { region: GRID }))).toMatch(/^attrs\.item: /)
    expect(rejection(accepted('E2', T0, 'local', 'svc.nothing'))).toBe('attrs.item: "svc.nothing" is not a service item (see GET /api/v1/categories)')
    expect(rejection(accepted('E2', T0, 'local', 'city.sanitation'))).toContain('is not a service item')
    expect(rejection({ ...accepted('E2', T0, 'local', 'svc.social.card'), category: 'svc.medical.claim' }))
      .toBe('category: must equal attrs.item ("svc.social.card") on service accepted, or be left out')
    expect(rejection(errand('accepted', 'E2', T0, { scope: 'local', item: 'svc.social.card' }))).toBe('region or location: one is required on service accepted')
    expect(rejection(errand('approved', 'E2', T0))).toMatch(/^type: "approved" is not a service event type/)
    expect(rejection(errand('rated', 'E2', T0, { satisfaction: 'great' }))).toMatch(/^attrs\.satisfaction: /)
    // scope belongs to a service errand, not to a case
    expect(rejection({ id: 'c1', feed: 'case', type: 'reported', subject: 'C1', at: iso(T0), region: GRID, category: 'city.sanitation', attrs: { scope: 'local' } }))
      .toBe('attrs.scope: not an attr of case reported (only of service accepted)')
  })

  it('takes the agent role on a grid visit only', () => {
    const visit = (role: unknown) => ({ id: `v-${String(role)}`, feed: 'grid', type: 'visit', subject: 'AG1', at: iso(T0), region: GRID, attrs: { role } })
    expect(ready(visit('agent')).event.attrs.role).toBe('agent')
    expect(rejection(visit('boss'))).toMatch(/^attrs\.role: /)
  })
})

describe('time limits (限)', () => {
  const deadlineOf = (raw: unknown) => Number(ready(raw).intake)
  it('gives 7 days to an errand done in the township and 30 days to one that needs an outside office', () => {
    expect(deadlineOf(accepted('L1', T0, 'local', 'svc.social.card'))).toBe(T0 + 7 * DAY)
    expect(deadlineOf(accepted('L2', T0, 'outside', 'svc.social.card'))).toBe(T0 + 30 * DAY)
  })

  it("uses an item's own limit whatever the scope", () => {
    expect(deadlineOf(accepted('L3', T0, 'local', 'svc.civil.certificate'))).toBe(T0 + 3 * DAY)
    expect(deadlineOf(accepted('L4', T0, 'outside', 'svc.civil.certificate'))).toBe(T0 + 3 * DAY)
    expect(deadlineOf(accepted('L5', T0, 'local', 'svc.estate.register'))).toBe(T0 + 30 * DAY)
  })

  it('lets attrs.deadline override every limit', () => {
    const s = createModelState()
    applyModel(s, ready(accepted('L6', T0, 'outside', 'svc.estate.register', { deadline: iso(T0 + 2 * DAY) })), ZONE)
    expect(s.subjects.get('service:L6')?.deadline).toBe(T0 + 2 * DAY)
    applyModel(s, ready(accepted('L7', T0, 'outside', 'svc.estate.register')), ZONE)
    expect(s.subjects.get('service:L7')?.deadline).toBe(T0 + 30 * DAY)
  })
})

describe('service lifecycle', () => {
  it('covers every type, and 补正 returns to where it waited from', () => {
    expect(Object.keys(SERVICE_LIFECYCLE).sort()).toEqual([...SERVICE_TYPES].sort())
    expect(nextState('service', 'returnedForDocs', 'FORWARDED')).toBe('WAITING')
    expect(nextState('service', 'resumed', 'WAITING', 'FORWARDED')).toBe('FORWARDED')
    expect(nextState('service', 'resumed', 'WAITING', 'ACCEPTED')).toBe('ACCEPTED')
    expect(nextState('service', 'completed', 'WAITING')).toBe('COMPLETED')
    expect(nextState('service', 'withdrawn', 'COMPLETED')).toBeNull()
    expect(nextState('service', 'rated', 'WITHDRAWN')).toBeNull()
    expect(nextState('service', 'delivered', 'ACCEPTED')).toBeNull()
    expect(nextState('service', 'forwarded', '')).toBeNull()
  })
})

describe('service KPIs (apply model, read as the server reads)', () => {
  function run(events: unknown[]): ModelState {
    const s = createModelState()
    for (const e of events) applyModel(s, ready(e), ZONE)
    return s
  }

  it('counts by accepted day and scope; withdrawn errands leave the denominators; the latest rating counts', () => {
    const s = run([
      accepted('K1', T0, 'local', 'svc.social.card'), errand('completed', 'K1', T0 + 6 * HOUR), errand('delivered', 'K1', T0 + 7 * HOUR),
      errand('rated', 'K1', T0 + 8 * HOUR, { satisfaction: 'unsatisfied' }), errand('rated', 'K1', T0 + 9 * HOUR, { satisfaction: 'basic' }),
      accepted('K2', T0, 'outside', 'svc.social.retire'), errand('forwarded', 'K2', T0 + HOUR), errand('returnedForDocs', 'K2', T0 + 2 * HOUR),
      errand('resumed', 'K2', T0 + 3 * HOUR), errand('completed', 'K2', T0 + 31 * DAY), // late: past 30 days
      accepted('K3', T0, 'local', 'svc.civil.certificate'), // open, overdue after 3 days
      accepted('K4', T0, 'local', 'svc.medical.enrol'), errand('withdrawn', 'K4', T0 + HOUR),
      { id: 'ag-1', feed: 'grid', type: 'visit', subject: 'AG1', at: iso(T0), region: GRID, attrs: { role: 'agent', households: 2 } },
      { id: 'ag-2', feed: 'grid', type: 'visit', subject: 'W1', at: iso(T0), region: GRID, attrs: { households: 2 } },
    ])
    expect(s.subjects.get('service:K2')?.state).toBe('COMPLETED')
    const at = (now: number) => kpisFromModel(s, VILLAGE, now, ZONE, 1, 0.9, { villages: 1, perVillagePerWeek: 2 })
    const day0 = at(T0 + 10 * HOUR)
    expect(day0.today).toMatchObject({
      serviceAccepted: 4, serviceAcceptedLocal: 3, serviceAcceptedOutside: 1,
      serviceCompleteRate: 2 / 3, onTimeServiceCompleteRate: 1 / 3, onTimeServiceCompleteRateLocal: 1 / 2, onTimeServiceCompleteRateOutside: 0,
      serviceOpen: 1, serviceOverdue: 0, serviceAvgHours: (6 + 31 * 24) / 2, serviceSatisfactionRate: 0.9,
      visits: 2, agentVisits: 1, agentVisitRate: 1 / (2 / 7),
    })
    expect(day0['7d'].agentVisitRate).toBe(0.5) // one visit of two planned in a week
    const later = at(T0 + 4 * DAY) // the 3-day certificate is past its limit
    expect(later.month).toMatchObject({ serviceAccepted: 4, serviceCompleteRate: 2 / 3, serviceOpen: 1, serviceOverdue: 1 })
    expect(later.today.serviceAccepted).toBe(0) // the cohort stays on its accepted day
  })
})

describe('补正 of an item that stops its clock (pausesOnDocs)', () => {
  const D = DAY
  const PAUSES = 'svc.disability.card' // 残疾人证办理: local, 7 days, the clock stops during 补正
  const RUNS = 'svc.social.card' // 社保卡办理: local, 7 days, the clock keeps running
  function run(events: unknown[]): ModelState {
    const s = createModelState()
    for (const e of events) applyModel(s, ready(e), ZONE)
    return s
  }
  // accepted t0, 补正 t0+2d, resumed t0+5d; `done` adds 办结 at t0+9d
  const story = (subject: string, item: string, done = true) => [
    accepted(subject, T0, 'local', item), errand('returnedForDocs', subject, T0 + 2 * D, { missing: '户口簿复印件' }),
    errand('resumed', subject, T0 + 5 * D), ...(done ? [errand('completed', subject, T0 + 9 * D)] : []),
  ]
  const village = (s: ModelState, now: number) => kpisFromModel(s, VILLAGE, now, ZONE, 1, 0.9)

  it('is flagged in config/categories.json and sent to apply.lua with accepted only', () => {
    expect(deps.categories.servicePausesOnDocs(PAUSES)).toBe(true)
    expect(deps.categories.servicePausesOnDocs('svc.estate.register')).toBe(true)
    expect(deps.categories.servicePausesOnDocs(RUNS)).toBe(false)
    expect(ready(accepted('F1', T0, 'local', PAUSES)).pausesOnDocs).toBe(true)
    expect(ready(accepted('F2', T0, 'local', RUNS))).not.toHaveProperty('pausesOnDocs')
    expect(ready(errand('returnedForDocs', 'F1', T0))).not.toHaveProperty('pausesOnDocs')
  })

  it('moves the deadline by the time waited: resumed at t0+5d after 补正 at t0+2d is due at t0+10d, 办结 at t0+9d on time', () => {
    const s = run(story('P1', PAUSES))
    expect(s.subjects.get('service:P1')).toMatchObject({ state: 'COMPLETED', deadline: T0 + 10 * D })
    expect(village(s, T0 + 9 * D + HOUR).year).toMatchObject({ onTimeServiceCompleteRate: 1, onTimeServiceCompleteRateLocal: 1, serviceCompleteRate: 1 })
    const open = run(story('P2', PAUSES, false))
    expect(open.subjects.get('service:P2')).toMatchObject({ state: 'ACCEPTED', deadline: T0 + 10 * D })
    expect(open.subjects.get('service:P2')?.paused).toBeUndefined()
    expect(open.zsets.get(`o:service:${VILLAGE}`)?.get('P2')).toBe(T0 + 10 * D)
    expect(village(open, T0 + 8 * D).today).toMatchObject({ serviceOpen: 1, serviceOverdue: 0 }) // the first 7 days are over: not overdue
    expect(village(open, T0 + 10 * D + 1).today).toMatchObject({ serviceOpen: 1, serviceOverdue: 1 })
  })

  it('keeps the clock of an item without the flag running: the same errand is overdue at t0+8d and 办结 at t0+9d is late', () => {
    const s = run(story('R1', RUNS))
    expect(s.subjects.get('service:R1')).toMatchObject({ state: 'COMPLETED', deadline: T0 + 7 * D })
    expect(village(s, T0 + 9 * D + HOUR).year).toMatchObject({ onTimeServiceCompleteRate: 0, serviceCompleteRate: 1 })
    const open = run(story('R2', RUNS, false))
    expect(open.zsets.get(`o:service:${VILLAGE}`)?.get('R2')).toBe(T0 + 7 * D)
    expect(village(open, T0 + 8 * D).today).toMatchObject({ serviceOpen: 1, serviceOverdue: 1 })
    // waiting past its deadline, it is overdue all the same
    const waiting = run(story('R3', RUNS, false).slice(0, 2))
    expect(open.subjects.get('service:R2')?.paused).toBeUndefined()
    expect(village(waiting, T0 + 8 * D).today).toMatchObject({ serviceOpen: 1, serviceOverdue: 1 })
  })

  it('is never overdue while it waits: still 在办, its deadline not yet moved, since when it waits kept', () => {
    const s = run(story('P3', PAUSES, false).slice(0, 2)) // 补正 at t0+2d, no documents yet
    expect(s.subjects.get('service:P3')).toMatchObject({ state: 'WAITING', deadline: T0 + 7 * D, paused: T0 + 2 * D })
    expect(village(s, T0 + 30 * D).today).toMatchObject({ serviceOpen: 1, serviceOverdue: 0 })
  })

  it('adds several waits up, and ends a wait on 办结 or 撤回 as on resumed', () => {
    const s = run([
      accepted('P4', T0, 'local', PAUSES), errand('returnedForDocs', 'P4', T0 + D), errand('resumed', 'P4', T0 + 2 * D),
      errand('forwarded', 'P4', T0 + 3 * D), errand('returnedForDocs', 'P4', T0 + 4 * D), errand('resumed', 'P4', T0 + 7 * D),
      // 办结 while it waits: the clock stood still from t0+6d (1 day left) to t0+12d
      accepted('P5', T0, 'local', PAUSES), errand('returnedForDocs', 'P5', T0 + 6 * D), errand('completed', 'P5', T0 + 12 * D),
      accepted('P6', T0, 'local', PAUSES), errand('returnedForDocs', 'P6', T0 + 6 * D), errand('withdrawn', 'P6', T0 + 12 * D),
      errand('rated', 'P6', T0 + 13 * D, { satisfaction: 'satisfied' }), // 回访 of a withdrawn errand: refused, parked
    ])
    expect(s.subjects.get('service:P4')).toMatchObject({ state: 'FORWARDED', deadline: T0 + 11 * D }) // 7 + 1 + 3 days
    expect(s.subjects.get('service:P5')).toMatchObject({ state: 'COMPLETED', deadline: T0 + 13 * D })
    expect(s.subjects.get('service:P6')).toMatchObject({ state: 'WITHDRAWN', deadline: T0 + 13 * D })
    for (const id of ['P4', 'P5', 'P6']) expect(s.subjects.get(`service:${id}`)?.paused).toBeUndefined()
    expect(village(s, T0 + 12 * D + HOUR).year).toMatchObject({ onTimeServiceCompleteRate: 1 / 2 }) // P5 of P4, P5 (P6 withdrawn)
  })

  it('gives the same errand whatever the arrival order (resumed before its 补正)', () => {
    const inOrder = run(story('P7', PAUSES))
    const [acc, wait, resume, done] = story('P7', PAUSES)
    const shuffled = createModelState()
    expect([resume, done, acc, wait].map((e) => applyModel(shuffled, ready(e), ZONE))).toEqual(['outOfOrder', 'outOfOrder', 'applied', 'applied'])
    expect(shuffled.subjects.get('service:P7')).toEqual(inOrder.subjects.get('service:P7'))
    expect(shuffled.hashes).toEqual(inOrder.hashes.set('stats', shuffled.hashes.get('stats')!))
    expect(shuffled.zsets).toEqual(inOrder.zsets)
    expect(shuffled.subjects.get('service:P7')).toMatchObject({ state: 'COMPLETED', deadline: T0 + 10 * D })
  })
})

describe('ranking', () => {
  it('weighs 按期办结率 of the errands into the composite score when config/ranking.json gives it a weight', () => {
    const file = JSON.parse(readFileSync('config/ranking.json', 'utf8')) as { weights: Record<string, number> }
    const cfg = rankingConfigSchema.parse({ ...file, weights: { ...file.weights, onTimeServiceCompleteRate: 0.1 } })
    expect(cfg.weights.onTimeServiceCompleteRate).toBe(0.1)
    const weights = { disposalRate: 1, onTimeServiceCompleteRate: 1 }
    expect(compositeScore({ disposalRate: 1, onTimeServiceCompleteRate: 0.5 }, weights)).toBe(0.75)
    expect(compositeScore({ disposalRate: 1, onTimeServiceCompleteRate: null }, weights)).toBe(1) // no errands: left out
  })
})
