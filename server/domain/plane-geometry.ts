/**
 * Plane geometry of region rings, in degrees as flat x/y: a ring's own checks
 * (closed, in range, not crossing itself), holes inside their shell, and a
 * boundary that answers whether a point lies inside it or on its border.
 */
import RBush from 'rbush'
import type { RegionFeature } from './regions.ts'

export type Position = [number, number]
export type Ring = Position[]
export type Geometry = RegionFeature['geometry']

/** How far, in degrees, a vertex may lie outside the ring that should hold it. */
export const DEFAULT_TOLERANCE = 1e-7

/** A feature's geometry reduced to [lon, lat] positions, or the problems that make it unusable. */
export function checkGeometry(g: unknown, tolerance = DEFAULT_TOLERANCE): { geometry?: Geometry; problems: string[] } {
  if (!isObject(g) || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    return { problems: [`geometry is ${isObject(g) ? String(g.type) : 'missing'}; expected a Polygon or MultiPolygon`] }
  }
  const multi = g.type === 'MultiPolygon'
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return { problems: [`${g.type} has no coordinates`] }
  const problems: string[] = []
  const polys: Ring[][] = []
  for (const [pi, poly] of (multi ? g.coordinates : [g.coordinates]).entries()) {
    const at = (ri: number) => `${multi ? `polygon ${pi} ` : ''}ring ${ri}${ri === 0 ? ' (shell)' : ' (hole)'}`
    if (!Array.isArray(poly) || poly.length === 0) { problems.push(`${multi ? `polygon ${pi}` : 'the polygon'} has no rings`); continue }
    const rings = poly.map((r: unknown, ri: number) => checkRing(r, at(ri), problems))
    const [shell, ...holes] = rings
    if (shell) {
      const boundary = new Boundary([[shell]])
      holes.forEach((h, hi) => {
        const k = h ? h.findIndex(([x, y]) => !boundary.covers(x, y, tolerance)) : -1
        if (k >= 0) problems.push(`${at(hi + 1)} has position ${k} ${fmt(h![k]!)} outside its shell; holes must lie inside ring 0 of their polygon`)
      })
    }
    if (rings.every(Boolean)) polys.push(rings as Ring[])
  }
  if (problems.length > 0) return { problems }
  const geometry: Geometry = multi ? { type: 'MultiPolygon', coordinates: polys } : { type: 'Polygon', coordinates: polys[0]! }
  return { geometry, problems }
}

function checkRing(raw: unknown, at: string, problems: string[]): Ring | undefined {
  if (!Array.isArray(raw)) return void problems.push(`${at} is not an array of positions`)
  const ring: Ring = []
  for (const [k, p] of raw.entries()) {
    if (!Array.isArray(p) || p.length < 2 || !p.slice(0, 2).every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return void problems.push(`${at} position ${k} is ${JSON.stringify(p)}, not a [lon, lat] pair of finite numbers`)
    }
    const [x, y] = p as number[] as Position
    if (Math.abs(x) > 180 || Math.abs(y) > 90) {
      const swapped = Math.abs(x) <= 90 && Math.abs(y) <= 180 ? ' (it looks like [lat, lon]; GeoJSON wants [lon, lat])' : ''
      return void problems.push(`${at} position ${k} ${fmt([x, y])} is out of range: lon −180…180, lat −90…90${swapped}`)
    }
    ring.push([x, y])
  }
  if (ring.length < 4) return void problems.push(`${at} has ${ring.length} positions; a ring needs at least 4 (3 corners, then the first again)`)
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return void problems.push(`${at} is not closed: it starts at ${fmt(first)} but ends at ${fmt(last)}; repeat the first position at the end`)
  }
  const pts = ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1]![0] || p[1] !== ring[i - 1]![1])
  if (pts.length < 4) return void problems.push(`${at} has fewer than 3 distinct corners`)
  const cross = selfIntersection(pts)
  if (cross) return void problems.push(`${at} intersects itself near ${fmt(cross.at)} (edges ${cross.i} and ${cross.j}); fix the ring, e.g. with mapshaper -clean or ST_MakeValid`)
  return ring
}

/**
 * First crossing or touch between two edges of a closed ring (no repeated consecutive positions).
 * A sweep over edges sorted by west end: near O(n log n) on real boundaries, O(n²) at worst.
 */
export function selfIntersection(pts: Ring): { at: Position; i: number; j: number } | undefined {
  const m = pts.length - 1
  const west = Float64Array.from({ length: m }, (_, k) => Math.min(pts[k]![0], pts[k + 1]![0]))
  const order = Array.from({ length: m }, (_, k) => k).sort((a, b) => west[a]! - west[b]!)
  for (let a = 0; a < m; a++) {
    const east = Math.max(pts[order[a]!]![0], pts[order[a]! + 1]![0])
    for (let b = a + 1; b < m && west[order[b]!]! <= east; b++) {
      const [i, j] = [Math.min(order[a]!, order[b]!), Math.max(order[a]!, order[b]!)]
      const [p, q, r, s] = [pts[i]!, pts[i + 1]!, pts[j]!, pts[j + 1]!]
      if (Math.max(p[1], q[1]) < Math.min(r[1], s[1]) || Math.min(p[1], q[1]) > Math.max(r[1], s[1])) continue
      const hit = j === i + 1 ? foldBack(p, q, s) : i === 0 && j === m - 1 ? foldBack(r, p, q) : crossing(p, q, r, s)
      if (hit) return { at: hit, i, j }
    }
  }
  return undefined
}

const orient = (a: Position, b: Position, c: Position): number => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
const onSegment = (a: Position, b: Position, p: Position): boolean =>
  orient(a, b, p) === 0 && Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1])

/** Adjacent edges a→b→c overlap only when c turns straight back along b→a. */
function foldBack(a: Position, b: Position, c: Position): Position | undefined {
  return orient(a, b, c) === 0 && (a[0] - b[0]) * (c[0] - b[0]) + (a[1] - b[1]) * (c[1] - b[1]) > 0 ? b : undefined
}

/** Where segments pq and rs meet (cross or touch), if they do. */
function crossing(p: Position, q: Position, r: Position, s: Position): Position | undefined {
  const [d1, d2, d3, d4] = [orient(r, s, p), orient(r, s, q), orient(p, q, r), orient(p, q, s)]
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2)
    return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]
  }
  return [p, q].find((x) => onSegment(r, s, x)) ?? [r, s].find((x) => onSegment(p, q, x))
}

interface Segment { minX: number; minY: number; maxX: number; maxY: number; a: Position; b: Position }

/** The rings of one or more polygons, with an R-tree of their edges for point queries. */
export class Boundary {
  private readonly tree = new RBush<Segment>()

  constructor(polys: Ring[][]) {
    const segs: Segment[] = []
    for (const ring of polys.flat()) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const [a, b] = [ring[k]!, ring[k + 1]!]
        segs.push({ minX: Math.min(a[0], b[0]), minY: Math.min(a[1], b[1]), maxX: Math.max(a[0], b[0]), maxY: Math.max(a[1], b[1]), a, b })
      }
    }
    this.tree.load(segs)
  }

  /** Inside (even-odd over every ring), or within `tol` of an edge. */
  covers(x: number, y: number, tol: number): boolean {
    if (this.tree.search({ minX: x - tol, minY: y - tol, maxX: x + tol, maxY: y + tol }).some((s) => segmentDistance(x, y, s.a, s.b) <= tol)) return true
    let inside = false
    for (const { a, b } of this.tree.search({ minX: x, minY: y, maxX: Infinity, maxY: y })) {
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside
    }
    return inside
  }

  /** Distance from the point to the nearest edge (a linear scan: only used for messages). */
  distance(x: number, y: number): number {
    return this.tree.all().reduce((d, s) => Math.min(d, segmentDistance(x, y, s.a, s.b)), Infinity)
  }
}

/** Euclidean distance in degrees from (x, y) to the segment ab. */
export function segmentDistance(x: number, y: number, a: Position, b: Position): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]]
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - a[0]) * dx + (y - a[1]) * dy) / len2))
  return Math.hypot(x - (a[0] + t * dx), y - (a[1] + t * dy))
}

export const polygonsOf = (g: Geometry): Ring[][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
export const fmt = (p: Position): string => `[${p[0]}, ${p[1]}]`
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
