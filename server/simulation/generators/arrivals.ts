/**
 * An inhomogeneous Poisson process on the agenda: the rate is read once per
 * 10-minute slot and held, and the next arrival is drawn within the slot; a
 * miss wakes at the slot's end (memoryless, so this is exact for a rate that
 * is constant per slot). One pending agenda entry per source, whatever its length.
 */
import type { SimContext } from './sim-context.ts'

export const SLOT_MS = 600_000

export interface Source {
  /** Arrivals per hour around `at` (read at the middle of each slot). */
  perHour(at: number): number
  arrive(at: number): void
}

/** Run `source` from `from` until `until` (exclusive; Infinity for an open run). */
export function runSource(ctx: Pick<SimContext, 'rng' | 'schedule'>, source: Source, from: number, until = Infinity): void {
  const plan = (t: number) => {
    if (t >= until) return
    const slotEnd = Math.min(until, (Math.floor(t / SLOT_MS) + 1) * SLOT_MS)
    const perMs = source.perHour((t + slotEnd) / 2) / 3_600_000
    const at = perMs > 0 ? t + ctx.rng.exp(1 / perMs) : Infinity
    if (at < slotEnd) {
      ctx.schedule(at, (a) => {
        source.arrive(a)
        plan(a)
      })
    } else ctx.schedule(slotEnd, plan)
  }
  plan(from)
}
