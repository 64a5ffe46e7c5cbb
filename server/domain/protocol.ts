/** The socket.io wire contract shared by server and client (DESIGN §7). */
import type { Alert, AlertUpdate } from './alerts.ts'
import type { ErrorCode } from './errors.ts'
import type { Feed } from './lifecycles.ts'
import type { KpiSet, KpiValues, Period } from './kpis.ts'

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

export interface Snapshot {
  channel: string
  region: string
  kpis: KpiSet
  trend: TrendPoint[]
  categories: { code: string; count: number }[]
  events: LiveEvent[] // last 50 of the region's subtree, or, when resumed, every event after `since`
  resumed: boolean
  alerts: Alert[] // active alerts in the region's subtree, newest first
  cursor: string
  clock: ClockState
}

export interface ClockState { now: number; speed: number; paused: boolean; zone: string }

export interface SubscribeReq { region: string; since?: string }
export interface EventBatch { cursor: string; items: LiveEvent[] }
export interface KpiUpdate { region: string; values: Partial<Record<Period, KpiValues>> }

export interface ServerToClient {
  events: (b: EventBatch) => void
  kpis: (u: KpiUpdate) => void
  clock: (c: ClockState) => void
  reset: (s: Snapshot) => void
  alert: (u: AlertUpdate) => void
}

export interface ClientToServer {
  subscribe: (req: SubscribeReq, ack: (r: Ack<Snapshot>) => void) => void
}

export const SNAPSHOT_EVENTS = 50
