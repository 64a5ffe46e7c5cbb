/**
 * Post a large set of events as fast as the server takes them: split into
 * lanes by subject (so each subject's events still arrive in time order) and
 * keep one request in flight per lane. A batch that fails for a transient
 * reason is retried as is; a fatal answer stops every lane.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { EventEnvelope } from '../server/domain/events.ts'
import { postBatch, type IngestReply } from './ingest-client.ts'

export interface LaneOptions {
  url: string
  key: string
  /** Requests in flight. */
  lanes: number
  /** Events per request, under the server's body limit. */
  maxBatch: number
  signal?: AbortSignal
  /** Each applied batch, with the server's counts. */
  onApplied?: (count: number, reply: IngestReply) => void
  onRetry?: (reason: string, delayMs: number) => void
}

const MAX_RETRY_MS = 15_000

/** Lane of a subject: a stable hash of feed and subject. */
export function laneOf(e: EventEnvelope, lanes: number): number {
  let h = 0
  for (let i = 0; i < e.subject.length; i++) h = (Math.imul(h, 31) + e.subject.charCodeAt(i)) | 0
  h = (Math.imul(h, 31) + e.feed.length) | 0
  return Math.abs(h) % lanes
}

/** Post `events` (in time order) over `lanes` parallel lanes; resolves when all were applied. */
export async function postLanes(events: readonly EventEnvelope[], o: LaneOptions): Promise<void> {
  const byLane: EventEnvelope[][] = Array.from({ length: o.lanes }, () => [])
  for (const e of events) byLane[laneOf(e, o.lanes)]!.push(e)
  let failed: Error | undefined
  await Promise.all(byLane.map(async (lane) => {
    for (let i = 0; i < lane.length && !failed; i += o.maxBatch) {
      const batch = lane.slice(i, i + o.maxBatch)
      for (let retryDelay = 0; !failed;) {
        const outcome = await postBatch(o.url, o.key, batch, o.signal)
        if (outcome.kind === 'applied') {
          o.onApplied?.(batch.length, outcome.reply)
          break
        }
        if (outcome.kind === 'fatal') {
          failed = new Error(`服务器拒绝请求 the server refused the history: ${outcome.reason}`)
          break
        }
        retryDelay = Math.min(MAX_RETRY_MS, Math.max(500, retryDelay * 2))
        o.onRetry?.(outcome.reason, retryDelay)
        await sleep(retryDelay, undefined, { signal: o.signal })
      }
    }
  }))
  if (failed) throw failed
}
