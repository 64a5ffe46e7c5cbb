/**
 * Every aggregate key apply.lua writes in a channel, read back from Redis in
 * the shape of the apply model (keys without the channel prefix), for the
 * consistency check. Scans in pages (every master of a Cluster); never a KEYS.
 */
import type { Redis } from 'ioredis'
import type { Aggregates } from './apply-model.ts'
import { AGGREGATE_HEADS as AGGREGATES, KEY_SUFFIX, keys, NON_AGGREGATE_HEADS as SKIPPED, SUBJECT_HEAD } from '../store/keys.ts'
import { scanKeys } from '../store/scan-keys.ts'

export interface StoredChannel {
  aggregates: Aggregates
  /** Subject hashes by `<feed>:<subject>` (only when asked for). */
  subjects: Map<string, Record<string, string>>
  /** Keys of the channel that apply.lua does not write (other features), left out of the comparison. */
  ignored: string[]
}

export interface ReadAggregatesOptions {
  subjects?: boolean
  pageSize?: number
  /** The partition whose keys are read (DESIGN §11); default the root one ('', the channel's prefix). */
  partition?: string
}

/** Read a channel's aggregates (and optionally its subject hashes) of one partition from Redis. */
export async function readAggregates(redis: Redis, channel: string, o: ReadAggregatesOptions = {}): Promise<StoredChannel> {
  const { prefix, pattern } = keys(channel, o.partition)
  const out: StoredChannel = { aggregates: { hashes: new Map(), zsets: new Map(), sets: new Map() }, subjects: new Map(), ignored: [] }
  for await (const page of scanKeys(redis, pattern, o.pageSize ?? 1000)) {
    await readPage(page.node, prefix, page.keys, o.subjects ?? false, out) // on a Cluster: the node that holds these keys
  }
  out.ignored.sort()
  return out
}

/** Subject routes (keys(c).route, on the channel's own slot with partitions): ingest's index, no aggregate. */
const ROUTE_HEAD = ((k) => k.route('').slice(k.prefix.length).split(':', 1)[0])(keys('_'))

async function readPage(redis: Redis, prefix: string, page: string[], withSubjects: boolean, out: StoredChannel) {
  const wanted = page.filter((key) => {
    const name = key.slice(prefix.length)
    const head = name.split(':', 1)[0]!
    if (SKIPPED.has(head) || head === ROUTE_HEAD) return false
    if (head === SUBJECT_HEAD) return withSubjects
    if (!AGGREGATES.has(head)) out.ignored.push(key)
    return AGGREGATES.has(head)
  })
  if (wanted.length === 0) return
  const types = await exec(wanted.reduce((p, key) => p.type(key), redis.pipeline()))
  const p = redis.pipeline()
  wanted.forEach((key, i) => {
    if (types[i] === 'hash') p.hgetall(key)
    else if (types[i] === 'zset') p.zrange(key, 0, -1, 'WITHSCORES')
    else if (types[i] === 'set') p.smembers(key)
    else p.type(key) // not a type apply.lua writes: a placeholder keeps the replies aligned
  })
  const replies = await exec(p)
  wanted.forEach((key, i) => {
    const name = key.slice(prefix.length)
    const reply = replies[i]
    const a = out.aggregates
    if (name.startsWith(KEY_SUFFIX.subject)) {
      if (types[i] === 'hash') out.subjects.set(name.slice(KEY_SUFFIX.subject.length), reply as Record<string, string>)
      else out.ignored.push(key)
    } else if (types[i] === 'hash') {
      a.hashes.set(name, new Map(Object.entries(reply as Record<string, string>).map(([f, v]) => [f, Number(v)])))
    } else if (types[i] === 'zset') {
      const flat = reply as string[]
      const z = new Map<string, number>()
      for (let j = 0; j < flat.length; j += 2) z.set(flat[j]!, Number(flat[j + 1]))
      a.zsets.set(name, z)
    } else if (types[i] === 'set') {
      a.sets.set(name, new Set(reply as string[]))
    } else if (types[i] !== 'none') { // 'none': deleted between SCAN and TYPE
      out.ignored.push(key)
    }
  })
}

async function exec(p: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
  const replies = (await p.exec()) ?? []
  return replies.map(([err, v]) => {
    if (err) throw err
    return v
  })
}
