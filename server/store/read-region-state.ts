/**
 * The point-in-time lists of a region's snapshot: its most overdue cases and
 * work orders (and, apart, 代办 errands) with their details, and where its on-duty workers are.
 * A region held by several partitions (DESIGN §11) merges each partition's list.
 */
import type { Redis } from 'ioredis'
import { SNAPSHOT_OVERDUE, SNAPSHOT_WORKERS, type OverdueItem, type WorkerPosition } from '../domain/protocol.ts'
import { ONE_PARTITION, readPartitions, type PartitionMap } from './partition-reads.ts'

type OverdueFeed = OverdueItem['feed']
const FEEDS: readonly OverdueFeed[] = ['case', 'hotline']

/** The most overdue open subjects of the feeds (cases and work orders unless told), with their details. */
export async function readOverdue(redis: Redis, channel: string, region: string, now: number, feeds = FEEDS, map: PartitionMap = ONE_PARTITION): Promise<OverdueItem[]> {
  return (await readOverdueLists(redis, channel, region, now, [feeds], map))[0]!
}

interface Due { feed: OverdueFeed; subject: string; deadline: number; partition: string }

/** An open set's members in its order: by deadline, then by subject as Redis orders equal scores (byte order). */
export const byDeadline = (a: { deadline: number; subject: string }, b: { deadline: number; subject: string }) =>
  a.deadline - b.deadline || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0)

/**
 * Several overdue lists (one per group of feeds, each at most SNAPSHOT_OVERDUE long) in two round trips
 * (per partition, together): each partition's most overdue of each feed, merged per feed in open-set order.
 */
export async function readOverdueLists(
  redis: Redis, channel: string, region: string, now: number, lists: readonly (readonly OverdueFeed[])[], map: PartitionMap = ONE_PARTITION,
): Promise<OverdueItem[][]> {
  const feeds = lists.flat()
  const partitions = map.partitionsOf(region)
  const ranges = await readPartitions(redis, channel, partitions, (p, k, partition) => {
    for (const f of feeds) p.zrangebyscore(k.open(f, region), '-inf', `(${now}`, 'WITHSCORES', 'LIMIT', 0, SNAPSHOT_OVERDUE)
    return (r) => feeds.map((feed): Due[] => {
      const flat = r.next<string[]>()
      return Array.from({ length: flat.length / 2 }, (_, j) => ({ feed, subject: flat[2 * j]!, deadline: Number(flat[2 * j + 1]), partition }))
    })
  })
  const perFeed = feeds.map((_, i) => {
    const merged = ranges.flatMap((part) => part[i]!)
    return ranges.length > 1 ? merged.sort(byDeadline) : merged
  })
  let at = 0
  const dueLists = lists.map((group) => group.flatMap(() => perFeed[at++]!)
    .sort((a, b) => a.deadline - b.deadline)
    .slice(0, SNAPSHOT_OVERDUE))
  const due = dueLists.flat()
  if (due.length === 0) return dueLists.map(() => [])
  const details = await subjectFields(redis, channel, due, ['chain', 'state', 'category'])
  let i = 0
  return dueLists.map((list) => list.map(({ partition: _, ...d }) => {
    const [chain, state, category] = details[i++]!
    const item: OverdueItem = { ...d, region: chain?.split(',')[0] ?? region, state: state ?? '' }
    if (category) item.category = category
    return item
  }))
}

/** Fields of subjects, each read from the partition it was found in (one pipeline per partition, together), in the order given. */
export async function subjectFields(
  redis: Redis, channel: string, subjects: readonly { feed: string; subject: string; partition: string }[], fields: string[],
): Promise<(string | null)[][]> {
  const partitions = [...new Set(subjects.map((s) => s.partition))]
  const parts = await readPartitions(redis, channel, partitions, (p, k, partition) => {
    const mine = subjects.filter((s) => s.partition === partition)
    for (const s of mine) p.hmget(k.subject(s.feed, s.subject), ...fields)
    return (r) => r.take(mine.length) as (string | null)[][]
  })
  const next = partitions.map(() => 0)
  return subjects.map((s) => {
    const j = partitions.indexOf(s.partition)
    return parts[j]![next[j]!++]!
  })
}

/**
 * Up to SNAPSHOT_WORKERS on-duty workers of the region with their positions, sorted by id: a random
 * sample of each partition, shared out by how many each has on duty.
 */
export async function readWorkers(redis: Redis, channel: string, region: string, map: PartitionMap = ONE_PARTITION): Promise<WorkerPosition[]> {
  const partitions = map.partitionsOf(region)
  const samples = await readPartitions(redis, channel, partitions, (p, k) => {
    p.scard(k.onDuty(region)).srandmember(k.onDuty(region), SNAPSHOT_WORKERS)
    return (r) => ({ onDuty: r.next<number>(), ids: r.next<string[]>() })
  })
  const quotas = shares(samples.map((s) => s.onDuty), SNAPSHOT_WORKERS)
  const picked = samples.map((s, i) => s.ids.slice(0, quotas[i]))
  if (picked.every((ids) => ids.length === 0)) return []
  const positions = await readPartitions(redis, channel, partitions, (p, k, partition) => {
    const ids = picked[partitions.indexOf(partition)]!
    if (ids.length) p.geopos(k.workerGeo, ...ids)
    return (r) => (ids.length ? r.next<([string, string] | null)[]>() : [])
  })
  const out: WorkerPosition[] = []
  picked.forEach((ids, j) => ids.forEach((id, i) => {
    const pos = positions[j]![i]
    if (pos) out.push({ id, location: [Number(pos[0]), Number(pos[1])] })
  }))
  return out.sort((a, b) => a.id.localeCompare(b.id))
}

/** `total` shared out in proportion to `sizes` (largest remainders), never more than a size. */
function shares(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0)
  if (sum <= total) return sizes
  const exact = sizes.map((n) => (n * total) / sum)
  const out = exact.map(Math.floor)
  let left = total - out.reduce((a, b) => a + b, 0)
  for (const i of exact.map((x, i) => i).sort((a, b) => (exact[b]! - out[b]!) - (exact[a]! - out[a]!))) {
    if (left-- <= 0) break
    out[i]!++
  }
  return out
}
