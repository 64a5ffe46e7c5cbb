import { computed } from 'vue'
import { useRoute, type LocationQueryValue } from 'vue-router'
import type { Period } from '@domain/kpis.ts'

export type LongPeriod = Exclude<Period, 'today'>
export interface WallParams {
  channel: string
  token: string
  region: string | null
  /** The longer period shown under each KPI beside today. */
  period: LongPeriod
  /** Carousel seconds from `?carousel=`; null: use the server's wall-config. */
  carouselSec: number | null
}

const LONG_PERIODS: readonly LongPeriod[] = ['7d', 'month', 'year']

const first = (v: LocationQueryValue | LocationQueryValue[] | undefined): string | null =>
  (Array.isArray(v) ? v[0] : v) || null

function seconds(v: string | null): number | null {
  if (v === null) return null
  const n = Number(v)
  return Number.isFinite(n) && n >= 0 ? n : null
}

/**
 * What a wall shows, from its URL: `?channel=` (default live), `?token=`,
 * `?region=` (default: the root region), `?period=7d|month|year` (default
 * month), `?carousel=N` seconds (0 = off), `?lang=en` (see i18n/messages.ts).
 */
export function useWallParams() {
  const route = useRoute()
  return computed<WallParams>(() => {
    const period = first(route.query.period) as LongPeriod | null
    return {
      channel: first(route.query.channel) ?? 'live',
      token: first(route.query.token) ?? '',
      region: first(route.query.region),
      period: period && LONG_PERIODS.includes(period) ? period : 'month',
      carouselSec: seconds(first(route.query.carousel)),
    }
  })
}
