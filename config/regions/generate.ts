// Deterministic generator for the 吐鲁番市 demo region file.
//
//   npx tsx config/regions/generate.ts      (or: npm run regions:generate)
//
// Writes config/regions/650400-turpan.geojson: one compact FeatureCollection with every unit from
// city down to 网格, parents before children. Names/codes of city, 区县 and 乡级 units are real
// (see ./turpan-divisions.ts); 村/社区, 网格, populations and all boundaries are generated.
// Boundaries are SCHEMATIC: a guillotine (recursive rectangle) partition, so every region is tiled
// exactly by its children (shared, identically rounded cut lines: no gaps, no overlaps).
// No network, no Math.random, only Node built-ins: same input → byte-identical output.

import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '../../server/domain/seeded-random.ts'
import {
  CITY, CITY_BBOX, COMMUNITY_STEMS, DISTRICTS, ORDINALS, VILLAGE_STEMS,
  type TownshipKind, type TownshipRow,
} from './turpan-divisions.ts'

export type Level = 'city' | 'district' | 'township' | 'village' | 'grid'
/** [west, south, east, north] in degrees. */
type Rect = [number, number, number, number]

interface Unit {
  code: string
  name: string
  level: Level
  parent: string | null
  population: number // demo estimate (city/district: sum of children)
  weight: number // layout weight: share of the parent's area
  children: Unit[]
  rect?: Rect
}

const SEED = 0x650400
const OUT = fileURLToPath(new URL('./650400-turpan.geojson', import.meta.url))
const ATTRIBUTION = '行政区划名称与代码：国家统计局统计用区划代码；边界为示意图，非真实边界 (schematic boundaries)'

const rng = mulberry32(SEED)

const round5 = (x: number): number => Math.round(x * 1e5) / 1e5
const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x))
const randInt = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1))
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
      population: gp, weight: Math.sqrt(gp), children: [],
    }))
    return { ...s, level: 'village', parent: t.code, population, weight: Math.sqrt(population), children: grids }
  })
}

function buildTree(): Unit {
  const districts: Unit[] = DISTRICTS.map((d) => {
    const townships: Unit[] = d.townships.map((t) => ({
      code: t.code, name: t.name, level: 'township', parent: d.code, population: t.population,
      weight: Math.sqrt(t.population), children: villagesOf(t),
    }))
    const population = townships.reduce((a, t) => a + t.population, 0)
    return { code: d.code, name: d.name, level: 'district', parent: CITY.code, population, weight: d.areaKm2, children: townships }
  })
  const population = districts.reduce((a, d) => a + d.population, 0)
  return { code: CITY.code, name: CITY.name, level: 'city', parent: null, population, weight: 1, children: districts }
}

/**
 * Guillotine partition of `rect` among `items` (kept in order), areas ∝ weight. Each cut is rounded
 * to 5 decimals once and shared by both sides, so the pieces tile `rect` exactly. The cut runs across
 * the longer side (lon scaled by cos(lat)); `stripWestEast` forces west→east vertical slices.
 */
function partition(rect: Rect, items: Unit[], stripWestEast = false): Rect[] {
  if (items.length === 1) return [rect]
  const total = items.reduce((a, u) => a + u.weight, 0)
  // Split point k: the prefix whose weight is closest to half of the total.
  let k = 1
  let best = at(items, 0).weight
  for (let i = 1, acc = best; i < items.length - 1; i++) {
    acc += at(items, i).weight
    if (Math.abs(acc - total / 2) < Math.abs(best - total / 2)) { best = acc; k = i + 1 }
  }
  const frac = best / total
  const [w, s, e, n] = rect
  const lonScale = Math.cos((((s + n) / 2) * Math.PI) / 180)
  let a: Rect, b: Rect
  if (stripWestEast || (e - w) * lonScale >= n - s) {
    const cut = round5(w + (e - w) * frac)
    if (!(cut > w && cut < e)) throw new Error(`degenerate vertical cut in ${rect.join(',')}`)
    ;[a, b] = [[w, s, cut, n], [cut, s, e, n]] // first group west
  } else {
    const cut = round5(n - (n - s) * frac)
    if (!(cut > s && cut < n)) throw new Error(`degenerate horizontal cut in ${rect.join(',')}`)
    ;[a, b] = [[w, cut, e, n], [w, s, e, cut]] // first group north
  }
  return [...partition(a, items.slice(0, k), stripWestEast), ...partition(b, items.slice(k), stripWestEast)]
}

function layout(u: Unit, rect: Rect): void {
  u.rect = rect
  if (u.children.length === 0) return
  const rects = partition(rect, u.children, u.level === 'city')
  u.children.forEach((c, i) => layout(c, at(rects, i)))
}

/** Counter-clockwise closed ring (RFC 7946 exterior ring). */
const ring = ([w, s, e, n]: Rect): number[][] => [[w, s], [e, s], [e, n], [w, n], [w, s]]

function main(): void {
  const root = buildTree()
  layout(root, CITY_BBOX.map(round5) as Rect)

  const features: unknown[] = []
  const counts: Record<Level, number> = { city: 0, district: 0, township: 0, village: 0, grid: 0 }
  // Breadth-first: city, then all districts, all townships, … (parents before children).
  for (let queue: Unit[] = [root]; queue.length > 0; queue = queue.flatMap((u) => u.children)) {
    for (const u of queue) {
      if (!u.rect) throw new Error(`no geometry for ${u.code}`)
      counts[u.level]++
      features.push({
        type: 'Feature',
        id: u.code,
        properties: { code: u.code, name: u.name, level: u.level, parent: u.parent, population: u.population },
        geometry: { type: 'Polygon', coordinates: [ring(u.rect)] },
      })
    }
  }
  const fc = { type: 'FeatureCollection', name: CITY.name, root: CITY.code, attribution: ATTRIBUTION, features }
  writeFileSync(OUT, JSON.stringify(fc), 'utf8')
  console.log(`wrote ${OUT}: ${features.length} features`, counts, `population ${root.population}`)
}

main()
