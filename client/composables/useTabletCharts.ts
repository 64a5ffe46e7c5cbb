import { computed } from 'vue'
import type { Panels } from '@domain/protocol.ts'
import { categoryOption } from '@client/charts/category-option.ts'
import { trendOption } from '@client/charts/trend-option.ts'
import { DEFAULT_ZONE } from '@domain/clock.ts'
import { useChannelClock } from '@client/composables/useChannelClock.ts'
import { zonedTime } from '@client/i18n/format-time.ts'
import { useMessages } from '@client/i18n/messages.ts'
import type { ClockReading } from '@client/stores/situation.ts'
import { useCategories } from './useCategories.ts'

/**
 * The wall's trend and category charts for a tablet: the same option
 * builders, drawn at one CSS pixel per design pixel (the wall's unit would
 * shrink a tablet's chart text to a few pixels).
 */
export const TABLET_CHART_UNIT = 1

export function useTabletCharts(panels: () => Panels | null, clock: () => ClockReading | null) {
  const t = useMessages()
  const { categoryName } = useCategories()
  const { now } = useChannelClock(clock)
  /** Today's line stops at the channel's current 10-minute bucket. */
  const nowBucket = computed(() => {
    if (now.value === null) return 143
    const [h = 0, m = 0] = zonedTime(now.value, clock()?.state.zone ?? DEFAULT_ZONE).time.split(':').map(Number)
    return Math.floor((h * 60 + m) / 10)
  })
  const trend = computed(() => {
    const p = panels()
    return p ? trendOption(p.trend, nowBucket.value, TABLET_CHART_UNIT, t.value.trend) : null
  })
  const trendTotal = computed(() => panels()?.trend.reduce((s, p) => s + p.today, 0) ?? null)
  const categories = computed(() => {
    const p = panels()
    return p ? categoryOption(p.categories.map((c) => ({ name: categoryName(c.code), count: c.count })), TABLET_CHART_UNIT) : null
  })
  return { trend, trendTotal, categories }
}
