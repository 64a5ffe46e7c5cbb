/**
 * GET /api/v1/wall-config: what a screen needs before it draws — the map
 * engine (maplibre-gl by default, mapbox-gl only when a token is configured),
 * an optional tile source on our intranet, and the idle carousel interval.
 */
import { Router } from 'express'
import type { WallConfig } from '../domain/api.ts'

/** Read from MAPBOX_TOKEN, MAP_TILES_URL (+ MAP_TILES_TYPE, MAP_TILES_ATTRIBUTION), WALL_CAROUSEL_SEC. */
export function wallConfigFromEnv(env: NodeJS.ProcessEnv): WallConfig {
  const carouselSec = Number(env.WALL_CAROUSEL_SEC || 0)
  if (!Number.isFinite(carouselSec) || carouselSec < 0) throw new Error(`WALL_CAROUSEL_SEC="${env.WALL_CAROUSEL_SEC}" must be seconds ≥ 0 (0 = off)`)
  const type = env.MAP_TILES_TYPE || 'raster'
  if (type !== 'raster' && type !== 'vector') throw new Error(`MAP_TILES_TYPE="${type}" must be raster or vector`)
  const map: WallConfig['map'] = { engine: env.MAPBOX_TOKEN ? 'mapbox' : 'maplibre' }
  if (env.MAPBOX_TOKEN) map.mapboxToken = env.MAPBOX_TOKEN
  if (env.MAP_TILES_URL) {
    map.tiles = { type, url: env.MAP_TILES_URL }
    if (env.MAP_TILES_ATTRIBUTION) map.tiles.attribution = env.MAP_TILES_ATTRIBUTION
  }
  return { map, carouselSec }
}

export function wallConfigRouter(config: WallConfig): Router {
  const r = Router()
  r.get('/api/v1/wall-config', (_req, res) => {
    res.json(config)
  })
  return r
}
