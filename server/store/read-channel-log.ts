/**
 * Read a channel's log stream (XRANGE over stream-id times, page by page) and
 * give back the envelopes that arrived: each entry's `e` field is the
 * normalised event (`at` in epoch ms), turned back into the public envelope
 * with an ISO `at` in +08:00. Refused entries are kept: a recording is what arrived.
 * A channel split into partitions is read from every partition's log, merged by time.
 */
import type { Redis } from 'ioredis'
import type { EventEnvelope, ValidEvent } from '../domain/events.ts'
import { mergedLog } from './merged-log.ts'
import { formatAtExact } from '../domain/shanghai-time.ts'

export type LogEntry = [id: string, fields: string[]]

/** The envelope of one log entry, or null when the entry holds no event. */
export function envelopeOf([, fields]: LogEntry): EventEnvelope | null {
  const f: Record<string, string> = {}
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
  if (!f.e) return null
  const e = JSON.parse(f.e) as ValidEvent
  const out: EventEnvelope = { id: e.id, feed: e.feed, type: e.type, subject: e.subject, at: formatAtExact(e.at) }
  // the event named no region when it came with a point: the region it was counted in is the next best
  const region = e.region ?? (f.r || undefined)
  if (region) out.region = region
  if (e.location) out.location = e.location
  if (e.category) out.category = e.category
  out.attrs = e.attrs ?? {}
  return out
}

export interface RecordStats { entries: number; events: number; skipped: number; refused: number }

/**
 * Envelopes of the entries of `channel`'s log whose stream-id time is in [from, to] (epoch ms);
 * with `partitions` (DESIGN §11) the logs of them all, merged in time order.
 */
export async function* readChannelLog(
  redis: Redis, channel: string, from: number, to: number, stats: RecordStats, pageSize = 1000, partitions: readonly string[] = [''],
): AsyncGenerator<EventEnvelope> {
  const start = `${Math.max(0, Math.floor(from))}-0`
  const end = `${Math.floor(to)}-18446744073709551615`
  for await (const { entry } of mergedLog(redis, channel, partitions, { start: () => start, end, pageSize })) {
    stats.entries++
    const e = envelopeOf(entry)
    if (!e) { stats.skipped++; continue }
    if (fieldOf(entry, 'a') === '0') stats.refused++
    stats.events++
    yield e
  }
}

function fieldOf([, fields]: LogEntry, name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1]
  return undefined
}
