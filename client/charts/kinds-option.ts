import type { ChartOption } from './echarts-core.ts'
import { KIND_COLORS, KIND_ORDER } from './chart-style.ts'

export interface KindCount { kind: string; name: string; count: number; share: number | null; color: string }

/** Every hotline kind in a fixed order and colour, with its count and share of today's total. */
export function kindCounts(counts: readonly { kind: string; count: number }[], names: Record<string, string>): KindCount[] {
  const byKind = new Map(counts.map((c) => [c.kind, c.count]))
  const total = counts.reduce((s, c) => s + c.count, 0)
  return KIND_ORDER.map((kind) => {
    const count = byKind.get(kind) ?? 0
    return { kind, name: names[kind] ?? kind, count, share: total > 0 ? count / total : null, color: KIND_COLORS[kind]! }
  })
}

/** Hotline work orders received today by kind (咨询/求助/投诉/…) as a ring; the legend is HTML beside it. */
export function kindsOption(kinds: readonly KindCount[], u: number): ChartOption {
  return {
    animationDurationUpdate: 600,
    series: [{
      id: 'kinds', type: 'pie', radius: ['52%', '86%'], center: ['50%', '50%'],
      data: kinds.map((k) => ({ name: k.name, value: k.count, itemStyle: { color: k.color } })),
      label: { show: false }, labelLine: { show: false }, emphasis: { disabled: true },
      itemStyle: { borderColor: '#041226', borderWidth: 2 * u },
    }],
  }
}
