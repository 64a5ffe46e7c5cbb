/** Response types of HTTP routes that the client reads, shared by server and client instead of copied. */
import type { Alert, AlertState } from './alerts.ts'
import type { KpiValues } from './kpis.ts'
import type { Ranking } from './rankings.ts'
import type { ReportPeriod } from './report-period.ts'

/** An alert first seen in a report's period, with its latest state. */
export interface AlertOfPeriod extends Alert { state: AlertState }

/** GET /api/v1/report: a region's 日报 for a day, week or month against the period before it. */
export interface ReportData {
  channel: string
  region: { code: string; name: string; level: string }
  period: ReportPeriod
  date: string
  generatedAt: number
  /** The channel's zone, in which days and times are read. */
  zone: string
  current: { from: string; to: string; kpis: KpiValues }
  previous: { from: string; to: string; kpis: KpiValues }
  trend:
    | { unit: '10min'; points: { bucket: number; current: number; previous: number }[] }
    | { unit: 'day'; points: { day: string; caseReported: number; hotlineReceived: number; caseClosedFlow: number; hotlineClosedFlow: number }[] }
  categories: { code: string; name: string; count: number }[]
  ranking: Ranking | null
  overdue: { feed: string; subject: string; category?: string; categoryName?: string; region: string; regionName: string; state: string; deadline: number }[]
  alerts: AlertOfPeriod[]
  /** Alerts come from the alert stream (its last entries), not only the active ones. */
  alertsSource: 'history'
  /**
   * The first day (YYYY-MM-DD) whose per-day counters are still held, when
   * older ones were deleted (DAY_COUNTERS_DAYS, DESIGN §8); null: every day is
   * held. Days of either period before it read as zero: the page says so.
   */
  countersFrom: string | null
}

/** One event refused after the park window (GET /api/v1/refused). */
export interface RefusedEvent {
  event: { id: string; feed: string; type: string; subject: string; at: number; [k: string]: unknown }
  region: string
  reason: string
  /** The subject's state when it was refused ('' when the subject never arrived). */
  state: string
  parkedAt: number
  refusedAt: number
}
export interface RefusedList { channel: string; total: number; items: RefusedEvent[] }
