/**
 * Fill a live channel with the last days of a realistic city before it goes
 * live: the realistic generators run from midnight `days` days ago up to now,
 * and the events are posted through the normal ingest API in large batches
 * over several lanes. Grid `position` pings are left out of the past
 * (nothing reads old positions) but for each worker's latest of the last two
 * hours; duty, patrols, visits and alerts stay.
 *
 * Yesterday first and back from there, today last: a time budget then
 * shortens the history at its old end instead of leaving a recent day out,
 * and the log (the wall's ticker) ends with today's latest events. A case or
 * work order goes with the day of its intake (all its steps, in order), a
 * grid event with its own day; today comes after every older shift, so an
 * old 下岗 never lands after today's 上岗.
 * The simulation is handed back so the caller can run the same city on, in
 * wall time, from now: the cases still in flight then close as they would.
 */
import type { EventEnvelope } from '../server/domain/events.ts'
import { createSimulation, type Simulation } from '../server/simulation/generators/stream.ts'
import { shanghaiMidnight } from '../server/simulation/generators/intensity.ts'
import type { FeedScale } from '../server/simulation/generators/realistic-stream.ts'
import { loadSimConfig, type SimConfig } from '../server/simulation/load-config.ts'
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
  /** Seconds the posting may take; older days are left out when it would take longer (default: no limit). */
  budgetSec?: number
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
  /** Whole days before today that were posted (fewer than asked when the budget ran out). */
  days: number
  /** Generation and posting. */
  elapsedSec: number
  /** Events posted per second of posting. */
  perSec: number
}

/** Positions this recent are posted (the latest per worker), so on-duty workers are on the map at once. */
const RECENT_PLACE_MS = 2 * 3_600_000

const fmt = (n: number) => Math.round(n).toLocaleString('en-US')

export async function backfillHistory(o: HistoryOptions): Promise<HistoryResult> {
  if (!(o.days >= 0) || !Number.isInteger(o.days)) throw new Error(`history days must be a whole number ≥ 0, got ${o.days}`)
  const { lanes = 4, maxBatch = 1000, skipTypes = ['position'], log = console.log, budgetSec = Infinity } = o
  const config = o.config ?? loadSimConfig()
  const start = shanghaiMidnight(o.now) - o.days * DAY
  const simulation = createSimulation({ ...config, mode: 'realistic', seed: o.seed, start, ...(o.scale ? { scale: o.scale } : {}) })
  const t0 = performance.now()
  const blocks = dayBlocks(simulation, start, o.now, o.days, new Set(skipTypes))
  const today = blocks[o.days]!
  const total = o.days + 1
  let events = 0, accepted = 0, duplicates = 0, outOfOrder = 0, rejected = 0, posted = 0
  const firstRejections: string[] = []
  const post = (list: EventEnvelope[]) => postLanes(list, {
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
  const seconds = () => (performance.now() - t0) / 1000
  // the posting rate, without the generation before it
  const t1 = performance.now()
  const postRate = () => events / Math.max((performance.now() - t1) / 1000, 0.001)
  const progress = () => log(`历史数据 history: day ${posted}/${total}, ${fmt(events)} events, ${fmt(postRate())} ev/s`)
  for (let d = o.days - 1; d >= 0; d--) {
    const block = blocks[d]!
    // the first block has no rate yet: it always goes
    if (posted > 0 && seconds() + (block.length + today.length) / postRate() > budgetSec) {
      log(`历史数据 history: ${budgetSec} 秒预算内只载入最近 ${posted} 天 (the last ${posted} days fit the ${budgetSec} s budget)`)
      break
    }
    await post(block)
    posted++
    progress()
  }
  await post(today)
  posted++
  progress()
  for (const r of firstRejections) log(`历史数据 history: 拒绝 rejected ${r}`)
  const elapsedSec = seconds()
  return { simulation, events, accepted, duplicates, outOfOrder, rejected, days: posted - 1, elapsedSec, perSec: postRate() }
}

/** The events of each day index 0…days (days = today): a case or work order (and a call) under its intake day, a grid event under its own day. */
function dayBlocks(sim: Simulation, start: number, now: number, days: number, skip: Set<string>): EventEnvelope[][] {
  const blocks: EventEnvelope[][] = Array.from({ length: days + 1 }, () => [])
  const intakeDay = new Map<string, number>()
  const lastPlace = new Map<string, EventEnvelope>() // each worker's latest position in the last hours: the map shows who is out now
  for (let d = 0; d <= days; d++) {
    for (const e of sim.next(Math.min(start + (d + 1) * DAY, now))) {
      // by time, not by day: just after midnight the last two hours are yesterday's
      if (e.type === 'position' && Date.parse(e.at) >= now - RECENT_PLACE_MS) lastPlace.set(e.subject, e)
      if (skip.has(e.type)) continue
      if (e.feed === 'grid') {
        blocks[d]!.push(e)
        continue
      }
      const key = `${e.feed}/${e.subject}`
      let day = intakeDay.get(key)
      if (day === undefined) intakeDay.set(key, (day = d))
      blocks[day]!.push(e)
    }
  }
  if (skip.has('position')) blocks[days]!.push(...lastPlace.values())
  return blocks
}
