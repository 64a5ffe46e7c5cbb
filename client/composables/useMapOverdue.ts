import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap, Marker } from 'maplibre-gl'
import type { OverdueItem } from '@domain/protocol.ts'
import type { MapEngine } from '@client/map/engine/load-engine.ts'
import { overdueElement, overdueSpots, setOverdueCount } from '@client/map/overdue-markers.ts'

/**
 * Pulsing DOM markers for overdue items, at most MAX_OVERDUE_MARKERS. The
 * pulse is a CSS animation: the compositor runs it, the map does not redraw
 * for it, and the browser stops it by itself on a hidden page. Markers are
 * added and removed by difference and all removed on unmount.
 */
export function useMapOverdue(
  map: Readonly<ShallowRef<MapLibreMap | null>>,
  engine: Readonly<ShallowRef<MapEngine | null>>,
  ready: Readonly<Ref<boolean>>,
  items: () => readonly OverdueItem[],
  centroid: (code: string) => [number, number] | undefined,
) {
  const markers = new Map<string, { marker: Marker; el: HTMLElement }>()

  function sync() {
    const m = map.value
    const e = engine.value
    if (!m || !e || !ready.value) return
    const spots = overdueSpots(items(), centroid)
    const wanted = new Set(spots.map((s) => s.region))
    for (const [code, { marker }] of markers) {
      if (wanted.has(code)) continue
      marker.remove()
      markers.delete(code)
    }
    for (const spot of spots) {
      let entry = markers.get(spot.region)
      if (!entry) {
        const el = overdueElement()
        entry = { el, marker: e.createMarker(el).setLngLat(spot.at).addTo(m) }
        markers.set(spot.region, entry)
      }
      setOverdueCount(entry.el, spot.count)
    }
  }

  watch([items, ready], sync, { immediate: true })
  onBeforeUnmount(() => {
    for (const { marker } of markers.values()) marker.remove()
    markers.clear()
  })

  return { count: () => markers.size }
}
