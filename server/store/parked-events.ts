/** Typed wrapper of park-sweep.lua, and the refused list it fills (DESIGN §5: GET /api/v1/refused). */
import type { RefusedEvent } from '../domain/api.ts'
import { keys } from './keys.ts'
import { mergeOrdered, ONE_PARTITION, readPartitions, type PartitionMap } from './partition-reads.ts'
import type { Store } from './redis-client.ts'

/** How many refused events a channel keeps for the operator (oldest dropped first). */
export const REFUSED_KEPT = 1000

export interface SweepOptions {
  channel: string
  /** Channel now, ms. */
  now: number
  windowMs: number
  logMaxLen: number
  /** Most events refused by one call (default 500); the next call takes the rest. */
  limit?: number
}

/** Refuse the events parked at or before now − window; returns how many. */
export async function sweepParked(store: Store, o: SweepOptions): Promise<number> {
  const k = keys(o.channel)
  return Number(await store.luaParkSweep(
    k.parked, k.log, k.refused, k.stats,
    k.prefix, String(o.now - o.windowMs), String(o.logMaxLen), String(o.limit ?? 500), String(REFUSED_KEPT),
    String(o.now), String(Math.round((o.windowMs / 3_600_000) * 1000) / 1000),
  ))
}

/**
 * The refused events of a channel, newest first, and how many the lists hold: each partition keeps a
 * list of its own (DESIGN §11), read together and merged by when they were refused.
 */
export async function readRefused(store: Store, channel: string, limit: number, map: PartitionMap = ONE_PARTITION): Promise<{ total: number; items: RefusedEvent[] }> {
  const parts = await readPartitions(store, channel, map.partitions, (p, k) => {
    p.llen(k.refused).lrange(k.refused, -limit, -1)
    return (r) => ({ total: r.next<number>(), items: r.next<string[]>().map((j) => JSON.parse(j) as RefusedEvent).reverse() })
  })
  return {
    total: parts.reduce((n, part) => n + part.total, 0),
    items: mergeOrdered(parts.map((part) => part.items), (a, b) => b.refusedAt - a.refusedAt, limit),
  }
}

/** How many events of a channel are parked now, over its partitions. */
export async function parkedCount(store: Store, channel: string, map: PartitionMap = ONE_PARTITION): Promise<number> {
  const parts = await readPartitions(store, channel, map.partitions, (p, k) => {
    p.zcard(k.parked)
    return (r) => r.next<number>()
  })
  return parts.reduce((a, b) => a + b, 0)
}
