import { shallowRef, type ShallowRef } from 'vue'
import { authHeaders, noteTokenAnswer } from './display-token.ts'

export interface SharedResource<T> {
  data: Readonly<ShallowRef<T | null>>
  error: Readonly<ShallowRef<string | null>>
  /** Start the request unless it already ran or is running; idempotent. */
  load(): void
}

const RETRY_MIN_MS = 2_000
const RETRY_MAX_MS = 30_000

/**
 * A JSON document fetched once per page and shared by every caller. A wall
 * may boot before its server, so a failed request is retried with backoff
 * instead of leaving the screen empty for weeks. A wall's display token goes
 * along as a bearer header (a wall has no cookie); a refused one is reported
 * to the page, and still retried slowly in case it is restored.
 */
export function sharedResource<T>(url: string): SharedResource<T> {
  const data = shallowRef<T | null>(null)
  const error = shallowRef<string | null>(null)
  let started = false

  async function attempt(delay: number): Promise<void> {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json', ...authHeaders() } })
      noteTokenAnswer(res.status)
      if (res.status === 401) delay = RETRY_MAX_MS
      if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
      data.value = (await res.json()) as T
      error.value = null
    } catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
      setTimeout(() => void attempt(Math.min(delay * 2, RETRY_MAX_MS)), delay)
    }
  }

  return {
    data,
    error,
    load() {
      if (started) return
      started = true
      void attempt(RETRY_MIN_MS)
    },
  }
}
