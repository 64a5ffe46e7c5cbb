/**
 * A scenario's incidents turned into intake on top of the baseline: extra
 * Poisson sources for cases, work orders and sensor alerts in the incident's
 * regions and window, busier grid workers, workers called in for a shift.
 * Region and category codes are checked here against the loaded config.
 */
import type { CategoryConfig } from '../../domain/categories.ts'
import type { RegionCollection } from '../../domain/regions.ts'
import type { SimGrid } from '../generators/grid-geometry.ts'
import { beginShift, raiseSensorAlert } from '../generators/grid-stream.ts'
import { ordersPerArrival, startHotline } from '../generators/hotline-stream.ts'
import { startCase } from '../generators/case-stream.ts'
import { WeightedTable } from '../generators/random.ts'
import type { RealisticEnv } from '../generators/realistic-stream.ts'
import type { Incident } from './scenario-schema.ts'

const HOUR = 3_600_000

export interface CompileInput { file: string; incidents: readonly Incident[]; regions: RegionCollection; categories: Pick<CategoryConfig, 'case' | 'hotline'> }

/** Grids of the run under each incident's regions; throws `file: incidents[i].regions[j]: …` for an unknown code. */
function gridsUnder(input: CompileInput, grids: readonly SimGrid[], i: number): SimGrid[] {
  const parent = new Map(input.regions.features.map((f) => [f.properties.code, f.properties.parent]))
  const wanted = new Set<string>()
  input.incidents[i]!.regions.forEach((code, j) => {
    if (!parent.has(code)) throw new Error(`${input.file}: incidents[${i}].regions[${j}]: unknown region code "${code}" (not in the region file)`)
    wanted.add(code)
  })
  const under = (code: string | null | undefined): boolean => !!code && (wanted.has(code) || under(parent.get(code)))
  const out = grids.filter((g) => under(g.code))
  if (out.length === 0) throw new Error(`${input.file}: incidents[${i}].regions: no grid with a usable polygon lies in ${[...wanted].join(', ')}`)
  return out
}

function checkCategory(input: CompileInput, i: number, feed: 'case' | 'hotline', code: string): void {
  const leaves = input.categories[feed].flatMap((g) => g.children.map((c) => c.code))
  if (!leaves.includes(code)) {
    throw new Error(`${input.file}: incidents[${i}].category: "${code}" is not a ${feed} category of config/categories.json (${leaves.join(', ')})`)
  }
}

/** 1 in a steady window; for a peak, rising from 0 at the start to 1 in the middle and back to 0. */
const shapeOf = (inc: Incident, from: number, until: number) =>
  inc.shape === 'peak' ? (t: number) => Math.max(0, 1 - Math.abs((2 * (t - from)) / (until - from) - 1)) : () => 1

const share = <K extends string>(weights: Partial<Record<K, number>>, key: K | undefined) => {
  if (key === undefined) return 1
  const total = Object.values<number | undefined>(weights).reduce<number>((a, b) => a + (b ?? 0), 0)
  return (weights[key] ?? 0) / total
}

/** Attach every incident of the scenario to the realistic run in `env`. */
export function compileIncidents(input: CompileInput, env: RealisticEnv): void {
  const { ctx } = env
  const params = ctx.catalog.params
  input.incidents.forEach((inc, i) => {
    const grids = gridsUnder(input, env.grids, i)
    const table = new WeightedTable(grids.map((g) => [g, g.population] as const))
    const population = grids.reduce((sum, g) => sum + g.population, 0)
    const from = env.start + inc.fromHour * HOUR
    const until = env.start + inc.toHour * HOUR
    const shape = shapeOf(inc, from, until)
    const boost = (t: number) => 1 + ((inc.multiplier ?? 1) - 1) * shape(t)

    if (inc.feed === 'case') {
      if (inc.category) checkCategory(input, i, 'case', inc.category)
      const category = inc.category ? ctx.catalog.caseCategory(inc.category, `incidents[${i}].category`) : undefined
      const mix = share(params.case.categories, inc.category)
      const perHour = inc.extraPerHour !== undefined
        ? (t: number) => inc.extraPerHour! * shape(t)
        : (t: number) => (boost(t) - 1) * env.baseline('case', population, t) * mix
      const o = { category, urgentShare: inc.urgentShare }
      env.addSource({ perHour, arrive: (t) => startCase(ctx, t, { ...o, grid: table.pick(ctx.rng) }) }, from, until)
    } else if (inc.feed === 'hotline') {
      if (inc.category) checkCategory(input, i, 'hotline', inc.category)
      const mix = share(params.hotline.categories, inc.category) * share(params.hotline.kinds, inc.kind)
      const orders = inc.extraPerHour !== undefined
        ? (t: number) => inc.extraPerHour! * shape(t)
        : (t: number) => (boost(t) - 1) * env.baseline('hotline', population, t) * mix
      const o = { category: inc.category, kind: inc.kind, urgentShare: inc.urgentShare }
      env.addSource({ perHour: (t) => orders(t) / ordersPerArrival(ctx), arrive: (t) => startHotline(ctx, t, { ...o, grid: table.pick(ctx.rng) }) }, from, until)
    } else if (inc.activity === 'shift') {
      const inRegion = env.workers.filter((w) => grids.includes(w.grid))
      ctx.schedule(from, () => {
        for (const w of inRegion) {
          if (!ctx.rng.chance(inc.onDutyShare ?? 0)) continue
          ctx.schedule(from + ctx.rng.between(0, 0.5) * HOUR, (t) => beginShift(ctx, w, t, until))
        }
      })
    } else if (inc.extraPerHour !== undefined) {
      const o = { title: inc.title, severity: inc.severity }
      env.addSource({ perHour: (t) => inc.extraPerHour! * shape(t), arrive: (t) => raiseSensorAlert(ctx, t, table.pick(ctx.rng), o) }, from, until)
    } else {
      const activity = inc.activity
      const codes = new Set(grids.map((g) => g.code))
      const previous = ctx.gridActivities
      ctx.gridActivities = (grid, t) => {
        const base = previous(grid, t)
        if (t < from || t >= until || !codes.has(grid.code)) return base
        const m = boost(t)
        return base.map(([a, w]) => [a, a === activity ? w * m : w] as const)
      }
    }
  })
}
