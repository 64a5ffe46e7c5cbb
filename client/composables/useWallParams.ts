import { computed } from 'vue'
import { useRoute, type LocationQueryValue } from 'vue-router'

export interface WallParams { channel: string; token: string; region: string | null }

const first = (v: LocationQueryValue | LocationQueryValue[] | undefined): string | null =>
  (Array.isArray(v) ? v[0] : v) || null

/** What a wall shows, from its URL: `?channel=` (default live), `?token=`, `?region=` (default: the root region). */
export function useWallParams() {
  const route = useRoute()
  return computed<WallParams>(() => ({
    channel: first(route.query.channel) ?? 'live',
    token: first(route.query.token) ?? '',
    region: first(route.query.region),
  }))
}
