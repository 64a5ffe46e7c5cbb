import type { StyleSpecification } from 'maplibre-gl'

export const MAP_BACKGROUND = '#031022'

/**
 * The wall's base style: a dark background and nothing fetched. No glyphs
 * and no sprite, so the map needs no network at all (walls run on closed
 * intranets); labels are DOM markers instead of symbol layers.
 */
export function wallMapStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': MAP_BACKGROUND } }],
  }
}
