import { onBeforeUnmount, ref, shallowRef, watch } from 'vue'
import type { OpenPage, SubjectFeed } from '@domain/api.ts'
import { ApiError } from '@client/api/request-json.ts'
import { useTabletApi } from './useTabletApi.ts'

export const OPEN_PAGE = 20 // a district has hundreds open: the map and ranking below must stay within reach
const OPEN_MAX = 500 // the route's own limit
const REFRESH_MS = 3_000

/**
 * The open cases and work orders of a region (GET /api/v1/open), most
 * urgent deadline first, so the overdue ones lead. Pages grow by
 * OPEN_PAGE ("show more"). Live: `changes` is what moves when the region's
 * work moves (a new case or hotline event, an overdue count); a change
 * refetches, at most once per REFRESH_MS.
 */
export function useTabletOpen(region: () => string | null, changes: () => unknown, initialFeed: SubjectFeed | null = null) {
  const api = useTabletApi()
  const feed = ref<SubjectFeed | null>(initialFeed)
  const limit = ref(OPEN_PAGE)
  const page = shallowRef<OpenPage | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  let seq = 0 // a late answer for another region or filter is dropped
  let lastLoad = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  async function load() {
    const code = region()
    if (!code) return
    const mine = ++seq
    lastLoad = performance.now()
    loading.value = true
    try {
      const p = await api.open(code, feed.value, limit.value)
      if (mine !== seq) return
      page.value = p
      error.value = null
    } catch (err) {
      if (mine === seq) error.value = err instanceof ApiError ? err : new ApiError(0, 'CONNECT', String(err))
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function refreshSoon() {
    if (timer) return
    const wait = Math.max(0, lastLoad + REFRESH_MS - performance.now())
    timer = setTimeout(() => {
      timer = undefined
      void load()
    }, wait)
  }

  watch([region, feed], () => {
    limit.value = OPEN_PAGE
    page.value = null
    error.value = null
    void load()
  }, { immediate: true })
  watch(changes, refreshSoon)
  onBeforeUnmount(() => clearTimeout(timer))

  const hasMore = () => !!page.value && page.value.items.length < page.value.total && limit.value < OPEN_MAX
  function more() {
    limit.value = Math.min(OPEN_MAX, limit.value + OPEN_PAGE)
    void load()
  }

  return { feed, page, loading, error, hasMore, more, reload: load }
}
