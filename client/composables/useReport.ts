/**
 * The data of a 日报 (GET /api/v1/report) for the route's region, date and
 * period; refetched when they change. A wall's display token goes along as a
 * bearer header like every other fetch; a signed-in leader rides the cookie.
 */
import { shallowRef, watch, type ShallowRef } from 'vue'
import type { ReportData } from '@domain/api.ts'
import type { ReportPeriod } from '@domain/report-period.ts'
import { authHeaders, displayToken, noteTokenAnswer } from '@client/stores/display-token.ts'

export type { ReportData, ReportPeriod }

export interface ReportQuery { region: string; date: string; period: ReportPeriod }

/** The query string of report and export URLs (empty values left out). */
export function reportSearch(q: Partial<ReportQuery> & Record<string, string | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v)
  return p.toString()
}

/** A download link: carries a wall's display token in the URL, since a plain link cannot send a header. */
export function downloadUrl(path: string, q: Record<string, string | undefined>): string {
  return `${path}?${reportSearch({ ...q, token: displayToken() || undefined })}`
}

export function useReport(query: () => ReportQuery): { data: Readonly<ShallowRef<ReportData | null>>; error: Readonly<ShallowRef<string | null>> } {
  const data = shallowRef<ReportData | null>(null)
  const error = shallowRef<string | null>(null)
  let seq = 0
  watch(query, async (q) => {
    const mine = ++seq
    error.value = null
    try {
      const res = await fetch(`/api/v1/report?${reportSearch({ ...q })}`, { headers: { accept: 'application/json', ...authHeaders() }, credentials: 'same-origin' })
      noteTokenAnswer(res.status)
      const body = (await res.json().catch(() => null)) as (ReportData & { error?: { code: string; message: string } }) | null
      if (mine !== seq) return
      if (!res.ok) throw new Error(body?.error?.code ?? `HTTP_${res.status}`)
      data.value = body
    } catch (err) {
      if (mine === seq) error.value = err instanceof Error ? err.message : String(err)
    }
  }, { immediate: true, deep: true })
  return { data, error }
}
