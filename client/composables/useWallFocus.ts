import { computed } from 'vue'
import type { WallParams } from './useWallParams.ts'
import { useCarousel } from './useCarousel.ts'
import { useRegions } from '@client/stores/regions.ts'
import { useWallConfig } from './useWallConfig.ts'

/**
 * Which region the wall shows. Home is `?region=` or the root of the region
 * tree; with the idle carousel on (`?carousel=N`, else wall-config's
 * carouselSec) the focus tours home's children (the districts of a city)
 * in turn and comes back home.
 */
export function useWallFocus(params: () => WallParams) {
  const { collection, root, byCode } = useRegions()
  const { config } = useWallConfig()

  const base = computed(() => params().region ?? root.value?.code ?? null)
  const stops = computed(() => {
    const home = base.value
    if (!home) return []
    const children = (collection.value?.features ?? [])
      .filter((f) => f.properties.parent === home)
      .map((f) => f.properties.code)
      .sort()
    return [home, ...children]
  })
  const seconds = computed(() => params().carouselSec ?? config.value?.carouselSec ?? 0)
  const current = useCarousel(() => stops.value, () => seconds.value)

  const focus = computed(() => current.value ?? base.value)
  const focusName = computed(() => (focus.value && byCode.value.get(focus.value)?.name) || '')
  /** "2/4" while touring, else null. */
  const tour = computed(() => {
    if (!(seconds.value > 0) || stops.value.length < 2 || !focus.value) return null
    return `${stops.value.indexOf(focus.value) + 1}/${stops.value.length}`
  })

  return { collection, base, focus, focusName, tour }
}
