import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { RegionIndex, pointInPolygon, type RegionCollection, type RegionFeature, type RegionProps } from '../../server/domain/regions.ts'
import { interiorPoint } from '../support/interior-point.ts'

type Ring = [number, number][]

const FILE = fileURLToPath(new URL('../../config/regions/650400-turpan.geojson', import.meta.url))
const fc = JSON.parse(readFileSync(FILE, 'utf8')) as RegionCollection
const turpan = new RegionIndex(fc)

const ofLevel = (level: RegionProps['level']) => fc.features.filter((f) => f.properties.level === level)

/** A point inside the grid, from its geometry (the cells are irregular: a bbox centre may miss). */
const innerPoint = (f: RegionFeature): [number, number] => interiorPoint(f.geometry)

describe('RegionIndex on config/regions/650400-turpan.geojson', () => {
  const grids = ofLevel('grid')

  it('indexes every feature and finds the root', () => {
    expect(turpan.size).toBe(fc.features.length)
    expect(turpan.root.code).toBe('650400')
    expect(turpan.root.parent).toBeNull()
    expect(turpan.get('650402')?.name).toBe('高昌区')
    expect(turpan.get('999999')).toBeUndefined()
  })

  it('locates an inner point of a grid in that grid, with the full chain', () => {
    const g = grids[0]!
    const [lon, lat] = innerPoint(g)
    const hit = turpan.locate(lon, lat)
    expect(hit?.code).toBe(g.properties.code)
    expect(hit?.level).toBe('grid')
    const village = g.properties.parent!
    const township = turpan.get(village)!.parent!
    const district = turpan.get(township)!.parent!
    expect(turpan.chain(g.properties.code)).toEqual([g.properties.code, village, township, district, '650400'])
    expect(turpan.chain(g.properties.code).map((c) => turpan.get(c)!.level)).toEqual(['grid', 'village', 'township', 'district', 'city'])
  })

  it('locates an inner point of every grid in that grid', () => {
    expect(grids.length).toBeGreaterThan(100)
    const misses: string[] = []
    for (const g of grids) {
      const [lon, lat] = innerPoint(g)
      const hit = turpan.locate(lon, lat)
      if (hit?.code !== g.properties.code) misses.push(`${g.properties.code} → ${hit?.code}`)
    }
    expect(misses).toEqual([])
  })

  it('gives every grid a chain of 5 that starts with a prefix-consistent code path', () => {
    for (const g of grids) {
      const chain = turpan.chain(g.properties.code)
      expect(chain, g.properties.code).toHaveLength(5)
      expect(chain[0]!.startsWith(chain[1]!)).toBe(true) // grid code starts with its village code
      expect(chain[4]).toBe('650400')
    }
  })

  it('returns undefined for points outside the city', () => {
    expect(turpan.locate(80, 40)).toBeUndefined() // far west
    expect(turpan.locate(92.5, 42.5)).toBeUndefined() // east of the bbox
    expect(turpan.locate(89, 44.5)).toBeUndefined() // north of the bbox
    expect(turpan.locate(0, 0)).toBeUndefined()
  })

  it('lists the three districts as the children of the city, and none under a grid', () => {
    expect(turpan.childrenOf('650400').map((r) => r.code).sort()).toEqual(['650402', '650421', '650422'])
    expect(turpan.childrenOf(grids[0]!.properties.code)).toEqual([])
    expect(turpan.childrenOf('nope')).toEqual([])
  })

  it('lists children that all point back to their parent', () => {
    for (const v of ofLevel('village').slice(0, 20)) {
      const kids = turpan.childrenOf(v.properties.code)
      expect(kids.length).toBeGreaterThanOrEqual(3)
      for (const k of kids) expect(k.parent).toBe(v.properties.code)
    }
  })

  it('answers within() along the chain only', () => {
    const g = grids[0]!.properties
    const chain = turpan.chain(g.code)
    for (const a of chain) expect(turpan.within(g.code, a), a).toBe(true)
    const otherDistrict = ['650402', '650421', '650422'].find((d) => d !== chain[3])!
    expect(turpan.within(g.code, otherDistrict)).toBe(false)
    expect(turpan.within('650400', g.code)).toBe(false) // a parent is not within its child
    expect(turpan.within('999999', '650400')).toBe(false)
  })

  it('returns an empty chain for an unknown code', () => {
    expect(turpan.chain('123456')).toEqual([])
  })
})

// A tiny hand-made tree:
//   root 100000: square 0..10 × 0..10
//   A    100001: 0..5 × 0..10 with a hole 1..4 × 1..4
//   A1   100001001: 0..1 × 8..10 (deeper, inside A)
//   B    100002: MultiPolygon of 5..10 × 0..4 and 5..10 × 6..10 (gap 4..6 belongs to root only)
const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
const feature = (code: string, parent: string | null, level: RegionProps['level'], geometry: RegionFeature['geometry']): RegionFeature => ({
  type: 'Feature', id: code, properties: { code, name: `R${code}`, level, parent }, geometry,
})
const tiny: RegionCollection = {
  type: 'FeatureCollection',
  features: [
    // deliberately listed child-first: the index must not depend on order
    feature('100001001', '100001', 'township', { type: 'Polygon', coordinates: [rect(0, 8, 1, 10)] }),
    feature('100001', '100000', 'district', { type: 'Polygon', coordinates: [rect(0, 0, 5, 10), rect(1, 1, 4, 4)] }),
    feature('100002', '100000', 'district', { type: 'MultiPolygon', coordinates: [[rect(5, 0, 10, 4)], [rect(5, 6, 10, 10)]] }),
    feature('100000', null, 'city', { type: 'Polygon', coordinates: [rect(0, 0, 10, 10)] }),
  ],
}

describe('RegionIndex on a hand-made collection', () => {
  const idx = new RegionIndex(tiny)

  it('finds the root regardless of feature order', () => {
    expect(idx.root.code).toBe('100000')
    expect(idx.size).toBe(4)
  })

  it('locates inside a polygon, outside its hole', () => {
    expect(idx.locate(0.5, 0.5)?.code).toBe('100001')
    expect(idx.locate(4.5, 5)?.code).toBe('100001')
  })

  it('does not locate a point inside a hole in the holed region, but in its parent', () => {
    expect(idx.locate(2, 2)?.code).toBe('100000')
    expect(idx.locate(3.9, 1.1)?.code).toBe('100000')
  })

  it('locates both parts of a MultiPolygon, and not the gap between them', () => {
    expect(idx.locate(7, 2)?.code).toBe('100002')
    expect(idx.locate(7, 8)?.code).toBe('100002')
    expect(idx.locate(7, 5)?.code).toBe('100000')
  })

  it('prefers the deepest containing region', () => {
    expect(idx.locate(0.5, 9)?.code).toBe('100001001')
    expect(idx.chain('100001001')).toEqual(['100001001', '100001', '100000'])
  })

  it('returns undefined outside every region', () => {
    expect(idx.locate(11, 5)).toBeUndefined()
    expect(idx.locate(-0.1, 5)).toBeUndefined()
    expect(idx.locate(5, 10.5)).toBeUndefined()
  })

  it('lists children in feature order', () => {
    expect(idx.childrenOf('100000').map((r) => r.code)).toEqual(['100001', '100002'])
    expect(idx.childrenOf('100001').map((r) => r.code)).toEqual(['100001001'])
  })

  it('throws a clear error when no feature is the root', () => {
    const noRoot: RegionCollection = { type: 'FeatureCollection', features: tiny.features.filter((f) => f.properties.parent !== null) }
    expect(() => new RegionIndex(noRoot)).toThrow(/no root/)
  })

  it('uses a concave polygon correctly (bbox hit but outside)', () => {
    // an L shape: 0..10 × 0..2 plus 0..2 × 0..10; (8, 8) is in its bbox but not in it
    const L: Ring = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 10], [0, 10], [0, 0]]
    const i = new RegionIndex({
      type: 'FeatureCollection',
      features: [feature('200000', null, 'city', { type: 'Polygon', coordinates: [L] })],
    })
    expect(i.locate(8, 8)).toBeUndefined()
    expect(i.locate(8, 1)?.code).toBe('200000')
    expect(i.locate(1, 8)?.code).toBe('200000')
  })
})

describe('pointInPolygon', () => {
  const square = rect(0, 0, 4, 4)
  const hole = rect(1, 1, 3, 3)
  const triangle: Ring = [[0, 0], [4, 0], [2, 4], [0, 0]]

  it('handles a simple square', () => {
    expect(pointInPolygon(2, 2, [square])).toBe(true)
    expect(pointInPolygon(5, 2, [square])).toBe(false)
    expect(pointInPolygon(2, -1, [square])).toBe(false)
  })

  it('handles a triangle', () => {
    expect(pointInPolygon(2, 1, [triangle])).toBe(true)
    expect(pointInPolygon(0.5, 3, [triangle])).toBe(false)
    expect(pointInPolygon(3.5, 3, [triangle])).toBe(false)
  })

  it('excludes holes', () => {
    expect(pointInPolygon(2, 2, [square, hole])).toBe(false)
    expect(pointInPolygon(0.5, 2, [square, hole])).toBe(true)
    expect(pointInPolygon(3.5, 3.5, [square, hole])).toBe(true)
  })

  it('works whatever the ring orientation and with an unclosed ring', () => {
    const cw = [...square].reverse()
    expect(pointInPolygon(2, 2, [cw])).toBe(true)
    expect(pointInPolygon(2, 2, [[[0, 0], [4, 0], [4, 4], [0, 4]]])).toBe(true)
    expect(pointInPolygon(6, 2, [[[0, 0], [4, 0], [4, 4], [0, 4]]])).toBe(false)
  })

  it('is false for no rings', () => {
    expect(pointInPolygon(0, 0, [])).toBe(false)
  })
})
