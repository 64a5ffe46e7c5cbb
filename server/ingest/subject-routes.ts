/**
 * Which partition a subject's steps land in (DESIGN §11), when the channel is
 * split by PARTITION_LEVEL. A case, work order or errand lives in one
 * partition: the one of the place its first placed step names (the root one
 * when that place is above the partition level). Every later step follows it,
 * whatever place it names or none (a step often names no place, or one above
 * the partition level: a province's hotline centre), so apply.lua finds the
 * subject it belongs to and counts it at the subject's place. A grid worker
 * lives where their latest onDuty was placed; offDuty and position follow.
 * A step that names no place while its subject has no route yet is held
 * (held-steps.ts) until one is known. The route is a key per
 * subject on the channel's own slot, refreshed by every step for as long as a
 * closed subject's seen ids live (CLOSED_TTL_DAYS).
 */
import type { ApplyInput } from '../store/apply-event.ts'
import { heldOf, queueHold, subjectKey } from './held-steps.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'

const ROOT = '-' // a route to the root partition ('' is no value to store)

/**
 * How a step finds its partition. 'follow': its subject's (a case's, work order's or
 * errand's steps count at the subject's place, and a worker's offDuty and position
 * act on the worker's state). 'lead': its own place, and its subject follows it (a
 * worker's onDuty counts where the shift starts). 'own': its own place only (a patrol,
 * visit or alert counts where it happened; a hotline call has no subject state).
 */
function routing({ event: e }: ApplyInput): 'follow' | 'lead' | 'own' {
  if (e.feed === 'grid') return e.type === 'onDuty' ? 'lead' : e.type === 'offDuty' || e.type === 'position' ? 'follow' : 'own'
  return e.feed === 'hotline' && e.type === 'call' ? 'own' : 'follow'
}

export interface Routing {
  /** Routes to remember: every subject of the batch whose partition is known. */
  routes: Map<string, string>
  /** Steps of the batch with no partition yet: held (DESIGN §11). */
  hold: ApplyInput[]
  /** Steps of the batch already held: duplicates. */
  heldBefore: ApplyInput[]
  /** Steps held earlier whose subject's partition is known now: to apply with the batch. */
  release: ApplyInput[]
}

/**
 * Put each subject's steps in its partition: the stored route, else the partition of its
 * first step in this batch that names a place (above the partition level: the root one).
 * A step that names no place while its subject has no route is held; steps held before
 * are released once their subject's route is known. One pipeline on the channel's slot.
 */
export async function routeSubjects(store: Store, channel: string, ready: ApplyInput[]): Promise<Routing> {
  const steps = ready.filter((input) => routing(input) !== 'own')
  const out: Routing = { routes: new Map(), hold: [], heldBefore: [], release: [] }
  if (steps.length === 0) return out
  const subjects = [...new Set(steps.map(subjectKey))]
  const k = keys(channel)
  const p = store.pipeline().mget(...subjects.map((s) => k.route(s)))
  for (const s of subjects) p.hgetall(k.held(s))
  const replies = (await p.exec()) ?? []
  for (const [err] of replies) if (err) throw err
  const stored = replies[0]![1] as (string | null)[]
  const { routes } = out
  subjects.forEach((s, i) => { if (stored[i]) routes.set(s, stored[i] === ROOT ? '' : stored[i]!) })
  // routes first (a placed step later in the batch routes an unplaced one before it), then each step
  for (const input of steps) {
    const s = subjectKey(input)
    if (input.chain.length > 0 && (!routes.has(s) || routing(input) === 'lead')) routes.set(s, input.partition ?? '')
  }
  const heldIds = new Set<string>() // `<subject>\n<id>` held before, of subjects still without a route
  subjects.forEach((s, i) => {
    const held = heldOf(replies[i + 1]![1] as Record<string, string>)
    const route = routes.get(s)
    if (route !== undefined) out.release.push(...held.map((h) => ({ ...h.input, partition: route })))
    else for (const h of held) heldIds.add(`${s}\n${h.input.event.id}`)
  })
  for (const input of steps) {
    const route = routes.get(subjectKey(input))
    if (route !== undefined && !(routing(input) === 'lead' && input.chain.length > 0)) input.partition = route
    else if (route === undefined) (heldIds.has(`${subjectKey(input)}\n${input.event.id}`) ? out.heldBefore : out.hold).push(input)
  }
  return out
}

/** Remember (and keep alive) the route of every subject of the batch, and hold the steps that have none, on the channel's own slot. */
export function rememberRoutes(store: Store, channel: string, r: Routing, ttlSec: number, now: number): Promise<unknown> {
  if (r.routes.size === 0 && r.hold.length === 0) return Promise.resolve()
  const k = keys(channel)
  const p = store.pipeline()
  for (const [s, partition] of r.routes) p.set(k.route(s), partition || ROOT, 'EX', ttlSec)
  queueHold(p, channel, r.hold, now)
  return p.exec().then((replies) => {
    const failed = (replies ?? []).find(([err]) => err)
    if (failed) throw failed[0]
  })
}
