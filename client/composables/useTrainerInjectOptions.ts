/**
 * What the trainer's inject form offers: the case and hotline category trees
 * (GET /api/v1/categories) and the townships by district with their villages
 * (GET /api/v1/regions), both fetched once and shared.
 */
import { computed } from 'vue'
import type { Feed } from '@domain/lifecycles.ts'
import type { RegionProps } from '@domain/regions.ts'
import { useMessages } from '@client/i18n/messages.ts'
import type { CategoryTrees } from './useCategories.ts'
import { useRegions } from '@client/stores/regions.ts'
import { sharedResource } from '@client/stores/shared-resource.ts'

export interface OptionGroup { code: string; name: string; options: { code: string; name: string }[] }

// useCategories keeps its resource private and exposes names only; the trees are needed here
const categories = sharedResource<CategoryTrees>('/api/v1/categories')

export function useTrainerInjectOptions() {
  categories.load()
  const { collection, byCode } = useRegions()
  const t = useMessages()
  const named = ({ code, name, en }: { code: string; name: string; en?: string | undefined }) =>
    ({ code, name: t.value.locale.startsWith('zh') ? name : (en ?? name) })

  const childrenOf = computed(() => {
    const map = new Map<string, RegionProps[]>()
    for (const f of collection.value?.features ?? []) {
      const p = f.properties
      if (!p.parent) continue
      const list = map.get(p.parent) ?? []
      list.push(p)
      map.set(p.parent, list)
    }
    return map
  })

  /** Townships grouped by their district, in the file's order. */
  const townships = computed<OptionGroup[]>(() => {
    const districts = (collection.value?.features ?? []).map((f) => f.properties).filter((p) => p.level === 'district')
    return districts.map((d) => ({
      code: d.code,
      name: d.name,
      options: (childrenOf.value.get(d.code) ?? []).filter((p) => p.level === 'township').map(({ code, name }) => ({ code, name })),
    })).filter((g) => g.options.length > 0)
  })

  const villagesOf = (township: string) =>
    (childrenOf.value.get(township) ?? []).filter((p) => p.level === 'village').map(({ code, name }) => ({ code, name }))

  const categoryGroups = (feed: Feed): OptionGroup[] => {
    if (feed === 'grid') return []
    return (categories.data.value?.[feed] ?? []).map((g) => ({ ...named(g), options: g.children.map(named) }))
  }

  return { townships, villagesOf, categoryGroups, regionName: (code: string) => byCode.value.get(code)?.name ?? code }
}
