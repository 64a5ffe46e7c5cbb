/**
 * Log retention (DESIGN §8): each whole day of a channel's log (by arrival,
 * the stream id's time, in the channel zone) is written to
 * ARCHIVE_DIR/<channel>/<yyyy-mm-dd>.ndjson.gz in the recording format (one
 * event envelope a line, so a day replays as a drill), then the log is
 * trimmed to LOG_RETENTION_DAYS — never past what was archived. Refusals
 * after the park window (a=0) and parked events applied later (a=u, the
 * event's second entry) are not arrivals and are not archived.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { zonedParts } from '../domain/clock.ts'
import type { ValidEvent } from '../domain/events.ts'
import { keys } from '../store/keys.ts'
import type { RawEntry } from '../store/log-entry.ts'
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

/** Archive the whole days not archived yet, then trim the log; the days written and the entries trimmed. */
export async function archiveAndTrim(store: Store, o: ArchiveOptions): Promise<{ days: string[]; trimmed: number }> {
  const k = keys(o.channel)
  const today = zonedMidnight(o.now, o.zone)
  const dir = join(o.dir, o.channel)
  let from = (await store.hget(k.meta, 'archivedTo')) ?? '-'
  const days = new Set<string>()
  for (;;) {
    const start = from === '-' ? '-' : `(${from}`
    const page = (await store.xrange(k.log, start, `${today - 1}-18446744073709551615`, 'COUNT', PAGE)) as RawEntry[]
    if (page.length === 0) break
    const lines = new Map<string, string[]>()
    for (const [sid, flat] of page) {
      const f: Record<string, string> = {}
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!
      if (f.a === '0' || f.a === 'u' || !f.e) continue
      const day = dayName(Number(sid.split('-')[0]), o.zone)
      let list = lines.get(day)
      if (!list) lines.set(day, (list = []))
      list.push(JSON.stringify(envelopeOf(JSON.parse(f.e) as ValidEvent, o.zone)))
    }
    mkdirSync(dir, { recursive: true })
    // a gzip file may hold several members: a day written in pages reads back whole
    for (const [day, list] of lines) {
      appendFileSync(join(dir, `${day}.ndjson.gz`), gzipSync(list.join('\n') + '\n'))
      days.add(day)
    }
    from = page[page.length - 1]![0]
    await store.hset(k.meta, 'archivedTo', from)
    if (page.length < PAGE) break
  }
  // trim what is older than the retention and archived, never more
  const archivedMs = from === '-' ? 0 : Number(from.split('-')[0])
  const cutoff = Math.min(today - o.retentionDays * DAY, archivedMs + 1)
  const trimmed = cutoff > 0 ? Number(await store.xtrim(k.log, 'MINID', String(cutoff))) : 0
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
