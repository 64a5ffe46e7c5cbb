import type { StyleSpecification } from 'maplibre-gl'
import { tileStyle, type TileConfig } from './tile-layers.ts'

export const MAP_BACKGROUND = '#031022'

/**
 * The wall's base style: a dark background and, only when wall-config names
 * an intranet tile server, its tiles. No glyphs and no sprite, so without
 * tiles the map fetches nothing at all (walls run on closed intranets);
 * labels are DOM markers instead of symbol layers.
 */
export function wallMapStyle(tiles?: TileConfig): StyleSpecification {
  const base = tiles ? tileStyle(tiles) : { sources: {}, layers: [] }
  return {
    version: 8,
    sources: base.sources,
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_BACKGROUND } }, ...base.layers],
  }
}
