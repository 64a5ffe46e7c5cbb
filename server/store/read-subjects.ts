/**
 * Open cases, work orders and 代办 errands of a region, and one subject's state and history, for drill-down screens.
 * On a channel split into partitions (DESIGN §11) a region's open sets are those of every partition holding it,
 * and a subject lives in the partition of its intake: found by asking each.
 */
import type { Redis } from 'ioredis'
import type { OpenItem, OpenPage, SubjectFeed, SubjectView } from '../domain/api.ts'
import { ONE_PARTITION, readPartitions, type PartitionMap } from './partition-reads.ts'
import { byDeadline, subjectFields } from './read-region-state.ts'

/** Open items of a region's subtree, most urgent deadline first, with the total. */
export async function readOpen(
  redis: Redis, channel: string, region: string, feeds: SubjectFeed[], now: number, limit: number, map: PartitionMap = ONE_PARTITION,
): Promise<OpenPage> {
  const parts = await readPartitions(redis, channel, map.partitionsOf(region), (p, k, partition) => {
    for (const f of feeds) p.zcard(k.open(f, region)).zrange(k.open(f, region), 0, limit - 1, 'WITHSCORES')
    return (r) => feeds.map((feed) => {
      const total = r.next<number>()
      const flat = r.next<string[]>()
      const due = Array.from({ length: flat.length / 2 }, (_, j) => ({ feed, subject: flat[2 * j]!, deadline: Number(flat[2 * j + 1]), partition }))
      return { total, due }
    })
  })
  let total = 0
  const due = feeds.flatMap((_, i) => {
    total += parts.reduce((n, part) => n + part[i]!.total, 0)
    const merged = parts.flatMap((part) => part[i]!.due)
    return parts.length > 1 ? merged.sort(byDeadline) : merged // each feed in its open set's order, as one partition gives it
  })
  due.sort((a, b) => a.deadline - b.deadline)
  const items = due.slice(0, limit)
  const details = items.length ? await subjectFields(redis, channel, items, ['chain', 'state', 'category', 'paused', 'deadline']) : []
  return {
    total,
    items: items.map(({ partition: _, ...d }, i): OpenItem => {
      const [chain, state, category, paused, deadline] = details[i] ?? []
      const item: OpenItem = { ...d, state: state ?? '', region: chain?.split(',')[0] ?? region, overdue: d.deadline < now, ...(category ? { category } : {}) }
      // a stopped clock is scored beyond every deadline in the open set: tell the deadline in force instead
      if (paused && deadline) Object.assign(item, { paused: Number(paused), deadline: Number(deadline), overdue: false })
      return item
    }),
  }
}

/**
 * A subject's state and its steps in event-time order (parked ones marked not applied), or null when unknown.
 * Its partition is that of its intake region, which the caller seldom knows: every partition is asked (one
 * pipeline each, together), or only those of `region` when the caller knows where it was taken in.
 */
export async function readSubject(
  redis: Redis, channel: string, feed: SubjectFeed, subject: string, map: PartitionMap = ONE_PARTITION, region?: string,
): Promise<SubjectView | null> {
  const partitions = region ? map.partitionsOf(region) : map.partitions
  const found = await readPartitions(redis, channel, partitions, (p, k) => {
    p.hgetall(k.subject(feed, subject)).get(k.events(feed, subject))
    return (r) => ({ hash: r.next<Record<string, string>>(), list: r.next<string | null>() })
  })
  const { hash, list } = found.find((f) => f.hash.chain) ?? found[0]!
  if (!hash.chain) return null
  const entries = list ? (JSON.parse(list) as { e: string; p?: number }[] | Record<string, never>) : []
  const view: SubjectView = {
    feed, subject, state: hash.state ?? '', region: hash.chain.split(',')[0]!,
    history: (Array.isArray(entries) ? entries : []).slice(-100).map((en) => {
      const e = JSON.parse(en.e) as { type: string; at: number }
      return { type: e.type, at: e.at, applied: en.p === undefined }
    }),
  }
  if (hash.category) view.category = hash.category
  if (hash.deadline) view.deadline = Number(hash.deadline)
  if (hash.paused) view.paused = Number(hash.paused)
  return view
}
