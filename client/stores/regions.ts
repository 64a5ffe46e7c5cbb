import { computed } from 'vue'
import type { RegionCollection, RegionProps } from '@domain/regions.ts'
import { sharedResource } from './shared-resource.ts'

const resource = sharedResource<RegionCollection>('/api/v1/regions')

const byCode = computed(() => {
  const map = new Map<string, RegionProps>()
  for (const f of resource.data.value?.features ?? []) map.set(f.properties.code, f.properties)
  return map
})

const root = computed<RegionProps | null>(() => {
  const c = resource.data.value
  if (!c) return null
  const code = c.root ?? c.features.find((f) => !f.properties.parent)?.properties.code
  return (code && byCode.value.get(code)) || null
})

/**
 * Where an event happened, short enough for a ticker row: a township or
 * above by its name, anything deeper prefixed with its township
 * ("托克逊镇 · 新湖村"), since village names repeat across townships.
 */
function placeName(code: string): string {
  const r = byCode.value.get(code)
  if (!r) return code
  if (r.level === 'city' || r.level === 'district' || r.level === 'township') return r.name
  let township = r.parent ? byCode.value.get(r.parent) : undefined
  while (township && township.level !== 'township') township = township.parent ? byCode.value.get(township.parent) : undefined
  return township ? `${township.name} · ${r.name}` : r.name
}

/** The region tree from GET /api/v1/regions, fetched once and shared. */
export function useRegions() {
  resource.load()
  return { collection: resource.data, error: resource.error, byCode, root, placeName }
}
