/**
 * The config files the simulator draws from: the region GeoJSON (grids with
 * population) and the category tree, read from config/ like the server does.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Categories } from '../server/domain/categories.ts'
import type { RegionCollection } from '../server/domain/regions.ts'
import type { SimCategories } from './generators/catalog.ts'

export interface SimConfig { regions: RegionCollection; categories: SimCategories }

const CONFIG_DIR = resolve(import.meta.dirname, '../config')

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`)
  }
}

/** Regions from `regionsFile` (default: the one .geojson in config/regions) and config/categories.json. */
export function loadSimConfig(regionsFile?: string): SimConfig {
  const dir = join(CONFIG_DIR, 'regions')
  const path = regionsFile ?? join(dir, readdirSync(dir).find((f) => f.endsWith('.geojson')) ?? 'missing.geojson')
  const regions = readJson(path) as RegionCollection
  if (regions?.type !== 'FeatureCollection' || !Array.isArray(regions.features)) throw new Error(`${path} is not a GeoJSON FeatureCollection`)
  const categories = Categories.parse(readJson(join(CONFIG_DIR, 'categories.json'))).config
  return { regions, categories }
}
