/**
 * What both simulation modes share: the seeded randomness, the grids, the
 * agenda, the open-subject budget, run-tagged ids and the event buffer that
 * next() drains. A mode adds only its intake processes on top.
 */
import type { EventEnvelope } from '../../domain/events.ts'
import type { RegionCollection } from '../../domain/regions.ts'
import type { SimParams } from '../sim-params.ts'
import { Catalog, type SimCategories } from './catalog.ts'
import { EventQueue } from './event-queue.ts'
import { gridsOf, type SimGrid } from './grid-geometry.ts'
import { hash32, Rng, WeightedTable } from './random.ts'
import { gridStandings } from './standing.ts'
import type { SimContext } from './sim-context.ts'

export interface CoreOptions {
  seed: number
  regions: RegionCollection
  categories: SimCategories
  params: SimParams
  /** Real durations are divided by this; 1 is real time. */
  compress: number
  maxOpen: number
}

export interface SimulationStats { open: number; queued: number; dropped: number; emitted: number; workers: number }

export interface Simulation {
  /** All events due up to `untilMs` (epoch ms), in time order. */
  next(untilMs: number): EventEnvelope[]
  stats(): SimulationStats
}

export interface SimCore {
  ctx: SimContext
  grids: SimGrid[]
  /** Fix the run tag from seed and start; call once, before any subject is made. */
  tag(start: number): void
  /** Run every step due up to `untilMs` and return what they emitted. */
  drain(untilMs: number): EventEnvelope[]
  counts(): Omit<SimulationStats, 'workers'>
}

export function createCore(o: CoreOptions): SimCore {
  if (!(o.compress > 0) || !Number.isFinite(o.compress)) throw new Error(`compress must be a positive number, got ${o.compress}`)
  const rng = new Rng(o.seed)
  const grids = gridsOf(o.regions, rng, gridStandings(o.regions, o.params.standing))
  const queue = new EventQueue()
  let out: EventEnvelope[] = []
  let open = 0, dropped = 0, emitted = 0, counter = 0
  let runTag = ''
  const defaultActivities = (catalog: Catalog) => catalog.activities

  const ctx: SimContext = {
    rng,
    catalog: new Catalog(o.categories, o.params),
    grids: new WeightedTable(grids.map((g) => [g, g.population] as const)),
    compressed: o.compress !== 1,
    get runTag() { return runTag },
    minutes: (m) => (m * 60_000) / o.compress,
    schedule: (at, step) => queue.push(at, step),
    emit: (event) => { out.push(event); emitted++ },
    openSubject: () => (open < o.maxOpen ? (open++, true) : (dropped++, false)),
    closeSubject: () => { open-- },
    newSubjectId: (prefix, day) => `${prefix}${day}-${runTag}-${String(++counter).padStart(6, '0')}`,
    gridActivities: () => defaultActivities(ctx.catalog),
  }

  return {
    ctx,
    grids,
    // Ids carry a tag of seed and start, so two runs never share an idempotency key.
    tag(start) {
      const t = hash32(hash32(o.seed) ^ hash32(Math.floor(start / 1000)))
      runTag = t.toString(36).toUpperCase().padStart(7, '0').slice(-5)
    },
    drain(untilMs) {
      out = []
      while (queue.peekTime() <= untilMs) {
        const { at, step } = queue.pop()!
        step(at)
      }
      return out
    },
    counts: () => ({ open, queued: queue.size, dropped, emitted }),
  }
}
