/**
 * Grid workers (网格员): a few in a subset of grids. A shift starts with
 * 上岗, then every so often the worker reports a position while walking a
 * path inside their own grid, patrols (巡查), visits households (走访入户),
 * now and then relays a sensor or video alert, and ends with 下岗.
 */
import { randomPointIn, stepToward, type SimGrid } from './grid-geometry.ts'
import { WeightedTable } from './random.ts'
import { SubjectEvents, type SimContext } from './sim-context.ts'

/** Average events per shift: turns an event rate into a shift-start rate. */
export const GRID_EVENTS_PER_INTAKE = 16.5

const ACTIVITIES = [['position', 72], ['patrol', 13], ['visit', 13], ['alert', 1]] as const
const ALERTS = {
  iot: ['烟感告警', '水位超限', '燃气浓度超标', '井盖位移'],
  video: ['占道经营识别', '垃圾满溢', '消防通道占用', '人员聚集'],
}

interface Worker {
  grid: SimGrid
  ev: SubjectEvents
  onDuty: boolean
  pos: [number, number]
  target: [number, number]
  shiftEnd: number
}

export interface Workforce {
  readonly size: number
  /** Put an off-duty worker (chosen by grid population) on duty at `at`; no-op when none is free or the cap is reached. */
  startShift(ctx: SimContext, at: number): void
}

/** The grid workers of a run: about 45 % of grids have 1–3 workers. */
export function createWorkforce(ctx: SimContext, grids: readonly SimGrid[]): Workforce {
  const { rng } = ctx
  const entries: [Worker, number][] = []
  for (const grid of grids) {
    if (!rng.chance(0.45)) continue
    const count = grid.population > 1200 ? rng.int(2, 3) : rng.int(1, 2)
    for (let i = 1; i <= count; i++) {
      const id = `GW${grid.code}-${String(i).padStart(2, '0')}`
      // Workers outlive a run, so their event ids carry the run tag.
      const ev = new SubjectEvents(ctx, 'grid', id, grid.code, `grid-${id}-${ctx.runTag}`)
      entries.push([{ grid, ev, onDuty: false, pos: grid.anchor, target: grid.anchor, shiftEnd: 0 }, grid.population / count])
    }
  }
  const table = new WeightedTable(entries)
  return {
    size: table.size,
    startShift(c, at) {
      let w: Worker | undefined
      for (let tries = 0; tries < 8 && !w; tries++) {
        const candidate = table.pick(c.rng)
        if (!candidate.onDuty) w = candidate
      }
      if (!w || !c.openSubject()) return
      w.onDuty = true
      w.pos = randomPointIn(c.rng, w.grid)
      w.target = randomPointIn(c.rng, w.grid)
      w.shiftEnd = at + c.minutes(c.rng.between(360, 540))
      w.ev.emit('onDuty', at, { location: w.pos })
      scheduleActivity(c, w, at)
    },
  }
}

function scheduleActivity(ctx: SimContext, w: Worker, at: number): void {
  const gapMin = ctx.rng.delay(30, 5, 90)
  ctx.schedule(at + ctx.minutes(gapMin), (t) => activity(ctx, w, t, gapMin))
}

function activity(ctx: SimContext, w: Worker, t: number, gapMin: number): void {
  const { rng } = ctx
  if (t >= w.shiftEnd) {
    w.onDuty = false
    w.ev.emit('offDuty', t, { location: w.pos })
    return ctx.closeSubject()
  }
  const kind = rng.weighted(ACTIVITIES)
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
    const severity = rng.weighted([['info', 60], ['warning', 32], ['critical', 8]] as const)
    w.ev.emit('alert', t, { location: randomPointIn(rng, w.grid), attrs: { source, severity, title: rng.pick(ALERTS[source]) } })
  }
  scheduleActivity(ctx, w, t)
}
