import type { ExpressionSpecification, FilterSpecification, Map as MapLibreMap } from 'maplibre-gl'
import type { Level, RegionCollection } from '@domain/regions.ts'

export const REGION_SOURCE = 'regions'
export const CHOROPLETH_LAYER = 'region-choropleth'
export const TOWNSHIP_FILL_LAYER = 'region-township-fill'
const ROOT_LAYERS = ['region-root-glow', 'region-root-line'] as const

const isRegion = (code: string): FilterSpecification => ['==', ['get', 'code'], code]

/**
 * Region polygons as background for the wall: township areas lightly filled,
 * the choropleth over the focused region's children, village, township and
 * district borders in rising weight, and the focused region outlined with a
 * glow. The source is sent once and keyed by region code (`promoteId`): the
 * choropleth lives in feature-state, so KPI changes never re-send geometry.
 */
export function addRegionLayers(map: MapLibreMap, regions: RegionCollection, focus: string) {
  map.addSource(REGION_SOURCE, { type: 'geojson', data: regions, promoteId: 'code' })
  const level = (l: Level): ExpressionSpecification => ['==', ['get', 'level'], l]
  map.addLayer({
    id: TOWNSHIP_FILL_LAYER, type: 'fill', source: REGION_SOURCE, filter: level('township'),
    paint: { 'fill-color': '#0b3d6b', 'fill-opacity': 0.32 },
  })
  // colour and filter are set by the choropleth once values arrive
  map.addLayer({
    id: CHOROPLETH_LAYER, type: 'fill', source: REGION_SOURCE, filter: ['boolean', false],
    paint: { 'fill-color': 'rgba(0, 0, 0, 0)', 'fill-opacity': 0.3 },
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
  map.addLayer({
    id: 'region-root-glow', type: 'line', source: REGION_SOURCE, filter: isRegion(focus),
    paint: { 'line-color': '#38bdf8', 'line-width': 10, 'line-blur': 8, 'line-opacity': 0.45 },
  })
  map.addLayer({
    id: 'region-root-line', type: 'line', source: REGION_SOURCE, filter: isRegion(focus),
    paint: { 'line-color': '#9be7ff', 'line-width': 2.2 },
  })
}

/** Outline another region as the focused one. */
export function outlineRegion(map: MapLibreMap, code: string) {
  for (const id of ROOT_LAYERS) map.setFilter(id, isRegion(code))
}
