import type { ChartOption } from './echarts-core.ts'
import { CHART_COLORS, textStyle } from './chart-style.ts'

export const TOP_CATEGORIES = 8

/**
 * Today's intake by category, the `TOP_CATEGORIES` largest as horizontal
 * bars, largest on top. Always that many rows (blank ones pad a quiet
 * morning) so bars keep their height as data arrives.
 */
export function categoryOption(rows: readonly { name: string; count: number }[], u: number): ChartOption {
  const top = rows.slice(0, TOP_CATEGORIES)
  const padded = [...top, ...Array.from({ length: TOP_CATEGORIES - top.length }, () => ({ name: '', count: null }))]
  return {
    animationDurationUpdate: 600,
    grid: { left: 8 * u, right: 52 * u, top: 4 * u, bottom: 4 * u, containLabel: true },
    xAxis: { type: 'value', show: false, max: (v) => Math.max(1, v.max) },
    yAxis: {
      type: 'category', inverse: true, data: padded.map((r) => r.name),
      axisLine: { show: false }, axisTick: { show: false },
      // long (English) names wrap between words onto a second line instead of being cut inside one
      axisLabel: { ...textStyle(u, 15, CHART_COLORS.muted), width: 160 * u, overflow: 'break', lineHeight: 15 * u },
    },
    series: [{
      id: 'count', type: 'bar', data: padded.map((r) => r.count), barWidth: '52%',
      showBackground: true, backgroundStyle: { color: 'rgba(63, 208, 255, 0.06)' },
      itemStyle: {
        color: { type: 'linear', x: 0, y: 0, x2: 1, y2: 0, colorStops: [{ offset: 0, color: CHART_COLORS.accentDeep }, { offset: 1, color: CHART_COLORS.accent }] },
      },
      label: { show: true, position: 'right', ...textStyle(u, 15, CHART_COLORS.text), distance: 8 * u },
    }],
  }
}
