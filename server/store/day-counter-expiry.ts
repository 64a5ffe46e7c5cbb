/**
 * Retention of the per-day counter keys (DESIGN §8): a region's day hash,
 * 10-minute trend, category counts and patrolled grids of a day older than
 * DAY_COUNTERS_DAYS of channel time are deleted; month and year counters stay.
 * The region tree names every key, so nothing is scanned: the channel meta
 * keeps the first day still held (`dayCountersFrom`, yyyymmdd) and each run
 * walks forward from there, a bounded number of days at a time. With
 * PARTITION_LEVEL (DESIGN §11) each partition holds the day counters of its
 * regions and of their ancestors above the level: a day is deleted in every
 * partition (one UNLINK per partition and chunk: one slot each) before the
 * watermark, kept once for the channel, moves past it.
 */
import { dayKey } from '../domain/clock.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { keys } from './keys.ts'
import type { Store } from './redis-client.ts'

export const DAY_COUNTERS_FROM = 'dayCountersFrom'
/** Event times before 1970 are refused (domain/event-bounds.ts): no day key is older. */
const FIRST_YEAR = 1970
const UNLINK_CHUNK = 1000

export interface DayCounterExpiry {
  channel: string
  /** Every region code of the tree (the root included). */
  regions: readonly string[]
  /** The partitions of the channel and the regions whose day counters each holds (dayCounterPartitions); absent: one, holding `regions`. */
  partitions?: readonly PartitionRegions[]
  root: string
  zone: string
  now: number
  keepDays: number
  /** Days deleted at most in one run (each: 4 keys per region). */
  maxDays?: number
}

export interface PartitionRegions { partition: string; regions: readonly string[] }

/**
 * The regions whose counters each partition holds: those placed in it, and
 * (below the root partition) their ancestors above the partition level, whose
 * counters every partition keeps a share of.
 */
export function dayCounterPartitions(regions: RegionIndex): PartitionRegions[] {
  const codes = regions.collection.features.map((f) => f.properties.code)
  return regions.partitions.map((partition) => ({
    partition,
    regions: codes.filter((c) => {
      const own = regions.partitionOf(c)
      return own === partition || (own === '' && partition !== '' && regions.within(partition, c))
    }),
  }))
}

export interface DayCounterExpiryResult { days: string[]; keys: number; from: string }

/** The day key after `day` (calendar arithmetic, no zone involved). */
export function nextDay(day: string): string {
  const d = new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)) + 1))
  return d.toISOString().slice(0, 10).replaceAll('-', '')
}

/** The first day whose counters are kept at `now`: days before it are due. */
export function firstKeptDay(now: number, keepDays: number, zone: string): string {
  return dayKey(now - keepDays * 86_400_000, zone)
}

/** The first day whose per-day counters are still held, or null when none was ever deleted. */
export async function dayCountersFrom(store: Pick<Store, 'hget'>, channel: string): Promise<string | null> {
  return store.hget(keys(channel).meta, DAY_COUNTERS_FROM)
}

/**
 * Where a partition's day counters begin when no run has recorded it: the
 * first year, then month, then day counted at the root (every counter is
 * counted up to the root, in the event's partition), found by EXISTS on a few
 * hundred keys named from the calendar.
 */
async function oldestCountedDay(store: Store, k: ReturnType<typeof keys>, root: string, until: string): Promise<string> {
  const first = async (candidates: string[], key: (c: string) => string) => {
    const replies = (await candidates.reduce((p, c) => p.exists(key(c)), store.pipeline()).exec()) ?? []
    return candidates.find((_, i) => Number(replies[i]?.[1]) === 1)
  }
  const pad = (n: number) => String(n).padStart(2, '0')
  const year = await first(Array.from({ length: Number(until.slice(0, 4)) - FIRST_YEAR + 1 }, (_, i) => String(FIRST_YEAR + i)), (y) => k.year(root, y))
  if (!year) return until
  const month = await first(Array.from({ length: 12 }, (_, i) => `${year}${pad(i + 1)}`), (m) => k.month(root, m))
  if (!month) return `${year}0101`
  return (await first(Array.from({ length: 31 }, (_, i) => `${month}${pad(i + 1)}`), (d) => k.day(root, d))) ?? `${month}01`
}

/** Delete the day counters of up to `maxDays` due days of a channel; returns the days deleted and the first day now held. */
export async function expireDayCounters(store: Store, o: DayCounterExpiry): Promise<DayCounterExpiryResult> {
  const meta = keys(o.channel).meta
  const parts = (o.partitions ?? [{ partition: '', regions: o.regions }]).map((p) => ({ ...p, k: keys(o.channel, p.partition) }))
  const cutoff = firstKeptDay(o.now, o.keepDays, o.zone)
  let from = (await dayCountersFrom(store, o.channel))
    ?? (await Promise.all(parts.map((p) => oldestCountedDay(store, p.k, o.root, cutoff)))).reduce((a, b) => (b < a ? b : a))
  const days: string[] = []
  let deleted = 0
  while (from < cutoff && days.length < (o.maxDays ?? 10)) {
    const day = from
    const counts = await Promise.all(parts.map(async ({ k, regions }) => {
      const names = regions.flatMap((r) => [k.day(r, day), k.trend(r, day), k.categories(r, day), k.patrolled(r, day)])
      // every key of a partition shares its hash tag, so one UNLINK may name many even on a Cluster
      let n = 0
      for (let i = 0; i < names.length; i += UNLINK_CHUNK) n += await store.unlink(...names.slice(i, i + UNLINK_CHUNK))
      return n
    }))
    deleted += counts.reduce((s, n) => s + n, 0)
    days.push(day)
    from = nextDay(day)
    await store.hset(meta, DAY_COUNTERS_FROM, from)
  }
  return { days, keys: deleted, from }
}
