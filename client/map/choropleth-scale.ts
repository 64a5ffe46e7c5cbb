import type { ExpressionSpecification } from 'maplibre-gl'
import { COUNT_KPIS, COVERAGE_KPIS, NOW_KPIS, RATE_KPIS, type KpiKey, type Period } from '@domain/kpis.ts'
import type { Ranking } from '@domain/rankings.ts'

export type Polarity = 'higherBetter' | 'lowerBetter' | 'neutral'

const FRACTIONS: ReadonlySet<KpiKey> = new Set([...RATE_KPIS, ...COVERAGE_KPIS])
const NOW: ReadonlySet<KpiKey> = new Set(NOW_KPIS)
/** Where more is worse; every other rate is better high, every other count is just volume. */
const LOWER_BETTER: ReadonlySet<KpiKey> = new Set(['reworkRate', 'caseOverdue', 'hotlineOverdue', 'serviceOverdue', 'casePending', 'alerts', 'alertsCritical'])
/** Five classes per polarity, worst to best or low to high. */
const COLORS: Record<Polarity, readonly string[]> = {
  higherBetter: ['#e11d48', '#f97316', '#f59e0b', '#2dd4bf', '#0d9488'],
  lowerBetter: ['#0d9488', '#2dd4bf', '#f59e0b', '#f97316', '#e11d48'],
  neutral: ['#0c4a6e', '#0369a1', '#0ea5e9', '#7dd3fc', '#e0f2fe'],
}
/**
 * Fixed bands for rates, the same on every screen and every day, never stretched to the
 * moment's min–max: below 70 % is plainly poor, 90 % is the default 红旗 threshold
 * (config/ranking.json), 80 % and 95 % split the amber and green bands.
 */
const HIGHER_BETTER_BREAKS = [0.7, 0.8, 0.9, 0.95] as const
/** Rework is good when rare: 2 %, 5 %, 10 %, 20 %. */
const LOWER_BETTER_BREAKS = [0.02, 0.05, 0.1, 0.2] as const
const COUNT_CLASSES = 5
export const NO_DATA_COLOR = '#64748b'

const ALL_KPIS: ReadonlySet<string> = new Set([...COUNT_KPIS, ...FRACTIONS, ...NOW_KPIS])

export const isKpiKey = (v: unknown): v is KpiKey => typeof v === 'string' && ALL_KPIS.has(v)
export const isFraction = (kpi: KpiKey): boolean => FRACTIONS.has(kpi)

export function polarityOf(kpi: KpiKey): Polarity {
  if (LOWER_BETTER.has(kpi)) return 'lowerBetter'
  return FRACTIONS.has(kpi) ? 'higherBetter' : 'neutral'
}

/** What the choropleth shows and how, for the legend and the paint. */
export interface ChoroplethScale {
  kpi: KpiKey
  /** The ranking's period; null for point-in-time KPIs (open, overdue, on duty). */
  period: Period | null
  /** Range of the scale: [0, 1] for rates, [0, a 1-2-5 ceiling] for counts. */
  domain: readonly [number, number]
  /** Where each class after the first starts, ascending: one fewer than `colors`. */
  breaks: readonly number[]
  colors: readonly string[]
}

/**
 * Each ranked child's value of `kpi`: the server pushes children's KPIs to a
 * region's subscribers only inside its ranking (for the ranking's period).
 */
export function childValues(ranking: Ranking | null | undefined, kpi: KpiKey, isChild: (code: string) => boolean): Map<string, number | null> {
  const values = new Map<string, number | null>()
  for (const e of ranking?.entries ?? []) if (isChild(e.code)) values.set(e.code, e.values[kpi] ?? null)
  return values
}

/** The smallest of 5, 10, 20, 50, 100, 200, 500, … that is at least `v`. */
export function niceCeiling(v: number): number {
  for (let p = 1; ; p *= 10) for (const m of [5, 10, 20]) if (m * p >= v) return m * p
}

/**
 * A scale with a fixed meaning: rates in fixed bands of 0–100 %, counts in five equal steps up
 * to a 1-2-5 ceiling (it moves only when the largest value crosses a round number), never
 * stretched to the minimum and maximum of the moment. Null when no child has a value.
 */
export function choroplethScale(kpi: KpiKey, period: Period, values: Iterable<number | null>): ChoroplethScale | null {
  const known = [...values].filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (known.length === 0) return null
  const polarity = polarityOf(kpi)
  const base = { kpi, period: NOW.has(kpi) ? null : period, colors: COLORS[polarity] }
  if (isFraction(kpi)) {
    return { ...base, domain: [0, 1], breaks: polarity === 'lowerBetter' ? LOWER_BETTER_BREAKS : HIGHER_BETTER_BREAKS }
  }
  const top = niceCeiling(Math.max(...known))
  const step = top / COUNT_CLASSES
  return { ...base, domain: [0, top], breaks: Array.from({ length: COUNT_CLASSES - 1 }, (_, i) => step * (i + 1)) }
}

/** Fill colour from the feature-state `value` by class; a child without a value is grey. */
export function choroplethFill(scale: ChoroplethScale): ExpressionSpecification {
  const [first, ...rest] = scale.colors
  const stops = scale.breaks.flatMap((b, i) => [b, rest[i]!])
  return [
    'case',
    ['==', ['typeof', ['feature-state', 'value']], 'number'],
    ['step', ['feature-state', 'value'], first!, ...stops] as ExpressionSpecification,
    NO_DATA_COLOR,
  ]
}
