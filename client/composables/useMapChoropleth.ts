import { watch, type Ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { choroplethFill, type ChoroplethScale } from '@client/map/choropleth-scale.ts'
import { CHOROPLETH_LAYER, REGION_SOURCE } from '@client/map/region-layers.ts'

/**
 * The choropleth as feature-state on the region source, which was sent once:
 * a KPI push writes only the children whose value changed, a new colour
 * domain is one paint property, and a new set of children one filter.
 */
export function useMapChoropleth(
  map: Readonly<ShallowRef<MapLibreMap | null>>,
  ready: Readonly<Ref<boolean>>,
  values: () => ReadonlyMap<string, number | null>,
  scale: () => ChoroplethScale | null,
) {
  const sent = new Map<string, number | null>()
  let shown = ''

  function syncValues() {
    const m = map.value
    if (!m || !ready.value) return
    const next = values()
    for (const [code, value] of next) {
      if (sent.has(code) && sent.get(code) === value) continue
      m.setFeatureState({ source: REGION_SOURCE, id: code }, { value })
      sent.set(code, value)
    }
    for (const code of sent.keys()) {
      if (next.has(code)) continue
      m.removeFeatureState({ source: REGION_SOURCE, id: code }, 'value')
      sent.delete(code)
    }
    const codes = [...next.keys()]
    const key = codes.join()
    if (key !== shown) {
      shown = key
      m.setFilter(CHOROPLETH_LAYER, ['in', ['get', 'code'], ['literal', codes]])
    }
  }

  function syncPaint() {
    const m = map.value
    const s = scale()
    if (!m || !ready.value) return
    m.setPaintProperty(CHOROPLETH_LAYER, 'fill-color', s ? choroplethFill(s) : 'rgba(0, 0, 0, 0)')
  }

  watch([values, ready], syncValues, { immediate: true })
  // compared by content: a KPI push that keeps min and max leaves the paint alone
  watch(() => (ready.value ? JSON.stringify(scale()) : ''), syncPaint, { immediate: true })

  return {
    /** The feature-state of a region (tests, debugging). */
    stateOf: (code: string): Record<string, unknown> | null => map.value?.getFeatureState({ source: REGION_SOURCE, id: code }) ?? null,
  }
}
