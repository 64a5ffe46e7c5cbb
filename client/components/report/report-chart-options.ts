/** ECharts options of the 日报, in print colours (dark ink on white paper). */
import type { ChartOption } from '@client/charts/echarts-core.ts'
import type { ReportData } from '@client/composables/useReport.ts'
import type { ReportText } from './report-text.ts'

const INK = '#1f2937'
const DIM = '#6b7280'
const RULE = '#d1d5db'
const SERIES = ['#1d4ed8', '#9ca3af', '#d97706', '#059669']
const axisText = { color: DIM, fontSize: 10 }
const LABELS = Array.from({ length: 144 }, (_, i) => `${String(Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}`)

const base = (legend: string[]): ChartOption => ({
  color: SERIES,
  textStyle: { color: INK, fontFamily: 'sans-serif' },
  grid: { left: 40, right: 12, top: 28, bottom: 24 },
  legend: { top: 0, right: 0, itemWidth: 16, itemHeight: 6, textStyle: { color: INK, fontSize: 10 }, data: legend },
})

/** 10-minute intake of the day against the day before, or the period's daily counts. */
export function reportTrendOption(trend: ReportData['trend'], t: ReportText): ChartOption {
  const yAxis = { type: 'value' as const, minInterval: 1, axisLabel: axisText, splitLine: { lineStyle: { color: RULE } } }
  if (trend.unit === '10min') {
    const names = [t.trendSeries.current, t.trendSeries.previous]
    return {
      ...base(names),
      xAxis: { type: 'category', boundaryGap: false, data: LABELS, axisLabel: { ...axisText, interval: 35 }, axisLine: { lineStyle: { color: RULE } } },
      yAxis,
      series: [
        { name: names[0], type: 'line', showSymbol: false, data: trend.points.map((p) => p.current), lineStyle: { width: 1.5 } },
        { name: names[1], type: 'line', showSymbol: false, data: trend.points.map((p) => p.previous), lineStyle: { width: 1, type: 'dashed' } },
      ],
    }
  }
  const keys = ['caseReported', 'hotlineReceived', 'caseClosedFlow', 'hotlineClosedFlow'] as const
  const names = keys.map((k) => t.trendSeries[k])
  return {
    ...base(names),
    xAxis: { type: 'category', data: trend.points.map((p) => p.day.slice(5)), axisLabel: axisText, axisLine: { lineStyle: { color: RULE } } },
    yAxis,
    series: keys.map((k, i) => ({ name: names[i], type: 'bar' as const, data: trend.points.map((p) => p[k]), barMaxWidth: 10 })),
  }
}

/** The period's intake by category, largest first (top 10). */
export function reportCategoryOption(categories: ReportData['categories']): ChartOption {
  const top = categories.slice(0, 10).reverse()
  return {
    color: [SERIES[0]!],
    textStyle: { color: INK, fontFamily: 'sans-serif' },
    grid: { left: 110, right: 36, top: 4, bottom: 4 },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: top.map((c) => c.name), axisLabel: { ...axisText, color: INK }, axisTick: { show: false }, axisLine: { lineStyle: { color: RULE } } },
    series: [{ type: 'bar', data: top.map((c) => c.count), barMaxWidth: 12, label: { show: true, position: 'right', color: INK, fontSize: 10 } }],
  }
}
