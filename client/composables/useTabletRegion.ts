import { computed, ref, watch } from 'vue'
import { useRoute, useRouter, type RouteLocationRaw } from 'vue-router'
import type { RegionProps } from '@domain/regions.ts'
import { useSessionStore } from '@client/stores/session.ts'
import { useRegions } from '@client/stores/regions.ts'

/**
 * Where the tablet is in the region tree: `/tablet/:region`, held between
 * the user's root (a township leader's township: drill-up stops there) and
 * the grids. A missing region goes to the root; one outside the user's
 * subtree too, with `denied` saying which code was refused.
 */
export function useTabletRegion() {
  const route = useRoute()
  const router = useRouter()
  const session = useSessionStore()
  const { collection, byCode, root } = useRegions()

  const home = computed(() => session.user?.region ?? root.value?.code ?? null)
  const homeRegion = computed(() => (home.value && byCode.value.get(home.value)) || null)
  const requested = computed(() => (typeof route.params.region === 'string' && route.params.region) || null)
  /** The code refused last (outside the user's scope, or unknown), until the user moves on. */
  const denied = ref<string | null>(null)

  const childrenByParent = computed(() => {
    const map = new Map<string, RegionProps[]>()
    for (const f of collection.value?.features ?? []) {
      const p = f.properties
      if (p.parent) map.set(p.parent, [...(map.get(p.parent) ?? []), p])
    }
    for (const list of map.values()) list.sort((a, b) => a.code.localeCompare(b.code))
    return map
  })

  /** The region and its ancestors up to the user's root, root first; empty when outside the scope. */
  function pathFromHome(code: string): RegionProps[] {
    const out: RegionProps[] = []
    for (let r = byCode.value.get(code); r; r = r.parent ? byCode.value.get(r.parent) : undefined) {
      out.unshift(r)
      if (r.code === home.value) return out
    }
    return []
  }

  const current = computed(() => (requested.value && pathFromHome(requested.value).length ? requested.value : null))
  const region = computed(() => (current.value && byCode.value.get(current.value)) || null)
  const crumbs = computed(() => (current.value ? pathFromHome(current.value) : []))
  const children = computed(() => (current.value && childrenByParent.value.get(current.value)) || [])
  const parent = computed(() => (crumbs.value.length > 1 ? crumbs.value[crumbs.value.length - 2]! : null))

  const langQuery = () => (typeof route.query.lang === 'string' ? { lang: route.query.lang } : {})
  const locationOf = (code: string): RouteLocationRaw => ({ name: 'tablet', params: { region: code }, query: langQuery() })

  watch([requested, home, collection], ([code, homeCode, c]) => {
    if (!c || !homeCode || !byCode.value.get(homeCode)) return
    if (!code) return void router.replace(locationOf(homeCode))
    if (!pathFromHome(code).length) {
      denied.value = code
      void router.replace(locationOf(homeCode))
    }
  }, { immediate: true })

  /** Show a region (a child, a crumb, a ranking row). */
  function go(code: string) {
    if (code === current.value) return
    denied.value = null
    void router.push(locationOf(code))
  }

  /** One level up, never above the user's root. Back in history when that is where we came from. */
  function up(): boolean {
    const p = parent.value
    if (!p) return false
    denied.value = null
    const back = (window.history.state as { back?: string | null } | null)?.back
    if (back && back === router.resolve(locationOf(p.code)).fullPath) router.back()
    else void router.push(locationOf(p.code))
    return true
  }

  return { home, homeRegion, current, region, crumbs, children, parent, denied, collection, go, up }
}
