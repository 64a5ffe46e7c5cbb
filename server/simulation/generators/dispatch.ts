/**
 * Dispatch steps shared by cases and hotline work orders: a delay drawn in
 * real-world minutes, and a first dispatch that now and then goes to the
 * wrong department and comes back (回退 / 退单) before it is sent again.
 */
import type { SimContext, SubjectEvents } from './sim-context.ts'

/** A time `meanMin` real-world minutes (at least `minMin`) after `at`, on the simulation's clock. */
export const after = (ctx: SimContext, at: number, meanMin: number, minMin: number) =>
  at + ctx.minutes(ctx.rng.delay(meanMin, minMin))

export interface ReturnDelays { back: readonly [mean: number, min: number]; again: readonly [mean: number, min: number] }

/**
 * Emit `dispatched`; on a first attempt, 2 % come back and `redispatch` runs
 * later. Returns true when the subject bounced, so the caller stops its plan here.
 */
export function dispatchOrBounce(
  ctx: SimContext, ev: SubjectEvents, t: number, attempt: number, department: string,
  delays: ReturnDelays, redispatch: (t: number) => void,
): boolean {
  ev.emit('dispatched', t, { attrs: { department } })
  if (attempt !== 1 || !ctx.rng.chance(0.02)) return false
  ctx.schedule(after(ctx, t, ...delays.back), (t2) => {
    ev.emit('returned', t2)
    ctx.schedule(after(ctx, t2, ...delays.again), redispatch)
  })
  return true
}
