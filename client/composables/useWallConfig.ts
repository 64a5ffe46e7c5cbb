import type { WallConfig } from '@domain/api.ts'
import { sharedResource } from '@client/stores/shared-resource.ts'

const resource = sharedResource<WallConfig>('/api/v1/wall-config')

/** GET /api/v1/wall-config (map engine and tiles, carousel interval), fetched once and shared. */
export function useWallConfig() {
  resource.load()
  return { config: resource.data, error: resource.error }
}
