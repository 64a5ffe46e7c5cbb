/** Response types of HTTP routes that the client reads, shared by server and client instead of copied. */
import type { Alert, AlertState } from './alerts.ts'
import type { KpiValues } from './kpis.ts'
import type { Ranking } from './rankings.ts'
import type { ReportPeriod } from './report-period.ts'
import type { Role } from './users.ts'

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

/** GET /api/v1/wall-config: the map engine and tiles a screen draws with, and the idle carousel interval. */
export interface WallConfig {
  map: {
    engine: 'maplibre' | 'mapbox'
    mapboxToken?: string
    tiles?: { type: 'raster' | 'vector'; url: string; attribution?: string; tileSize?: number }
  }
  carouselSec: number // 0: off
}

export type SubjectFeed = 'case' | 'hotline' | 'service'

/** One row of GET /api/v1/open. */
/**
 * `paused`: an errand whose item stops its clock waits for documents (补正) since then (event time); its
 * `deadline` is the one in force, still to move later by the time it waits, and it is not overdue.
 */
export interface OpenItem { feed: SubjectFeed; subject: string; state: string; category?: string; region: string; deadline: number; overdue: boolean; paused?: number }
export interface OpenPage { total: number; items: OpenItem[] }

/** GET /api/v1/subjects/:feed/:subject: state and lifecycle, oldest step first. */
export interface SubjectView {
  feed: SubjectFeed
  subject: string
  state: string
  category?: string
  region: string
  deadline?: number
  /** 补正 of an item that stops its clock: since when the clock stands still (the deadline moves on resume). */
  paused?: number
  history: { type: string; at: number; applied: boolean }[]
}

/** What an ingest batch answers (DESIGN §4): counts, and each refused item with its reason. */
export interface Rejection { index: number; id: string | null; error: string }
export interface IngestResult { accepted: number; duplicates: number; outOfOrder: number; rejected: Rejection[] }
/** POST /api/v1/channels/:id/events: an ingest answer, and the channel time the events were stamped with. */
export type InjectResult = IngestResult & { at: number }

/** PATCH /api/v1/channels/:id: pause, speed and/or seek (epoch ms). */
export interface ChannelChange { paused?: boolean; speed?: number; seekTo?: number }

/** GET /api/v1/auth/me: who is signed in (a login's answer carries it as `user`, without kind and channel). */
export interface SessionUser {
  username: string
  name: string
  role: Role
  region: string
  kind?: 'session' | 'display'
  /** The one channel a display token shows (null: any). */
  channel?: string | null
}
