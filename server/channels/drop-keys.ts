/**
 * Frees a channel's keys: all of them (delete), or its derived state only
 * (seek keeps the source, meta and lease). Every key of channel c, in every
 * partition (DESIGN §11: `sr:{c}:*` and `sr:{c:P}:*`), matches one pattern,
 * so one scan finds them all; UNLINK frees large values off the main thread.
 * On a Redis Cluster every master is scanned (server/store/scan-keys.ts).
 */
import type { Redis } from 'ioredis'
import { channelPattern } from '../store/keys.ts'
import { scanKeys, unlinkOnNode } from '../store/scan-keys.ts'

const SCAN_COUNT = 2_000

/** Unlink every key of the channel (every partition) except those in `keep`; returns how many were unlinked. */
export async function unlinkChannelKeys(redis: Redis, channel: string, keep: ReadonlySet<string> = new Set()): Promise<number> {
  let freed = 0
  for await (const { node, keys: found } of scanKeys(redis, channelPattern(channel), SCAN_COUNT)) {
    freed += await unlinkOnNode(node, found.filter((k) => !keep.has(k)))
  }
  return freed
}

/** The channel's keys (every partition) that exist now (tests and checks). */
export async function channelKeys(redis: Redis, channel: string): Promise<string[]> {
  const out: string[] = []
  for await (const page of scanKeys(redis, channelPattern(channel), SCAN_COUNT)) out.push(...page.keys)
  return out
}
