/** Typed wrapper of park-sweep.lua, and the refused list it fills (DESIGN §5: GET /api/v1/refused). */
import type { RefusedEvent } from '../domain/api.ts'
import { keys } from './keys.ts'
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

/** The refused events of a channel, newest first, and how many the list holds. */
export async function readRefused(store: Store, channel: string, limit: number): Promise<{ total: number; items: RefusedEvent[] }> {
  const k = keys(channel)
  const [[e1, total], [e2, raw]] = (await store.pipeline().llen(k.refused).lrange(k.refused, -limit, -1).exec()) as [[Error | null, number], [Error | null, string[]]]
  if (e1 || e2) throw e1 ?? e2
  return { total, items: raw.map((j) => JSON.parse(j) as RefusedEvent).reverse() }
}

/** How many events of a channel are parked now. */
export const parkedCount = (store: Store, channel: string): Promise<number> => store.zcard(keys(channel).parked)
