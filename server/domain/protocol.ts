/** The socket.io wire contract shared by server and client (DESIGN §7). */
import type { Alert, AlertUpdate } from './alerts.ts'
import type { ErrorCode } from './errors.ts'
import type { Feed } from './lifecycles.ts'
import type { KpiSet, KpiValues, Period } from './kpis.ts'
import type { Ranking } from './rankings.ts'

export type Ack<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string }

/** One event as it travels to screens: the log entry, with the resolved region. */
export interface LiveEvent {
  sid: string // stream id in the channel log: the cursor
  id: string
  feed: Feed
  type: string
  subject: string
  at: number
  region: string
  location?: [number, number]
  category?: string
  applied: boolean // false: refused as out of order, kept in the log
  kind?: string
  severity?: string
}

export interface TrendPoint { bucket: number; today: number; yesterday: number }

/** An open case or work order past its deadline. */
export interface OverdueItem { feed: 'case' | 'hotline' | 'service'; subject: string; deadline: number; region: string; state: string; category?: string }
/** An on-duty grid worker's last position. */
export interface WorkerPosition { id: string; location: [number, number] }

/** A region's panels besides its KPIs; in every snapshot and pushed (`panels`) when they change. */
export interface Panels {
  trend: TrendPoint[] // today per 10 minutes, with yesterday beside it
  categories: { code: string; count: number }[] // intake today by category, largest first
  hotlineKinds: { kind: string; count: number }[] // work orders received today by kind
  overdue: OverdueItem[] // cases and work orders, most overdue first, at most SNAPSHOT_OVERDUE
  serviceOverdue: OverdueItem[] // 代办 errands past their time limit, most overdue first, at most SNAPSHOT_OVERDUE
  ranking: Ranking | null // the region's children; null for a grid
}

export interface Snapshot extends Panels {
  channel: string
  region: string
  kpis: KpiSet
  events: LiveEvent[] // last 50 of the region's subtree, or, when resumed, every event after `since`
  resumed: boolean
  alerts: Alert[] // active alerts in the region's subtree, newest first
  workers: WorkerPosition[] // on-duty workers with a known position, at most SNAPSHOT_WORKERS
  cursor: string
  clock: ClockState
}

export interface ClockState { now: number; speed: number; paused: boolean; zone: string }

export interface SubscribeReq { region: string; since?: string }
export interface EventBatch { cursor: string; items: LiveEvent[] }
export interface KpiUpdate { region: string; values: Partial<Record<Period, KpiValues>> }
export interface PanelsUpdate extends Panels { region: string }

export interface ServerToClient {
  events: (b: EventBatch) => void
  kpis: (u: KpiUpdate) => void
  clock: (c: ClockState) => void
  reset: (s: Snapshot) => void
  alert: (u: AlertUpdate) => void
  panels: (u: PanelsUpdate) => void
}

export interface ClientToServer {
  subscribe: (req: SubscribeReq, ack: (r: Ack<Snapshot>) => void) => void
}

export const SNAPSHOT_EVENTS = 50
export const SNAPSHOT_OVERDUE = 20
export const SNAPSHOT_WORKERS = 2000
