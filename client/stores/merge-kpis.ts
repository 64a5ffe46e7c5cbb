import { PERIODS, type KpiSet, type KpiValues, type Period } from '@domain/kpis.ts'

const EMPTY: KpiSet = { today: {}, '7d': {}, month: {}, year: {} }

/** Apply a partial `kpis` push (some periods, some keys) onto the current set; returns a new object. */
export function mergeKpis(current: KpiSet | null, update: Partial<Record<Period, KpiValues>>): KpiSet {
  const base = current ?? EMPTY
  const next = { ...base }
  for (const period of PERIODS) {
    const values = update[period]
    if (values) next[period] = { ...base[period], ...values }
  }
  return next
}
