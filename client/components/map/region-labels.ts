import { Marker, type Map as MapLibreMap } from 'maplibre-gl'
import type { Level, RegionCollection } from '@domain/regions.ts'
import { regionCentre } from './region-bounds.ts'

/**
 * Region names as DOM markers: the style has no glyphs (nothing may be
 * fetched), so symbol layers cannot draw text. A few dozen markers are cheap.
 * Returns the markers so the caller can remove them.
 */
export function addRegionLabels(map: MapLibreMap, regions: RegionCollection, levels: readonly Level[]): Marker[] {
  const markers: Marker[] = []
  for (const f of regions.features) {
    if (!levels.includes(f.properties.level)) continue
    const el = document.createElement('div')
    el.className = `wall-map-label wall-map-label--${f.properties.level}`
    el.textContent = f.properties.name
    markers.push(new Marker({ element: el, anchor: 'center' }).setLngLat(regionCentre(f)).addTo(map))
  }
  return markers
}
