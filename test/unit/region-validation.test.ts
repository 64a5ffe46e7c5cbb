import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { segmentDistance, selfIntersection } from '../../server/domain/plane-geometry.ts'
import {
  formatIssue, importRegions, sourceFeatures,
  type ImportOptions, type RegionImport,
} from '../../server/domain/region-validation.ts'

type Pos = [number, number]
const rect = (w: number, s: number, e: number, n: number): Pos[] => [[w, s], [e, s], [e, n], [w, n], [w, s]]
const polygon = (...rings: unknown[]) => ({ type: 'Polygon', coordinates: rings })

/** A feature in the contract's own dialect; `props` overrides or adds properties. */
function region(code: string, level: string, parent: string | null, geometry: unknown, props: Record<string, unknown> = {}) {
  return { type: 'Feature', properties: { code, name: `区划${code}`, level, parent, ...props }, geometry }
}

// A valid chain city → district → township → village → grid; each child shares edges with its parent.
const city = region('990100', 'city', null, polygon(rect(100, 30, 104, 34)))
const district = region('990101', 'district', '990100', polygon(rect(100, 30, 102, 34)))
const township = region('990101001', 'township', '990101', polygon(rect(100, 30, 102, 32)))
const village = region('990101001001', 'village', '990101001', polygon(rect(100, 30, 101, 31)))
const grid = region('990101001001001', 'grid', '990101001001', polygon(rect(100, 30, 100.5, 30.5)))

const run = (features: unknown[], opts?: ImportOptions): RegionImport =>
  importRegions(features.map((feature, index) => ({ feature, index, file: 'regions.geojson' })), opts)

/** The one issue of the run, checked to name the file, the feature index and the code. */
function onlyIssue(r: RegionImport, index: number, code: string) {
  expect(r.issues.map(formatIssue)).toHaveLength(1)
  const issue = r.issues[0]!
  expect(issue).toMatchObject({ index, code, file: 'regions.geojson' })
  expect(formatIssue(issue)).toContain(`regions.geojson feature ${index} (${code || 'no code'}): `)
  expect(r.features).toEqual([])
  return issue.message
}

describe('importRegions on the demo file', () => {
  const file = fileURLToPath(new URL('../../config/regions/650400-turpan.geojson', import.meta.url))
  const json = JSON.parse(readFileSync(file, 'utf8')) as { features: { properties: unknown }[] }

  it('finds no issues and keeps every feature, in the same parents-first order', () => {
    const r = importRegions(sourceFeatures(json, 'turpan.geojson').sources)
    expect(r.issues).toEqual([])
    expect(r.root?.code).toBe('650400')
    expect(r.counts).toEqual({ province: 0, city: 1, district: 3, township: 35, village: 254, grid: 1111 })
    expect(r.features.map((f) => f.properties)).toEqual(json.features.map((f) => f.properties))
  })
})

describe('importRegions: mapping sources onto the contract', () => {
  it('accepts a valid chain and orders parents before children whatever the input order', () => {
    const r = run([grid, village, township, district, city])
    expect(r.issues).toEqual([])
    expect(r.features.map((f) => f.id)).toEqual(['990100', '990101', '990101001', '990101001001', '990101001001001'])
    expect(r.features[4]?.properties).toEqual({ code: '990101001001001', name: '区划990101001001001', level: 'grid', parent: '990101001001' })
  })

  it('reads adcode, id, parent objects, parent_code, parentCode, levels by alias or code length, population', () => {
    const r = run([
      { type: 'Feature', properties: { adcode: 990100, name: '示例市', parent: { adcode: 990000 }, level: 'city' }, geometry: city.geometry },
      { type: 'Feature', properties: { adcode: 990101, name: '西区', parent: { adcode: 990100 } }, geometry: district.geometry },
      { type: 'Feature', id: '990101001', properties: { name: '西街道', parent_code: '990101', level: '街道', population: '1200' }, geometry: township.geometry },
      { type: 'Feature', properties: { code: '990101001001', name: '一社区', parentCode: '990101001', population: 900 }, geometry: village.geometry },
      { type: 'Feature', properties: { code: '990101001001001', name: '网格一', parent: '990101001001', kind: '网格' }, geometry: grid.geometry },
    ], { root: '990100', levelProperty: 'kind' })
    expect(r.issues).toEqual([])
    expect(r.features.map((f) => [f.properties.code, f.properties.level, f.properties.parent, f.properties.population])).toEqual([
      ['990100', 'city', null, undefined],
      ['990101', 'district', '990100', undefined],
      ['990101001', 'township', '990101', 1200],
      ['990101001001', 'village', '990101001', 900],
      ['990101001001001', 'grid', '990101001001', undefined],
    ])
  })

  it('drops altitudes and foreign geometry members from the output', () => {
    const g = { type: 'Polygon', bbox: [100, 30, 104, 34], coordinates: [rect(100, 30, 104, 34).map(([x, y]) => [x, y, 12])] }
    const r = run([region('990100', 'city', null, g)])
    expect(r.features[0]?.geometry).toEqual({ type: 'Polygon', coordinates: [rect(100, 30, 104, 34)] })
  })

  it('calls a 6-digit root that does not end in 00 a district (a district command centre)', () => {
    const r = run([{ type: 'Feature', properties: { code: '990101', name: '西区' }, geometry: district.geometry }])
    expect(r.root?.level).toBe('district')
  })
})

describe('importRegions: codes, names and the tree', () => {
  it('rejects a duplicate code, naming the first one', () => {
    const msg = onlyIssue(run([city, district, region('990101', 'district', '990100', polygon(rect(102, 30, 104, 34)))]), 2, '990101')
    expect(msg).toMatch(/duplicate code: regions.geojson feature 1 has the same code/)
  })

  it('rejects a missing parent', () => {
    expect(onlyIssue(run([city, region('990102', 'district', '990109', polygon(rect(102, 30, 104, 34)))]), 1, '990102')).toBe('parent 990109 is not in the input')
  })

  it('rejects a village whose parent is a district (a skipped level)', () => {
    const msg = onlyIssue(run([city, district, region('990101001001', 'village', '990101', polygon(rect(100, 30, 101, 31)))]), 2, '990101001001')
    expect(msg).toContain("is a village but its parent 990101 区划990101 is a district; a village's parent must be a township")
  })

  it('rejects a second root, and an input without root', () => {
    const msg = onlyIssue(run([city, district, region('990102', 'district', null, polygon(rect(102, 30, 104, 34)))]), 2, '990102')
    expect(msg).toMatch(/has no parent, but 990100 .* is the root; only one root is allowed/)
    const none = run([{ ...city, properties: { ...city.properties, parent: '990000' } }, district])
    expect(none.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^input: no root: every feature has a parent.*--root <code>/),
      'regions.geojson feature 0 (990100): parent 990000 is not in the input',
    ])
  })

  it('rejects a --root that is not in the input', () => {
    expect(run([city], { root: '990200' }).issues[0]?.message).toBe('the root 990200 is not in the input')
  })

  it('rejects a missing name, a missing code and codes that are not digits', () => {
    expect(onlyIssue(run([city, region('990101', 'district', '990100', district.geometry, { name: ' ' })]), 1, '990101')).toMatch(/has no name/)
    expect(onlyIssue(run([city, { type: 'Feature', properties: { name: 'x', parent: '990100' }, geometry: district.geometry }]), 1, '')).toMatch(/has no code/)
    expect(onlyIssue(run([city, region('99-01', 'district', '990100', district.geometry)]), 1, '99-01')).toBe('code "99-01" is not a string of digits')
    expect(onlyIssue(run([city, region('990101', 'district', 'west', district.geometry)]), 1, '990101')).toMatch(/parent "west" is not a code/)
  })

  it('rejects an unknown level and a code length that says no level', () => {
    expect(onlyIssue(run([city, region('990101', 'prefecture', '990100', district.geometry)]), 1, '990101')).toMatch(/unknown level "prefecture"; expected one of province, city, district/)
    const noLevel = { type: 'Feature', properties: { code: '9901011', name: 'x', parent: '990100' }, geometry: district.geometry }
    expect(onlyIssue(run([city, noLevel]), 1, '9901011')).toMatch(/no "level" property and its 7-digit code says no level/)
  })

  it('rejects a population that is not a number', () => {
    expect(onlyIssue(run([city, region('990101', 'district', '990100', district.geometry, { population: 'many' })]), 1, '990101')).toMatch(/population "many"/)
  })
})

describe('importRegions: polygons', () => {
  const withDistrict = (geometry: unknown) => run([city, region('990101', 'district', '990100', geometry)])

  it('rejects geometries that are not (Multi)Polygons', () => {
    expect(onlyIssue(withDistrict({ type: 'Point', coordinates: [101, 31] }), 1, '990101')).toMatch(/geometry is Point; expected a Polygon or MultiPolygon/)
    expect(onlyIssue(withDistrict(null), 1, '990101')).toMatch(/geometry is missing/)
  })

  it('rejects a ring with fewer than 4 positions', () => {
    expect(onlyIssue(withDistrict(polygon([[100, 30], [101, 30], [100, 30]])), 1, '990101')).toMatch(/ring 0 \(shell\) has 3 positions; a ring needs at least 4/)
  })

  it('refuses an unclosed ring and says how to close it', () => {
    const msg = onlyIssue(withDistrict(polygon(rect(100, 30, 102, 34).slice(0, 4))), 1, '990101')
    expect(msg).toBe('ring 0 (shell) is not closed: it starts at [100, 30] but ends at [100, 34]; repeat the first position at the end')
  })

  it('rejects non-finite and out-of-range coordinates, hinting at swapped lon/lat', () => {
    const bad = rect(100, 30, 102, 34)
    bad[2] = [Infinity, 34]
    expect(onlyIssue(withDistrict(polygon(bad)), 1, '990101')).toMatch(/position 2 is .*not a \[lon, lat\] pair of finite numbers/)
    const swapped = rect(30, 100, 34, 102)
    expect(onlyIssue(withDistrict(polygon(swapped)), 1, '990101')).toMatch(/position 0 \[30, 100\] is out of range.*looks like \[lat, lon\]/)
  })

  it('rejects a bow-tie ring and says where it crosses', () => {
    const bowTie = [[100, 30], [102, 34], [102, 30], [100, 34], [100, 30]]
    expect(onlyIssue(withDistrict(polygon(bowTie)), 1, '990101')).toMatch(/ring 0 \(shell\) intersects itself near \[101, 32\]/)
  })

  it('rejects a spike that runs back along itself', () => {
    const spike = [[100, 30], [102, 30], [102, 32], [102, 31], [102, 34], [100, 34], [100, 30]]
    expect(onlyIssue(withDistrict(polygon(spike)), 1, '990101')).toMatch(/intersects itself near \[102, 32\]/)
  })

  it('rejects a hole outside its shell and accepts one inside', () => {
    expect(withDistrict(polygon(rect(100, 30, 102, 34), rect(101, 31, 101.5, 32))).issues).toEqual([])
    expect(onlyIssue(withDistrict(polygon(rect(100, 30, 102, 34), rect(101, 31, 103, 32))), 1, '990101'))
      .toMatch(/ring 1 \(hole\) has position 1 \[103, 31\] outside its shell/)
  })

  it('names the polygon of a MultiPolygon', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[rect(100, 30, 101, 31)], [[[101, 32], [102, 32], [101, 32]]]] }
    expect(onlyIssue(withDistrict(multi), 1, '990101')).toMatch(/^polygon 1 ring 0 \(shell\) has 3 positions/)
  })
})

describe('importRegions: children inside their parent', () => {
  it('accepts a child that shares its parent edges exactly', () => {
    expect(run([city, region('990101', 'district', '990100', polygon(rect(100, 30, 104, 34)))]).issues).toEqual([])
  })

  it('rejects a child sticking out of its parent by 0.01°', () => {
    const msg = onlyIssue(run([city, region('990101', 'district', '990100', polygon(rect(100, 30, 104.01, 32)))]), 1, '990101')
    expect(msg).toMatch(/^lies outside its parent 990100 区划990100: position \[104.01, 30\] is 0.010° outside \(2 of 5 positions outside/)
  })

  it('counts a vertex within the tolerance of the border as inside, and the tolerance can be widened', () => {
    expect(run([city, region('990101', 'district', '990100', polygon(rect(100, 30, 104 + 5e-8, 32)))]).issues).toEqual([])
    const child = region('990101', 'district', '990100', polygon(rect(100, 30, 104 + 1e-5, 32)))
    expect(run([city, child]).issues).toHaveLength(1)
    expect(run([city, child], { tolerance: 1e-4 }).issues).toEqual([])
  })

  it("treats the parent's holes as outside, and their rim as border", () => {
    const parent = region('990100', 'city', null, polygon(rect(100, 30, 104, 34), rect(101, 31, 102, 32)))
    const around = region('990101', 'district', '990100', polygon(rect(100, 30, 104, 34), rect(101, 31, 102, 32)))
    expect(run([parent, around]).issues).toEqual([])
    expect(onlyIssue(run([parent, region('990102', 'district', '990100', polygon(rect(101.2, 31.2, 101.8, 31.8)))]), 1, '990102')).toMatch(/lies outside its parent/)
  })

  it('checks every part of a MultiPolygon child', () => {
    const parts = { type: 'MultiPolygon', coordinates: [[rect(100, 30, 101, 31)], [rect(105, 30, 106, 31)]] }
    expect(onlyIssue(run([city, region('990101', 'district', '990100', parts)]), 1, '990101')).toMatch(/position \[105, 30\] is 1.0° outside/)
  })
})

describe('geometry helpers', () => {
  it('selfIntersection finds crossings and pinches, not a simple ring', () => {
    expect(selfIntersection(rect(0, 0, 1, 1))).toBeUndefined()
    expect(selfIntersection([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).toEqual({ at: [0.5, 0.5], i: 0, j: 2 })
    // a figure eight touching itself at (1, 1)
    expect(selfIntersection([[0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2], [0, 0]])?.at).toEqual([1, 1])
  })

  it('selfIntersection handles a ring of 50,000 vertices', () => {
    const n = 50_000
    const circle = Array.from({ length: n }, (_, k): Pos => [Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n)])
    expect(selfIntersection([...circle, circle[0]!])).toBeUndefined()
    ;[circle[100], circle[101]] = [circle[101]!, circle[100]!]
    expect(selfIntersection([...circle, circle[0]!])).toMatchObject({ i: 99, j: 101 })
  })

  it('segmentDistance measures to the nearest point of the segment', () => {
    expect(segmentDistance(1, 1, [0, 0], [2, 0])).toBe(1)
    expect(segmentDistance(3, 0, [0, 0], [2, 0])).toBe(1)
    expect(segmentDistance(1, 0, [0, 0], [2, 0])).toBe(0)
    expect(segmentDistance(0, 1, [0, 0], [0, 0])).toBe(1)
  })

  it('sourceFeatures rejects what is not a FeatureCollection', () => {
    const { issues } = sourceFeatures({ type: 'Feature' }, 'x.json')
    expect(issues.map(formatIssue)).toEqual([expect.stringMatching(/^x.json: is not a GeoJSON FeatureCollection/)])
  })
})
