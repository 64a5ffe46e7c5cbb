import { computed } from 'vue'
import type { CategoryConfig } from '@domain/categories.ts'
import { useMessages } from '@client/i18n/messages.ts'
import { sharedResource } from '@client/stores/shared-resource.ts'

/** GET /api/v1/categories answers the category config without its comment. */
export type CategoryTrees = Omit<CategoryConfig, '$comment'>
type CategoryNode = { code: string; name: string; en?: string; children?: CategoryNode[] }

const resource = sharedResource<CategoryTrees>('/api/v1/categories')

const names = computed(() => {
  const map = new Map<string, { name: string; en?: string }>()
  const walk = (nodes: CategoryNode[] | undefined) => {
    for (const n of nodes ?? []) {
      map.set(n.code, { name: n.name, en: n.en })
      walk(n.children)
    }
  }
  walk(resource.data.value?.case as CategoryNode[] | undefined)
  walk(resource.data.value?.hotline as CategoryNode[] | undefined)
  walk(resource.data.value?.service as CategoryNode[] | undefined)
  return map
})

/** Category names by code (case, hotline and 代办 service trees), fetched once and shared; English ones (`en`) with ?lang=en. */
export function useCategories() {
  resource.load()
  const t = useMessages()
  const categoryName = (code: string | undefined): string => {
    if (!code) return ''
    const n = names.value.get(code)
    if (!n) return code
    return t.value.locale.startsWith('zh') ? n.name : (n.en ?? n.name)
  }
  return { categoryName }
}
