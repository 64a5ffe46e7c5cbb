/**
 * Every aggregate key apply.lua writes in a channel, read back from Redis in
 * the shape of the apply model (keys without the channel prefix), for the
 * consistency check. Scans in pages (every master of a Cluster); never a KEYS.
 */
import type { Redis } from 'ioredis'
import type { Aggregates } from './apply-model.ts'
import { keys } from '../store/keys.ts'
import { scanKeys } from '../store/scan-keys.ts'

// first segment of the key names apply.lua writes per region, plus the channel stats
const AGGREGATES = new Set(['d', 'm', 'y', 't', 'k', 'o', 'p', 'w', 'pc', 'stats'])
// not aggregates: the log, idempotency marks, worker positions, each subject's
// event list (ev:, and h: of older versions), the parked index, the refused list, the ended-subjects
// index and each region's recent stream ids (rl:, an index into the log for snapshots)
const SKIPPED = new Set(['log', 'seen', 'geo', 'h', 'ev', 'pk', 'rf', 'cx', 'rl'])

export interface StoredChannel {
  aggregates: Aggregates
  /** Subject hashes by `<feed>:<subject>` (only when asked for). */
  subjects: Map<string, Record<string, string>>
  /** Keys of the channel that apply.lua does not write (other features), left out of the comparison. */
  ignored: string[]
}

export interface ReadAggregatesOptions { subjects?: boolean; pageSize?: number }

/** Glob-escape a literal for SCAN MATCH. */
const globLiteral = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&')

/** Read a channel's aggregates (and optionally its subject hashes) from Redis. */
export async function readAggregates(redis: Redis, channel: string, o: ReadAggregatesOptions = {}): Promise<StoredChannel> {
  const { prefix } = keys(channel)
  const out: StoredChannel = { aggregates: { hashes: new Map(), zsets: new Map(), sets: new Map() }, subjects: new Map(), ignored: [] }
  for await (const page of scanKeys(redis, `${globLiteral(prefix)}*`, o.pageSize ?? 1000)) {
    await readPage(page.node, prefix, page.keys, o.subjects ?? false, out) // on a Cluster: the node that holds these keys
  }
  out.ignored.sort()
  return out
}

async function readPage(redis: Redis, prefix: string, page: string[], withSubjects: boolean, out: StoredChannel) {
  const wanted = page.filter((key) => {
    const name = key.slice(prefix.length)
    const head = name.split(':', 1)[0]!
    if (SKIPPED.has(head)) return false
    if (head === 's') return withSubjects
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
    if (name.startsWith('s:')) {
      if (types[i] === 'hash') out.subjects.set(name.slice(2), reply as Record<string, string>)
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
