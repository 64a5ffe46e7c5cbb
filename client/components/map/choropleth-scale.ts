import type { ExpressionSpecification } from 'maplibre-gl'
import { COUNT_KPIS, COVERAGE_KPIS, NOW_KPIS, RATE_KPIS, type KpiKey, type Period } from '@domain/kpis.ts'
import type { Ranking } from '@domain/rankings.ts'

export type Polarity = 'higherBetter' | 'lowerBetter' | 'neutral'
export type Ramp = readonly [string, string, string]

const FRACTIONS: ReadonlySet<KpiKey> = new Set([...RATE_KPIS, ...COVERAGE_KPIS])
const NOW: ReadonlySet<KpiKey> = new Set(NOW_KPIS)
/** Where more is worse; every other rate is better high, every other count is just volume. */
const LOWER_BETTER: ReadonlySet<KpiKey> = new Set(['reworkRate', 'caseOverdue', 'hotlineOverdue', 'casePending', 'alerts', 'alertsCritical'])
const RAMPS: Record<Polarity, Ramp> = {
  higherBetter: ['#e11d48', '#f59e0b', '#14b8a6'],
  lowerBetter: ['#14b8a6', '#f59e0b', '#e11d48'],
  neutral: ['#0c4a6e', '#0ea5e9', '#bae6fd'],
}
export const NO_DATA_COLOR = '#64748b'
/** A rate scale spans at least this much, so 96.1 % against 96.4 % does not look like red against green. */
const MIN_FRACTION_SPAN = 0.1

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
  domain: readonly [number, number]
  ramp: Ramp
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

/** Rates span their children's min..max (widened, within 0..1); counts run from 0 to the largest. */
export function choroplethScale(kpi: KpiKey, period: Period, values: Iterable<number | null>): ChoroplethScale | null {
  const known = [...values].filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (known.length === 0) return null
  let lo = Math.min(...known)
  let hi = Math.max(...known)
  if (isFraction(kpi)) {
    const grow = Math.max(0, MIN_FRACTION_SPAN - (hi - lo)) / 2
    lo -= grow
    hi += grow
    if (lo < 0) [lo, hi] = [0, hi - lo]
    if (hi > 1) [lo, hi] = [Math.max(0, lo - (hi - 1)), 1]
  } else {
    lo = 0
    hi = Math.max(hi, 1)
  }
  return { kpi, period: NOW.has(kpi) ? null : period, domain: [lo, hi], ramp: RAMPS[polarityOf(kpi)] }
}

/** Fill colour from the feature-state `value`; a child without a value is grey. */
export function choroplethFill(scale: ChoroplethScale): ExpressionSpecification {
  const [lo, hi] = scale.domain
  const [c0, c1, c2] = scale.ramp
  return [
    'case',
    ['==', ['typeof', ['feature-state', 'value']], 'number'],
    ['interpolate', ['linear'], ['feature-state', 'value'], lo, c0, (lo + hi) / 2, c1, hi, c2],
    NO_DATA_COLOR,
  ]
}
