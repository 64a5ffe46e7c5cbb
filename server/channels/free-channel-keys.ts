/**
 * Frees a channel's keys: all of them (delete), or its derived state only
 * (seek keeps the source, meta and lease). Every key of channel c matches
 * `sr:{c}:*`; UNLINK frees large values off the main thread.
 */
import type { Redis } from 'ioredis'
import { keys } from '../store/keys.ts'

const SCAN_COUNT = 2_000

/** Unlink every key of the channel except those in `keep`; returns how many were unlinked. */
export async function unlinkChannelKeys(redis: Redis, channel: string, keep: ReadonlySet<string> = new Set()): Promise<number> {
  const match = `${keys(channel).prefix}*` // channel ids hold [a-z0-9-] only: no glob characters
  let cursor = '0'
  let freed = 0
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT)
    cursor = next
    const doomed = found.filter((k) => !keep.has(k))
    if (doomed.length > 0) freed += await redis.unlink(...doomed)
  } while (cursor !== '0')
  return freed
}

/** The channel's keys that exist now (tests and checks). */
export async function channelKeys(redis: Redis, channel: string): Promise<string[]> {
  const out: string[] = []
  let cursor = '0'
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${keys(channel).prefix}*`, 'COUNT', SCAN_COUNT)
    cursor = next
    out.push(...found)
  } while (cursor !== '0')
  return out
}
