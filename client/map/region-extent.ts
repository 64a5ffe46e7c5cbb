import type { Map as MapLibreMap } from 'maplibre-gl'

export interface PageRect { left: number; top: number; right: number; bottom: number }

/**
 * The page rectangle that the drawn township polygons cover, clipped to the map: what tests
 * check "the region fills the panel" against. `scale` is the stage's CSS pixels per map pixel.
 */
export function renderedRegionExtent(map: MapLibreMap, layer: string, scale: number): PageRect | null {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const f of map.queryRenderedFeatures(undefined, { layers: [layer] })) {
    const g = f.geometry
    const rings = g.type === 'Polygon' ? g.coordinates : g.type === 'MultiPolygon' ? g.coordinates.flat() : []
    for (const [lng, lat] of rings.flat()) {
      const p = map.project([lng!, lat!])
      x0 = Math.min(x0, p.x); x1 = Math.max(x1, p.x); y0 = Math.min(y0, p.y); y1 = Math.max(y1, p.y)
    }
  }
  if (x0 > x1) return null
  const el = map.getContainer()
  const r = el.getBoundingClientRect()
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi)
  const [w, h] = [el.clientWidth, el.clientHeight]
  return { left: r.left + clamp(x0, w) * scale, top: r.top + clamp(y0, h) * scale, right: r.left + clamp(x1, w) * scale, bottom: r.top + clamp(y1, h) * scale }
}
