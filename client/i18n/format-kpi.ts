import { COVERAGE_KPIS, MEASURE_KPIS, RATE_KPIS, type KpiKey } from '@domain/kpis.ts'

const RATES: ReadonlySet<KpiKey> = new Set([...RATE_KPIS, ...COVERAGE_KPIS]) // patrolCoverage is a share too

export const isRateKpi = (key: KpiKey): boolean => RATES.has(key)
const MEASURES: ReadonlySet<KpiKey> = new Set(MEASURE_KPIS)

/**
 * A KPI as shown on a tile: rates as "96.9%" (one decimal), counts as plain
 * integers ("71745", no grouping: wall readers and tests parse them back),
 * measures (hours) with one decimal,
 * "—" when not known yet or undefined (a rate whose denominator is 0).
 */
export function formatKpi(key: KpiKey, value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '—'
  if (isRateKpi(key)) return `${(Math.round(value * 1000) / 10).toFixed(1)}%`
  if (MEASURES.has(key)) return value.toFixed(1)
  return String(Math.round(value))
}
