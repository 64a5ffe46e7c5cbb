import type { TrendPoint } from '@domain/protocol.ts'
import type { ChartOption } from './echarts-core.ts'
import { CHART_COLORS, textStyle } from './chart-style.ts'

const BUCKETS = 144
const LABELS = Array.from({ length: BUCKETS }, (_, i) => `${String(Math.floor(i / 6)).padStart(2, '0')}:${String((i % 6) * 10).padStart(2, '0')}`)

/**
 * Today's intake per 10 minutes up to the current bucket (later buckets are
 * the future: left out, not drawn as zero) against yesterday's whole day, dashed.
 */
export function trendOption(trend: readonly TrendPoint[], nowBucket: number, u: number, names: { today: string; yesterday: string }): ChartOption {
  const today = trend.map((p, i) => (i <= nowBucket ? p.today : null))
  const yesterday = trend.map((p) => p.yesterday)
  return {
    animationDuration: 600,
    animationDurationUpdate: 600,
    grid: { left: 40 * u, right: 14 * u, top: 34 * u, bottom: 26 * u },
    legend: {
      top: 0, right: 8 * u, itemWidth: 22 * u, itemHeight: 8 * u, itemGap: 18 * u,
      textStyle: textStyle(u, 14),
      data: [names.today, names.yesterday],
    },
    xAxis: {
      type: 'category', boundaryGap: false, data: LABELS,
      axisLine: { lineStyle: { color: CHART_COLORS.grid } },
      axisTick: { show: false },
      axisLabel: { ...textStyle(u, 13, CHART_COLORS.dim), interval: 35, margin: 8 * u },
    },
    yAxis: {
      type: 'value', minInterval: 1, splitNumber: 3,
      axisLabel: { ...textStyle(u, 13, CHART_COLORS.dim), margin: 6 * u },
      splitLine: { lineStyle: { color: CHART_COLORS.grid, type: 'dashed' } },
    },
    series: [
      {
        id: 'yesterday', name: names.yesterday, type: 'line', data: yesterday, showSymbol: false, smooth: 0.3,
        lineStyle: { width: 1.5 * u, type: [5 * u, 4 * u], color: CHART_COLORS.yesterday }, itemStyle: { color: CHART_COLORS.yesterday },
      },
      {
        id: 'today', name: names.today, type: 'line', data: today, showSymbol: false, smooth: 0.3, connectNulls: false,
        lineStyle: { width: 2.5 * u, color: CHART_COLORS.accent, shadowBlur: 8 * u, shadowColor: 'rgba(63, 208, 255, 0.6)' },
        itemStyle: { color: CHART_COLORS.accent },
        areaStyle: {
          color: { type: 'linear', x: 0, y: 0, x2: 0, y2: 1, colorStops: [{ offset: 0, color: 'rgba(63, 208, 255, 0.35)' }, { offset: 1, color: 'rgba(63, 208, 255, 0)' }] },
        },
      },
    ],
  }
}
