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

/** Centre of a region's bounding box (a fallback: on irregular shapes it may fall outside). */
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

const LABEL_ROWS = 9

/**
 * Where a region's name goes: the middle of the widest stretch inside its largest polygon, over a
 * few horizontal rows (rows near the middle win ties). Always inside the shape, unlike the bbox
 * centre or the centroid of a concave region.
 */
export function labelPoint(feature: RegionFeature): [number, number] {
  const polys = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates
  const rings = polys.reduce((best, p) => (ringCentroid(p[0] ?? []).area > ringCentroid(best[0] ?? []).area ? p : best))
  const ys = (rings[0] ?? []).map((p) => p[1])
  const [s, n] = [Math.min(...ys), Math.max(...ys)]
  let best: [number, number] | null = null
  let bestScore = 0
  for (let k = 1; k <= LABEL_ROWS; k++) {
    const y = s + ((n - s) * (k - 0.0001)) / (LABEL_ROWS + 1)
    const xs: number[] = []
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const [[x0, y0], [x1, y1]] = [ring[i]!, ring[i + 1]!]
        if (y0 > y !== y1 > y) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0))
      }
    }
    xs.sort((a, b) => a - b)
    const centrality = 1 - Math.abs(k / (LABEL_ROWS + 1) - 0.5)
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const score = (xs[i + 1]! - xs[i]!) * centrality
      if (score > bestScore) { bestScore = score; best = [(xs[i]! + xs[i + 1]!) / 2, y] }
    }
  }
  return best ?? regionCentre(feature)
}
