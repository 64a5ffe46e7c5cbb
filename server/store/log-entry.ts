/** Channel log entries (XADD fields e, r, a) as the LiveEvents screens receive. */
import type { ValidEvent } from '../domain/events.ts'
import type { LiveEvent } from '../domain/protocol.ts'

export type RawEntry = [sid: string, fields: string[]]

export function toLiveEvent([sid, fields]: RawEntry): LiveEvent {
  const f: Record<string, string> = {}
  for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
  const e = JSON.parse(f.e!) as ValidEvent
  const live: LiveEvent = {
    sid, id: e.id, feed: e.feed, type: e.type, subject: e.subject, at: e.at,
    region: f.r ?? '', applied: f.a === '1',
  }
  if (e.location) live.location = e.location
  if (e.category) live.category = e.category
  if (typeof e.attrs.kind === 'string') live.kind = e.attrs.kind
  if (typeof e.attrs.severity === 'string') live.severity = e.attrs.severity
  return live
}

/** Order of two stream ids ("ms-seq"): negative when a is older. */
export function compareSid(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number]
  const [bm, bs] = b.split('-').map(Number) as [number, number]
  return am !== bm ? am - bm : as - bs
}
