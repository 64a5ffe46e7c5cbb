import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'

// Contract checks for the generated demo region file (config/regions/generate.ts).

type Level = 'city' | 'district' | 'township' | 'village' | 'grid'
interface Feature {
  type: 'Feature'
  id: string
  properties: { code: string; name: string; level: Level; parent: string | null; population: number }
  geometry: { type: 'Polygon'; coordinates: number[][][] }
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
const ring = (f: Feature): number[][] => f.geometry.coordinates[0] ?? []

function bbox(f: Feature): [number, number, number, number] {
  const xs = f.geometry.coordinates.flat().map((p) => p[0] ?? NaN)
  const ys = f.geometry.coordinates.flat().map((p) => p[1] ?? NaN)
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

/** Polygon area: outer ring minus holes. */
function area(f: Feature): number {
  const [outer = [], ...holes] = f.geometry.coordinates
  return Math.abs(signedArea(outer)) - holes.reduce((a, h) => a + Math.abs(signedArea(h)), 0)
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

  it('has closed, counter-clockwise, 5-decimal polygon rings', () => {
    for (const f of features) {
      expect(f.geometry.type).toBe('Polygon')
      const r = ring(f)
      expect(r.length, f.id).toBeGreaterThanOrEqual(4)
      expect(r[0], f.id).toEqual(r[r.length - 1])
      expect(signedArea(r), f.id).toBeGreaterThan(0)
      for (const [x = NaN, y = NaN] of r) {
        expect(Math.round(x * 1e5) / 1e5, f.id).toBe(x)
        expect(Math.round(y * 1e5) / 1e5, f.id).toBe(y)
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

  it('tiles every parent by its children (areas sum to the parent area)', () => {
    for (const p of features.filter((x) => x.properties.level !== 'grid')) {
      const sum = childrenOf(p.properties.code).reduce((a, c) => a + area(c), 0)
      const parentArea = area(p)
      expect(parentArea, p.id).toBeGreaterThan(0)
      expect(Math.abs(sum - parentArea) / parentArea, p.id).toBeLessThanOrEqual(1e-6)
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
