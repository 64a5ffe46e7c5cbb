/**
 * Steps held for want of a partition (DESIGN §5, §11). With PARTITION_LEVEL, a
 * step that names no place and comes before any step of its subject that does
 * has no partition to go to yet. It is acknowledged (counted outOfOrder, like a
 * parked step) and held on the channel's own slot, one hash per subject (id →
 * the prepared step), until its subject's route is known: the next batch that
 * brings a step of the subject, or the sweep, applies it in the subject's
 * partition. A step still held after the park window is refused and listed in
 * the channel's refused list, as a parked one is.
 */
import type { RefusedEvent } from '../domain/api.ts'
import { applyByPartition } from './apply-by-partition.ts'
import type { ApplyInput, ApplyOptions } from '../store/apply-event.ts'
import { keys } from '../store/keys.ts'
import { REFUSED_KEPT } from '../store/parked-events.ts'
import type { Store } from '../store/redis-client.ts'

export interface HeldStep { input: ApplyInput; heldAt: number }

export const subjectKey = ({ event: e }: ApplyInput) => `${e.feed}:${e.subject}`

/** Held steps of one subject, from the HGETALL of its hash. */
export function heldOf(raw: Record<string, string> | null | undefined): HeldStep[] {
  return Object.values(raw ?? {}).map((json) => JSON.parse(json) as HeldStep)
}

/** Queue the writes that hold `steps` (each its own field: two instances holding steps of one subject lose none). */
export function queueHold(p: ReturnType<Store['pipeline']>, channel: string, steps: ApplyInput[], now: number): void {
  const k = keys(channel)
  for (const input of steps) {
    const { event, chain, grid, intake, pausesOnDocs } = input
    const step: HeldStep = { input: { event, chain, grid, intake, ...(pausesOnDocs ? { pausesOnDocs } : {}) }, heldAt: now }
    p.hset(k.held(subjectKey(input)), event.id, JSON.stringify(step))
    p.zadd(k.heldIndex, 'NX', now, subjectKey(input))
  }
}

/** Forget held steps that were applied (or found duplicate) in their partition. */
export async function forgetHeld(store: Store, channel: string, done: ApplyInput[]): Promise<void> {
  if (done.length === 0) return
  const k = keys(channel)
  const p = store.pipeline()
  for (const input of done) p.hdel(k.held(subjectKey(input)), input.event.id)
  await p.exec()
}

export interface HeldSweep extends ApplyOptions { now: number; windowMs: number; limit?: number }

/**
 * Apply the held steps whose subject's partition is known by now, and refuse those
 * held longer than the park window. Returns how many were applied and refused.
 */
export async function sweepHeld(store: Store, o: HeldSweep): Promise<{ applied: number; refused: number }> {
  const k = keys(o.channel)
  const subjects = await store.zrange(k.heldIndex, 0, (o.limit ?? 200) - 1)
  let applied = 0
  let refused = 0
  for (const s of subjects) {
    const [[, route], [, raw]] = (await store.pipeline().get(k.route(s)).hgetall(k.held(s)).exec()) as [[null, string | null], [null, Record<string, string>]]
    const held = heldOf(raw)
    if (route !== null && held.length > 0) {
      const inputs = held.map((h) => ({ ...h.input, partition: route === '-' ? '' : route }))
      const { replies } = await applyByPartition(store, inputs, o)
      const done = inputs.filter((_, i) => !replies[i]![0])
      await forgetHeld(store, o.channel, done)
      applied += done.length
    } else {
      const late = held.filter((h) => h.heldAt <= o.now - o.windowMs)
      if (late.length > 0) {
        const p = store.pipeline()
        for (const h of late) {
          const entry: RefusedEvent = {
            event: { ...h.input.event }, region: h.input.chain[0] ?? '', state: '', parkedAt: h.heldAt, refusedAt: o.now,
            reason: `no step of ${s} named a place within ${Math.round(o.windowMs / 3_600_000)} h, so it has no partition to be applied in`,
          }
          p.rpush(k.refused, JSON.stringify(entry)).hdel(k.held(s), h.input.event.id)
        }
        p.ltrim(k.refused, -REFUSED_KEPT, -1)
        await p.exec()
        refused += late.length
      }
    }
    if ((await store.hlen(k.held(s))) === 0) await store.zrem(k.heldIndex, s)
  }
  return { applied, refused }
}
