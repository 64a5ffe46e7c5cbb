/**
 * The whole simulated city: intake of the three feeds as one Poisson process
 * and every follow-up on a single time-ordered agenda. Same seed, same start,
 * same calls to next() → the same events, byte for byte.
 */
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { RegionCollection } from '../../server/domain/regions.ts'
import { CASE_EVENTS_PER_INTAKE, startCase } from './case-stream.ts'
import { Catalog, type SimCategories } from './catalog.ts'
import { EventQueue } from './event-queue.ts'
import { gridsOf } from './grid-geometry.ts'
import { createWorkforce, GRID_EVENTS_PER_INTAKE, type Workforce } from './grid-stream.ts'
import { HOTLINE_EVENTS_PER_INTAKE, startHotline } from './hotline-stream.ts'
import { hash32, Rng, WeightedTable } from './random.ts'
import type { SimContext } from './sim-context.ts'

export interface SimulationOptions {
  seed: number
  regions: RegionCollection
  categories: SimCategories
  /** Target events per second over all feeds, follow-ups included (reached once lifecycles are in flow). */
  rate: number
  /** Real durations are divided by this: 360 closes a two-day case in eight minutes; 1 is real time. */
  compress?: number
  /** Epoch ms where simulated time begins; default: the first `untilMs` given to next(). */
  start?: number
  /** Cap on subjects in flight (open cases, orders, shifts); intake beyond it is dropped. */
  maxOpen?: number
}

export interface SimulationStats { open: number; queued: number; dropped: number; emitted: number; workers: number }

export interface Simulation {
  /** All events due up to `untilMs` (epoch ms), in time order. */
  next(untilMs: number): EventEnvelope[]
  stats(): SimulationStats
}

// Share of the event volume per feed: grid workers are the busiest, then cases, then the hotline.
const SHARES = { grid: 0.55, case: 0.28, hotline: 0.17 }

export function createSimulation(o: SimulationOptions): Simulation {
  const compress = o.compress ?? 360
  const maxOpen = o.maxOpen ?? 5000
  if (!(o.rate > 0) || !Number.isFinite(o.rate)) throw new Error(`rate must be a positive number of events per second, got ${o.rate}`)
  if (!(compress > 0) || !Number.isFinite(compress)) throw new Error(`compress must be a positive number, got ${compress}`)
  const rng = new Rng(o.seed)
  const grids = gridsOf(o.regions, rng)
  const queue = new EventQueue()
  let out: EventEnvelope[] = []
  let open = 0, dropped = 0, emitted = 0, counter = 0
  let started = false
  let runTag = ''

  const ctx: SimContext = {
    rng,
    catalog: new Catalog(o.categories),
    grids: new WeightedTable(grids.map((g) => [g, g.population] as const)),
    compressed: compress !== 1,
    get runTag() { return runTag },
    minutes: (m) => (m * 60_000) / compress,
    schedule: (at, step) => queue.push(at, step),
    emit: (event) => { out.push(event); emitted++ },
    openSubject: () => (open < maxOpen ? (open++, true) : (dropped++, false)),
    closeSubject: () => { open-- },
    newSubjectId: (prefix, day) => `${prefix}${day}-${ctx.runTag}-${String(++counter).padStart(6, '0')}`,
  }
  let workforce: Workforce | undefined

  const perSecond = (share: number, eventsPerIntake: number) => (o.rate * share) / eventsPerIntake
  const feeds = [
    [(at: number) => workforce?.startShift(ctx, at), perSecond(SHARES.grid, GRID_EVENTS_PER_INTAKE)],
    [(at: number) => startCase(ctx, at), perSecond(SHARES.case, CASE_EVENTS_PER_INTAKE)],
    [(at: number) => startHotline(ctx, at), perSecond(SHARES.hotline, HOTLINE_EVENTS_PER_INTAKE)],
  ] as const
  const meanGapMs = 1000 / feeds.reduce((sum, [, perSec]) => sum + perSec, 0)
  const arrive = (at: number) => {
    rng.weighted(feeds)(at)
    queue.push(at + rng.exp(meanGapMs), arrive)
  }

  // Ids carry a tag of seed and start, so two runs never share an idempotency key.
  function begin(start: number): void {
    started = true
    const tag = hash32(hash32(o.seed) ^ hash32(Math.floor(start / 1000)))
    runTag = tag.toString(36).toUpperCase().padStart(7, '0').slice(-5)
    workforce = createWorkforce(ctx, grids)
    queue.push(start + rng.exp(meanGapMs), arrive)
  }

  return {
    next(untilMs) {
      if (!started) begin(o.start ?? untilMs)
      out = []
      while (queue.peekTime() <= untilMs) {
        const { at, step } = queue.pop()!
        step(at)
      }
      return out
    },
    stats: () => ({ open, queued: queue.size, dropped, emitted, workers: workforce?.size ?? 0 }),
  }
}
