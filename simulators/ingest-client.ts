/**
 * One POST of a batch to the ingest API, classified for the sender: applied
 * (with the server's counts), worth retrying (network, 503, other 5xx, 429)
 * or fatal (any other 4xx: a wrong key or URL will not fix itself).
 */
import type { EventEnvelope } from '../server/domain/events.ts'

export interface Rejection { index: number; id: string | null; error: string }
export interface IngestReply { accepted: number; duplicates: number; outOfOrder?: number; rejected: Rejection[] }

export type PostOutcome =
  | { kind: 'applied'; reply: IngestReply }
  | { kind: 'retry'; reason: string }
  | { kind: 'fatal'; reason: string }

/** The server's own words from an error body `{ error: { code, message } }`, or the raw text. */
function errorText(status: number, body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { code?: string; message?: string } | string; message?: string }
    const e = typeof j.error === 'string' ? j.error : j.error ? [j.error.code, j.error.message].filter(Boolean).join(': ') : j.message
    if (e) return `HTTP ${status} ${e}`
  } catch {
    // not JSON: fall through to the text itself
  }
  return `HTTP ${status} ${body.slice(0, 300).trim()}`
}

export async function postBatch(url: string, key: string, events: EventEnvelope[], signal?: AbortSignal): Promise<PostOutcome> {
  let res: Response
  let body: string
  try {
    res = await fetch(`${url.replace(/\/+$/, '')}/api/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(events),
      signal,
    })
    body = await res.text()
  } catch (err) {
    if (signal?.aborted) throw err
    const cause = (err as { cause?: { code?: string; message?: string } }).cause
    return { kind: 'retry', reason: `网络错误 ${cause?.code ?? cause?.message ?? (err as Error).message}` }
  }
  if (res.status === 503 || res.status === 429 || res.status >= 500) return { kind: 'retry', reason: errorText(res.status, body) }
  if (!res.ok) return { kind: 'fatal', reason: errorText(res.status, body) }
  try {
    const j = JSON.parse(body) as Partial<IngestReply>
    const reply = { accepted: Number(j.accepted ?? 0), duplicates: Number(j.duplicates ?? 0), outOfOrder: Number(j.outOfOrder ?? 0), rejected: Array.isArray(j.rejected) ? j.rejected : [] }
    return { kind: 'applied', reply }
  } catch {
    return { kind: 'fatal', reason: `HTTP ${res.status} 响应不是 JSON: ${body.slice(0, 200)}` }
  }
}
