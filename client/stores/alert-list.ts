import type { Alert, AlertState, AlertUpdate } from '@domain/alerts.ts'

/** One alert update as the wall saw it; `seq` grows by one per update, so a reader can tell what is new. */
export interface AlertLogEntry { seq: number; state: AlertState; alert: Alert }

/**
 * Apply `alert` pushes to the active list (newest first): an active alert is
 * added (once per id), a resolved or acknowledged one leaves. Capped; returns
 * the same array when nothing changed.
 */
export function applyAlertUpdates(list: readonly Alert[], updates: readonly AlertUpdate[], cap: number): readonly Alert[] {
  if (updates.length === 0) return list
  const byId = new Map(list.map((a) => [a.id, a]))
  let changed = false
  for (const u of updates) {
    if (u.state === 'active') {
      if (byId.has(u.alert.id)) continue
      byId.set(u.alert.id, u.alert)
      changed = true
    } else changed = byId.delete(u.alert.id) || changed
  }
  if (!changed) return list
  const next = [...byId.values()].sort((a, b) => b.at - a.at)
  if (next.length > cap) next.length = cap
  return next
}

/**
 * The log a wall opens with: the snapshot's active alerts, newest first, so
 * the alert log is not empty while alerts are open. They are numbered at or
 * below `lastSeq`: a reader that has seen up to `lastSeq` (the banner) does
 * not take what was already open for news.
 */
export function seedAlertLog(active: readonly Alert[], lastSeq: number, cap: number): readonly AlertLogEntry[] {
  return [...active].sort((a, b) => b.at - a.at).slice(0, cap).map((alert, i) => ({ seq: lastSeq - i, state: 'active' as const, alert }))
}

/** Alerts a resumed snapshot lists as active that `shown` lacks: raised while the wall was away, news for its log. */
export function missedAlerts(shown: readonly Alert[], active: readonly Alert[]): Alert[] {
  const known = new Set(shown.map((a) => a.id))
  return active.filter((a) => !known.has(a.id)).sort((a, b) => a.at - b.at)
}

/** Prepend updates (newest first) to the log ring, numbering them after `lastSeq`. */
export function appendAlertLog(log: readonly AlertLogEntry[], updates: readonly AlertUpdate[], lastSeq: number, cap: number): readonly AlertLogEntry[] {
  if (updates.length === 0) return log
  const fresh = updates.map((u, i) => ({ seq: lastSeq + i + 1, state: u.state, alert: u.alert })).reverse()
  const next = [...fresh, ...log]
  if (next.length > cap) next.length = cap
  return next
}
