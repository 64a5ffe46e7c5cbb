import { sharedResource } from './shared-resource.ts'

/**
 * The answer of GET /api/v1/wall-config. Mirrors `WallConfig` of
 * server/http/wall-config-router.ts, which imports express and so cannot be
 * imported here; it belongs in server/domain (requested).
 */
export interface WallConfig {
  map: {
    engine: 'maplibre' | 'mapbox'
    mapboxToken?: string
    tiles?: { type: 'raster' | 'vector'; url: string; attribution?: string; tileSize?: number }
  }
  carouselSec: number // 0: off
}

const resource = sharedResource<WallConfig>('/api/v1/wall-config')

/** GET /api/v1/wall-config (map engine and tiles, carousel interval), fetched once and shared. */
export function useWallConfig() {
  resource.load()
  return { config: resource.data, error: resource.error }
}
