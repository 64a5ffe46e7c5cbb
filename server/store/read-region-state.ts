/**
 * The point-in-time lists of a region's snapshot: its most overdue cases and
 * work orders (and, apart, 代办 errands) with their details, and where its on-duty workers are.
 */
import type { Redis } from 'ioredis'
import { SNAPSHOT_OVERDUE, SNAPSHOT_WORKERS, type OverdueItem, type WorkerPosition } from '../domain/protocol.ts'
import { keys } from './keys.ts'

type OverdueFeed = OverdueItem['feed']
const FEEDS: readonly OverdueFeed[] = ['case', 'hotline']

/** The most overdue open subjects of the feeds (cases and work orders unless told), with their details. */
export async function readOverdue(redis: Redis, channel: string, region: string, now: number, feeds = FEEDS): Promise<OverdueItem[]> {
  return (await readOverdueLists(redis, channel, region, now, [feeds]))[0]!
}

/** Several overdue lists (one per group of feeds, each at most SNAPSHOT_OVERDUE long) in two round trips. */
export async function readOverdueLists(
  redis: Redis, channel: string, region: string, now: number, lists: readonly (readonly OverdueFeed[])[],
): Promise<OverdueItem[][]> {
  const k = keys(channel)
  const feeds = lists.flat()
  const ranges = await redis
    .pipeline(feeds.map((f) => ['zrangebyscore', k.open(f, region), '-inf', `(${now}`, 'WITHSCORES', 'LIMIT', 0, SNAPSHOT_OVERDUE]))
    .exec()
  let at = 0
  const dueLists = lists.map((group) => group.flatMap((feed) => {
    const flat = (ranges?.[at++]?.[1] ?? []) as string[]
    return Array.from({ length: flat.length / 2 }, (_, j) => ({ feed, subject: flat[2 * j]!, deadline: Number(flat[2 * j + 1]) }))
  })
    .sort((a, b) => a.deadline - b.deadline)
    .slice(0, SNAPSHOT_OVERDUE))
  const due = dueLists.flat()
  if (due.length === 0) return dueLists.map(() => [])
  const details = await redis.pipeline(due.map((d) => ['hmget', k.subject(d.feed, d.subject), 'chain', 'state', 'category'])).exec()
  let i = 0
  return dueLists.map((list) => list.map((d) => {
    const [chain, state, category] = (details?.[i++]?.[1] ?? []) as (string | null)[]
    const item: OverdueItem = { ...d, region: chain?.split(',')[0] ?? region, state: state ?? '' }
    if (category) item.category = category
    return item
  }))
}

export async function readWorkers(redis: Redis, channel: string, region: string): Promise<WorkerPosition[]> {
  const k = keys(channel)
  const ids = await redis.srandmember(k.onDuty(region), SNAPSHOT_WORKERS)
  if (ids.length === 0) return []
  const positions = await redis.geopos(k.workerGeo, ...ids)
  const out: WorkerPosition[] = []
  ids.forEach((id, i) => {
    const p = positions[i]
    if (p) out.push({ id, location: [Number(p[0]), Number(p[1])] })
  })
  return out.sort((a, b) => a.id.localeCompare(b.id))
}
