/**
 * The data of a 日报 (GET /api/v1/report) for the route's region, date and
 * period; refetched when they change. A wall's display token goes along as a
 * bearer header like every other fetch; a signed-in leader rides the cookie.
 */
import { shallowRef, watch, type ShallowRef } from 'vue'
import type { KpiValues } from '@domain/kpis.ts'
import type { Flag } from '@domain/rankings.ts'
import { authHeaders, displayToken, noteTokenAnswer } from '@client/stores/display-token.ts'

export type ReportPeriod = 'day' | 'week' | 'month'
export interface RankingRow { code: string; name: string; rank: number; score: number | null; flag: Flag | null; values: KpiValues }
export interface ReportData {
  channel: string
  region: { code: string; name: string; level: string }
  period: ReportPeriod
  date: string
  generatedAt: number
  zone: string
  current: { from: string; to: string; kpis: KpiValues }
  previous: { from: string; to: string; kpis: KpiValues }
  trend:
    | { unit: '10min'; points: { bucket: number; current: number; previous: number }[] }
    | { unit: 'day'; points: { day: string; caseReported: number; hotlineReceived: number; caseClosedFlow: number; hotlineClosedFlow: number }[] }
  categories: { code: string; name: string; count: number }[]
  ranking: { entries: RankingRow[]; red: string[]; black: string[] } | null
  overdue: { feed: string; subject: string; category?: string; categoryName?: string; region: string; regionName: string; state: string; deadline: number }[]
  alerts: { id: string; type: string; severity: string; region: string; at: number; text: string; state: string }[]
  alertsSource: 'history'
}

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
