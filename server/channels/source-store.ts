/**
 * A replay's source events, stored once in Redis when the channel is made:
 * a stream whose ids are `<virtual ms>-<seq>`, so the driver and a seek read
 * "everything due up to t" with one XRANGE, on any instance.
 */
import { AppError } from '../domain/errors.ts'
import type { RawItem } from '../ingest/parse-body.ts'
import type { Store } from '../store/redis-client.ts'
import { replayScripts } from './replay-scripts.ts'
import { keys } from '../store/keys.ts'

export const MAX_SOURCE_EVENTS = 2_000_000
const APPEND_BATCH = 500 // events per script call
const PIPELINE_SCRIPTS = 10 // script calls per round trip

export class SourceTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE'
  override readonly status = 413
  constructor(limit: number) {
    super(`the source holds more than ${limit.toLocaleString('en')} events; replay a shorter span or split the recording`)
  }
}

/** One source event: its channel time and the envelope as JSON. */
export interface SourceEvent { at: number; json: string }
/** A stored source event with its stream id. */
export interface SourceEntry extends SourceEvent { sid: string }
export interface StoredSource { total: number; first: number | null; last: number | null }

/** Append time-ordered events to the channel's source stream; throws past `limit` (the stream is then removed). */
export async function storeSource(store: Store, id: string, events: Iterable<SourceEvent>, limit = MAX_SOURCE_EVENTS): Promise<StoredSource> {
  const key = keys(id).source
  const scripts = replayScripts(store)
  let total = 0
  let first: number | null = null
  let last: number | null = null
  let pipe = store.pipeline()
  let pairs: string[] = []
  const flush = async (final: boolean) => {
    if (pairs.length > 0) scripts.append(pipe, key, pairs)
    pairs = []
    if (!final && ++queued < PIPELINE_SCRIPTS) return
    queued = 0
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err
    pipe = store.pipeline()
  }
  let queued = 0
  try {
    for (const e of events) {
      if (last !== null && e.at < last) throw new Error(`source events are not in time order (event ${total + 1} at ${new Date(e.at).toISOString()})`)
      if (++total > limit) throw new SourceTooLargeError(limit)
      first ??= e.at
      last = e.at
      pairs.push(String(e.at), e.json)
      if (pairs.length === APPEND_BATCH * 2) await flush(false)
    }
    await flush(true)
  } catch (err) {
    await store.unlink(key)
    throw err
  }
  return { total, first, last }
}

/** Up to `count` source entries after stream id `after` and at or before channel time `until`. */
export async function readSource(store: Store, id: string, after: string, until: number | '+', count: number): Promise<SourceEntry[]> {
  const end = until === '+' ? '+' : String(Math.floor(until))
  const raw = (await store.xrange(keys(id).source, `(${after}`, end, 'COUNT', count)) as [string, string[]][]
  return raw.map(([sid, fields]) => ({ sid, at: Number(sid.slice(0, sid.indexOf('-'))), json: fields[1]! }))
}

/** Source entries as the raw items the ingest pipeline takes. */
export const toRawItems = (entries: SourceEntry[]): RawItem[] => entries.map((e) => ({ ok: true, value: JSON.parse(e.json) as unknown }))
