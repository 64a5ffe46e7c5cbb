/** Typed wrapper of park-sweep.lua, and the refused list it fills (DESIGN §5: GET /api/v1/refused). */
import type { RefusedEvent } from '../domain/api.ts'
import { keys } from './keys.ts'
import type { Store } from './redis-client.ts'

/** How many refused events a channel keeps for the operator (oldest dropped first). */
export const REFUSED_KEPT = 1000

export interface SweepOptions {
  channel: string
  /** The partition swept (DESIGN §11: each Lua call touches one); default the root one, all of an unpartitioned channel. */
  partition?: string
  /** Channel now, ms. */
  now: number
  windowMs: number
  logMaxLen: number
  /** Most events refused by one call (default 500); the next call takes the rest. */
  limit?: number
}

/** Refuse the events parked at or before now − window; returns how many. */
export async function sweepParked(store: Store, o: SweepOptions): Promise<number> {
  const k = keys(o.channel, o.partition)
  return Number(await store.luaParkSweep(
    k.parked, k.log, k.refused, k.stats,
    k.prefix, String(o.now - o.windowMs), String(o.logMaxLen), String(o.limit ?? 500), String(REFUSED_KEPT),
    String(o.now), String(Math.round((o.windowMs / 3_600_000) * 1000) / 1000),
  ))
}

/**
 * The refused events of a channel, newest first, and how many the lists hold.
 * Each partition (DESIGN §11) keeps a list of its own: one pipeline each, in
 * flight together, merged by when they were refused.
 */
export async function readRefused(store: Store, channel: string, limit: number, partitions: readonly string[] = ['']): Promise<{ total: number; items: RefusedEvent[] }> {
  const lists = await Promise.all(partitions.map(async (partition) => {
    const k = keys(channel, partition)
    const [[e1, total], [e2, raw]] = (await store.pipeline().llen(k.refused).lrange(k.refused, -limit, -1).exec()) as [[Error | null, number], [Error | null, string[]]]
    if (e1 || e2) throw e1 ?? e2
    return { total, items: raw.map((j) => JSON.parse(j) as RefusedEvent).reverse() }
  }))
  if (lists.length === 1) return lists[0]!
  const items = lists.flatMap((l) => l.items).sort((a, b) => b.refusedAt - a.refusedAt).slice(0, limit)
  return { total: lists.reduce((s, l) => s + l.total, 0), items }
}

/** How many events of a channel are parked now, over its partitions. */
export async function parkedCount(store: Store, channel: string, partitions: readonly string[] = ['']): Promise<number> {
  const counts = await Promise.all(partitions.map((partition) => store.zcard(keys(channel, partition).parked)))
  return counts.reduce((s, n) => s + n, 0)
}
