// A simulated city stream posted to a test server in the background: the
// simulator's own runner (runSimulator: wall-time generation, one POST per
// tick, retries that keep order) with a quiet log, a hard end and a stop.
// Loopback only: a pump never points at a machine other than this one.
import { runSimulator, type RunTotals } from '../../simulators/post-events.ts'
import { INGEST_KEY } from './test-server.ts'

export interface PumpOptions {
  url: string
  /** Events per second over all feeds (the simulation's target rate). */
  rate: number
  /** Bound: generation stops after this many seconds, then what is waiting is delivered. */
  seconds: number
  /** One POST per tick: 200 ms at 50 events/s is 10 events per POST. */
  tickMs?: number
  seed?: number
  /** Lifecycle durations are divided by this (360: a two-day case closes in eight minutes, deadlines pass). */
  compress?: number
  /** Start this far in the past and post that stretch at once (in batches of 1000), so a wall opens full. */
  backfillSec?: number
  key?: string
}

export interface EventPump {
  /** Resolves when the pump stopped by itself (its seconds are over and everything was delivered) or was stopped. */
  done: Promise<RunTotals>
  /** Stop at once (an in-flight POST is abandoned); resolves with the totals. */
  stop(): Promise<RunTotals>
  /** The runner's progress lines, for a failure message. */
  log: string[]
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])
const DRAIN_MS = 10_000

export function startEventPump(o: PumpOptions): EventPump {
  const host = new URL(o.url).hostname
  if (!LOOPBACK.has(host)) throw new Error(`event pump posts to loopback only, not ${host}`)
  if (!(o.seconds > 0) || !(o.rate > 0)) throw new Error('event pump needs a positive rate and duration')
  const abort = new AbortController()
  const log: string[] = []
  const done = runSimulator({
    url: o.url,
    key: o.key ?? INGEST_KEY,
    rate: o.rate,
    seed: o.seed ?? 1,
    durationSec: o.seconds,
    compress: o.compress ?? 360,
    batchMs: o.tickMs ?? 200,
    backfillSec: o.backfillSec ?? 0,
    drainMs: DRAIN_MS,
    // the backfill is generated in one go: let it wait in full, still bounded
    maxBacklog: Math.max(20_000, Math.ceil(2 * o.rate * (o.backfillSec ?? 0))),
    signal: abort.signal,
    log: (line) => { if (log.push(line) > 200) log.shift() },
  })
  return {
    done,
    log,
    stop: () => {
      abort.abort()
      return done
    },
  }
}

/**
 * Post `seconds` of simulated past (up to now) at `rate` and wait until it is
 * applied: a few thousand events with lifecycles in every state, ratings,
 * workers on duty with positions and, with compressed deadlines, some overdue.
 */
export async function postBackfill(url: string, o: { rate: number; seconds: number; seed?: number }): Promise<RunTotals> {
  const totals = await startEventPump({ url, rate: o.rate, seconds: 1, backfillSec: o.seconds, seed: o.seed ?? 7 }).done
  if (totals.error || totals.rejected > 0) throw new Error(`backfill failed: ${JSON.stringify(totals)}`)
  return totals
}
