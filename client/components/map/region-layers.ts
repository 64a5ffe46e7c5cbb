import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl'
import type { Level, RegionCollection } from '@domain/regions.ts'

export const REGION_SOURCE = 'regions'

/**
 * Region polygons as background for the wall: township areas lightly filled,
 * village, township and district borders in rising weight, and the root
 * region outlined with a glow. Features are keyed by region code
 * (`promoteId`), so a later choropleth can use feature-state without
 * re-sending the geometry.
 */
export function addRegionLayers(map: MapLibreMap, regions: RegionCollection, root: string) {
  map.addSource(REGION_SOURCE, { type: 'geojson', data: regions, promoteId: 'code' })
  const level = (l: Level): ExpressionSpecification => ['==', ['get', 'level'], l]
  map.addLayer({
    id: 'region-township-fill', type: 'fill', source: REGION_SOURCE, filter: level('township'),
    paint: { 'fill-color': '#0b3d6b', 'fill-opacity': 0.32 },
  })
  map.addLayer({
    id: 'region-village-line', type: 'line', source: REGION_SOURCE, filter: level('village'),
    paint: { 'line-color': '#1f5b8c', 'line-width': 0.4, 'line-opacity': 0.45 },
  })
  map.addLayer({
    id: 'region-township-line', type: 'line', source: REGION_SOURCE, filter: level('township'),
    paint: { 'line-color': '#2f86c4', 'line-width': 0.9, 'line-opacity': 0.8 },
  })
  map.addLayer({
    id: 'region-district-line', type: 'line', source: REGION_SOURCE, filter: level('district'),
    paint: { 'line-color': '#56c8ff', 'line-width': 1.8 },
  })
  const isRoot: ExpressionSpecification = ['==', ['get', 'code'], root]
  map.addLayer({
    id: 'region-root-glow', type: 'line', source: REGION_SOURCE, filter: isRoot,
    paint: { 'line-color': '#38bdf8', 'line-width': 10, 'line-blur': 8, 'line-opacity': 0.45 },
  })
  map.addLayer({
    id: 'region-root-line', type: 'line', source: REGION_SOURCE, filter: isRoot,
    paint: { 'line-color': '#9be7ff', 'line-width': 2.2 },
  })
}
