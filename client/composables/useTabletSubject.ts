import { computed, ref, shallowRef, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { SubjectFeed, SubjectView } from '@domain/api.ts'
import { ApiError } from '@client/api/request-json.ts'
import { useTabletApi } from './useTabletApi.ts'

export interface SubjectRef { feed: SubjectFeed; subject: string }

function parse(v: unknown): SubjectRef | null {
  const m = typeof v === 'string' ? /^(case|hotline|service):(.+)$/.exec(v) : null
  return m ? { feed: m[1] as SubjectFeed, subject: m[2]! } : null
}

/**
 * The case or work order whose history is open, from `?subject=case:<id>`:
 * the sheet is part of the URL, so the back gesture closes it and a shared
 * link opens it. `changes` moves when one of its events arrives: refetch.
 */
export function useTabletSubject(changes: (s: SubjectRef) => unknown) {
  const route = useRoute()
  const router = useRouter()
  const api = useTabletApi()
  const selected = computed(() => parse(route.query.subject))
  const view = shallowRef<SubjectView | null>(null)
  const loading = ref(false)
  const error = shallowRef<ApiError | null>(null)
  let seq = 0

  async function load(s: SubjectRef | null, keep = false) {
    const mine = ++seq
    if (!keep) view.value = null
    error.value = null
    if (!s) return
    loading.value = true
    try {
      const v = await api.subject(s.feed, s.subject)
      if (mine === seq) view.value = v
    } catch (err) {
      if (mine === seq) error.value = err instanceof ApiError ? err : new ApiError(0, 'CONNECT', String(err))
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  watch(selected, (s) => void load(s), { immediate: true })
  watch(() => (selected.value ? changes(selected.value) : undefined), (now, before) => {
    if (now !== before && now !== undefined) void load(selected.value, true)
  })

  const withSubject = (subject: string | undefined) => {
    const { subject: _, ...query } = route.query
    return { name: route.name!, params: route.params, query: subject ? { ...query, subject } : query }
  }

  function open(feed: SubjectFeed, subject: string) {
    void router.push(withSubject(`${feed}:${subject}`))
  }

  /** Back when the sheet was opened here (so history does not keep it), else drop it from the URL. */
  function close() {
    if (!selected.value) return
    const back = (window.history.state as { back?: string | null } | null)?.back
    if (back && back === router.resolve(withSubject(undefined)).fullPath) router.back()
    else void router.replace(withSubject(undefined))
  }

  return { selected, view, loading, error, open, close }
}
