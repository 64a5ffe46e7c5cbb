/**
 * The realistic mode, in real time: hotline and case intake from each grid's
 * population × the hourly profile × weekday/weekend, grid workers on a daily
 * roster, sensors alerting now and then. A scenario adds its incidents
 * through `extras` (more sources, busier grid workers).
 */
import type { RegionCollection } from '../../domain/regions.ts'
import type { SimParams } from '../sim-params.ts'
import { runSource, type Source } from './arrivals.ts'
import { startCase } from './case-stream.ts'
import type { SimCategories } from './catalog.ts'
import type { SimGrid } from './grid-geometry.ts'
import { createWorkers, raiseSensorAlert, type Worker } from './grid-stream.ts'
import { ordersPerArrival, startHotline } from './hotline-stream.ts'
import { Intensity, type DayTypeMode } from './intensity.ts'
import { scheduleRoster } from './roster.ts'
import { AgentRoster, simulatesService, startErrand } from './service-stream.ts'
import { createCore, type Simulation } from './sim-core.ts'
import type { SimContext } from './sim-context.ts'

export interface FeedScale { case?: number; hotline?: number; iot?: number }

/** What `extras` may build on: the context, grids, workers and the baseline rates. */
export interface RealisticEnv {
  ctx: SimContext
  grids: readonly SimGrid[]
  workers: readonly Worker[]
  intensity: Intensity
  start: number
  /** Baseline intakes per hour at `at` of a feed for `population` residents (scale included). */
  baseline(feed: 'case' | 'hotline', population: number, at: number): number
  addSource(source: Source, from: number, until: number): void
}

export interface RealisticOptions {
  seed: number
  regions: RegionCollection
  categories: SimCategories
  params: SimParams
  /** Epoch ms where simulated time begins. */
  start: number
  /** Weekday or weekend volumes; `auto` (default) by the calendar. */
  dayType?: DayTypeMode
  /** Multipliers of the baseline intake per feed (default 1). */
  scale?: FeedScale
  maxOpen?: number
  extras?: (env: RealisticEnv) => void
}

export function createRealisticSimulation(o: RealisticOptions): Simulation {
  if (!Number.isFinite(o.start)) throw new Error(`start must be an epoch ms time, got ${o.start}`)
  const core = createCore({ ...o, compress: 1, maxOpen: o.maxOpen ?? 200_000 })
  const { ctx } = core
  const p = o.params
  const scale = { case: 1, hotline: 1, iot: 1, ...o.scale }
  core.tag(o.start)
  const workers = createWorkers(ctx, core.grids)
  const intensity = new Intensity(p, o.dayType)
  const population = core.grids.reduce((sum, g) => sum + g.population, 0)
  const perDay = { case: p.case.per10kPerDay, hotline: p.hotline.ordersPer10kPerDay }
  const baseline = (feed: 'case' | 'hotline', pop: number, at: number) => intensity.perHour(perDay[feed], pop, at) * scale[feed]
  const env: RealisticEnv = {
    ctx, grids: core.grids, workers, intensity, start: o.start, baseline,
    addSource: (source, from, until) => runSource(ctx, source, from, until),
  }

  runSource(ctx, { perHour: (t) => baseline('hotline', population, t) / ordersPerArrival(ctx), arrive: (t) => startHotline(ctx, t) }, o.start)
  runSource(ctx, { perHour: (t) => baseline('case', population, t), arrive: (t) => startCase(ctx, t) }, o.start)
  // Sensors do not keep office hours: a flat rate.
  const iotPerHour = (p.grid.iotAlertsPer10kPerDay * population) / 10_000 / 24 * scale.iot
  runSource(ctx, { perHour: () => iotPerHour, arrive: (t) => raiseSensorAlert(ctx, t, ctx.grids.pick(ctx.rng)) }, o.start)
  scheduleRoster(ctx, workers, intensity, o.start)
  const service = p.service
  if (service && simulatesService(ctx)) {
    // errands follow office hours like the hotline; a week has 5 weekdays and 2 weekend days at weekendFactor
    const weekDays = 5 + 2 * p.profile.weekendFactor
    runSource(ctx, { perHour: (t) => intensity.perHour(service.errandsPer10kPerWeek / weekDays, population, t), arrive: (t) => startErrand(ctx, t) }, o.start)
    const agents = new AgentRoster(core.grids)
    const visitsPerDay = (agents.villages * service.agentVisitsPerVillagePerWeek) / weekDays
    runSource(ctx, { perHour: (t) => intensity.perHour(visitsPerDay, 10_000, t), arrive: (t) => agents.visit(ctx, t) }, o.start)
  }
  o.extras?.(env)

  return {
    next: (untilMs) => core.drain(untilMs),
    stats: () => ({ ...core.counts(), workers: workers.length }),
  }
}
