/**
 * The consistency check of one partition of a channel (DESIGN §2, §11): a
 * partition is self-contained — apply.lua writes an event's log entry, subject
 * and every counter of its region chain (the root's included) in the event's
 * partition — so the partition's log (after its archived events) replayed
 * through the pure apply model must rebuild exactly the partition's aggregates.
 * With one partition, the partition is the channel.
 */
import type { Redis } from 'ioredis'
import { applyModelEntry, createModelState, refuseParked, type ModelInput, type SubjectState } from './apply-model.ts'
import { diffAggregates, diffSubjects, type Difference } from './apply-model-diff.ts'
import { readAggregates } from './read-aggregates.ts'
import type { Categories } from '../domain/categories.ts'
import type { ValidEvent } from '../domain/events.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { intakeArg, pausesArg } from '../ingest/ingest.ts'
import { dayCountersFrom } from '../store/day-counter-expiry.ts'
import { keys, type ChannelKeys } from '../store/keys.ts'
import type { RawEntry } from '../store/log-entry.ts'

export interface ConsistencyOptions {
  channel: string
  zone: string
  /** The region tree; its partitions (PARTITION_LEVEL) are checked one by one. */
  regions: RegionIndex
  categories: Categories
  /** Compare subject hashes too (default true). */
  subjects?: boolean
  pageSize?: number
  onProgress?: (entries: number) => void
  /** Recount from the channel's archive (ARCHIVE_DIR) first, then the log after it (DESIGN §8). */
  archiveDir?: string
}

export interface StreamInfo { length: number; added: number | null; last: string }

export interface PartitionRecount {
  /** Log entries replayed. */
  entries: number
  differences: Difference[]
  logGrew: boolean
  ignored: string[]
}

export async function streamInfo(redis: Redis, log: string): Promise<StreamInfo> {
  let flat: unknown[]
  try {
    flat = (await redis.xinfo('STREAM', log)) as unknown[]
  } catch (err) {
    if (/no such key/i.test((err as Error).message)) return { length: 0, added: 0, last: '0-0' }
    throw err
  }
  const info = new Map<string, unknown>()
  for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1])
  const added = info.get('entries-added') // Redis ≥ 7
  return { length: Number(info.get('length')), added: added === undefined ? null : Number(added), last: String(info.get('last-generated-id')) }
}

/** The apply input of a log entry: the chain from the region it counts in, the intake (and an item's 补正 pause) from today's config. */
function inputOf(e: ValidEvent, r: string, o: ConsistencyOptions): ModelInput {
  const chain = r ? o.regions.chain(r) : []
  const grid = r && o.regions.get(r)?.level === 'grid' ? r : ''
  return { event: e, chain, grid, intake: intakeArg(e, o.categories), ...pausesArg(e, o.categories) }
}

/** Order of two stream ids (ms-seq). */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint]
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint]
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1
}

const ENDED = new Set([
  'case:CLOSED', 'case:CANCELLED', 'hotline:CLOSED', 'hotline:VOID', 'service:COMPLETED', 'service:DELIVERED', 'service:WITHDRAWN',
])

/** The model's subjects without the ended ones Redis no longer holds: retention expired them (DESIGN §8). */
function unexpired(model: Map<string, SubjectState>, stored: Map<string, Record<string, string>>): Map<string, SubjectState> {
  return new Map([...model].filter(([id, sub]) => stored.has(id) || !ENDED.has(`${id.split(':', 1)[0]}:${sub.state}`)))
}

/** Whether a difference is of a per-day counter key of a day the day-counter retention deleted (DAY_COUNTERS_DAYS, DESIGN §8). */
function expiredDay(k: ChannelKeys, from: string | null): (d: Difference) => boolean {
  if (from === null) return () => false // nothing deleted yet
  return (d) => (k.dayOfCounter(d.key) ?? from) < from
}

export interface PartitionSource {
  partition: string
  /** The partition's log when the check began. */
  before: StreamInfo
  /** Archived events of the partition, prepared, in archive order (with archiveDir); problems of lines are reported in the root partition. */
  archived: ModelInput[]
  /** Differences found reading the archive, to report with this partition. */
  archiveDiffs: Difference[]
  /** The last stream id of the partition's log that was archived ('' none). */
  archivedTo: string
  /** Entries replayed before this partition (progress is reported channel-wide). */
  progressBase: number
}

/** Recount one partition from its archive and log and list every difference with its keys in Redis. */
export async function recountPartition(redis: Redis, o: ConsistencyOptions, src: PartitionSource): Promise<PartitionRecount> {
  const k = keys(o.channel, src.partition)
  const report: PartitionRecount = { entries: 0, differences: [], logGrew: false, ignored: [] }
  const model = createModelState()
  const logDiffs: Difference[] = [...src.archiveDiffs]
  const logDiff = (field: string, stored: string | null, recount: string | null) => logDiffs.push({ key: k.log, field, stored, recount })
  // the archive first: its events as they were sent (the recording format), then only the log entries after it
  for (const input of src.archived) applyModelEntry(model, input, o.zone)
  const archivedTo = src.archivedTo
  const archived = (sid: string) => archivedTo !== '' && compareIds(sid, archivedTo) <= 0
  // the a=u entries the model says the entry before them must be followed by (parked events it let fit)
  let unparked: { id: string; region: string; category: string }[] = []
  let afterArchived = false
  let start = '-'
  for (;;) {
    const page = (await redis.xrange(k.log, start, '+', 'COUNT', o.pageSize ?? 1000)) as RawEntry[]
    for (const [sid, flat] of page) {
      const f: Record<string, string> = {}
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!
      const e = JSON.parse(f.e ?? '{}') as ValidEvent
      const r = f.r ?? ''
      // a: 1 applied on arrival, p parked on arrival, 0 a parked event refused after the park window,
      // u a parked event applied later: its p entry already carried it, so it is checked, not applied again
      const logged = f.a === '1' ? 'applied' : f.a === 'p' ? 'outOfOrder' : f.a === 'u' ? 'unparked' : 'refused'
      if (r && !o.regions.get(r)) logDiff(`${sid} ${e.id} r`, r, 'not in the region file')
      if (logged === 'unparked') {
        const want = unparked.shift()
        // right after the archive: the event that let it fit was recounted from the archive
        if (!want && (afterArchived || archived(sid))) continue
        const found = `${e.id} r=${r} c=${f.c ?? ''}`
        if (!want || found !== `${want.id} r=${want.region} c=${want.category}`) logDiff(`${sid} ${e.id} u`, found, want ? `${want.id} r=${want.region} c=${want.category}` : 'not unparked here')
        continue
      }
      for (const missed of unparked) logDiff(`${sid} before`, null, `${missed.id} unparked (a=u entry missing)`)
      unparked = []
      afterArchived = archived(sid)
      if (logged === 'refused') {
        if (!refuseParked(model, e)) logDiff(`${sid} ${e.id}`, 'refused', 'not parked')
        continue
      }
      if (archived(sid)) continue // replayed from the archive
      try {
        const out = applyModelEntry(model, inputOf(e, r, o), o.zone)
        unparked = (out.unparked ?? []).map((id) => ({ id, region: out.region, category: out.category }))
        if (out.status !== logged) logDiff(`${sid} ${e.id}`, logged, out.status)
        else if (out.region !== r) logDiff(`${sid} ${e.id} r`, r, out.region)
        else if (out.category !== (f.c ?? '')) logDiff(`${sid} ${e.id} c`, f.c ?? null, out.category)
      } catch (err) {
        logDiff(`${sid} ${e.id}`, logged, `error: ${(err as Error).message}`)
      }
    }
    report.entries += page.length
    if (page.length > 0) o.onProgress?.(src.progressBase + report.entries)
    if (page.length < (o.pageSize ?? 1000)) break
    start = `(${page[page.length - 1]![0]}`
  }
  for (const missed of unparked) logDiff('end of log', null, `${missed.id} unparked (a=u entry missing)`)
  const withSubjects = o.subjects ?? true
  const stored = await readAggregates(redis, o.channel, { subjects: withSubjects, partition: src.partition })
  const after = await streamInfo(redis, k.log)
  report.logGrew = after.last !== src.before.last
  report.ignored = stored.ignored
  const expired = expiredDay(k, await dayCountersFrom(redis, o.channel))
  report.differences = [
    ...logDiffs,
    // from the archive the channel stats (parked, refused) cannot be recounted: refusals are not archived;
    // day counters of days before the day-counter window are gone on purpose (a late step may re-create a part)
    ...diffAggregates(stored.aggregates, model, k.prefix).filter((d) => (!o.archiveDir || d.key !== k.stats) && !expired(d)),
    ...(withSubjects ? diffSubjects(stored.subjects, unexpired(model.subjects, stored.subjects), k.prefix) : []),
  ]
  return report
}
