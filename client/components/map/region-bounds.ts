import type { RegionFeature } from '@domain/regions.ts'

/** [[west, south], [east, north]] of a region's outer rings. */
export function regionBounds(feature: RegionFeature): [[number, number], [number, number]] {
  const polys = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity
  for (const [x, y] of polys.flatMap((rings) => rings[0] ?? [])) {
    w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y)
  }
  return [[w, s], [e, n]]
}

/** Centre of a region's bounding box: a fair label anchor for the (rectangular, schematic) demo regions. */
export function regionCentre(feature: RegionFeature): [number, number] {
  const [[w, s], [e, n]] = regionBounds(feature)
  return [(w + e) / 2, (s + n) / 2]
}
