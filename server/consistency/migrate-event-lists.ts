/**
 * One-time migration of a channel stored before subjects kept an event list
 * (ev:<feed>:<subject>): without one, apply.lua sees a legacy case, work
 * order or errand as new, parks its next step and later refuses it. Each
 * such subject gets the list its hash and old history derive
 * (legacy-event-list.ts), checked against the pure model of apply.lua; an
 * ended one joins the retention index (cx) from its last step; the old
 * history list is dropped. Runs at server start, before ingest opens; SCAN in
 * pages on every master (works on a Cluster), SET NX so two instances starting
 * together write a list once; done is marked in the channel meta. A channel
 * split into partitions (DESIGN §11) is scanned partition by partition.
 */
import { applyModelEntry, createModelState, subjectHash } from './apply-model.ts'
import { keys, type ChannelKeys } from '../store/keys.ts'
import { legacyEventList, type LegacyFeed, type LegacyStep } from './legacy-event-list.ts'
import type { Store } from '../store/redis-client.ts'
import { scanKeys } from '../store/scan-keys.ts'

export const EVENT_LISTS_MIGRATED = 'eventListsMigrated'
const ENDED: Record<LegacyFeed, string[]> = { case: ['CLOSED', 'CANCELLED'], hotline: ['CLOSED', 'VOID'], service: ['COMPLETED', 'DELIVERED', 'WITHDRAWN'] }
const CHECKED = ['state', 'chain', 'iday', 'cday', 'deadline', 'category', 'sla', 'priority', 'kind', 'scope', 'prev', 'sat', 'solved', 'contacted']

export interface MigrationReport { done: boolean; scanned: number; migrated: number; fromPath: number; mismatched: string[] }
export interface MigrationOptions {
  channel: string
  zone: string
  /** Channel now: when a subject whose end time is unknown ended. */
  now: number
  progress?: (r: MigrationReport) => void
  pageSize?: number
  /** The channel's partitions (DESIGN §11), each scanned for legacy subjects; default the root one only. */
  partitions?: readonly string[]
}

/** The hash fields where the synthesised list derives something else than what is stored (none: it fits). */
function misfits(feed: LegacyFeed, subject: string, h: Record<string, string>, list: ReturnType<typeof legacyEventList>, zone: string): string[] {
  const model = createModelState()
  const chain = (h.chain ?? '').split(',').filter(Boolean)
  for (const e of list.events) applyModelEntry(model, { event: e, chain, grid: '', intake: e.id.endsWith(':1') ? list.intake : '' }, zone)
  const sub = model.subjects.get(`${feed}:${subject}`)
  const derived = sub ? subjectHash(sub) : {}
  const fields = [...CHECKED, ...Object.keys(h).filter((f) => f.startsWith('m.')), ...Object.keys(derived).filter((f) => f.startsWith('m.'))]
  return [...new Set(fields)].filter((f) => (h[f] ?? null) !== (derived[f] ?? null) && Number(h[f]) !== Number(derived[f]))
}

/** Give every legacy subject of a channel its event list, once; later calls return at once. */
const isLegacyFeed = (feed: string): feed is LegacyFeed => feed === 'case' || feed === 'hotline' || feed === 'service'

export async function migrateEventLists(store: Store, o: MigrationOptions): Promise<MigrationReport> {
  const report: MigrationReport = { done: false, scanned: 0, migrated: 0, fromPath: 0, mismatched: [] }
  const meta = keys(o.channel).meta
  if (await store.hget(meta, EVENT_LISTS_MIGRATED)) return { ...report, done: true }
  for (const partition of o.partitions ?? ['']) await migratePartition(store, keys(o.channel, partition), o, report)
  await store.hset(meta, EVENT_LISTS_MIGRATED, new Date(o.now).toISOString())
  return { ...report, done: true }
}

/** The legacy subjects of one partition: each subject's list, retention entry and history stay in its partition. */
async function migratePartition(store: Store, k: ChannelKeys, o: MigrationOptions, report: MigrationReport): Promise<void> {
  for await (const page of scanKeys(store, k.subjectPattern, o.pageSize ?? 500)) {
    const found = page.keys.flatMap((key) => {
      const s = k.subjectOf(key)
      return s && isLegacyFeed(s.feed) ? [{ feed: s.feed, subject: s.subject }] : []
    })
    report.scanned += found.length
    const read = found.reduce((p, s) => p.hgetall(k.subject(s.feed, s.subject)).exists(k.events(s.feed, s.subject)).lrange(k.legacyHistory(s.feed, s.subject), 0, -1), page.node.pipeline())
    const replies = ((await read.exec()) ?? []).map(([err, v]) => {
      if (err) throw err
      return v
    })
    const write = page.node.pipeline()
    found.forEach(({ feed, subject }, n) => {
      const [h, hasList, raw] = replies.slice(n * 3, n * 3 + 3) as [Record<string, string>, number, string[]]
      if (hasList === 1 || !h.state) return
      const history = raw.map((s) => JSON.parse(s) as LegacyStep)
      const list = legacyEventList(feed, subject, h, history, o.zone)
      const off = misfits(feed, subject, h, list, o.zone)
      if (off.length > 0) report.mismatched.push(`${feed}:${subject} (${off.join(', ')})`)
      if (!list.fromHistory) report.fromPath++
      write.set(k.events(feed, subject), JSON.stringify(list.entries), 'NX')
      if (ENDED[feed].includes(h.state)) write.zadd(k.ended, 'NX', Math.min(o.now, list.entries.at(-1)?.t ?? o.now), `${feed}:${subject}`)
      write.unlink(k.legacyHistory(feed, subject))
      report.migrated++
    })
    for (const [err] of (await write.exec()) ?? []) if (err) throw err
    o.progress?.(report)
  }
}
