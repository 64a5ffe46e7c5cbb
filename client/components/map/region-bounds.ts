import type { RegionFeature } from '@domain/regions.ts'

type Ring = [number, number][]

const outerRings = (feature: RegionFeature): Ring[] =>
  (feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates).map((rings) => rings[0] ?? [])

/** [[west, south], [east, north]] of a region's outer rings. */
export function regionBounds(feature: RegionFeature): [[number, number], [number, number]] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity
  for (const [x, y] of outerRings(feature).flat()) {
    w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y)
  }
  return [[w, s], [e, n]]
}

/** Centre of a region's bounding box: a fair label anchor for the (rectangular, schematic) demo regions. */
export function regionCentre(feature: RegionFeature): [number, number] {
  const [[w, s], [e, n]] = regionBounds(feature)
  return [(w + e) / 2, (s + n) / 2]
}

/** Signed area (shoelace) and area-weighted centroid of one ring. */
function ringCentroid(ring: Ring): { area: number; x: number; y: number } {
  let a = 0, cx = 0, cy = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!
    const [xj, yj] = ring[j]!
    const f = xj * yi - xi * yj
    a += f
    cx += (xj + xi) * f
    cy += (yj + yi) * f
  }
  return a === 0 ? { area: 0, x: NaN, y: NaN } : { area: Math.abs(a / 2), x: cx / (3 * a), y: cy / (3 * a) }
}

/**
 * Centroid of a region's largest polygon: where a marker for "something in
 * this grid" belongs on real (irregular) boundaries. Falls back to the
 * bounding-box centre for a degenerate ring.
 */
export function regionCentroid(feature: RegionFeature): [number, number] {
  let best = { area: 0, x: NaN, y: NaN }
  for (const ring of outerRings(feature)) {
    const c = ringCentroid(ring)
    if (c.area > best.area) best = c
  }
  return Number.isFinite(best.x) && Number.isFinite(best.y) ? [best.x, best.y] : regionCentre(feature)
}
