/**
 * Grids of the region file as the simulator sees them: code, population,
 * polygon and an interior anchor point; random points and walking steps
 * that always stay inside the grid.
 */
import { pointInPolygon, type RegionCollection } from '../../domain/regions.ts'
import { samplePoint, type Bbox, type Rng } from './random.ts'

type Ring = [number, number][]

export interface SimGrid {
  code: string
  population: number
  polys: Ring[][]
  bbox: Bbox
  /** A known interior point: the fallback when sampling misses (thin or odd shapes). */
  anchor: [number, number]
  /** How well its district and township work, 0 (weakest) to 1 (see standing.ts). */
  standing: number
}

const METRES_PER_DEG_LAT = 111_320

/** Grid features (level 'grid') with a usable interior; the order of the file is kept for determinism. */
export function gridsOf(collection: RegionCollection, rng: Rng, standings: ReadonlyMap<string, number> = new Map()): SimGrid[] {
  const out: SimGrid[] = []
  for (const f of collection.features) {
    if (f.properties.level !== 'grid') continue
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
    for (const [x, y] of polys.flatMap((rings) => rings[0] ?? [])) {
      minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y)
    }
    const grid = { code: f.properties.code, population: f.properties.population ?? 1000, polys, bbox: [minX, minY, maxX, maxY] as const }
    const anchor = samplePoint(rng, grid.bbox, (x, y) => insideGrid(grid, x, y), 2000)
    if (anchor) out.push({ ...grid, anchor, standing: standings.get(grid.code) ?? 0.5 })
  }
  if (out.length === 0) throw new Error('the region file has no grid features (level "grid") with a usable polygon')
  return out
}

export function insideGrid(grid: Pick<SimGrid, 'polys'>, x: number, y: number): boolean {
  return grid.polys.some((rings) => pointInPolygon(x, y, rings))
}

/** A uniformly random point inside the grid. */
export function randomPointIn(rng: Rng, grid: SimGrid): [number, number] {
  return samplePoint(rng, grid.bbox, (x, y) => insideGrid(grid, x, y)) ?? grid.anchor
}

/**
 * One leg of a walk: move up to `metres` from `from` toward `to`. Returns the
 * new point, rounded and checked to lie inside the grid; a step that would
 * leave the grid (a concave edge) stays put, so the caller picks a new target.
 */
export function stepToward(grid: SimGrid, from: [number, number], to: [number, number], metres: number): [number, number] {
  const mPerDegLon = METRES_PER_DEG_LAT * Math.cos((from[1] * Math.PI) / 180)
  const dx = (to[0] - from[0]) * mPerDegLon
  const dy = (to[1] - from[1]) * METRES_PER_DEG_LAT
  const dist = Math.hypot(dx, dy)
  if (dist <= metres) return to
  const f = metres / dist
  const next: [number, number] = [round6(from[0] + (to[0] - from[0]) * f), round6(from[1] + (to[1] - from[1]) * f)]
  return insideGrid(grid, next[0], next[1]) ? next : from
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6
