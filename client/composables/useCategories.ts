import { computed } from 'vue'
import type { CategoryConfig } from '@domain/categories.ts'
import { sharedResource } from './shared-resource.ts'

/** GET /api/v1/categories answers the category config without its comment. */
export type CategoryTrees = Omit<CategoryConfig, '$comment'>
type CategoryNode = { code: string; name: string; children?: CategoryNode[] }

const resource = sharedResource<CategoryTrees>('/api/v1/categories')

const names = computed(() => {
  const map = new Map<string, string>()
  const walk = (nodes: CategoryNode[] | undefined) => {
    for (const n of nodes ?? []) {
      map.set(n.code, n.name)
      walk(n.children)
    }
  }
  walk(resource.data.value?.case as CategoryNode[] | undefined)
  walk(resource.data.value?.hotline as CategoryNode[] | undefined)
  return map
})

/** Category names by code (case and hotline trees), fetched once and shared. */
export function useCategories() {
  resource.load()
  const categoryName = (code: string | undefined): string => (code ? (names.value.get(code) ?? code) : '')
  return { categoryName }
}
