import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap, PaddingOptions } from 'maplibre-gl'
import { LEVELS, type RegionCollection, type RegionFeature } from '@domain/regions.ts'
import type { MapEngine } from '@client/map/engine/load-engine.ts'
import { regionBounds } from '@client/map/region-bounds.ts'
import { LABELLED_LEVELS, regionLabels, type RegionLabels } from '@client/map/region-labels.ts'
import { outlineRegion } from '@client/map/region-layers.ts'

const FLY_MS = 1600

/**
 * Follow the focused region (idle carousel, drill-down): fly to its bounds,
 * outline it, and name its children besides the districts and townships.
 */
export function useMapFocus(
  map: Readonly<ShallowRef<MapLibreMap | null>>,
  engine: Readonly<ShallowRef<MapEngine | null>>,
  ready: Readonly<Ref<boolean>>,
  regions: () => RegionCollection,
  focus: () => RegionFeature | undefined,
  padding: PaddingOptions,
) {
  let labels: RegionLabels | null = null
  let framed: string | undefined

  /** Labels most important first: the focus's children, then by level (district first), then by population. */
  function named(f: RegionFeature | undefined): RegionFeature[] {
    const code = f?.properties.code
    const rank = (r: RegionFeature) => (r.properties.parent === code ? -1 : LEVELS.indexOf(r.properties.level))
    return regions().features
      .filter((r) => LABELLED_LEVELS.includes(r.properties.level) || (code && r.properties.parent === code))
      .sort((a, b) => rank(a) - rank(b) || (b.properties.population ?? 0) - (a.properties.population ?? 0))
  }

  // The panel can change size without the window (layout, fonts, a banner): keep the region filling it.
  let observer: ResizeObserver | null = null
  let lastSize = ''
  function refit() {
    const m = map.value
    const f = focus()
    if (!m || !f) return
    const el = m.getContainer()
    const size = `${el.clientWidth}x${el.clientHeight}`
    if (size === lastSize) return
    lastSize = size
    m.resize()
    m.fitBounds(regionBounds(f), { padding, duration: 0 })
  }

  watch([focus, ready], ([f, isReady]) => {
    const m = map.value
    const e = engine.value
    if (!m || !e || !isReady || !f) return
    labels ??= regionLabels(e, m)
    if (!observer && typeof ResizeObserver !== 'undefined') {
      const el = m.getContainer()
      lastSize = `${el.clientWidth}x${el.clientHeight}`
      observer = new ResizeObserver(refit)
      observer.observe(el)
    }
    labels.show(named(f))
    outlineRegion(m, f.properties.code)
    // the first framing is instant (the focus may have moved while the map loaded), later ones fly
    if (framed !== f.properties.code) m.fitBounds(regionBounds(f), { padding, duration: framed === undefined ? 0 : FLY_MS })
    framed = f.properties.code
  }, { immediate: true })

  onBeforeUnmount(() => {
    observer?.disconnect()
    labels?.remove()
  })

  return { labelCount: () => labels?.count() ?? 0, visibleLabels: () => labels?.visibleCount() ?? 0 }
}
