/** Channel log entries (XADD fields e, r, a, c; a: 1 applied, p parked, u applied after being parked, 0 refused) as the LiveEvents screens receive. */
import type { ValidEvent } from '../domain/events.ts'
import type { LiveEvent } from '../domain/protocol.ts'
import { sidOf } from '../domain/stream-id.ts'

export type RawEntry = [sid: string, fields: string[]]

/**
 * Whether an entry is news for the screens. `firstTime(key)` is true the first time a key is offered
 * (the tailer's memory of what it handed over). After a Redis failover a sender's resend logs an event
 * again under a new stream id: an event is handed over at most once parked ('p', and only when not
 * shown at all) and at most once applied ('1' on arrival, or 'u' applied after being parked, whose 'p'
 * was shown before); a refusal after the park window ('0') always.
 */
export function isNews([, fields]: RawEntry, id: string, firstTime: (key: string) => boolean): boolean {
  let a: string | undefined
  for (let i = 0; i + 1 < fields.length && a === undefined; i += 2) if (fields[i] === 'a') a = fields[i + 1]
  if (a === 'p') return firstTime(id)
  if (a !== '1' && a !== 'u') return true
  const news = firstTime(`${id}\napplied`)
  firstTime(id) // a 'p' resent after the event was shown applied is not news either
  return news
}

const fieldsOf = (fields: string[]) => {
  const f: Record<string, string> = {}
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
  return f
}

/**
 * An entry as screens receive it: applied when applied on arrival ('1') or after being parked ('u');
 * `partition`: whose log the entry is in ('' the root partition), named in its sid.
 */
export function toLiveEvent([streamId, fields]: RawEntry, partition = ''): LiveEvent {
  const f = fieldsOf(fields)
  const e = JSON.parse(f.e!) as ValidEvent
  const live: LiveEvent = {
    sid: sidOf(streamId, partition), id: e.id, feed: e.feed, type: e.type, subject: e.subject, at: e.at,
    region: f.r ?? '', applied: f.a === '1' || f.a === 'u',
  }
  if (e.location) live.location = e.location
  const category = e.category ?? f.c
  if (category) live.category = category
  if (typeof e.attrs.kind === 'string') live.kind = e.attrs.kind
  if (typeof e.attrs.severity === 'string') live.severity = e.attrs.severity
  return live
}
