// The KPI formulas of DESIGN §6 at their edges: computeKpis on counters, and
// kpisFromModel (the server's reading) for days, cohorts and periods.
import { describe, expect, it } from 'vitest'
import { applyModel, createModelState, kpisFromModel, type ModelState } from '../../server/consistency/apply-model.ts'
import type { ValidEvent } from '../../server/domain/events.ts'
import { computeKpis, RATE_KPIS, type Counters, type KpiContext, type NowCounts } from '../../server/domain/kpis.ts'

const ZONE = 'Asia/Shanghai'
const HOUR = 3_600_000
const DAYMS = 24 * HOUR
const CHAIN = ['650402001001001', '650402001001', '650402001', '650402', '650400']
const ROOT = '650400'
const NOW0: NowCounts = {
  caseOpen: 0, caseOverdue: 0, casePending: 0, hotlineOpen: 0, hotlineOverdue: 0, workersOnDuty: 0, serviceOpen: 0, serviceOverdue: 0,
}
const ctx = (o: Partial<KpiContext> = {}): KpiContext => ({ now: NOW0, patrolledGrids: 0, grids: 0, basicWeight: 0.9, ...o })
const ms = (iso: string) => Date.parse(iso)

// [kpi, numerator counter, denominator counter]
const RATES: [string, string, string][] = [
  ['registerRate', 'c.reportedRegistered', 'c.reported'],
  ['disposalRate', 'c.disposed', 'c.registered'],
  ['onTimeDisposalRate', 'c.disposedOnTime', 'c.registered'],
  ['closeRate', 'c.closedRegistered', 'c.registered'],
  ['onTimeCloseRate', 'c.closedOnTime', 'c.registered'],
  ['reworkRate', 'c.reworked', 'c.disposed'],
  ['mediationSuccessRate', 'c.disputeSuccess', 'c.disputeClosed'],
  ['answerRate', 'hf.answered', 'hf.calls'],
  ['directCloseRate', 'h.directClosed', 'h.received'],
  ['hotlineCloseRate', 'h.closed', 'h.received'],
  ['onTimeHotlineCloseRate', 'h.closedOnTime', 'h.received'],
  ['satisfactionRate', 'h.satisfied', 'h.rated'],
  ['solveRate', 'h.solved', 'h.rated'],
  ['responseRate', 'h.contacted', 'h.rated'],
]
const COUNTS: [string, string][] = [
  ['caseReported', 'c.reported'], ['caseRegistered', 'c.registered'], ['caseClosedFlow', 'cf.closed'],
  ['hotlineReceived', 'h.received'], ['hotlineClosedFlow', 'hf.closed'], ['calls', 'hf.calls'], ['patrols', 'gf.patrols'],
  ['visits', 'gf.visits'], ['households', 'gf.households'], ['alerts', 'gf.alerts'], ['alertsCritical', 'gf.alertsCritical'],
]

describe('rate formulas (computeKpis)', () => {
  it('covers every rate KPI of §6 (the 代办 rates, whose denominators are sums, below)', () => {
    expect(RATES.map(([k]) => k).sort()).toEqual(RATE_KPIS.filter((k) => !/[sS]ervice/.test(k)).sort())
  })

  it.each(RATES)('%s = %s / %s: null when the denominator is 0, 1 at 100 %, the ratio between', (kpi, num, den) => {
    const v = (c: Counters) => computeKpis(c, ctx())[kpi as keyof ReturnType<typeof computeKpis>]
    expect(v({})).toBeNull()
    expect(v({ [num]: 3 })).toBeNull() // a numerator alone never divides by zero
    expect(v({ [num]: 0, [den]: 0 })).toBeNull()
    expect(v({ [num]: 0, [den]: 4 })).toBe(0)
    expect(v({ [num]: 4, [den]: 4 })).toBe(1)
    expect(v({ [num]: 3, [den]: 4 })).toBe(0.75)
  })

  it('weighs a basic rating with the configured weight in the satisfaction rate', () => {
    const c = { 'h.rated': 10, 'h.satisfied': 8, 'h.basic': 2, 'h.unsatisfied': 0 }
    expect(computeKpis(c, ctx()).satisfactionRate).toBeCloseTo(0.98, 10)
    expect(computeKpis(c, ctx({ basicWeight: 1 })).satisfactionRate).toBe(1)
    expect(computeKpis(c, ctx({ basicWeight: 0 })).satisfactionRate).toBe(0.8)
  })

  it('reproduces the seed figures of §6', () => {
    const k = computeKpis({
      'c.registered': 71745, 'c.disposed': 69516, 'h.received': 3651, 'h.closed': 3625,
      'c.disputeClosed': 855, 'c.disputeSuccess': 830,
    }, ctx())
    expect(k.disposalRate!.toFixed(3)).toBe('0.969')
    expect(k.hotlineCloseRate!.toFixed(3)).toBe('0.993')
    expect(k.mediationSuccessRate!.toFixed(3)).toBe('0.971')
  })

  it.each(COUNTS)('%s is the counter %s, 0 when absent', (kpi, field) => {
    const v = (c: Counters) => computeKpis(c, ctx())[kpi as keyof ReturnType<typeof computeKpis>]
    expect(v({})).toBe(0)
    expect(v({ [field]: 7 })).toBe(7)
  })

  it('patrolCoverage = patrolled grids / grids, null for a region without grids', () => {
    expect(computeKpis({}, ctx({ grids: 0, patrolledGrids: 0 })).patrolCoverage).toBeNull()
    expect(computeKpis({}, ctx({ grids: 4, patrolledGrids: 0 })).patrolCoverage).toBe(0)
    expect(computeKpis({}, ctx({ grids: 4, patrolledGrids: 1 })).patrolCoverage).toBe(0.25)
    expect(computeKpis({}, ctx({ grids: 4, patrolledGrids: 4 })).patrolCoverage).toBe(1)
  })

  it('copies the point-in-time counts unchanged', () => {
    const now = { caseOpen: 5, caseOverdue: 2, casePending: 1, hotlineOpen: 4, hotlineOverdue: 3, workersOnDuty: 9, serviceOpen: 6, serviceOverdue: 1 }
    expect(computeKpis({}, ctx({ now }))).toMatchObject(now)
  })
})

/** A model fed with events; times are epoch ms. */
function feed() {
  const s: ModelState = createModelState()
  let n = 0
  const apply = (feedName: ValidEvent['feed'], type: string, subject: string, at: number, extra: Partial<ValidEvent> & { intake?: string; chain?: string[] } = {}) => {
    const { intake = '', chain = [], ...rest } = extra
    const event: ValidEvent = { id: `k${++n}`, feed: feedName, type, subject, at, attrs: {}, ...rest }
    return applyModel(s, { event, chain, grid: chain[0]?.length === 15 ? chain[0] : '', intake }, ZONE)
  }
  return {
    s,
    apply,
    report: (subject: string, at: number) => apply('case', 'reported', subject, at, { chain: CHAIN, category: 'city.sanitation', intake: '48' }),
    step: (type: string, subject: string, at: number, attrs: Record<string, unknown> = {}) => apply('case', type, subject, at, { attrs }),
    kpis: (now: number, region = ROOT, grids = 4) => kpisFromModel(s, region, now, ZONE, grids, 0.9),
  }
}

describe('days, cohorts and periods (kpisFromModel)', () => {
  it('cuts the day at 00:00 Asia/Shanghai: 15:59:59Z is the 20th, 16:00:00Z the 21st', () => {
    const f = feed()
    f.report('A', ms('2026-11-20T15:59:59Z'))
    f.report('B', ms('2026-11-20T16:00:00Z'))
    expect(f.s.hashes.get(`d:${ROOT}:20261120`)?.get('c.reported')).toBe(1)
    expect(f.s.hashes.get(`d:${ROOT}:20261121`)?.get('c.reported')).toBe(1)
    expect(f.s.hashes.get(`t:${ROOT}:20261120`)).toEqual(new Map([['143', 1]]))
    expect(f.s.hashes.get(`t:${ROOT}:20261121`)).toEqual(new Map([['0', 1]]))
    expect(f.kpis(ms('2026-11-20T15:59:59.999Z')).today.caseReported).toBe(1)
    expect(f.kpis(ms('2026-11-20T16:00:00Z')).today.caseReported).toBe(1)
    expect(f.kpis(ms('2026-11-20T16:00:00Z'))['7d'].caseReported).toBe(2)
  })

  it('keeps a case in its registration-day cohort when disposed a day late; the close flow counts on its own day', () => {
    const f = feed()
    const d = ms('2026-11-20T10:00:00+08:00')
    f.report('A', d)
    f.step('registered', 'A', d + HOUR)
    f.step('dispatched', 'A', d + 2 * HOUR)
    f.step('disposed', 'A', d + DAYMS)
    f.step('closed', 'A', d + DAYMS + HOUR)
    const onD = f.kpis(d + 12 * HOUR)
    expect(onD.today).toMatchObject({ caseRegistered: 1, disposalRate: 1, closeRate: 1, caseClosedFlow: 0, onTimeDisposalRate: 1 })
    const onNext = f.kpis(d + DAYMS + 2 * HOUR)
    expect(onNext.today).toMatchObject({ caseRegistered: 0, disposalRate: null, closeRate: null, caseClosedFlow: 1 })
    expect(onNext['7d']).toMatchObject({ caseRegistered: 1, disposalRate: 1, closeRate: 1, caseClosedFlow: 1, registerRate: 1 })
  })

  it('keeps rates ≤ 100 % for a case reported on D and registered on D+1', () => {
    const f = feed()
    const d = ms('2026-11-20T22:00:00+08:00')
    f.report('A', d)
    f.step('registered', 'A', d + 4 * HOUR)
    expect(f.kpis(d + HOUR).today).toMatchObject({ caseReported: 1, registerRate: 1, caseRegistered: 0 })
    expect(f.kpis(d + 4 * HOUR).today).toMatchObject({ caseReported: 0, registerRate: null, caseRegistered: 1, disposalRate: 0 })
  })

  it('sums exactly today and the 6 days before in 7d', () => {
    const f = feed()
    const today = ms('2026-11-21T12:00:00+08:00')
    for (let i = 0; i < 8; i++) f.report(`C${i}`, today - i * DAYMS)
    const k = f.kpis(today)
    expect(k.today.caseReported).toBe(1)
    expect(k['7d'].caseReported).toBe(7)
    expect(k.month.caseReported).toBe(8)
  })

  it('takes month and year from the channel-zone calendar', () => {
    const f = feed()
    f.report('NOV', ms('2026-11-30T15:59:59Z')) // 23:59:59 on 30 Nov in Shanghai
    f.report('DEC', ms('2026-11-30T16:00:00Z')) // 00:00 on 1 Dec
    f.report('DEC31', ms('2026-12-31T15:00:00Z'))
    f.report('JAN', ms('2026-12-31T16:00:00Z')) // 1 Jan 2027
    const dec1 = f.kpis(ms('2026-12-01T09:00:00+08:00'))
    expect([dec1.today.caseReported, dec1['7d'].caseReported, dec1.month.caseReported, dec1.year.caseReported]).toEqual([1, 2, 2, 3])
    const jan1 = f.kpis(ms('2027-01-01T09:00:00+08:00'))
    expect([jan1.today.caseReported, jan1['7d'].caseReported, jan1.month.caseReported, jan1.year.caseReported]).toEqual([1, 2, 1, 1])
    expect(f.kpis(ms('2026-12-31T23:00:00+08:00')).year.caseReported).toBe(3)
  })

  it('counts open, overdue (deadline strictly before now) and pending at now, the same in every period', () => {
    const f = feed()
    const t = ms('2026-11-21T09:00:00+08:00')
    f.report('P', t)
    f.report('A', t)
    f.step('registered', 'A', t, { deadline: new Date(t + HOUR).toISOString() })
    f.report('B', t)
    f.step('registered', 'B', t, { deadline: new Date(t + 2 * HOUR).toISOString() })
    const at = (now: number) => f.kpis(now).today
    expect(at(t + HOUR)).toMatchObject({ caseOpen: 2, caseOverdue: 0, casePending: 1 }) // deadline == now is not overdue
    expect(at(t + HOUR + 1)).toMatchObject({ caseOpen: 2, caseOverdue: 1 })
    expect(f.kpis(t + 3 * HOUR).year).toMatchObject({ caseOpen: 2, caseOverdue: 2, casePending: 1 })
  })

  it('counts work orders open and overdue, and workers on duty at now', () => {
    const f = feed()
    const t = ms('2026-11-21T09:00:00+08:00')
    f.apply('hotline', 'received', 'H1', t, { chain: CHAIN, category: 'hl.utilities.water', attrs: { kind: 'help' }, intake: String(t + HOUR) })
    f.apply('hotline', 'received', 'H2', t, { chain: CHAIN, category: 'hl.utilities.water', attrs: { kind: 'help' }, intake: String(t + HOUR) })
    f.apply('hotline', 'directClosed', 'H2', t)
    f.apply('grid', 'onDuty', 'W1', t, { chain: CHAIN })
    f.apply('grid', 'onDuty', 'W2', t, { chain: CHAIN })
    f.apply('grid', 'offDuty', 'W2', t)
    expect(f.kpis(t + 2 * HOUR).today).toMatchObject({ hotlineOpen: 1, hotlineOverdue: 1, workersOnDuty: 1, hotlineReceived: 2, directCloseRate: 0.5 })
  })

  it('measures patrol coverage per period: distinct grids patrolled over the grids of the region', () => {
    const f = feed()
    const t = ms('2026-11-21T09:00:00+08:00')
    const other = ['650402001001002', ...CHAIN.slice(1)]
    f.apply('grid', 'patrol', 'W1', t, { chain: CHAIN })
    f.apply('grid', 'patrol', 'W1', t - DAYMS, { chain: CHAIN }) // the same grid yesterday: once in 7d
    f.apply('grid', 'patrol', 'W2', t - 3 * DAYMS, { chain: other })
    f.apply('grid', 'patrol', 'W3', t - 10 * DAYMS, { chain: other }) // in the month, not in 7d
    const k = f.kpis(t, ROOT, 4)
    expect([k.today.patrolCoverage, k['7d'].patrolCoverage, k.month.patrolCoverage, k.year.patrolCoverage]).toEqual([0.25, 0.5, 0.5, 0.5])
    expect([k.today.patrols, k['7d'].patrols, k.month.patrols]).toEqual([1, 3, 4])
    expect(f.kpis(t, CHAIN[0]!, 1).today.patrolCoverage).toBe(1)
    expect(f.kpis(t, ROOT, 0).today.patrolCoverage).toBeNull()
  })

  it('sums a parent as its children plus events addressed to itself', () => {
    const f = feed()
    const t = ms('2026-11-21T09:00:00+08:00')
    f.apply('grid', 'alert', 'S1', t, { chain: CHAIN, attrs: { severity: 'critical' } })
    f.apply('grid', 'alert', 'S2', t, { chain: ['650402001001002', ...CHAIN.slice(1)], attrs: { severity: 'info' } })
    f.apply('grid', 'alert', 'S3', t, { chain: CHAIN.slice(1), attrs: { severity: 'critical' } })
    const v = (r: string) => f.kpis(t, r).today
    expect([v(CHAIN[0]!).alerts, v('650402001001002').alerts, v(CHAIN[1]!).alerts, v(ROOT).alerts]).toEqual([1, 1, 3, 3])
    expect(v(ROOT).alertsCritical).toBe(2)
  })
})
