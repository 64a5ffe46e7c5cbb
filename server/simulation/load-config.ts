/**
 * The config files the simulator draws from: the region GeoJSON (grids with
 * population) and the category tree, read from config/ like the server does.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Categories, type CategoryConfig } from '../domain/categories.ts'
import type { RegionCollection } from '../domain/regions.ts'
import { parseSimParams, type SimParams } from './sim-params.ts'
import { projectRoot } from '../project-root.ts'
import { readJson } from '../read-json.ts'

export interface SimConfig { regions: RegionCollection; categories: CategoryConfig; params: SimParams }

export const CONFIG_DIR = join(projectRoot(import.meta.dirname), 'config')

/** config/simulation.json (or `file`), validated. */
export function loadSimParams(file = join(CONFIG_DIR, 'simulation.json')): SimParams {
  return parseSimParams(readJson(file), file)
}

/** Regions from `regionsFile` (default: the one .geojson in config/regions), config/categories.json and config/simulation.json. */
export function loadSimConfig(regionsFile?: string): SimConfig {
  const dir = join(CONFIG_DIR, 'regions')
  const path = regionsFile ?? join(dir, readdirSync(dir).find((f) => f.endsWith('.geojson')) ?? 'missing.geojson')
  const regions = readJson(path) as RegionCollection
  if (regions?.type !== 'FeatureCollection' || !Array.isArray(regions.features)) throw new Error(`${path} is not a GeoJSON FeatureCollection`)
  const categories = Categories.parse(readJson(join(CONFIG_DIR, 'categories.json'))).config
  return { regions, categories, params: loadSimParams() }
}
