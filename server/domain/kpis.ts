/**
 * KPI definitions of DESIGN §6: the raw counters kept per region and period
 * in Redis, and the formulas that turn them into the values on the wire.
 */
import { COUNTER as C, SERVICE_COUNTER, SERVICE_SCOPES, type CounterName, type Counters, type ServiceScope } from './counters.ts'

export type { Counters } from './counters.ts'

export const PERIODS = ['today', '7d', 'month', 'year'] as const
export type Period = (typeof PERIODS)[number]

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
  const n = (k: CounterName) => c[k] ?? 0
  return {
    caseReported: n(C.caseReported),
    caseRegistered: n(C.caseRegistered),
    caseClosedFlow: n(C.caseClosedFlow),
    registerRate: ratio(n(C.caseReportedRegistered), n(C.caseReported)),
    disposalRate: ratio(n(C.caseDisposed), n(C.caseRegistered)),
    onTimeDisposalRate: ratio(n(C.caseDisposedOnTime), n(C.caseRegistered)),
    closeRate: ratio(n(C.caseClosedRegistered), n(C.caseRegistered)),
    onTimeCloseRate: ratio(n(C.caseClosedOnTime), n(C.caseRegistered)),
    reworkRate: ratio(n(C.caseReworked), n(C.caseDisposed)),
    mediationSuccessRate: ratio(n(C.caseDisputeSuccess), n(C.caseDisputeClosed)),
    hotlineReceived: n(C.hotlineReceived),
    hotlineClosedFlow: n(C.hotlineClosedFlow),
    calls: n(C.calls),
    answerRate: ratio(n(C.callsAnswered), n(C.calls)),
    directCloseRate: ratio(n(C.hotlineDirectClosed), n(C.hotlineReceived)),
    hotlineCloseRate: ratio(n(C.hotlineClosed), n(C.hotlineReceived)),
    onTimeHotlineCloseRate: ratio(n(C.hotlineClosedOnTime), n(C.hotlineReceived)),
    satisfactionRate: ratio(n(C.hotlineSatisfied) + basicWeight * n(C.hotlineBasic), n(C.hotlineRated)),
    solveRate: ratio(n(C.hotlineSolved), n(C.hotlineRated)),
    responseRate: ratio(n(C.hotlineContacted), n(C.hotlineRated)),
    patrols: n(C.patrols),
    visits: n(C.visits),
    households: n(C.households),
    alerts: n(C.alerts),
    alertsCritical: n(C.alertsCritical),
    patrolCoverage: ratio(ctx.patrolledGrids, ctx.grids),
    ...serviceKpis(n, ctx),
    ...now,
  }
}

/** 便民服务代办: cohort by accepted day; withdrawn errands leave the denominators. */
function serviceKpis(n: (k: CounterName) => number, ctx: KpiContext): KpiValues {
  type Milestone = keyof (typeof SERVICE_COUNTER)[ServiceScope]
  const sum = (m: Milestone) => SERVICE_SCOPES.reduce((s, scope) => s + n(SERVICE_COUNTER[scope][m]), 0)
  const base = (scope?: ServiceScope) =>
    scope ? n(SERVICE_COUNTER[scope].accepted) - n(SERVICE_COUNTER[scope].withdrawn) : sum('accepted') - sum('withdrawn')
  const completed = sum('completed')
  return {
    serviceAccepted: sum('accepted'),
    serviceAcceptedLocal: n(C.serviceAcceptedLocal),
    serviceAcceptedOutside: n(C.serviceAcceptedOutside),
    serviceCompleteRate: ratio(completed, base()),
    onTimeServiceCompleteRate: ratio(sum('completedOnTime'), base()),
    onTimeServiceCompleteRateLocal: ratio(n(C.serviceCompletedOnTimeLocal), base('local')),
    onTimeServiceCompleteRateOutside: ratio(n(C.serviceCompletedOnTimeOutside), base('outside')),
    serviceAvgHours: ratio(n(C.serviceMinutes) / 60, completed),
    serviceSatisfactionRate: ratio(n(C.serviceSatisfied) + ctx.basicWeight * n(C.serviceBasic), n(C.serviceRated)),
    agentVisits: n(C.agentVisits),
    agentVisitRate: ratio(n(C.agentVisits), ctx.plannedAgentVisits ?? 0),
  }
}

/** Add counters into an accumulator (periods made of several days). */
export function addCounters(into: Counters, from: Counters): Counters {
  for (const [k, v] of Object.entries(from) as [CounterName, number][]) into[k] = (into[k] ?? 0) + v
  return into
}
