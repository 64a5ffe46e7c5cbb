/**
 * A point well inside a region, derived from its geometry (no hard-coded coordinates): on the
 * horizontal line through the middle of its largest polygon, the middle of the widest stretch
 * that lies inside. Independent of pointInPolygon, so tests of the lookup can use it.
 */
type Ring = [number, number][]
export interface PolygonGeometry { type: 'Polygon'; coordinates: Ring[] }
export interface MultiPolygonGeometry { type: 'MultiPolygon'; coordinates: Ring[][] }

const shellArea = (r: Ring): number => Math.abs(r.reduce((a, [x0, y0], i) => { const [x1, y1] = r[(i + 1) % r.length]!; return a + x0 * y1 - x1 * y0 }, 0)) / 2

export function interiorPoint(g: PolygonGeometry | MultiPolygonGeometry): [number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  const rings = polys.reduce((best, p) => (shellArea(p[0]!) > shellArea(best[0]!) ? p : best))
  const ys = rings[0]!.map((p) => p[1])
  const y = Math.min(...ys) + (Math.max(...ys) - Math.min(...ys)) * 0.5003 // off any vertex row
  const xs: number[] = []
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [[x0, y0], [x1, y1]] = [ring[i]!, ring[i + 1]!]
      if (y0 > y !== y1 > y) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0))
    }
  }
  xs.sort((a, b) => a - b)
  let best: [number, number] = [NaN, y]
  let width = -1
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1]! - xs[i]! > width) { width = xs[i + 1]! - xs[i]!; best = [(xs[i]! + xs[i + 1]!) / 2, y] }
  }
  if (width <= 0) throw new Error('no interior stretch found')
  return best
}
