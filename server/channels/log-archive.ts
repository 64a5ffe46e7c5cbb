/**
 * Log retention (DESIGN §8): each whole day of a channel's log (by arrival,
 * the stream id's time, in the channel zone) is written to
 * ARCHIVE_DIR/<channel>/<yyyy-mm-dd>.ndjson.gz in the recording format (one
 * event envelope a line, so a day replays as a drill), then the log is
 * trimmed to LOG_RETENTION_DAYS — never past what was archived. Refusals
 * after the park window (a=0) and parked events applied later (a=u, the
 * event's second entry) are not arrivals and are not archived. A channel
 * split into partitions (DESIGN §11) archives every partition's log into the
 * same day files, merged by arrival.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { zonedParts } from '../domain/clock.ts'
import type { ValidEvent } from '../domain/events.ts'
import { keys } from '../store/keys.ts'
import { mergedLog } from '../store/merged-log.ts'
import type { Store } from '../store/redis-client.ts'
import { zonedMidnight } from './source-scenario.ts'

const DAY = 86_400_000
const PAGE = 2000

export interface ArchiveOptions {
  channel: string
  dir: string
  zone: string
  /** Channel now, ms: days before today's are complete. */
  now: number
  retentionDays: number
  /** The channel's partitions (RegionIndex.partitions); default the root one only. */
  partitions?: readonly string[]
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** An instant as ISO 8601 with the zone's offset (the envelope's `at`). */
export function isoInZone(ms: number, zone: string): string {
  const p = zonedParts(ms, zone)
  const local = Date.UTC(Number(p.y), Number(p.m) - 1, Number(p.d), p.hour, p.minute)
  const offset = Math.round((local - Math.floor(ms / 60_000) * 60_000) / 60_000)
  const sign = offset < 0 ? '-' : '+'
  const seconds = Math.floor(ms / 1000) % 60
  return `${p.y}-${p.m}-${p.d}T${pad(p.hour)}:${pad(p.minute)}:${pad((seconds + 60) % 60)}.${pad(((ms % 1000) + 1000) % 1000, 3)}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
}

/** A logged event back as the envelope it was sent as. */
export function envelopeOf(e: ValidEvent, zone: string): Record<string, unknown> {
  return { ...e, at: isoInZone(e.at, zone) }
}

const dayName = (ms: number, zone: string) => {
  const p = zonedParts(ms, zone)
  return `${p.y}-${p.m}-${p.d}`
}

/** The meta field holding the last stream id of a partition's log that was archived. */
export const archivedToField = (partition: string) => (partition ? `archivedTo@${partition}` : 'archivedTo')

/**
 * Archive the whole days not archived yet, then trim the log; the days written and the entries trimmed.
 * A channel split into partitions (DESIGN §11): every partition's log, merged by arrival into the one
 * file of each day; each partition's archived position is kept (meta `archivedTo@<P>`) and its log trimmed.
 */
export async function archiveAndTrim(store: Store, o: ArchiveOptions): Promise<{ days: string[]; trimmed: number }> {
  const partitions = o.partitions ?? ['']
  const meta = keys(o.channel).meta
  const today = zonedMidnight(o.now, o.zone)
  const dir = join(o.dir, o.channel)
  const fields = partitions.map(archivedToField)
  const stored = await store.hmget(meta, ...fields)
  const archivedTo = new Map(partitions.map((p, i) => [p, stored[i] ?? '-']))
  const days = new Set<string>()
  const moved = new Map<string, string>()
  let lines = new Map<string, string[]>()
  let pending = 0
  const flush = async () => {
    if (moved.size === 0) return
    mkdirSync(dir, { recursive: true })
    // a gzip file may hold several members: a day written in pages reads back whole
    for (const [day, list] of lines) {
      appendFileSync(join(dir, `${day}.ndjson.gz`), gzipSync(list.join('\n') + '\n'))
      days.add(day)
    }
    await store.hset(meta, Object.fromEntries([...moved].map(([p, sid]) => [archivedToField(p), sid])))
    for (const [p, sid] of moved) archivedTo.set(p, sid)
    moved.clear()
    lines = new Map()
    pending = 0
  }
  const range = { start: (p: string) => (archivedTo.get(p) === '-' ? '-' : `(${archivedTo.get(p)}`), end: `${today - 1}-18446744073709551615`, pageSize: PAGE }
  for await (const { partition, entry: [sid, flat] } of mergedLog(store, o.channel, partitions, range)) {
    const f: Record<string, string> = {}
    for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!
    if (f.a !== '0' && f.a !== 'u' && f.e) {
      const day = dayName(Number(sid.split('-')[0]), o.zone)
      let list = lines.get(day)
      if (!list) lines.set(day, (list = []))
      list.push(JSON.stringify(envelopeOf(JSON.parse(f.e) as ValidEvent, o.zone)))
    }
    moved.set(partition, sid)
    if (++pending >= PAGE) await flush()
  }
  await flush()
  // trim what is older than the retention and archived, never more: each partition by its own position
  let trimmed = 0
  for (const p of partitions) {
    const to = archivedTo.get(p)!
    const cutoff = Math.min(today - o.retentionDays * DAY, (to === '-' ? 0 : Number(to.split('-')[0])) + 1)
    if (cutoff > 0) trimmed += Number(await store.xtrim(keys(o.channel, p).log, 'MINID', String(cutoff)))
  }
  return { days: [...days].sort(), trimmed }
}

/** Every archived envelope of a channel, oldest day first, as NDJSON lines. */
export function readArchive(dir: string, channel: string): string[] {
  const folder = join(dir, channel)
  let files: string[]
  try {
    files = readdirSync(folder).filter((f) => /^\d{4}-\d{2}-\d{2}\.ndjson\.gz$/.test(f)).sort()
  } catch {
    return []
  }
  return files.flatMap((f) => gunzipSync(readFileSync(join(folder, f))).toString('utf8').split('\n').filter((l) => l.trim() !== ''))
}
