/**
 * Intake surge: a township's intake in the last hour (10-minute trend
 * buckets) against its hourly baseline over the previous 7 days.
 */
import { bucketOfDay, dayKey, lastDays } from '../domain/clock.ts'
import { surgeAlert, type Alert } from '../domain/alerts.ts'
import { COUNTER } from '../domain/counters.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel } from '../channels/channels.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'
import type { AlertConfig } from './alert-config.ts'

const HOUR = 3_600_000

/** The alerts of every township whose last hour is a surge now. */
export async function surgeAlerts(store: Store, channel: Channel, regions: RegionIndex, cfg: AlertConfig['surge']): Promise<Alert[]> {
  const now = channel.clock.now()
  const zone = channel.clock.zone
  const k = keys(channel.id)
  // the six 10-minute buckets ending now, possibly across midnight
  const buckets = Array.from({ length: 6 }, (_, i) => now - i * 600_000).map((t) => [dayKey(t, zone), bucketOfDay(t, zone)] as const)
  const previous = lastDays(now - 86_400_000, zone, 7)
  const townships = regions.collection.features.filter((f) => f.properties.level === 'township').map((f) => f.properties)
  const p = store.pipeline()
  for (const t of townships) {
    for (const [day, b] of buckets) p.hget(k.trend(t.code, day), String(b))
    for (const day of previous) p.hmget(k.day(t.code, day), COUNTER.caseReported, COUNTER.hotlineReceived)
  }
  const replies = ((await p.exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  const per = buckets.length + previous.length
  const out: Alert[] = []
  townships.forEach((t, i) => {
    const r = replies.slice(i * per, (i + 1) * per)
    const count = r.slice(0, buckets.length).reduce<number>((s, v) => s + Number(v ?? 0), 0)
    const week = (r.slice(buckets.length) as (string | null)[][]).reduce((s, [c, h]) => s + Number(c ?? 0) + Number(h ?? 0), 0)
    const baseline = week / (previous.length * 24)
    if (count >= cfg.minCount && count >= cfg.factor * baseline) {
      out.push(surgeAlert({ township: t.code, hour: Math.floor(now / HOUR), at: now, place: t.name, count, baseline }))
    }
  })
  return out
}
