/**
 * The realism checks: a generated stretch of the realistic mode compared
 * with the bounds of config/simulation.json `checks`. Used by
 * `npm run check-realism` and by test/unit/generator-realism.test.ts.
 */
import { createRealisticSimulation } from '../../server/simulation/generators/realistic-stream.ts'
import { dayTypeOf, shanghaiMidnight } from '../../server/simulation/generators/intensity.ts'
import type { SimConfig } from '../../server/simulation/load-config.ts'
import { entriesOf, type SimParams } from '../../server/simulation/sim-params.ts'
import { RealismStats } from './realism-stats.ts'
import { dayStamp } from '../../server/domain/shanghai-time.ts'

export interface CheckResult { key: keyof SimParams['checks']; label: string; value: number; text: string; bounds: readonly [number, number]; ok: boolean }

export interface RealismReport {
  start: number
  days: number
  events: number
  gridEvents: number
  /** Share of intake (work orders received + cases reported) per Shanghai hour 0–23. */
  hourly: number[]
  checks: CheckResult[]
  ok: boolean
}

const DAY = 86_400_000
const pct = (v: number) => `${(v * 100).toFixed(1)}%`
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const KIND_NAMES: Record<string, string> = { consult: '咨询', help: '求助', complaint: '投诉', report: '举报', suggestion: '建议', praise: '表扬', other: '其他' }

export interface WeekOptions { config: SimConfig; seed: number; start: number; days: number; onProgress?: (at: number, events: number) => void }

/** Generate `days` of the realistic mode (weekdays and weekends by the calendar) and check it. */
export function runRealism(o: WeekOptions): RealismReport {
  const { config } = o
  const end = o.start + o.days * DAY
  const sim = createRealisticSimulation({ ...config, seed: o.seed, start: o.start, dayType: 'auto' })
  const stats = new RealismStats(config.regions, config.categories)
  for (let t = o.start + 3_600_000; t <= end; t += 3_600_000) {
    for (const e of sim.next(Math.min(t, end - 1))) stats.add(e)
    o.onProgress?.(t, stats.total)
  }
  return evaluateRealism(stats, config, o.start, end)
}

/** Compare the figures in `stats` (a stream from `start` to `end`) with the configured bounds. */
export function evaluateRealism(stats: RealismStats, config: SimConfig, start: number, end: number): RealismReport {
  const { params, regions } = config
  const b = params.checks
  const days = (end - start) / DAY
  const intake = stats.intakeByHour.reduce((a, n) => a + n, 0) || 1
  const hourly = stats.intakeByHour.map((n) => n / intake)
  const checks: CheckResult[] = []
  const check = (key: CheckResult['key'], label: string, value: number, text: string, ok?: boolean) => {
    const bounds = b[key] as readonly [number, number]
    checks.push({ key, label, value, text, bounds, ok: ok ?? (value >= bounds[0] && value <= bounds[1]) })
  }

  const peak = [9, 10, 14, 15].reduce((a, h) => a + hourly[h]!, 0)
  check('peakHoursShare', '高峰时段占比（9–11时、14–16时）', peak, pct(peak))
  const night = [0, 1, 2, 3, 4, 5].reduce((a, h) => a + hourly[h]!, 0)
  check('nightShare', '夜间占比（0–6时）', night, pct(night))

  const orders = [...stats.kinds.values()].reduce((a, n) => a + n, 0) || 1
  const consult = (stats.kinds.get('consult') ?? 0) / orders
  check('consultShare', '咨询类占比', consult, pct(consult))
  const configured = entriesOf(params.hotline.kinds)
  const total = configured.reduce((a, [, w]) => a + w, 0)
  const deviations = configured.map(([k, w]) => ({ k, obs: (stats.kinds.get(k) ?? 0) / orders, exp: w / total }))
  const worst = Math.max(...deviations.map((d) => Math.abs(d.obs - d.exp)))
  const mix = deviations.map((d) => `${KIND_NAMES[d.k] ?? d.k} ${pct(d.obs)}`).join(' ')
  checks.push({ key: 'kindShareTolerance', label: '诉求类型构成（与配置之差）', value: worst, text: `最大偏差 ${pct(worst)}：${mix}`, bounds: [0, b.kindShareTolerance], ok: worst <= b.kindShareTolerance })

  const perTown = regions.features.filter((f) => f.properties.level === 'township').map((f) => {
    const pop = f.properties.population ?? 0
    return pop > 0 ? (stats.hotlineByTownship.get(f.properties.code) ?? 0) / (pop / 10_000) / days : NaN
  }).filter((v) => Number.isFinite(v))
  const [lo, hi] = [Math.min(...perTown), Math.max(...perTown)]
  check('hotlinePer10kPerDay', '每万人日均工单（乡镇最小–最大）', lo, `${lo.toFixed(1)} – ${hi.toFixed(1)}`,
    lo >= b.hotlinePer10kPerDay[0] && hi <= b.hotlinePer10kPerDay[1])
  const mid = median(perTown)
  check('hotlinePer10kPerDayMedian', '每万人日均工单（乡镇中位数）', mid, mid.toFixed(1))

  const population = regions.features.filter((f) => f.properties.level === 'grid').reduce((a, f) => a + (f.properties.population ?? 0), 0)
  const grid = stats.gridEvents / days / (population / 10_000)
  check('gridEventsPer10kPerDay', '网格事件每万人日均', grid, `${grid.toFixed(0)}（日均 ${Math.round(stats.gridEvents / days)} 条）`)

  const dispatch = median(stats.dispatchMin)
  check('dispatchMedianMin', '派单/派遣用时中位数（分钟）', dispatch, dispatch.toFixed(1))
  const close = median(stats.closeHours)
  check('closeMedianHours', '办结/结案用时中位数（小时）', close, close.toFixed(1))
  const overdueOpen = stats.openOverdue(end)
  const overdue = (stats.closedLate + overdueOpen) / Math.max(1, stats.closedLate + stats.closedOnTime + overdueOpen)
  check('overdueShare', '超期占比', overdue, `${pct(overdue)}（超期办结 ${stats.closedLate} · 超期在办 ${overdueOpen}）`)
  const satisfied = stats.satisfied / Math.max(1, stats.rated)
  check('satisfiedShare', '回访满意占比', satisfied, `${pct(satisfied)}（回访 ${stats.rated}）`)

  const byType = { weekday: [] as number[], weekend: [] as number[] }
  for (let d = shanghaiMidnight(start + DAY - 1); d + DAY <= end; d += DAY) byType[dayTypeOf(d)].push(stats.intakeByDay.get(dayStamp(d)) ?? 0)
  const mean = (xs: number[]) => xs.reduce((a, n) => a + n, 0) / xs.length
  const ratio = byType.weekday.length && byType.weekend.length ? mean(byType.weekday) / mean(byType.weekend) : NaN
  check('weekdayWeekendRatio', '工作日/周末受理量之比', ratio,
    Number.isFinite(ratio) ? `${ratio.toFixed(2)}（工作日均 ${mean(byType.weekday).toFixed(0)} · 周末日均 ${mean(byType.weekend).toFixed(0)}）` : '无完整的工作日和周末')

  return { start, days, events: stats.total, gridEvents: stats.gridEvents, hourly, checks, ok: checks.every((c) => c.ok) }
}
