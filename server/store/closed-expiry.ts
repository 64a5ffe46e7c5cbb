/** Typed wrapper of expire-closed.lua: retention of ended subjects (DESIGN §8). */
import { keys } from './keys.ts'
import type { Store } from './redis-client.ts'

/**
 * Expire the subjects ended at or before now − ttl (channel time) in one
 * partition of the channel (DESIGN §11; default the root one, all of an
 * unpartitioned channel); returns how many.
 */
export async function expireClosed(store: Store, o: { channel: string; partition?: string; now: number; ttlMs: number; limit?: number }): Promise<number> {
  const k = keys(o.channel, o.partition)
  return Number(await store.luaExpireClosed(k.ended, k.parked, k.prefix, String(o.now - o.ttlMs), String(o.limit ?? 500)))
}
