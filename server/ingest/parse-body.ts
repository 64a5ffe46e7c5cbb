/**
 * Turn a request body (one event, a JSON array, or NDJSON) into raw items.
 * A bad NDJSON line becomes a per-item error so the lines around it still land.
 */
import { AppError, BadRequestError } from '../domain/errors.ts'

export type RawItem = { ok: true; value: unknown } | { ok: false; error: string }

/** More items in one body than INGEST_MAX_ITEMS: each costs a validation and a line of answer. */
export class TooManyItemsError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE'
  override readonly status = 413
  constructor(max: number) {
    super(`body holds more than ${max} events; send smaller batches`)
  }
}

/** Split a body into raw items; throws BadRequestError when it is no JSON at all, TooManyItemsError over maxItems (a recording has none). */
export function parseBody(text: string, contentType: string | undefined, maxItems = Infinity): RawItem[] {
  if (/ndjson|jsonl|json-seq/i.test(contentType ?? '')) return parseNdjson(text, maxItems)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new BadRequestError(`body is not valid JSON (${(err as Error).message.slice(0, 160)}); send one event, an array, or NDJSON with Content-Type: application/x-ndjson`)
  }
  if (Array.isArray(body)) {
    if (body.length > maxItems) throw new TooManyItemsError(maxItems)
    return body.map((value) => ({ ok: true, value }))
  }
  if (body && typeof body === 'object') return [{ ok: true, value: body }]
  throw new BadRequestError('body must be an event object, an array of events, or NDJSON')
}

function parseNdjson(text: string, maxItems: number): RawItem[] {
  const items: RawItem[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    if (items.length === maxItems) throw new TooManyItemsError(maxItems)
    try {
      items.push({ ok: true, value: JSON.parse(line) })
    } catch {
      items.push({ ok: false, error: `line ${i + 1} is not valid JSON` })
    }
  })
  if (items.length === 0) throw new BadRequestError('NDJSON body holds no events')
  return items
}
