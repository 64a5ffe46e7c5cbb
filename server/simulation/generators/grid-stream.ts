/**
 * Grid workers (网格员): a few in a subset of grids. A shift starts with
 * 上岗, then every few minutes the worker reports a position while walking a
 * path inside their own grid, patrols (巡查), visits households (走访入户),
 * now and then relays a sensor or video alert, and ends with 下岗. Sensors
 * (物联感知) also raise alerts on their own.
 */
import { randomPointIn, stepToward, type SimGrid } from './grid-geometry.ts'
import { Rng, WeightedTable } from './random.ts'
import { betterFor } from './standing.ts'
import { dayStamp } from '../../domain/shanghai-time.ts'
import { SubjectEvents, type SimContext } from './sim-context.ts'

const ALERTS = {
  iot: ['烟感告警', '水位超限', '燃气浓度超标', '井盖位移'],
  video: ['占道经营识别', '垃圾满溢', '消防通道占用', '人员聚集'],
}

export interface Worker {
  grid: SimGrid
  ev: SubjectEvents
  onDuty: boolean
  pos: [number, number]
  target: [number, number]
  shiftEnd: number
}

/** Events of one shift: on and off duty plus one activity per activityEveryMin (turns an event rate into a shift rate). */
export function eventsPerShift(ctx: Pick<SimContext, 'catalog'>): number {
  const g = ctx.catalog.params.grid
  return 2 + (((g.shiftHours[0] + g.shiftHours[1]) / 2) * 60) / g.activityEveryMin
}

// The roster belongs to the city, not to a run: live, drills and every seed staff the same grids.
const ROSTER_SEED = 12345

/**
 * The grid workers of a city: about `workerGridShare` of the grids (more in
 * strong units, fewer in weak ones) have 1–3 workers, in file order.
 */
export function createWorkers(ctx: SimContext, grids: readonly SimGrid[]): Worker[] {
  const rng = new Rng(ROSTER_SEED)
  const { params } = ctx.catalog
  const out: Worker[] = []
  for (const grid of grids) {
    if (!rng.chance(betterFor(params.grid.workerGridShare, grid.standing, params.standing))) continue
    const count = grid.population > 1200 ? rng.int(2, 3) : rng.int(1, 2)
    for (let i = 1; i <= count; i++) {
      const id = `GW${grid.code}-${String(i).padStart(2, '0')}`
      // Workers outlive a run, so their event ids carry the run tag.
      const ev = new SubjectEvents(ctx, 'grid', id, grid.code, `grid-${id}-${ctx.runTag}`)
      out.push({ grid, ev, onDuty: false, pos: grid.anchor, target: grid.anchor, shiftEnd: 0 })
    }
  }
  return out
}

/** 上岗 at `at` until `end` (or later, to the first activity after it); reserves an open-subject slot. */
export function beginShift(ctx: SimContext, w: Worker, at: number, end: number): void {
  if (w.onDuty) {
    w.shiftEnd = Math.max(w.shiftEnd, end)
    return
  }
  if (!ctx.openSubject()) return
  w.onDuty = true
  w.pos = randomPointIn(ctx.rng, w.grid)
  w.target = randomPointIn(ctx.rng, w.grid)
  w.shiftEnd = end
  w.ev.emit('onDuty', at, { location: w.pos })
  scheduleActivity(ctx, w, at)
}

export interface Workforce {
  readonly size: number
  /** Put an off-duty worker (chosen by grid population) on duty at `at`; no-op when none is free or the cap is reached. */
  startShift(ctx: SimContext, at: number): void
}

/** Rate mode: shifts start at random, on a worker picked by the population they serve. */
export function createWorkforce(ctx: SimContext, grids: readonly SimGrid[]): Workforce {
  const workers = createWorkers(ctx, grids)
  const counts = new Map<string, number>()
  for (const w of workers) counts.set(w.grid.code, (counts.get(w.grid.code) ?? 0) + 1)
  const table = new WeightedTable(workers.map((w) => [w, w.grid.population / counts.get(w.grid.code)!] as const))
  return {
    size: table.size,
    startShift(c, at) {
      let w: Worker | undefined
      for (let tries = 0; tries < 8 && !w; tries++) {
        const candidate = table.pick(c.rng)
        if (!candidate.onDuty) w = candidate
      }
      const [lo, hi] = c.catalog.params.grid.shiftHours
      if (w) beginShift(c, w, at, at + c.minutes(c.rng.between(lo, hi) * 60))
    },
  }
}

/** A sensor or camera alert in `grid`, not tied to a worker: each alert is its own subject. */
export function raiseSensorAlert(ctx: SimContext, at: number, grid: SimGrid, o: { title?: string; severity?: string; source?: 'iot' | 'video' } = {}): void {
  const { rng } = ctx
  const source = o.source ?? (rng.chance(0.7) ? 'iot' : 'video')
  const subject = `IOT${grid.code}`
  const ev = new SubjectEvents(ctx, 'grid', subject, grid.code, `grid-${ctx.newSubjectId('IOT', dayStamp(at))}`)
  const severity = o.severity ?? rng.weighted(ctx.catalog.severity)
  ev.emit('alert', at, { location: randomPointIn(rng, grid), attrs: { source, severity, title: o.title ?? rng.pick(ALERTS[source]) } })
}

function scheduleActivity(ctx: SimContext, w: Worker, at: number): void {
  const gapMin = ctx.catalog.params.grid.activityEveryMin * ctx.rng.between(0.7, 1.3)
  ctx.schedule(at + ctx.minutes(gapMin), (t) => activity(ctx, w, t, gapMin))
}

function activity(ctx: SimContext, w: Worker, t: number, gapMin: number): void {
  const { rng } = ctx
  if (t >= w.shiftEnd) {
    w.onDuty = false
    w.ev.emit('offDuty', t, { location: w.pos })
    return ctx.closeSubject()
  }
  const kind = rng.weighted(ctx.gridActivities(w.grid, t))
  if (kind === 'position') {
    const next = stepToward(w.grid, w.pos, w.target, gapMin * 60 * rng.between(0.3, 1.2))
    if (next === w.pos || next === w.target) w.target = randomPointIn(rng, w.grid)
    w.pos = next
    w.ev.emit('position', t, { location: w.pos })
  } else if (kind === 'patrol') {
    const durationMin = rng.int(20, 120)
    w.ev.emit('patrol', t, { location: w.pos, attrs: { durationMin, distanceM: Math.round(durationMin * 60 * rng.between(0.5, 1.1)) } })
  } else if (kind === 'visit') {
    w.ev.emit('visit', t, { location: w.pos, attrs: { households: rng.int(1, 6) } })
  } else {
    const source = rng.chance(0.55) ? 'iot' : 'video'
    const severity = rng.weighted(ctx.catalog.severity)
    w.ev.emit('alert', t, { location: randomPointIn(rng, w.grid), attrs: { source, severity, title: rng.pick(ALERTS[source]) } })
  }
  scheduleActivity(ctx, w, t)
}
