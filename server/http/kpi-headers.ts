/** Chinese column headers of the KPIs of DESIGN §6 in CSV exports, in table order (cases, hotline, grid, now, 代办). */
import { COVERAGE_KPIS, RATE_KPIS, type KpiKey } from '../domain/kpis.ts'

export const KPI_HEADERS: [KpiKey, string][] = [
  ['caseReported', '上报数'], ['caseRegistered', '立案数'], ['registerRate', '立案率'], ['disposalRate', '处置率'],
  ['onTimeDisposalRate', '按期处置率'], ['closeRate', '结案率'], ['onTimeCloseRate', '按期结案率'], ['reworkRate', '返工率'],
  ['caseClosedFlow', '结案数'], ['mediationSuccessRate', '调解成功率'],
  ['hotlineReceived', '受理量'], ['calls', '来电量'], ['answerRate', '接通率'], ['directCloseRate', '直接办结率'],
  ['hotlineCloseRate', '办结率'], ['onTimeHotlineCloseRate', '按期办结率'], ['hotlineClosedFlow', '办结数'],
  ['satisfactionRate', '满意率'], ['solveRate', '解决率'], ['responseRate', '响应率'],
  ['patrols', '巡查'], ['visits', '走访'], ['households', '入户'], ['patrolCoverage', '巡查覆盖率'],
  ['alerts', '告警'], ['alertsCritical', '严重告警'],
  ['caseOpen', '案件在办'], ['caseOverdue', '案件超期'], ['casePending', '待立案'],
  ['hotlineOpen', '工单在办'], ['hotlineOverdue', '工单超期'], ['workersOnDuty', '在岗网格员'],
  ['serviceAccepted', '代办受理量'], ['serviceAcceptedLocal', '本镇办理'], ['serviceAcceptedOutside', '外出代办'],
  ['serviceCompleteRate', '代办办结率'], ['onTimeServiceCompleteRate', '代办按期办结率'],
  ['onTimeServiceCompleteRateLocal', '本镇按期办结率'], ['onTimeServiceCompleteRateOutside', '外出按期办结率'],
  ['serviceAvgHours', '平均办理时长（小时）'], ['serviceSatisfactionRate', '代办满意率'], ['serviceOpen', '代办在办'],
  ['serviceOverdue', '代办超期'], ['agentVisits', '巡回服务'], ['agentVisitRate', '巡回服务完成率'],
]

/** KPIs shown as percentages. */
export const PERCENT_KPIS: ReadonlySet<KpiKey> = new Set<KpiKey>([...RATE_KPIS, ...COVERAGE_KPIS])
