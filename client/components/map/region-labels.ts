import type { Map as MapLibreMap, Marker } from 'maplibre-gl'
import type { Level, RegionFeature } from '@domain/regions.ts'
import type { MapEngine } from './engine/load-engine.ts'
import { regionCentre } from './region-bounds.ts'

/** Levels named everywhere; the focused region's children are named besides (its villages, its grids). */
export const LABELLED_LEVELS: readonly Level[] = ['district', 'township']

export interface RegionLabels {
  /** Name exactly these regions: new ones get a marker, missing ones lose theirs. */
  show(features: readonly RegionFeature[]): void
  count(): number
  remove(): void
}

/**
 * Region names as DOM markers: the style has no glyphs (nothing may be
 * fetched), so symbol layers cannot draw text. A few dozen markers are cheap;
 * a change of focus adds and removes only the difference.
 */
export function regionLabels(engine: MapEngine, map: MapLibreMap): RegionLabels {
  const markers = new Map<string, Marker>()
  return {
    show(features) {
      const wanted = new Set(features.map((f) => f.properties.code))
      for (const [code, marker] of markers) {
        if (wanted.has(code)) continue
        marker.remove()
        markers.delete(code)
      }
      for (const f of features) {
        if (markers.has(f.properties.code)) continue
        const el = document.createElement('div')
        el.className = `wall-map-label wall-map-label--${f.properties.level}`
        el.textContent = f.properties.name
        markers.set(f.properties.code, engine.createMarker(el).setLngLat(regionCentre(f)).addTo(map))
      }
    },
    count: () => markers.size,
    remove() {
      for (const m of markers.values()) m.remove()
      markers.clear()
    },
  }
}
