/** Alerts raised in a run of days, from the alert stream (raise and end entries; the last ALERT_LOG_MAXLEN kept). */
import type { Redis } from 'ioredis'
import type { Alert, AlertState } from '../domain/alerts.ts'
import type { AlertOfPeriod } from '../domain/api.ts'
import { dayKey } from '../domain/clock.ts'
import { keys } from './keys.ts'
import { ALERT_LOG_MAXLEN } from './alert-store.ts'

/** Alerts first seen on one of `days` (zoned) that `keep` accepts, with their latest state, newest first. */
export async function readAlertHistory(redis: Redis, channel: string, zone: string, days: string[], keep: (a: Alert) => boolean): Promise<AlertOfPeriod[]> {
  const wanted = new Set(days)
  const entries = (await redis.xrange(keys(channel).alertLog, '-', '+', 'COUNT', ALERT_LOG_MAXLEN * 2)) as [string, string[]][]
  const byId = new Map<string, AlertOfPeriod>()
  for (const [, fields] of entries) {
    const f: Record<string, string> = {}
    for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
    if (!f.a) continue
    const alert = JSON.parse(f.a) as Alert
    if (!wanted.has(dayKey(alert.at, zone)) || !keep(alert)) continue
    byId.set(alert.id, { ...alert, state: (f.k ?? 'active') as AlertState })
  }
  return [...byId.values()].sort((a, b) => b.at - a.at)
}
