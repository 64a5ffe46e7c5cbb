import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { segmentDistance } from '../../server/domain/plane-geometry.ts'

// Contract checks for the generated demo region file (config/regions/generate.ts).

type Level = 'city' | 'district' | 'township' | 'village' | 'grid'
interface Feature {
  type: 'Feature'
  id: string
  properties: { code: string; name: string; level: Level; parent: string | null; population: number }
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] }
}
interface Collection {
  type: string
  name: string
  root: string
  attribution: string
  features: Feature[]
}

const FILE = fileURLToPath(new URL('../../config/regions/650400-turpan.geojson', import.meta.url))
const fc = JSON.parse(readFileSync(FILE, 'utf8')) as Collection
const features = fc.features
const byCode = new Map(features.map((f) => [f.properties.code, f]))
const LEVELS: Level[] = ['city', 'district', 'township', 'village', 'grid']
const CODE_LENGTH: Record<Level, number> = { city: 6, district: 6, township: 9, village: 12, grid: 15 }

const ofLevel = (level: Level): Feature[] => features.filter((f) => f.properties.level === level)
const childrenOf = (code: string): Feature[] => features.filter((f) => f.properties.parent === code)
/** Polygons of a feature: rings (0: shell, then holes) of [lon, lat] positions. */
const polygons = (f: Feature): number[][][][] => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates)
const positions = (f: Feature): number[][] => polygons(f).flat(2)

function bbox(f: Feature): [number, number, number, number] {
  const xs = positions(f).map((p) => p[0] ?? NaN)
  const ys = positions(f).map((p) => p[1] ?? NaN)
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
}

/** Signed shoelace area of a ring (positive = counter-clockwise). */
function signedArea(r: number[][]): number {
  let a = 0
  for (let i = 0; i + 1 < r.length; i++) {
    const [x0 = 0, y0 = 0] = r[i] ?? []
    const [x1 = 0, y1 = 0] = r[i + 1] ?? []
    a += x0 * y1 - x1 * y0
  }
  return a / 2
}

/** Area: outer rings minus holes. */
function area(f: Feature): number {
  return polygons(f).reduce((sum, [outer = [], ...holes]) => sum + Math.abs(signedArea(outer)) - holes.reduce((a, h) => a + Math.abs(signedArea(h)), 0), 0)
}

/** Whether (x, y) lies within `tol` of an edge of the feature (its border). */
function onBorder(f: Feature, x: number, y: number, tol: number): boolean {
  for (const ring of polygons(f).flat()) {
    for (let i = 0; i + 1 < ring.length; i++) {
      if (segmentDistance(x, y, ring[i] as [number, number], ring[i + 1] as [number, number]) <= tol) return true
    }
  }
  return false
}

describe('config/regions/650400-turpan.geojson', () => {
  it('is a FeatureCollection with the agreed foreign members', () => {
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.name).toBe('吐鲁番市')
    expect(fc.root).toBe('650400')
    expect(fc.attribution).toContain('国家统计局统计用区划代码')
    expect(fc.attribution).toContain('示意图')
    expect(features.length).toBeGreaterThan(0)
  })

  it('has exactly one city, 650400 吐鲁番市, with parent null', () => {
    const cities = ofLevel('city')
    expect(cities).toHaveLength(1)
    expect(cities[0]?.properties).toMatchObject({ code: '650400', name: '吐鲁番市', parent: null })
  })

  it('has the 3 real districts with their exact codes and names', () => {
    const districts = ofLevel('district').map((f) => [f.properties.code, f.properties.name]).sort()
    expect(districts).toEqual([
      ['650402', '高昌区'],
      ['650421', '鄯善县'],
      ['650422', '托克逊县'],
    ])
  })

  it('uses unique codes that match the feature id, with the right length and prefix per level', () => {
    expect(byCode.size).toBe(features.length)
    for (const f of features) {
      const { code, level, parent } = f.properties
      expect(f.type).toBe('Feature')
      expect(f.id).toBe(code)
      expect(LEVELS).toContain(level)
      expect(code, code).toMatch(new RegExp(`^\\d{${CODE_LENGTH[level]}}$`))
      if (level === 'district') expect(code.startsWith('6504'), code).toBe(true)
      if (level === 'township' || level === 'village' || level === 'grid') {
        expect(code.startsWith(parent ?? '-'), `${code} under ${parent}`).toBe(true)
      }
    }
    expect(ofLevel('township').length).toBeGreaterThan(0)
    expect(ofLevel('village').length).toBeGreaterThan(0)
    expect(ofLevel('grid').length).toBeGreaterThan(0)
  })

  it('links every non-city feature to an existing parent exactly one level up, listed before it', () => {
    const index = new Map(features.map((f, i) => [f.properties.code, i]))
    for (const [i, f] of features.entries()) {
      const { code, level, parent } = f.properties
      if (level === 'city') continue
      expect(parent, code).not.toBeNull()
      const p = byCode.get(parent ?? '')
      expect(p, `parent of ${code}`).toBeDefined()
      expect(LEVELS.indexOf(p!.properties.level), code).toBe(LEVELS.indexOf(level) - 1)
      expect(index.get(parent ?? '')!, code).toBeLessThan(i)
    }
  })

  it('has 3–8 grids under every village and children under every non-grid unit', () => {
    for (const v of ofLevel('village')) {
      const n = childrenOf(v.properties.code).length
      expect(n, v.properties.code).toBeGreaterThanOrEqual(3)
      expect(n, v.properties.code).toBeLessThanOrEqual(8)
    }
    for (const f of features.filter((x) => x.properties.level !== 'grid')) {
      expect(childrenOf(f.properties.code).length, f.properties.code).toBeGreaterThan(0)
    }
  })

  it('has closed rings with counter-clockwise shells and clockwise holes', () => {
    for (const f of features) {
      expect(['Polygon', 'MultiPolygon'], f.id).toContain(f.geometry.type)
      for (const [shell = [], ...holes] of polygons(f)) {
        for (const r of [shell, ...holes]) {
          expect(r.length, f.id).toBeGreaterThanOrEqual(4)
          expect(r[0], f.id).toEqual(r[r.length - 1])
        }
        expect(signedArea(shell), f.id).toBeGreaterThan(0)
        for (const h of holes) expect(signedArea(h), f.id).toBeLessThan(0)
      }
    }
  })

  it('draws the districts from real outlines (hundreds of vertices), not boxes', () => {
    for (const d of ofLevel('district')) expect(positions(d).length, d.id).toBeGreaterThan(300)
  })

  // A position where a cell meets its parent's border (or, for the 街道 that split one urban cell,
  // a sibling's border) is an intersection point: rounding it would move it off that border.
  it('rounds generated positions to 6 decimals; only points on the parent or a sibling border keep full precision', () => {
    for (const f of features) {
      if (f.properties.level === 'city' || f.properties.level === 'district') continue
      const parent = byCode.get(f.properties.parent!)!
      const siblings = childrenOf(parent.properties.code).filter((s) => s !== f)
      for (const [x = NaN, y = NaN] of positions(f)) {
        const sixDecimals = Math.round(x * 1e6) / 1e6 === x && Math.round(y * 1e6) / 1e6 === y
        if (sixDecimals) continue
        const onABorder = onBorder(parent, x, y, 1e-7) || siblings.some((s) => onBorder(s, x, y, 1e-7))
        expect(onABorder, `${f.id} at ${x},${y}`).toBe(true)
      }
    }
  })

  it('keeps every child bbox within its parent bbox', () => {
    const tol = 1e-9
    for (const f of features) {
      if (f.properties.parent === null) continue
      const [w, s, e, n] = bbox(f)
      const [pw, ps, pe, pn] = bbox(byCode.get(f.properties.parent)!)
      expect(w >= pw - tol && s >= ps - tol && e <= pe + tol && n <= pn + tol, f.id).toBe(true)
    }
  })

  // Rounding inner positions to 1e-6° (about 0.1 m) while border positions keep full precision leaves
  // slivers a few centimetres wide along the border: far below 0.01 % of any parent.
  it('tiles every parent by its children (areas sum to the parent area)', () => {
    for (const p of features.filter((x) => x.properties.level !== 'grid')) {
      const sum = childrenOf(p.properties.code).reduce((a, c) => a + area(c), 0)
      const parentArea = area(p)
      expect(parentArea, p.id).toBeGreaterThan(0)
      expect(Math.abs(sum - parentArea) / parentArea, p.id).toBeLessThanOrEqual(1e-4)
    }
  })

  it('has integer populations, and the districts sum to the city', () => {
    for (const f of features) {
      expect(Number.isInteger(f.properties.population), f.id).toBe(true)
      expect(f.properties.population, f.id).toBeGreaterThan(0)
    }
    const city = ofLevel('city')[0]!
    const districtSum = ofLevel('district').reduce((a, d) => a + d.properties.population, 0)
    expect(districtSum).toBe(city.properties.population)
    // Every level shares its parent's population exactly.
    for (const p of features.filter((x) => x.properties.level !== 'grid')) {
      const sum = childrenOf(p.properties.code).reduce((a, c) => a + c.properties.population, 0)
      expect(sum, p.id).toBe(p.properties.population)
    }
  })
})
