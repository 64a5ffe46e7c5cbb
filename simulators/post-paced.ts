/**
 * Post a finished stream of events (an NDJSON file, a scenario) to the ingest
 * API on a clock running at `speed`: an event goes out when its `at` comes up.
 * With `rewriteTime` every time (at, attrs.deadline) is mapped onto that
 * clock, so a live channel sees the events happen now. Events are pulled only
 * when due and a failing batch holds the rest back: memory stays flat.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { wallClock, type Clock } from '../server/domain/clock.ts'
import { parseInstant, type EventEnvelope } from '../server/domain/events.ts'
import { formatAtExact } from '../server/domain/shanghai-time.ts'
import { postBatch } from './ingest-client.ts'
import { ProgressLog, type RunTotals } from './progress-log.ts'

export interface PacedOptions {
  url: string
  key: string
  events: Iterable<EventEnvelope> | AsyncIterable<EventEnvelope>
  /** Stream time per wall time (60: an hour in a minute); Infinity sends as fast as the server takes them. */
  speed: number
  /** Stream time at which the clock starts; default: the first event's `at`. */
  from?: number
  rewriteTime?: boolean
  clock?: Clock
  batchMs?: number
  maxBatch?: number
  signal?: AbortSignal
  log?: (line: string) => void
}

const MAX_RETRY_MS = 15_000

export async function postPaced(o: PacedOptions): Promise<RunTotals> {
  if (!o.key) throw new Error('ingest key is empty: pass --key or set INGEST_KEY')
  if (!(o.speed > 0)) throw new Error(`speed must be above 0, got ${o.speed}`)
  if (o.rewriteTime && !Number.isFinite(o.speed)) throw new Error('rewriting times needs a finite speed')
  const { batchMs = 200, maxBatch = 1000 } = o
  const clock = o.clock ?? wallClock()
  const wall0 = clock.now()
  const progress = new ProgressLog(o.log ?? console.log, wall0)
  const it = (Symbol.asyncIterator in o.events ? o.events[Symbol.asyncIterator]() : o.events[Symbol.iterator]()) as
    AsyncIterator<EventEnvelope> | Iterator<EventEnvelope>
  let t0 = o.from
  let streamTime = t0 ?? 0
  const dueAt = (at: number) => (Number.isFinite(o.speed) ? wall0 + (at - t0!) / o.speed : wall0)
  const rewrite = (e: EventEnvelope, at: number): EventEnvelope => {
    if (!o.rewriteTime) return e
    const attrs = e.attrs && typeof e.attrs.deadline === 'string' && parseInstant(e.attrs.deadline) !== null
      ? { ...e.attrs, deadline: formatAtExact(Math.round(dueAt(parseInstant(e.attrs.deadline)!))) } : e.attrs
    return { ...e, at: formatAtExact(Math.round(dueAt(at))), ...(attrs ? { attrs } : {}) }
  }
  const finish = (reason: RunTotals['reason'], waiting: number, error?: string) => progress.finish(clock.now(), reason, waiting, error)

  let pending: { e: EventEnvelope; at: number } | undefined
  let done = false
  for (;;) {
    if (o.signal?.aborted) return finish('aborted', pending ? 1 : 0)
    const now = clock.now()
    const batch: EventEnvelope[] = []
    while (batch.length < maxBatch) {
      if (!pending) {
        const r = await it.next()
        if (r.done) { done = true; break }
        progress.generated++
        // an unreadable time is sent at once: the server names the problem
        const at = parseInstant(r.value.at) ?? streamTime
        t0 ??= at
        pending = { e: r.value, at }
      }
      if (dueAt(pending.at) > now) break
      streamTime = Math.max(streamTime, pending.at)
      batch.push(rewrite(pending.e, pending.at))
      pending = undefined
    }
    if (batch.length > 0) {
      for (let retryDelay = 0; ;) {
        let outcome
        try {
          outcome = await postBatch(o.url, o.key, batch, o.signal)
        } catch {
          return finish('aborted', batch.length)
        }
        if (outcome.kind === 'applied') { progress.applied(batch.length, outcome.reply); break }
        if (outcome.kind === 'fatal') {
          progress.say(`服务器拒绝请求，停止：${outcome.reason}`)
          return finish('fatal', batch.length, outcome.reason)
        }
        retryDelay = Math.min(MAX_RETRY_MS, Math.max(500, retryDelay * 2))
        progress.say(`发送失败（${outcome.reason}），${(retryDelay / 1000).toFixed(1)} 秒后重试同一批 ${batch.length} 条`)
        try {
          await sleep(retryDelay, undefined, { signal: o.signal })
        } catch {
          return finish('aborted', batch.length)
        }
      }
    } else if (done) return finish('done', 0)
    progress.tick(clock.now(), 0, () => `数据时间 ${formatAtExact(Math.floor(streamTime / 1000) * 1000)}`)
    if (batch.length === maxBatch || !pending) continue
    try {
      await sleep(Math.max(1, Math.min(batchMs, dueAt(pending.at) - clock.now())), undefined, { signal: o.signal })
    } catch {
      return finish('aborted', 1)
    }
  }
}
