/**
 * A recording uploaded to make a replay channel: NDJSON (or a JSON array) of
 * event envelopes. Every event must be one the ingest would accept, so a
 * drill never stalls on a bad line; they are replayed in time order.
 */
import { BadRequestError } from '../domain/errors.ts'
import { prepare, type IngestDeps } from '../ingest/ingest.ts'
import { parseBody } from '../ingest/parse-body.ts'
import type { SourceEvent } from './source-store.ts'

const SHOWN_ERRORS = 5

/** The recording's events sorted by time (stable: equal times keep their order); 400 listing the first bad lines. */
export function parseRecording(text: string, deps: Pick<IngestDeps, 'regions' | 'categories'>): SourceEvent[] {
  const items = parseBody(text, text.trimStart().startsWith('[') ? 'application/json' : 'application/x-ndjson')
  const events: SourceEvent[] = []
  const errors: string[] = []
  items.forEach((item, i) => {
    const prepared = item.ok ? prepare(item.value, deps) : item.error
    if (typeof prepared === 'string') errors.push(`event ${i + 1}: ${prepared}`)
    else events.push({ at: prepared.event.at, json: JSON.stringify(item.ok ? item.value : null) })
  })
  if (errors.length > 0) {
    const more = errors.length > SHOWN_ERRORS ? `; and ${errors.length - SHOWN_ERRORS} more` : ''
    throw new BadRequestError(`recording: ${errors.length} of ${items.length} events are invalid: ${errors.slice(0, SHOWN_ERRORS).join('; ')}${more}`)
  }
  if (events.length === 0) throw new BadRequestError('recording holds no events')
  return events.sort((a, b) => a.at - b.at) // Array.prototype.sort is stable
}
