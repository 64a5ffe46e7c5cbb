/**
 * The duty roster of the realistic mode: every Shanghai midnight, each grid
 * worker is on that day's shift with the weekday or weekend share, starting
 * in the configured morning window (or, for the evening share, 9 hours
 * later: townships keep a night patrol) and lasting the configured hours.
 */
import { beginShift, type Worker } from './grid-stream.ts'
import { shanghaiMidnight, type Intensity } from './intensity.ts'
import type { SimContext } from './sim-context.ts'

const HOUR = 3_600_000
const EVENING_LATER = 9

/** Plan shifts from `start` on, one day at a time (the agenda holds at most a day of shift starts). */
export function scheduleRoster(ctx: SimContext, workers: readonly Worker[], intensity: Intensity, start: number): void {
  const g = ctx.catalog.params.grid
  const day = (midnight: number) => {
    const share = g.onDutyShare[intensity.dayType(midnight + 12 * HOUR)]
    for (const w of workers) {
      if (!ctx.rng.chance(share)) continue
      const evening = ctx.rng.chance(g.eveningShare) ? EVENING_LATER : 0
      const on = midnight + (ctx.rng.between(g.shiftStartHours[0], g.shiftStartHours[1]) + evening) * HOUR
      const off = on + ctx.rng.between(g.shiftHours[0], g.shiftHours[1]) * HOUR
      if (off <= start) continue
      ctx.schedule(Math.max(on, start), (t) => beginShift(ctx, w, t, off))
    }
    ctx.schedule(midnight + 24 * HOUR, day)
  }
  day(shanghaiMidnight(start))
}
