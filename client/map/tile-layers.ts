import type { LayerSpecification, SourceSpecification } from 'maplibre-gl'

/** An intranet tile server from wall-config (`MAP_TILES_URL`, `MAP_TILES_TYPE`). */
export interface TileConfig { type: 'raster' | 'vector'; url: string; attribution?: string; tileSize?: number }

export const TILE_SOURCE = 'base-tiles'

/** A template (`…/{z}/{x}/{y}.png`, a WMTS KVP URL with `{z}`) lists tiles directly; anything else is a TileJSON URL. */
function tileSource(t: TileConfig): SourceSpecification {
  const where = t.url.includes('{z}') ? { tiles: [t.url] } : { url: t.url }
  const attribution = t.attribution ? { attribution: t.attribution } : {}
  return t.type === 'raster'
    ? { type: 'raster', ...where, tileSize: t.tileSize ?? 256, ...attribution }
    : { type: 'vector', ...where, ...attribution }
}

/**
 * Vector tiles carry no style, so the wall draws the OpenMapTiles schema
 * (what tileserver-gl and most self-hosted servers serve) in its own dark
 * tones; source layers a server lacks simply draw nothing.
 */
function vectorLayers(): LayerSpecification[] {
  const s = { source: TILE_SOURCE }
  return [
    { id: 'tiles-landcover', type: 'fill', ...s, 'source-layer': 'landcover', paint: { 'fill-color': '#06213a', 'fill-opacity': 0.5 } },
    { id: 'tiles-landuse', type: 'fill', ...s, 'source-layer': 'landuse', paint: { 'fill-color': '#082640', 'fill-opacity': 0.45 } },
    { id: 'tiles-water', type: 'fill', ...s, 'source-layer': 'water', paint: { 'fill-color': '#0a2f55' } },
    { id: 'tiles-waterway', type: 'line', ...s, 'source-layer': 'waterway', paint: { 'line-color': '#0d3a66', 'line-width': 0.8 } },
    { id: 'tiles-building', type: 'fill', ...s, 'source-layer': 'building', minzoom: 13, paint: { 'fill-color': '#0c2c4c', 'fill-opacity': 0.7 } },
    {
      id: 'tiles-road', type: 'line', ...s, 'source-layer': 'transportation',
      paint: { 'line-color': '#164a75', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.3, 14, 2], 'line-opacity': 0.7 },
    },
  ]
}

/** Raster tiles (an OSM-like light map, 天地图 WMTS) are dimmed and desaturated to sit under a dark wall. */
const rasterLayers = (): LayerSpecification[] => [{
  id: 'tiles-raster', type: 'raster', source: TILE_SOURCE,
  paint: { 'raster-opacity': 0.6, 'raster-saturation': -0.7, 'raster-brightness-max': 0.45, 'raster-contrast': 0.1 },
}]

/** The source and layers of the configured tiles, drawn beneath the region layers. */
export function tileStyle(t: TileConfig): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  return { sources: { [TILE_SOURCE]: tileSource(t) }, layers: t.type === 'raster' ? rasterLayers() : vectorLayers() }
}
