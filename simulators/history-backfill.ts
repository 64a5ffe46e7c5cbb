/**
 * Fill a live channel with the last days of a realistic city before it goes
 * live: the realistic generators run from midnight `days` days ago up to now,
 * a day at a time, and each day is posted through the normal ingest API in
 * large batches over several lanes. Grid `position` pings are left out of the
 * past (nothing reads old positions); duty, patrols, visits and alerts stay.
 * The simulation is handed back so the caller can run the same city on, in
 * wall time, from now: the cases still in flight then close as they would.
 */
import type { EventEnvelope } from '../server/domain/events.ts'
import { createSimulation, type Simulation } from './generators/stream.ts'
import { shanghaiMidnight } from './generators/intensity.ts'
import type { FeedScale } from './generators/realistic-stream.ts'
import { loadSimConfig, type SimConfig } from './load-config.ts'
import { postLanes } from './post-lanes.ts'

const DAY = 86_400_000

export interface HistoryOptions {
  url: string
  key: string
  seed: number
  /** Whole days before today; today up to `now` comes on top. */
  days: number
  /** Epoch ms where the history ends and live begins. */
  now: number
  config?: SimConfig
  scale?: FeedScale
  /** Event types not posted for the past. */
  skipTypes?: readonly string[]
  /** Requests in flight. */
  lanes?: number
  /** Events per request. */
  maxBatch?: number
  signal?: AbortSignal
  log?: (line: string) => void
}

export interface HistoryResult {
  /** The same city, advanced to `now`: call next() with later times to go on live. */
  simulation: Simulation
  /** Events posted (and applied or answered as duplicates). */
  events: number
  accepted: number
  duplicates: number
  /** Parked by the server until an earlier step arrives (each subject's steps go in order, so few). */
  outOfOrder: number
  rejected: number
  days: number
  elapsedSec: number
  perSec: number
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

export async function backfillHistory(o: HistoryOptions): Promise<HistoryResult> {
  if (!(o.days >= 0) || !Number.isInteger(o.days)) throw new Error(`history days must be a whole number ≥ 0, got ${o.days}`)
  const { lanes = 4, maxBatch = 1000, skipTypes = ['position'], log = console.log } = o
  const skip = new Set(skipTypes)
  const config = o.config ?? loadSimConfig()
  const start = shanghaiMidnight(o.now) - o.days * DAY
  const simulation = createSimulation({ ...config, mode: 'realistic', seed: o.seed, start, ...(o.scale ? { scale: o.scale } : {}) })
  const total = o.days + 1
  const t0 = performance.now()
  let events = 0, accepted = 0, duplicates = 0, outOfOrder = 0, rejected = 0
  const firstRejections: string[] = []
  for (let d = 0; d < total; d++) {
    const until = Math.min(start + (d + 1) * DAY, o.now)
    const day: EventEnvelope[] = simulation.next(until).filter((e) => !skip.has(e.type))
    await postLanes(day, {
      url: o.url, key: o.key, lanes, maxBatch, signal: o.signal,
      onApplied: (n, reply) => {
        events += n
        accepted += reply.accepted
        duplicates += reply.duplicates
        outOfOrder += reply.outOfOrder ?? 0
        rejected += reply.rejected.length
        for (const r of reply.rejected) if (firstRejections.length < 3) firstRejections.push(`${r.id ?? `#${r.index}`}: ${r.error}`)
      },
      onRetry: (reason, ms) => log(`历史数据 history: 发送失败 (${reason}), ${(ms / 1000).toFixed(1)} 秒后重试`),
    })
    const sec = (performance.now() - t0) / 1000
    log(`历史数据 history: day ${d + 1}/${total}, ${fmt(events)} events, ${fmt(events / Math.max(sec, 0.001))} ev/s`)
  }
  for (const r of firstRejections) log(`历史数据 history: 拒绝 rejected ${r}`)
  const elapsedSec = (performance.now() - t0) / 1000
  return { simulation, events, accepted, duplicates, outOfOrder, rejected, days: o.days, elapsedSec, perSec: events / Math.max(elapsedSec, 0.001) }
}
