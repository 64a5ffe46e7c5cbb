/**
 * A region's Snapshot (DESIGN §7), read in one MULTI so the KPIs and the
 * cursor describe the same moment of the log; then its recent events, from
 * the region's own list of recent stream ids (written by apply.lua), so a
 * quiet grid does not scan thousands of other regions' entries for its last 50.
 *
 * On a channel split into partitions (DESIGN §11) each partition is read in a
 * MULTI of its own, all together: its counters of the region (when it holds
 * the region) with its log's newest entry, so its part of the KPIs and its
 * position in the cursor are of one moment. The cursor names every partition
 * of the channel (what each partition's tailer compares with). The recent
 * events are each partition's newest of the region, merged by stream id: every
 * partition's, as a subject's later steps follow it into its partition whatever
 * place they name, so a region's events may sit in another partition's log.
 */
import type { Redis } from 'ioredis'
import type { Alert } from '../domain/alerts.ts'
import { SNAPSHOT_EVENTS, type ClockState, type LiveEvent, type Snapshot } from '../domain/protocol.ts'
import { keys } from './keys.ts'
import { compareStreamIds as compareSid, cursorOf, cursorPositions } from '../domain/stream-id.ts'
import { toLiveEvent, type RawEntry } from './log-entry.ts'
import { readPartitions, type Replies } from './partition-reads.ts'
import { readPanels, type PanelQuery } from './read-panels.ts'
import { kpisOf, mergeKpiParts, queueKpiPart, type KpiPart } from './read-kpis.ts'
import { readWorkers } from './read-region-state.ts'

const SCAN_PAGE = 500
const SCAN_MAX = 5_000
const RESUME_MAX = 1_000
const SNAPSHOT_ALERTS = 100
const RECENT_LISTED = 100 // apply.lua keeps at least this many per region
const STREAM_ID = /^\d+-\d+$/

export interface SnapshotQuery extends PanelQuery { since?: string; clock: ClockState }

/** What one partition's MULTI gives: its newest entry and recent list of the region, and when it holds the region its counters. */
interface PartitionRead {
  partition: string
  last: string
  kpis: KpiPart | null
  listed: string[]
  listedFrom: string | null
  alerts: string[]
}

export async function readSnapshot(redis: Redis, q: SnapshotQuery): Promise<Snapshot> {
  const holding = q.regions.partitionsOf(q.region)
  const reads = await readPartitions(redis, q.channel, q.regions.partitions, (m, k, partition): ((r: Replies) => PartitionRead) => {
    const kpis = holding.includes(partition) ? queueKpiPart(m, k, q.region, q) : null
    m.xrevrange(k.log, '+', '-', 'COUNT', 1)
    if (partition === '') m.hvals(k.alertsById) // channel-wide: the root partition's prefix
    m.lrange(k.recent(q.region), 0, RECENT_LISTED - 1).get(k.recentFrom)
    return (r) => ({
      partition,
      kpis: kpis?.(r) ?? null,
      last: r.next<RawEntry[]>()[0]?.[0] ?? '0-0',
      alerts: partition === '' ? r.next<string[]>() : [],
      listed: r.next<string[]>(),
      listedFrom: r.next<string | null>(),
    })
  }, { atomic: true })
  const cursor = cursorOf(reads.map((r) => [r.partition, r.last]))
  // a partition not holding the region has its events in its list only: logs of partitions are never older than the lists
  const listing = reads.filter((r) => r.kpis || r.listed.length > 0)
  const inRegion = (e: LiveEvent) => e.region !== '' && q.regions.within(e.region, q.region)
  const resumed = q.since ? await eventsSince(redis, q, q.since, reads, inRegion) : null
  const [events, workers, panels] = await Promise.all([
    resumed ?? Promise.all(listing.map((r) => listedEvents(redis, keys(q.channel, r.partition).log, r.partition, { cursor: r.last, ...r, scan: r.kpis !== null }, inRegion)))
      .then((lists) => (lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => compareSid(a.sid, b.sid)).slice(-SNAPSHOT_EVENTS))),
    readWorkers(redis, q.channel, q.region, q.regions),
    readPanels(redis, q),
  ])
  return {
    channel: q.channel,
    region: q.region,
    kpis: kpisOf(mergeKpiParts(reads.flatMap((r) => (r.kpis ? [r.kpis] : []))), q.region, q),
    ...panels,
    events,
    resumed: resumed !== null,
    alerts: reads[0]!.alerts
      .map((j) => JSON.parse(j) as Alert)
      .filter((a) => q.regions.within(a.region, q.region))
      .sort((a, b) => b.at - a.at)
      .slice(0, SNAPSHOT_ALERTS),
    workers,
    cursor,
    clock: q.clock,
  }
}

interface Listed { cursor: string; listed: string[]; listedFrom: string | null; /** Scan the log when the list holds too few. */ scan: boolean }

/**
 * The newest events of the subtree in one partition's log up to its position in the cursor, oldest first:
 * the region's listed stream ids, each read from the log (a pipeline of single-entry ranges); entries from
 * before the lists began (`listedFrom`) only when the list holds too few.
 */
async function listedEvents(redis: Redis, log: string, partition: string, l: Listed, keep: (e: LiveEvent) => boolean) {
  const sids = l.listed.filter((sid) => compareSid(sid, l.cursor) <= 0).slice(0, SNAPSHOT_EVENTS)
  const p = redis.pipeline()
  for (const sid of sids) p.xrange(log, sid, sid)
  const out: LiveEvent[] = []
  for (const [err, entries] of (await p.exec()) ?? []) {
    if (err) throw err
    const entry = (entries as RawEntry[])[0] // gone when the log was trimmed past it
    if (!entry) continue
    const e = toLiveEvent(entry, partition)
    if (keep(e)) out.push(e)
  }
  if (l.scan && out.length < SNAPSHOT_EVENTS && l.listed.length < RECENT_LISTED) {
    const before = l.listedFrom === null ? l.cursor : `(${l.listedFrom}`
    out.push(...(await recentEvents(redis, log, partition, before, keep, SNAPSHOT_EVENTS - out.length)).reverse())
  }
  return out.reverse()
}

/** The newest `want` events of the subtree up to `end` (inclusive, or exclusive as "(sid"), oldest first, by scanning the log. */
async function recentEvents(redis: Redis, log: string, partition: string, end: string, keep: (e: LiveEvent) => boolean, want: number) {
  const out: LiveEvent[] = []
  for (let scanned = 0; scanned < SCAN_MAX && out.length < want; scanned += SCAN_PAGE) {
    const page = (await redis.xrevrange(log, end, '-', 'COUNT', SCAN_PAGE)) as RawEntry[]
    for (const entry of page) {
      if (entry[0] === end && scanned > 0) continue
      const e = toLiveEvent(entry, partition)
      if (keep(e)) out.push(e)
      if (out.length === want) break
    }
    if (page.length < SCAN_PAGE) break
    end = page[page.length - 1]![0]
  }
  return out.reverse()
}

/**
 * Events of the region after `since` (a cursor) up to the snapshot's cursor, oldest first, or null when
 * the gap is too old or too long to replay in any partition (a partition the cursor does not name is
 * read from its start). Every partition's log is read: a subject's steps follow it into its partition.
 */
async function eventsSince(redis: Redis, q: SnapshotQuery, since: string, reads: PartitionRead[], keep: (e: LiveEvent) => boolean) {
  const from = cursorPositions(since)
  if (from.size === 0 || [...from].some(([p, id]) => !STREAM_ID.test(id) || !q.regions.partitions.includes(p))) return null
  if (reads.some((r) => compareSid(from.get(r.partition) ?? '0-0', r.last) > 0)) return null
  const parts = await readPartitions(redis, q.channel, reads.map((r) => r.partition), (p, k, partition) => {
    const after = from.get(partition) ?? '0-0'
    p.xrange(k.log, '-', '+', 'COUNT', 1).xrange(k.log, `(${after}`, reads.find((r) => r.partition === partition)!.last, 'COUNT', RESUME_MAX + 1)
    return (r) => {
      const first = r.next<RawEntry[]>()[0]
      const entries = r.next<RawEntry[]>()
      const trimmed = first !== undefined && compareSid(after, first[0]) < 0 && after !== '0-0'
      return trimmed ? null : entries.map((entry) => toLiveEvent(entry, partition))
    }
  })
  if (parts.some((part) => part === null || part.length > RESUME_MAX)) return null
  const events = parts.length === 1 ? parts[0]! : parts.flat().sort((a, b) => compareSid(a!.sid, b!.sid))
  return events.filter((e) => keep(e!)) as LiveEvent[]
}
