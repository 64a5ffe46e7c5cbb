/**
 * The whole simulated city. Two modes on one core:
 * - `rate` (the live demo): intake of the three feeds as one Poisson process
 *   sized to a target event rate, with compressed lifecycles;
 * - `realistic`: intake from population × hourly profile × weekday, real time
 *   (see realistic-stream.ts).
 * Same seed, same start, same calls to next() → the same events, byte for byte.
 */
import type { RegionCollection } from '../../domain/regions.ts'
import type { SimParams } from '../sim-params.ts'
import { CASE_EVENTS_PER_INTAKE, startCase } from './case-stream.ts'
import type { SimCategories } from './catalog.ts'
import { createWorkforce, eventsPerShift, type Workforce } from './grid-stream.ts'
import { HOTLINE_EVENTS_PER_INTAKE, startHotline } from './hotline-stream.ts'
import { createRealisticSimulation, type RealisticOptions } from './realistic-stream.ts'
import { AgentRoster, SERVICE_EVENTS_PER_INTAKE, simulatesService, startErrand } from './service-stream.ts'
import { createCore, type Simulation } from './sim-core.ts'

export type { Simulation, SimulationStats } from './sim-core.ts'

export interface RateOptions {
  mode?: 'rate'
  seed: number
  regions: RegionCollection
  categories: SimCategories
  /** config/simulation.json: mixes and lifecycle timing (loadSimConfig() reads it). */
  params: SimParams
  /** Target events per second over all feeds, follow-ups included (reached once lifecycles are in flow). */
  rate: number
  /** Real durations are divided by this: 360 closes a two-day case in eight minutes; 1 is real time. */
  compress?: number
  /** Epoch ms where simulated time begins; default: the first `untilMs` given to next(). */
  start?: number
  /** Cap on subjects in flight (open cases, orders, shifts); intake beyond it is dropped. */
  maxOpen?: number
}

export type SimulationOptions = RateOptions | (RealisticOptions & { mode: 'realistic' })

// Share of the event volume per feed: grid workers are the busiest, then cases, then the hotline;
// 便民代办 errands and the agents' circuit visits are a small extra on top.
const SHARES = { grid: 0.55, case: 0.28, hotline: 0.17, service: 0.03, agentVisits: 0.01 }

export function createSimulation(o: SimulationOptions): Simulation {
  if (o.mode === 'realistic') return createRealisticSimulation(o)
  if (!(o.rate > 0) || !Number.isFinite(o.rate)) throw new Error(`rate must be a positive number of events per second, got ${o.rate}`)
  const core = createCore({ ...o, compress: o.compress ?? 360, maxOpen: o.maxOpen ?? 5000 })
  const { ctx } = core
  let workforce: Workforce | undefined
  let started = false
  const agents = new AgentRoster(core.grids)
  const service = simulatesService(ctx) ? 1 : 0

  const perSecond = (share: number, eventsPerIntake: number) => (o.rate * share) / eventsPerIntake
  const feeds = [
    [(at: number) => workforce?.startShift(ctx, at), perSecond(SHARES.grid, eventsPerShift(ctx))],
    [(at: number) => startCase(ctx, at), perSecond(SHARES.case, CASE_EVENTS_PER_INTAKE)],
    [(at: number) => startHotline(ctx, at), perSecond(SHARES.hotline, HOTLINE_EVENTS_PER_INTAKE)],
    [(at: number) => startErrand(ctx, at), service * perSecond(SHARES.service, SERVICE_EVENTS_PER_INTAKE)],
    [(at: number) => agents.visit(ctx, at), service * perSecond(SHARES.agentVisits, 1)],
  ] as const
  const meanGapMs = 1000 / feeds.reduce((sum, [, perSec]) => sum + perSec, 0)
  const arrive = (at: number) => {
    ctx.rng.weighted(feeds)(at)
    ctx.schedule(at + ctx.rng.exp(meanGapMs), arrive)
  }

  function begin(start: number): void {
    started = true
    core.tag(start)
    workforce = createWorkforce(ctx, core.grids)
    ctx.schedule(start + ctx.rng.exp(meanGapMs), arrive)
  }

  return {
    next(untilMs) {
      if (!started) begin(o.start ?? untilMs)
      return core.drain(untilMs)
    },
    stats: () => ({ ...core.counts(), workers: workforce?.size ?? 0 }),
  }
}
