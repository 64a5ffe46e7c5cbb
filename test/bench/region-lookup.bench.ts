// Point-in-region lookups per second: RegionIndex.locate (R-tree of bounding boxes, then
// point-in-polygon) against a linear scan over every grid polygon. Seeded random points in the
// root's bounding box; prints a table and a ratio, asserts nothing.
//
//   npx tsx test/bench/region-lookup.bench.ts [region file]   (default: the demo file)
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RegionIndex, pointInPolygon, type RegionCollection, type RegionProps } from '../../server/domain/regions.ts'
import { mulberry32 } from '../../server/domain/seeded-random.ts'

const FILE = process.argv[2] ?? fileURLToPath(new URL('../../config/regions/650400-turpan.geojson', import.meta.url))
const INDEXED_LOOKUPS = 200_000
const NAIVE_LOOKUPS = 10_000
const SEED = 0x650400


const fc = JSON.parse(readFileSync(FILE, 'utf8')) as RegionCollection
const index = new RegionIndex(fc)
const grids = fc.features
  .filter((f) => f.properties.level === 'grid')
  .map((f) => ({ region: f.properties, polys: f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates }))

const rootFeature = fc.features.find((f) => f.properties.code === index.root.code)!
const rootPositions = (rootFeature.geometry.type === 'Polygon' ? [rootFeature.geometry.coordinates] : rootFeature.geometry.coordinates).flat(2)
const [west, south] = [Math.min(...rootPositions.map((p) => p[0])), Math.min(...rootPositions.map((p) => p[1]))]
const [east, north] = [Math.max(...rootPositions.map((p) => p[0])), Math.max(...rootPositions.map((p) => p[1]))]

function points(n: number): Float64Array {
  const rnd = mulberry32(SEED)
  const xy = new Float64Array(2 * n)
  for (let k = 0; k < n; k++) {
    xy[2 * k] = west + rnd() * (east - west)
    xy[2 * k + 1] = south + rnd() * (north - south)
  }
  return xy
}

/** The grid containing the point, by testing every grid polygon in turn (stops at the first hit). */
function naiveLocate(lon: number, lat: number): RegionProps | undefined {
  for (const g of grids) if (g.polys.some((rings) => pointInPolygon(lon, lat, rings))) return g.region
  return undefined
}

function run(name: string, locate: (lon: number, lat: number) => RegionProps | undefined, xy: Float64Array) {
  const n = xy.length / 2
  for (let k = 0; k < Math.min(n, 2_000); k++) locate(xy[2 * k]!, xy[2 * k + 1]!) // warm up the JIT
  const found: (string | undefined)[] = new Array(n)
  let inGrid = 0
  const start = performance.now()
  for (let k = 0; k < n; k++) {
    const hit = locate(xy[2 * k]!, xy[2 * k + 1]!)
    found[k] = hit?.level === 'grid' ? hit.code : undefined
    if (found[k]) inGrid++
  }
  const ms = performance.now() - start
  return { name, n, ms, perSecond: (n / ms) * 1000, hitRate: inGrid / n, found }
}

const indexed = run('RegionIndex.locate (R-tree)', (x, y) => index.locate(x, y), points(INDEXED_LOOKUPS))
const naive = run('linear scan over grid polygons', naiveLocate, points(NAIVE_LOOKUPS))
// Same seed, so the naive points are the first indexed points: the two must agree on every one.
const agree = naive.found.filter((code, k) => code === indexed.found[k]).length

const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
console.log(`region lookup: ${relative(process.cwd(), FILE)}`)
console.log(`${index.size} regions, ${grids.length} grids; points uniform in the root's bbox [${west}, ${south}, ${east}, ${north}], seed 0x${SEED.toString(16)}\n`)
const rows = [['method', 'lookups', 'ms', 'lookups/s', 'in a grid'], ...[indexed, naive].map((r) => [
  r.name, fmt(r.n), fmt(r.ms, 1), fmt(r.perSecond), `${fmt(r.hitRate * 100, 1)}%`,
])]
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)))
for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '))
console.log(`\nspeed ratio, R-tree / linear scan: ${fmt(indexed.perSecond / naive.perSecond, 1)}×; same grid (or none) on ${agree}/${naive.n} shared points`)
