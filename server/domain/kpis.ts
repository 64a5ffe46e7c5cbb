/**
 * KPI definitions of DESIGN §6: the raw counters kept per region and period
 * in Redis, and the formulas that turn them into the values on the wire.
 */
export const PERIODS = ['today', '7d', 'month', 'year'] as const
export type Period = (typeof PERIODS)[number]

/** Counter fields of a region's day/month/year hash (written by apply.lua). */
export type Counters = Record<string, number>

export const COUNT_KPIS = [
  'caseReported', 'caseRegistered', 'caseClosedFlow', 'hotlineReceived', 'hotlineClosedFlow',
  'calls', 'patrols', 'visits', 'households', 'alerts', 'alertsCritical',
  'serviceAccepted', 'serviceAcceptedLocal', 'serviceAcceptedOutside', 'agentVisits',
] as const
export const RATE_KPIS = [
  'registerRate', 'disposalRate', 'onTimeDisposalRate', 'closeRate', 'onTimeCloseRate', 'reworkRate',
  'mediationSuccessRate', 'answerRate', 'directCloseRate', 'hotlineCloseRate', 'onTimeHotlineCloseRate',
  'satisfactionRate', 'solveRate', 'responseRate',
  'serviceCompleteRate', 'onTimeServiceCompleteRate', 'onTimeServiceCompleteRateLocal', 'onTimeServiceCompleteRateOutside',
  'serviceSatisfactionRate',
] as const
/** Shares of something the region has or plans (grids, planned agent visits), not of counters. */
export const COVERAGE_KPIS = ['patrolCoverage', 'agentVisitRate'] as const
export const NOW_KPIS = [
  'caseOpen', 'caseOverdue', 'casePending', 'hotlineOpen', 'hotlineOverdue', 'workersOnDuty', 'serviceOpen', 'serviceOverdue',
] as const
/** Measures that are neither counts nor shares: hours. */
export const MEASURE_KPIS = ['serviceAvgHours'] as const

export type KpiKey =
  | (typeof COUNT_KPIS)[number] | (typeof RATE_KPIS)[number] | (typeof COVERAGE_KPIS)[number] | (typeof NOW_KPIS)[number]
  | (typeof MEASURE_KPIS)[number]
export type KpiValues = Partial<Record<KpiKey, number | null>>
export type KpiSet = Record<Period, KpiValues>

/** Point-in-time state of a region, shared by every period. */
export type NowCounts = Record<(typeof NOW_KPIS)[number], number>

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null)

export interface KpiContext {
  now: NowCounts // the region's point-in-time counts, the same for every period
  patrolledGrids: number // grids of the region with ≥1 patrol in the period
  grids: number // grids of the region
  basicWeight: number // weight of a 'basic' rating in the satisfaction rate
  plannedAgentVisits?: number // service agents' circuit visits planned for the region over the period (0 or absent: no plan)
}

/** Days a period holds at a channel day yyyymmdd: 1, 7, the days of the month so far, of the year so far. */
export function periodDays(period: Period, today: string): number {
  if (period === 'today') return 1
  if (period === '7d') return 7
  const [y, m, d] = [Number(today.slice(0, 4)), Number(today.slice(4, 6)), Number(today.slice(6, 8))]
  if (period === 'month') return d
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000) + 1
}

/** What a reader needs for the 巡回服务 plan: villages in a region and the planned visits per village and week. */
export interface AgentPlan { villages: (region: string) => number; perVillagePerWeek: number }

/** Planned agent visits (定) of a region over a period: its villages × visits per village per week × days / 7. */
export const agentVisitPlan = (villages: number, perVillagePerWeek: number, days: number): number => (villages * perVillagePerWeek * days) / 7

/** Turn one period's counters (and the region's current state) into KPI values. */
export function computeKpis(c: Counters, ctx: KpiContext): KpiValues {
  const { now, basicWeight } = ctx
  const n = (k: string) => c[k] ?? 0
  return {
    caseReported: n('c.reported'),
    caseRegistered: n('c.registered'),
    caseClosedFlow: n('cf.closed'),
    registerRate: ratio(n('c.reportedRegistered'), n('c.reported')),
    disposalRate: ratio(n('c.disposed'), n('c.registered')),
    onTimeDisposalRate: ratio(n('c.disposedOnTime'), n('c.registered')),
    closeRate: ratio(n('c.closedRegistered'), n('c.registered')),
    onTimeCloseRate: ratio(n('c.closedOnTime'), n('c.registered')),
    reworkRate: ratio(n('c.reworked'), n('c.disposed')),
    mediationSuccessRate: ratio(n('c.disputeSuccess'), n('c.disputeClosed')),
    hotlineReceived: n('h.received'),
    hotlineClosedFlow: n('hf.closed'),
    calls: n('hf.calls'),
    answerRate: ratio(n('hf.answered'), n('hf.calls')),
    directCloseRate: ratio(n('h.directClosed'), n('h.received')),
    hotlineCloseRate: ratio(n('h.closed'), n('h.received')),
    onTimeHotlineCloseRate: ratio(n('h.closedOnTime'), n('h.received')),
    satisfactionRate: ratio(n('h.satisfied') + basicWeight * n('h.basic'), n('h.rated')),
    solveRate: ratio(n('h.solved'), n('h.rated')),
    responseRate: ratio(n('h.contacted'), n('h.rated')),
    patrols: n('gf.patrols'),
    visits: n('gf.visits'),
    households: n('gf.households'),
    alerts: n('gf.alerts'),
    alertsCritical: n('gf.alertsCritical'),
    patrolCoverage: ratio(ctx.patrolledGrids, ctx.grids),
    ...serviceKpis(n, ctx),
    ...now,
  }
}

/** 便民服务代办: cohort by accepted day; withdrawn errands leave the denominators. */
function serviceKpis(n: (k: string) => number, ctx: KpiContext): KpiValues {
  const sum = (m: string) => n(`s.${m}.local`) + n(`s.${m}.outside`)
  const base = (scope?: 'local' | 'outside') =>
    scope ? n(`s.accepted.${scope}`) - n(`s.withdrawn.${scope}`) : sum('accepted') - sum('withdrawn')
  const completed = sum('completed')
  return {
    serviceAccepted: sum('accepted'),
    serviceAcceptedLocal: n('s.accepted.local'),
    serviceAcceptedOutside: n('s.accepted.outside'),
    serviceCompleteRate: ratio(completed, base()),
    onTimeServiceCompleteRate: ratio(sum('completedOnTime'), base()),
    onTimeServiceCompleteRateLocal: ratio(n('s.completedOnTime.local'), base('local')),
    onTimeServiceCompleteRateOutside: ratio(n('s.completedOnTime.outside'), base('outside')),
    serviceAvgHours: ratio(n('s.minutes') / 60, completed),
    serviceSatisfactionRate: ratio(n('s.satisfied') + ctx.basicWeight * n('s.basic'), n('s.rated')),
    agentVisits: n('gf.agentVisits'),
    agentVisitRate: ratio(n('gf.agentVisits'), ctx.plannedAgentVisits ?? 0),
  }
}

/** Add counters into an accumulator (periods made of several days). */
export function addCounters(into: Counters, from: Counters): Counters {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v
  return into
}
