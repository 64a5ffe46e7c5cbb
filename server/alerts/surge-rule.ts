/**
 * Intake surge: a township's intake in the last hour (10-minute trend
 * buckets) against its hourly baseline over the previous 7 days.
 */
import { bucketOfDay, dayKey, lastDays } from '../domain/clock.ts'
import { surgeAlert, type Alert } from '../domain/alerts.ts'
import { COUNTER } from '../domain/counters.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel } from '../channels/channels.ts'
import { readRegions } from '../store/partition-reads.ts'
import type { Store } from '../store/redis-client.ts'
import type { AlertConfig } from './alert-config.ts'

const HOUR = 3_600_000

type Intake = { count: number; week: number }

/**
 * The alerts of every township whose last hour is a surge now. A township's
 * counters live in its partition, or (above PARTITION_LEVEL) in several whose
 * counts are summed (DESIGN §11): one pipeline per partition, in flight together.
 */
export async function surgeAlerts(store: Store, channel: Channel, regions: RegionIndex, cfg: AlertConfig['surge']): Promise<Alert[]> {
  const now = channel.clock.now()
  const zone = channel.clock.zone
  // the six 10-minute buckets ending now, possibly across midnight
  const buckets = Array.from({ length: 6 }, (_, i) => now - i * 600_000).map((t) => [dayKey(t, zone), bucketOfDay(t, zone)] as const)
  const previous = lastDays(now - 86_400_000, zone, 7)
  const townships = regions.collection.features.filter((f) => f.properties.level === 'township').map((f) => f.properties)
  const intakes = await readRegions<Intake>(store, channel.id, regions, townships.map((t) => t.code), (p, k, code) => {
    for (const [day, b] of buckets) p.hget(k.trend(code, day), String(b))
    for (const day of previous) p.hmget(k.day(code, day), COUNTER.caseReported, COUNTER.hotlineReceived)
    return (r) => ({
      count: r.take(buckets.length).reduce<number>((s, v) => s + Number(v ?? 0), 0),
      week: (r.take(previous.length) as (string | null)[][]).reduce((s, [c, h]) => s + Number(c ?? 0) + Number(h ?? 0), 0),
    })
  }, (parts) => ({ count: parts.reduce((s, x) => s + x.count, 0), week: parts.reduce((s, x) => s + x.week, 0) }))
  const out: Alert[] = []
  townships.forEach((t, i) => {
    const { count, week } = intakes[i]!
    const baseline = week / (previous.length * 24)
    if (count >= cfg.minCount && count >= cfg.factor * baseline) {
      out.push(surgeAlert({ township: t.code, hour: Math.floor(now / HOUR), at: now, place: t.name, count, baseline }))
    }
  })
  return out
}
