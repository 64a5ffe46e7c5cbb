/** Channel log entries (XADD fields e, r, a, c) as the LiveEvents screens receive. */
import type { ValidEvent } from '../domain/events.ts'
import type { LiveEvent } from '../domain/protocol.ts'

export type RawEntry = [sid: string, fields: string[]]

/** Whether an entry is the event itself, applied ('1') or parked on arrival ('p'), rather than a later refusal of a parked event ('0'). */
export function isEventItself([, fields]: RawEntry): boolean {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === 'a') return fields[i + 1] === '1' || fields[i + 1] === 'p'
  return false
}

export function toLiveEvent([sid, fields]: RawEntry): LiveEvent {
  const f: Record<string, string> = {}
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
  const e = JSON.parse(f.e!) as ValidEvent
  const live: LiveEvent = {
    sid, id: e.id, feed: e.feed, type: e.type, subject: e.subject, at: e.at,
    region: f.r ?? '', applied: f.a === '1',
  }
  if (e.location) live.location = e.location
  const category = e.category ?? f.c
  if (category) live.category = category
  if (typeof e.attrs.kind === 'string') live.kind = e.attrs.kind
  if (typeof e.attrs.severity === 'string') live.severity = e.attrs.severity
  return live
}
