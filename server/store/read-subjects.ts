/** Open cases, work orders and 代办 errands of a region, and one subject's state and history, for drill-down screens. */
import type { Redis } from 'ioredis'
import type { OpenItem, OpenPage, SubjectFeed, SubjectView } from '../domain/api.ts'
import { keys } from './keys.ts'

/** Open items of a region's subtree, most urgent deadline first, with the total. */
export async function readOpen(redis: Redis, channel: string, region: string, feeds: SubjectFeed[], now: number, limit: number): Promise<OpenPage> {
  const k = keys(channel)
  const p = redis.pipeline()
  for (const f of feeds) p.zcard(k.open(f, region)).zrange(k.open(f, region), 0, limit - 1, 'WITHSCORES')
  const r = ((await p.exec()) ?? []).map(([err, v]) => {
    if (err) throw err
    return v
  })
  let total = 0
  const due: { feed: SubjectFeed; subject: string; deadline: number }[] = []
  feeds.forEach((feed, i) => {
    total += r[2 * i] as number
    const flat = r[2 * i + 1] as string[]
    for (let j = 0; j < flat.length; j += 2) due.push({ feed, subject: flat[j]!, deadline: Number(flat[j + 1]) })
  })
  due.sort((a, b) => a.deadline - b.deadline)
  const items = due.slice(0, limit)
  const details = items.length
    ? ((await redis.pipeline(items.map((d) => ['hmget', k.subject(d.feed, d.subject), 'chain', 'state', 'category', 'paused', 'deadline'])).exec()) ?? [])
    : []
  return {
    total,
    items: items.map((d, i): OpenItem => {
      const [chain, state, category, paused, deadline] = (details[i]?.[1] ?? []) as (string | null)[]
      const item: OpenItem = { ...d, state: state ?? '', region: chain?.split(',')[0] ?? region, overdue: d.deadline < now, ...(category ? { category } : {}) }
      // a stopped clock is scored beyond every deadline in the open set: tell the deadline in force instead
      if (paused && deadline) Object.assign(item, { paused: Number(paused), deadline: Number(deadline), overdue: false })
      return item
    }),
  }
}

/** A subject's state and its steps in event-time order (parked ones marked not applied), or null when unknown. */
export async function readSubject(redis: Redis, channel: string, feed: SubjectFeed, subject: string): Promise<SubjectView | null> {
  const k = keys(channel)
  const replies = (await redis.pipeline().hgetall(k.subject(feed, subject)).get(k.events(feed, subject)).exec()) ?? []
  const [hash, list] = replies.map(([err, v]) => {
    if (err) throw err
    return v
  }) as [Record<string, string>, string | null]
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
