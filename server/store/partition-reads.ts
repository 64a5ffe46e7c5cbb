/**
 * Reads over a channel split into partitions (PARTITION_LEVEL, DESIGN §11).
 * A region at or below the partition level counts in one partition's keys; a
 * region above it (the root, a province) is the sum of the same keys in every
 * partition of `partitionsOf(region)`. Readers queue their commands for one
 * partition with a builder; here each partition gets a pipeline of its own
 * (one Cluster slot each), all in flight together, and the builders' decoded
 * parts come back for the reader to merge. With one partition this is one
 * pipeline (or MULTI): the same single round trip as before partitions.
 */
import type { ChainableCommander, Redis } from 'ioredis'
import type { RegionIndex } from '../domain/regions.ts'
import { keys, type ChannelKeys } from './keys.ts'

export type Queue = ChainableCommander

/** What a reader needs of the region tree to find the partitions holding a region. */
export type PartitionMap = Pick<RegionIndex, 'partitions' | 'partitioned' | 'partitionsOf'>

/** A channel of one partition (no PARTITION_LEVEL, or a reader that was not told the tree). */
export const ONE_PARTITION: PartitionMap = { partitions: [''], partitioned: false, partitionsOf: () => [''] }

/** The replies of one partition's pipeline, in queue order: each decoder takes its own. */
export class Replies {
  private at = 0
  constructor(private readonly replies: unknown[]) {}
  next<T = unknown>(): T {
    return this.replies[this.at++] as T
  }
  take(n: number): unknown[] {
    const out = this.replies.slice(this.at, this.at + n)
    this.at += n
    return out
  }
}

/** Queues commands for one partition; returns how to decode their replies. */
export type Build<T> = (p: Queue, k: ChannelKeys, partition: string) => (r: Replies) => T

/**
 * Run `build` for each partition, each on its own pipeline (MULTI with `atomic`:
 * the partition's replies describe one moment of it), all in flight together;
 * the decoded parts in the order of `partitions`.
 */
export async function readPartitions<T>(
  redis: Redis, channel: string, partitions: readonly string[], build: Build<T>, o: { atomic?: boolean } = {},
): Promise<T[]> {
  return Promise.all(partitions.map(async (partition) => {
    const p = o.atomic ? redis.multi() : redis.pipeline()
    const decode = build(p, keys(channel, partition), partition)
    const replies = ((await p.exec()) ?? []).map(([err, v]) => {
      if (err) throw err
      return v
    })
    return decode(new Replies(replies))
  }))
}

/** Queues the reads of one region in one partition; returns how to decode them. */
export type RegionBuild<T> = (p: Queue, k: ChannelKeys, region: string, partition: string) => (r: Replies) => T

/**
 * The same read of several regions, each in every partition holding it: one
 * pipeline per partition (carrying the reads of every region it holds), all in
 * flight together; each region's parts (one per partition of `partitionsOf`)
 * merged by `merge`. In the order of `regions`.
 */
export async function readRegions<T, M = T>(
  redis: Redis, channel: string, map: PartitionMap, regions: readonly string[], build: RegionBuild<T>, merge: (parts: T[], region: string) => M,
): Promise<M[]> {
  const held = regions.map((r) => map.partitionsOf(r))
  const used = map.partitions.filter((p) => held.some((h) => h.includes(p)))
  const parts = await readPartitions(redis, channel, used, (p, k, partition) => {
    const decoders = regions.map((r, i) => (held[i]!.includes(partition) ? build(p, k, r, partition) : null))
    return (replies) => decoders.map((d) => (d ? d(replies) : null))
  })
  return regions.map((r, i) => merge(used.flatMap((_, j) => {
    const part = parts[j]![i]
    return part === null || part === undefined ? [] : [part]
  }), r))
}

/** Hashes of integer counts (HGETALL replies) summed field by field. */
export function sumFields(hashes: readonly Record<string, string | number>[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const h of hashes) for (const [f, v] of Object.entries(h)) out[f] = (out[f] ?? 0) + Number(v)
  return out
}

/** Counts (ZCARD, ZCOUNT, SCARD…) of the partitions, position by position. */
export function sumCounts(parts: readonly number[][]): number[] {
  const out: number[] = []
  for (const counts of parts) counts.forEach((n, i) => (out[i] = (out[i] ?? 0) + n))
  return out
}

/** Merge lists each already in order (by `before`) into one, cut to `limit`; stable across lists in the order given. */
export function mergeOrdered<T>(lists: readonly (readonly T[])[], before: (a: T, b: T) => number, limit = Infinity): T[] {
  if (lists.length === 1) return lists[0]!.slice(0, limit)
  const heads = lists.map(() => 0)
  const out: T[] = []
  while (out.length < limit) {
    let best = -1
    for (let i = 0; i < lists.length; i++) {
      const item = lists[i]![heads[i]!]
      if (item === undefined) continue
      if (best < 0 || before(item, lists[best]![heads[best]!]!) < 0) best = i
    }
    if (best < 0) break
    out.push(lists[best]![heads[best]!++]!)
  }
  return out
}
