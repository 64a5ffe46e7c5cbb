// Seeded Voronoi partition of a (multi)polygon into n child cells for generate.ts. Every child is
// its Voronoi cell intersected with the parent (polygon-clipping), so children tile the parent and
// nest inside it exactly; coordinates are rounded to 1e-6° (0.1 m) only where the rounded point stays
// inside the parent (positions on the parent's border keep full precision).

import polygonClipping from 'polygon-clipping'
import { pointInPolygon } from '../../server/domain/regions.ts'

export type Pt = [number, number]
/** MultiPolygon coordinates: polygons → rings (0: shell, then holes) → closed positions. */
export type Geom = Pt[][][]
type Rng = () => number

const LLOYD_ROUNDS = 3
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6

export function bboxOf(g: Geom): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [x, y] of g.flatMap((poly) => poly[0] ?? [])) { w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y) }
  return [w, s, e, n]
}

export const inside = (g: Geom, [x, y]: Pt): boolean => g.some((rings) => pointInPolygon(x, y, rings))

function randomInside(rng: Rng, g: Geom): Pt {
  const [w, s, e, n] = bboxOf(g)
  for (let k = 0; k < 100_000; k++) {
    const p: Pt = [w + (e - w) * rng(), s + (n - s) * rng()]
    if (inside(g, p)) return p
  }
  throw new Error('could not place a seed inside a polygon')
}

/** Area-weighted centroid of the largest polygon (shell only). */
function centroid(g: Geom): Pt {
  let best: Pt = [0, 0]
  let bestArea = 0
  for (const [shell] of g) {
    let a = 0, cx = 0, cy = 0
    for (let i = 0; i + 1 < shell!.length; i++) {
      const [x0, y0] = shell![i]!
      const [x1, y1] = shell![i + 1]!
      const c = x0 * y1 - x1 * y0
      a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c
    }
    if (Math.abs(a) > bestArea) { bestArea = Math.abs(a); best = [cx / (3 * a), cy / (3 * a)] }
  }
  return best
}

/** Convex Voronoi cell of seeds[i] inside box (half-plane clipping; lon scaled by cos(lat)). */
function voronoiCell(seeds: Pt[], i: number, box: [number, number, number, number], k: number): Pt[] {
  const [w, s, e, n] = box
  let poly: Pt[] = [[w * k, s], [e * k, s], [e * k, n], [w * k, n]]
  const [px, py] = [seeds[i]![0] * k, seeds[i]![1]]
  seeds.forEach(([qx0, qy], j) => {
    if (j === i || poly.length === 0) return
    const qx = qx0 * k
    // Keep points closer to p than to q: (q−p)·x ≤ (|q|²−|p|²)/2.
    const [a, b, c] = [qx - px, qy - py, (qx * qx + qy * qy - px * px - py * py) / 2]
    const f = ([x, y]: Pt): number => a * x + b * y - c
    const out: Pt[] = []
    poly.forEach((cur, m) => {
      const prev = poly[(m + poly.length - 1) % poly.length]!
      const [fc, fp] = [f(cur), f(prev)]
      if (fc <= 0) {
        if (fp > 0) out.push(cut(prev, cur, fp, fc))
        out.push(cur)
      } else if (fp <= 0) out.push(cut(prev, cur, fp, fc))
    })
    poly = out
  })
  return poly.map(([x, y]): Pt => [x / k, y])
}

const cut = (a: Pt, b: Pt, fa: number, fb: number): Pt => {
  const t = fa / (fa - fb)
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
}

function cellsOf(parent: Geom, seeds: Pt[]): Geom[] {
  const [w, s, e, n] = bboxOf(parent)
  const pad = Math.max(e - w, n - s)
  const box: [number, number, number, number] = [w - pad, s - pad, e + pad, n + pad]
  const k = Math.cos((((s + n) / 2) * Math.PI) / 180)
  return seeds.map((_, i) => {
    const cell = voronoiCell(seeds, i, box, k)
    const piece = polygonClipping.intersection([[...cell, cell[0]!]], parent) as Geom
    if (piece.length === 0) throw new Error('a Voronoi cell missed its parent polygon')
    return piece
  })
}

/** Round a child's positions where that keeps them inside the parent; drop rings that collapse. */
function roundWithin(child: Geom, parent: Geom): Geom {
  const out: Geom = []
  for (const rings of child) {
    const rounded = rings.map((ring) => {
      const r: Pt[] = []
      for (const p of ring) {
        const q: Pt = [round6(p[0]), round6(p[1])]
        const use = q[0] === p[0] && q[1] === p[1] ? p : inside(parent, q) ? q : p
        const last = r[r.length - 1]
        if (!last || last[0] !== use[0] || last[1] !== use[1]) r.push(use)
      }
      return r
    })
    if ((rounded[0]?.length ?? 0) >= 4) out.push(rounded.filter((r) => r.length >= 4))
  }
  if (out.length === 0) throw new Error('a child cell collapsed when rounded')
  return out
}

/**
 * Split `parent` into `n` cells: seeded points (or the given fixed ones) moved by a few Lloyd rounds
 * toward their cells' centroids, so cells look like even, irregular districts rather than noise.
 */
export function voronoiPartition(parent: Geom, n: number, rng: Rng, fixed: (Pt | undefined)[] = []): Geom[] {
  if (n === 1) return [parent]
  let seeds = Array.from({ length: n }, (_, i) => fixed[i] ?? randomInside(rng, parent))
  for (let round = 0; round < LLOYD_ROUNDS; round++) {
    const cells = cellsOf(parent, seeds)
    seeds = seeds.map((p, i) => {
      if (fixed[i]) return p
      const c = centroid(cells[i]!)
      return inside(parent, c) ? c : p
    })
  }
  return cellsOf(parent, seeds).map((c) => roundWithin(c, parent))
}
