// Deterministic generator for the 吐鲁番市 demo region file.
//
//   npx tsx config/regions/generate.ts [out.geojson]     (or: npm run regions:generate)
//
// Writes config/regions/650400-turpan.geojson: one compact FeatureCollection with every unit from
// city down to 网格, parents before children. Names/codes of city, 区县 and 乡级 units are real
// (see ./turpan-divisions.ts); 村/社区, 网格 and populations are generated. The three 区县 have
// their real outlines (./district-outlines.ts; AMap-derived, see README.md) and the city is their
// union; 乡级, 村级 and 网格 boundaries are SCHEMATIC: seeded Voronoi cells clipped to their parent
// (./voronoi-cells.ts), so every child nests inside its parent and siblings tile it.
// No network, no Math.random: same input → byte-identical output.

import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import polygonClipping from 'polygon-clipping'
import { mulberry32 } from '../../server/domain/seeded-random.ts'
import { districtOutlines } from './district-outlines.ts'
import { inside, voronoiPartition, type Geom, type Pt } from './voronoi-cells.ts'
import {
  CITY, COMMUNITY_STEMS, DISTRICTS, ORDINALS, VILLAGE_STEMS,
  type TownshipKind, type TownshipRow,
} from './turpan-divisions.ts'

export type Level = 'city' | 'district' | 'township' | 'village' | 'grid'

interface Unit {
  code: string
  name: string
  level: Level
  parent: string | null
  population: number // demo estimate (city/district: sum of children)
  children: Unit[]
  geom?: Geom
}

const SEED = 0x650400
const OUT = process.argv[2] ?? fileURLToPath(new URL('./650400-turpan.geojson', import.meta.url))
// Shown in the map's footer: short, so it stays on one line of a wall's map panel.
const ATTRIBUTION = '区划代码：国家统计局统计用区划代码 · 区县边界 © 高德地图 · 乡镇及以下边界为示意图'

const rng = mulberry32(SEED)
/** A second stream for geometry, so names and populations (drawn from `rng`) stay as they were. */
const geoRng = mulberry32(SEED + 1)

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))
const at = <T>(xs: readonly T[], i: number): T => {
  const x = xs[i]
  if (x === undefined) throw new Error(`index ${i} out of range (${xs.length})`)
  return x
}

/** Deterministic Fisher–Yates pick of `n` distinct items. */
function pick<T>(pool: readonly T[], n: number): T[] {
  const xs = [...pool]
  if (n > xs.length) throw new Error(`name pool too small: need ${n}, have ${xs.length}`)
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    ;[xs[i], xs[j]] = [at(xs, j), at(xs, i)]
  }
  return xs.slice(0, n)
}

/** Split an integer total into n random-ish positive integer shares that sum exactly to total. */
function splitPopulation(total: number, n: number): number[] {
  const w = Array.from({ length: n }, () => 0.5 + rng())
  const sum = w.reduce((a, b) => a + b, 0)
  const raw = w.map((x) => (total * x) / sum)
  const out = raw.map(Math.floor)
  let rest = total - out.reduce((a, b) => a + b, 0)
  const order = raw.map((x, i) => ({ i, f: x - Math.floor(x) })).sort((a, b) => b.f - a.f || a.i - b.i)
  for (let k = 0; rest > 0; k++, rest--) out[at(order, k % n).i] = at(out, at(order, k % n).i) + 1
  if (out.some((p) => p < 1)) throw new Error(`population ${total} too small for ${n} units`)
  return out
}

const pad3 = (n: number): string => String(n).padStart(3, '0')

/** 村级 children of one 乡级 unit: codes, generated names and populations. */
function villagesOf(t: TownshipRow): Unit[] {
  const n = clamp(Math.round(3 + Math.sqrt(t.population) / 40 + rng() * 2), 4, 9)
  const kind: TownshipKind = t.kind
  const slots: { code: string; name: string }[] = []
  if (kind === 'street') {
    pick(COMMUNITY_STEMS, n).forEach((s, i) => slots.push({ code: t.code + pad3(i + 1), name: `${s}社区` }))
  } else {
    const villages = kind === 'township' ? n : n - 1
    if (kind !== 'township') slots.push({ code: t.code + '001', name: `${t.name}社区` })
    const names =
      kind === 'corps' ? ORDINALS.slice(0, villages).map((o) => `${o}连`)
      : kind === 'farm' ? ORDINALS.slice(0, villages).map((o) => `${o}队`)
      : pick(VILLAGE_STEMS, villages).map((s) => `${s}村`)
    names.forEach((name, i) => slots.push({ code: t.code + String(201 + i), name }))
  }
  const pops = splitPopulation(t.population, slots.length)
  return slots.map((s, i) => {
    const population = at(pops, i)
    const g = clamp(Math.round(2 + population / 2000 + rng() * 2), 3, 8)
    const gridPops = splitPopulation(population, g)
    const grids: Unit[] = gridPops.map((gp, k) => ({
      code: s.code + pad3(k + 1), name: `${s.name}第${k + 1}网格`, level: 'grid', parent: s.code,
      population: gp, children: [],
    }))
    return { ...s, level: 'village', parent: t.code, population, children: grids }
  })
}

function buildTree(): Unit {
  const districts: Unit[] = DISTRICTS.map((d) => {
    const townships: Unit[] = d.townships.map((t) => ({
      code: t.code, name: t.name, level: 'township', parent: d.code, population: t.population,
      children: villagesOf(t),
    }))
    const population = townships.reduce((a, t) => a + t.population, 0)
    return { code: d.code, name: d.name, level: 'district', parent: CITY.code, population, children: townships }
  })
  const population = districts.reduce((a, d) => a + d.population, 0)
  return { code: CITY.code, name: CITY.name, level: 'city', parent: null, population, children: districts }
}

/** 吐鲁番's urban core (老城路/高昌路 area): where a district's 街道 sit. */
const URBAN_CORE: Pt = [89.185, 42.945]

/**
 * Cells for a unit's children. A district's 街道 share one urban cell seeded at the urban core
 * (split among them in a second pass), so they come out compact and central rather than as long
 * wedges radiating from one point.
 */
function childCells(u: Unit, geom: Geom): Geom[] {
  const isStreet = (c: Unit) => u.level === 'district' && c.name.endsWith('街道')
  const streets = u.children.filter(isStreet)
  if (streets.length === 0 || !inside(geom, URBAN_CORE)) return voronoiPartition(geom, u.children.length, geoRng)
  const others = u.children.filter((c) => !isStreet(c))
  const [urban, ...rest] = voronoiPartition(geom, others.length + 1, geoRng, [URBAN_CORE])
  const streetCells = voronoiPartition(urban!, streets.length, geoRng)
  let [si, oi] = [0, 0]
  return u.children.map((c) => (isStreet(c) ? at(streetCells, si++) : at(rest, oi++)))
}

function layout(u: Unit, geom: Geom): void {
  u.geom = geom
  if (u.children.length === 0) return
  const cells = childCells(u, geom)
  u.children.forEach((c, i) => layout(c, at(cells, i)))
}

/** The districts' real outlines (district-outlines.ts); the city is their union. */
function districtGeoms(): Map<string, Geom> {
  const out = new Map<string, Geom>()
  for (const d of districtOutlines()) out.set(d.code, [[d.ring]])
  for (const d of DISTRICTS) if (!out.has(d.code)) throw new Error(`no outline for ${d.code} ${d.name}`)
  return out
}

const geometryOf = (g: Geom) => (g.length === 1 ? { type: 'Polygon', coordinates: g[0] } : { type: 'MultiPolygon', coordinates: g })

function main(): void {
  const root = buildTree()
  const outlines = districtGeoms()
  root.geom = polygonClipping.union(...[...outlines.values()] as [Geom, ...Geom[]]) as Geom
  for (const d of root.children) layout(d, outlines.get(d.code)!)

  const features: unknown[] = []
  const counts: Record<Level, number> = { city: 0, district: 0, township: 0, village: 0, grid: 0 }
  // Breadth-first: city, then all districts, all townships, … (parents before children).
  for (let queue: Unit[] = [root]; queue.length > 0; queue = queue.flatMap((u) => u.children)) {
    for (const u of queue) {
      if (!u.geom) throw new Error(`no geometry for ${u.code}`)
      counts[u.level]++
      features.push({
        type: 'Feature',
        id: u.code,
        properties: { code: u.code, name: u.name, level: u.level, parent: u.parent, population: u.population },
        geometry: geometryOf(u.geom),
      })
    }
  }
  const fc = { type: 'FeatureCollection', name: CITY.name, root: CITY.code, attribution: ATTRIBUTION, features }
  writeFileSync(OUT, JSON.stringify(fc), 'utf8')
  console.log(`wrote ${OUT}: ${features.length} features`, counts, `population ${root.population}`)
}

main()
