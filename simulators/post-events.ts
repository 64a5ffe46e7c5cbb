/**
 * Drive a simulation in wall time and POST its events to the ingest API.
 * A batch that fails for a transient reason is retried as is (ids make that
 * idempotent) and holds later batches behind it, so nothing is lost or
 * reordered. No process-level side effects: the demo launcher imports this.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { wallClock, type Clock } from '../server/domain/clock.ts'
import type { EventEnvelope } from '../server/domain/events.ts'
import { createSimulation, type Simulation } from '../server/simulation/generators/stream.ts'
import { postBatch, type PostOutcome } from './ingest-client.ts'
import { loadSimConfig, type SimConfig } from '../server/simulation/load-config.ts'
import { ProgressLog, type RunTotals } from './progress-log.ts'

export type { RunTotals } from './progress-log.ts'

export interface RunOptions {
  url: string
  key: string
  rate: number
  seed: number
  durationSec?: number
  compress?: number
  batchMs?: number
  signal?: AbortSignal
  log?: (line: string) => void
  clock?: Clock
  /** Regions and categories; default: read from config/. */
  config?: SimConfig
  /** Events waiting to be delivered beyond which generation stops. */
  maxBacklog?: number
  /** Events per POST, well under the server's body limit. */
  maxBatch?: number
  /** After the duration, how long to keep retrying what is still waiting. */
  drainMs?: number
  /** Start this many seconds in the past and post that stretch at once, so a wall opens full. */
  backfillSec?: number
  /** Run this simulation on (e.g. the city a history backfill left at now) instead of a new rate-mode one. */
  simulation?: Simulation
}

const MAX_RETRY_MS = 15_000

export async function runSimulator(o: RunOptions): Promise<RunTotals> {
  if (!o.key) throw new Error('ingest key is empty: pass --key or set INGEST_KEY')
  const { batchMs = 250, maxBacklog = 20_000, maxBatch = 1000, drainMs = 30_000 } = o
  const clock = o.clock ?? wallClock()
  const start = clock.now() - (o.backfillSec ?? 0) * 1000
  const endAt = o.durationSec ? clock.now() + o.durationSec * 1000 : Infinity
  const sim = o.simulation ?? createSimulation({ ...(o.config ?? loadSimConfig()), seed: o.seed, rate: o.rate, compress: o.compress, start })
  const progress = new ProgressLog(o.log ?? console.log, start)
  const backlog: EventEnvelope[][] = []
  // The batch being delivered: retried exactly as it is until the server applied it.
  let current: EventEnvelope[] | undefined
  let waiting = 0
  let generating = true
  let retryDelay = 0
  let retryAt = 0

  const finish = (reason: RunTotals['reason'], error?: string) => progress.finish(clock.now(), reason, waiting, error)
  let reason: RunTotals['reason'] = 'duration'

  for (;;) {
    if (o.signal?.aborted) return finish('aborted')
    const now = clock.now()
    if (generating && now >= endAt) generating = false
    if (generating) {
      const events = sim.next(now)
      progress.generated += events.length
      if (events.length > 0) backlog.push(events)
      waiting += events.length
      if (waiting > maxBacklog) {
        generating = false
        reason = 'backlog'
        progress.say(`积压 ${waiting} 条未送达（上限 ${maxBacklog}），停止生成；继续重试已生成的事件`)
      }
    }
    while (now >= retryAt && (current ??= takeBatch(backlog, maxBatch))) {
      const batch = current
      let outcome: PostOutcome
      try {
        outcome = await postBatch(o.url, o.key, batch, o.signal)
      } catch {
        return finish('aborted')
      }
      if (outcome.kind === 'fatal') {
        progress.say(`服务器拒绝请求，停止：${outcome.reason}`)
        return finish('fatal', outcome.reason)
      }
      if (outcome.kind === 'retry') {
        retryDelay = Math.min(MAX_RETRY_MS, Math.max(500, retryDelay * 2))
        retryAt = clock.now() + retryDelay
        progress.say(`发送失败（${outcome.reason}），${(retryDelay / 1000).toFixed(1)} 秒后重试同一批 ${batch.length} 条，积压 ${waiting} 条`)
        break
      }
      current = undefined
      waiting -= batch.length
      retryDelay = 0
      progress.applied(batch.length, outcome.reply)
    }
    if (!generating && waiting === 0) {
      return finish(reason, reason === 'backlog' ? `generation stopped: more than ${maxBacklog} events were waiting` : undefined)
    }
    if (!generating && reason === 'duration' && clock.now() > endAt + drainMs) {
      progress.say(`时长已到，仍有 ${waiting} 条未送达，放弃重试`)
      return finish('duration', `${waiting} events not delivered`)
    }
    progress.tick(clock.now(), waiting)
    try {
      await sleep(batchMs, undefined, { signal: o.signal })
    } catch {
      return finish('aborted')
    }
  }
}

/** Up to `max` events from the front of the backlog: after an outage, catch up in full batches. */
function takeBatch(backlog: EventEnvelope[][], max: number): EventEnvelope[] | undefined {
  const batch: EventEnvelope[] = []
  while (backlog.length > 0 && batch.length < max) {
    const chunk = backlog[0]!
    const room = max - batch.length
    if (chunk.length <= room) {
      batch.push(...chunk)
      backlog.shift()
    } else {
      batch.push(...chunk.slice(0, room))
      backlog[0] = chunk.slice(room)
    }
  }
  return batch.length > 0 ? batch : undefined
}
