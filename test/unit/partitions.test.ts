// Which partition an event lands in and which partitions hold a region (DESIGN §11),
// on a two-city tree written out here.
import { expect, it } from 'vitest'
import { RegionIndex, type RegionCollection, type RegionProps } from '../../server/domain/regions.ts'
import { loadRegions, partitionLevelFrom } from '../../server/config.ts'

const box = (x: number): RegionCollection['features'][number]['geometry'] => ({ type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] })
const f = (p: RegionProps, x = 0) => ({ type: 'Feature' as const, properties: p, geometry: box(x) })
const tree: RegionCollection = {
  type: 'FeatureCollection',
  features: [
    f({ code: '650000', name: '新疆维吾尔自治区', level: 'province', parent: null }),
    f({ code: '650400', name: '吐鲁番市', level: 'city', parent: '650000' }),
    f({ code: '650402', name: '高昌区', level: 'district', parent: '650400' }),
    f({ code: '650500', name: '哈密市', level: 'city', parent: '650000' }, 2),
    f({ code: '650502', name: '伊州区', level: 'district', parent: '650500' }, 2),
  ],
}

it('keeps one partition unless a level below the root is asked for', () => {
  for (const r of [new RegionIndex(tree), new RegionIndex(tree, 'province')]) {
    expect(r.partitions).toEqual([''])
    expect(r.partitioned).toBe(false)
    expect(r.partitionOf('650402')).toBe('')
    expect(r.partitionsOf('650000')).toEqual([''])
  }
})

it('puts an event in its city and sums the province over every partition', () => {
  const r = new RegionIndex(tree, 'city')
  expect(r.partitions).toEqual(['', '650400', '650500'])
  expect(r.partitionOf('650402')).toBe('650400')
  expect(r.partitionOf('650500')).toBe('650500')
  expect(r.partitionOf('650000')).toBe('') // placed above the level: the root partition
  expect(r.partitionOf(undefined)).toBe('')
  expect(r.partitionsOf('650502')).toEqual(['650500'])
  expect(r.partitionsOf('650000')).toEqual(['', '650400', '650500'])
})

it('stops the server with a clear message for a PARTITION_LEVEL it cannot use', () => {
  expect(partitionLevelFrom({})).toBeUndefined()
  expect(partitionLevelFrom({ PARTITION_LEVEL: ' city ' })).toBe('city')
  expect(() => partitionLevelFrom({ PARTITION_LEVEL: 'county' })).toThrow('PARTITION_LEVEL="county" must be one of province, city, district')
  expect(() => partitionLevelFrom({ PARTITION_LEVEL: '市' })).toThrow(/must be one of/)
  // the demo tree's root is a city: no region is a province, so nothing could be partitioned by it
  expect(() => loadRegions(undefined, 'province')).toThrow(/PARTITION_LEVEL="province": .* has no region at that level/)
  expect(loadRegions(undefined, 'city').partitions).toEqual(['']) // the root's own level: one partition
  expect([...loadRegions(undefined, 'district').partitions].sort()).toEqual(['', '650402', '650421', '650422'])
})
