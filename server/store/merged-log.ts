/**
 * A channel's log across its partitions (DESIGN §11), in time order: each
 * partition's log is read page by page (XRANGE, one partition a command, so
 * it works on a Cluster) and the pages are merged by stream id time (then
 * sequence, then partition order). With one partition the pages pass through.
 */
import type { Redis } from 'ioredis'
import { keys } from './keys.ts'
import type { RawEntry } from './log-entry.ts'

export interface PartitionEntry { partition: string; entry: RawEntry }

export interface MergedLogRange {
  /** XRANGE start of each partition's log ('-', an id, or '(' + an id for after it). */
  start: (partition: string) => string
  /** XRANGE end, the same for every partition. */
  end: string
  pageSize?: number
}

interface Head { partition: string; page: RawEntry[]; at: number; next: string | null; ms: number; seq: number }

const split = (id: string): [number, number] => {
  const dash = id.indexOf('-')
  return [Number(id.slice(0, dash)), Number(id.slice(dash + 1))]
}

async function fill(redis: Redis, channel: string, h: Head, end: string, count: number): Promise<void> {
  while (h.at >= h.page.length && h.next !== null) {
    h.page = (await redis.xrange(keys(channel, h.partition).log, h.next, end, 'COUNT', count)) as RawEntry[]
    h.at = 0
    h.next = h.page.length < count ? null : `(${h.page[h.page.length - 1]![0]}`
  }
  if (h.at < h.page.length) [h.ms, h.seq] = split(h.page[h.at]![0])
}

/** The entries of every partition's log in the range, oldest first. */
export async function* mergedLog(redis: Redis, channel: string, partitions: readonly string[], r: MergedLogRange): AsyncGenerator<PartitionEntry> {
  const count = r.pageSize ?? 1000
  const heads: Head[] = partitions.map((partition) => ({ partition, page: [], at: 0, next: r.start(partition), ms: 0, seq: 0 }))
  await Promise.all(heads.map((h) => fill(redis, channel, h, r.end, count)))
  for (;;) {
    let best: Head | undefined
    for (const h of heads) {
      if (h.at >= h.page.length) continue
      if (!best || h.ms < best.ms || (h.ms === best.ms && h.seq < best.seq)) best = h
    }
    if (!best) return
    yield { partition: best.partition, entry: best.page[best.at++]! }
    if (best.at >= best.page.length) await fill(redis, channel, best, r.end, count)
    else [best.ms, best.seq] = split(best.page[best.at]![0])
  }
}
