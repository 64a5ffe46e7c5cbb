/**
 * Turn a request body (one event, a JSON array, or NDJSON) into raw items.
 * A bad NDJSON line becomes a per-item error so the lines around it still land.
 */
import { BadRequestError } from '../domain/errors.ts'

export type RawItem = { ok: true; value: unknown } | { ok: false; error: string }

export function parseBody(text: string, contentType: string | undefined): RawItem[] {
  if (/ndjson|jsonl|json-seq/i.test(contentType ?? '')) return parseNdjson(text)
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new BadRequestError(`body is not valid JSON (${(err as Error).message}); send one event, an array, or NDJSON with Content-Type: application/x-ndjson`)
  }
  if (Array.isArray(body)) return body.map((value) => ({ ok: true, value }))
  if (body && typeof body === 'object') return [{ ok: true, value: body }]
  throw new BadRequestError('body must be an event object, an array of events, or NDJSON')
}

function parseNdjson(text: string): RawItem[] {
  const items: RawItem[] = []
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return
    try {
      items.push({ ok: true, value: JSON.parse(line) })
    } catch {
      items.push({ ok: false, error: `line ${i + 1} is not valid JSON` })
    }
  })
  if (items.length === 0) throw new BadRequestError('NDJSON body holds no events')
  return items
}
