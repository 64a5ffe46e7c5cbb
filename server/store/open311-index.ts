/**
 * Requests posted through Open311, by service_request_id: what the poster
 * sent that our case state does not keep (description, address, point), and
 * an index by reported time for GET requests' date window. Contact fields
 * are never stored.
 */
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'

export interface Open311Record {
  service_request_id: string
  /** Our case subject id. */
  subject: string
  service_code: string
  description: string
  requested: number
  lat?: number
  long?: number
  address_string?: string
}

// the index outlives the cases it names (closed ones expire after CLOSED_TTL_DAYS) by a margin, then is trimmed
const KEEP_MS = 400 * 86_400_000

export async function saveOpen311(redis: Redis, channel: string, rec: Open311Record): Promise<void> {
  const k = keys(channel)
  const old = await redis.zrangebyscore(k.open311ByTime, '-inf', rec.requested - KEEP_MS)
  const m = redis.multi().zadd(k.open311ByTime, rec.requested, rec.service_request_id).hset(k.open311Requests, rec.service_request_id, JSON.stringify(rec))
  if (old.length) m.zrem(k.open311ByTime, ...old).hdel(k.open311Requests, ...old)
  const replies = (await m.exec()) ?? []
  for (const [err] of replies) if (err) throw err
}

/** Records by id (unknown ids are left out), in the order asked. */
export async function open311ById(redis: Redis, channel: string, ids: string[]): Promise<Open311Record[]> {
  if (ids.length === 0) return []
  const raw = await redis.hmget(keys(channel).open311Requests, ...ids)
  return raw.filter((j): j is string => j !== null).map((j) => JSON.parse(j) as Open311Record)
}

/** Records requested in [from, to], newest first, at most `limit`. */
export async function open311Between(redis: Redis, channel: string, from: number, to: number, limit: number): Promise<Open311Record[]> {
  const ids = await redis.zrevrangebyscore(keys(channel).open311ByTime, to, from, 'LIMIT', 0, limit)
  return open311ById(redis, channel, ids)
}
