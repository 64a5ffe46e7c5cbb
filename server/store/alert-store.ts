/** Typed wrappers of raise-alert.lua and end-alert.lua, and the list of active alerts. */
import type { Alert, AlertState } from '../domain/alerts.ts'
import { keys } from './keys.ts'
import type { Queue } from './lua-scripts.ts'
import type { Store } from './redis-client.ts'

export const ALERT_LOG_MAXLEN = 10_000
export const ACTIVE_ALERTS_CAP = 2_000
const DEDUPE_TTL_SEC = 7 * 86_400

/** A condition checked atomically with the raise: the subject is still open with this deadline. */
export interface StillOpen { open: string; subject: string; deadline: number }

/** Queue the raise of an alert (skipped when its id was raised before or `stillOpen` no longer holds). */
export function queueRaise(target: Queue, channel: string, alert: Alert, stillOpen?: StillOpen): Queue
export function queueRaise(target: Store, channel: string, alert: Alert, stillOpen?: StillOpen): Promise<0 | 1>
export function queueRaise(target: Store | Queue, channel: string, alert: Alert, stillOpen?: StillOpen) {
  const k = keys(channel)
  const guard = stillOpen ? [stillOpen.subject, String(stillOpen.deadline)] : []
  return target.luaRaiseAlert(
    k.alertSeen(alert.id), k.alertsActive, k.alertsById, k.alertLog, stillOpen?.open ?? k.alertsById,
    alert.id, JSON.stringify(alert), String(alert.at), String(DEDUPE_TTL_SEC), String(ALERT_LOG_MAXLEN), String(ACTIVE_ALERTS_CAP),
    ...guard,
  )
}

/** Raise an alert unless its id was raised before; true when it is new. */
export async function raiseAlert(store: Store, channel: string, alert: Alert): Promise<boolean> {
  return (await queueRaise(store, channel, alert)) === 1
}

/** End an active alert; the alert when it was active. */
export async function endAlert(store: Store, channel: string, id: string, state: Exclude<AlertState, 'active'>): Promise<Alert | null> {
  const k = keys(channel)
  const json = await store.luaEndAlert(k.alertsActive, k.alertsById, k.alertLog, id, state, String(ALERT_LOG_MAXLEN))
  return json ? (JSON.parse(json) as Alert) : null
}

/** Active alerts, newest first. */
export async function activeAlerts(store: Store, channel: string): Promise<Alert[]> {
  const all = await store.hvals(keys(channel).alertsById)
  return all.map((j) => JSON.parse(j) as Alert).sort((a, b) => b.at - a.at)
}
