/**
 * Which partition a subject's steps land in (DESIGN §11), when the channel is
 * split by PARTITION_LEVEL. A case, work order or errand lives in one
 * partition: the one of the place its first placed step names (the root one
 * when that place is above the partition level). Every later step follows it,
 * whatever place it names or none (a step often names no place, or one above
 * the partition level: a province's hotline centre), so apply.lua finds the
 * subject it belongs to and counts it at the subject's place. A grid worker
 * lives where their latest onDuty was placed; offDuty and position follow. The route is a key per
 * subject on the channel's own slot, refreshed by every step for as long as a
 * closed subject's seen ids live (CLOSED_TTL_DAYS). A step that names no place
 * and arrives before any step of its subject that does lands in the root
 * partition (parked there like any step of an unknown subject, and refused
 * after the park window).
 */
import type { ApplyInput } from '../store/apply-event.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'

const subjectKey = ({ event: e }: ApplyInput) => `${e.feed}:${e.subject}`
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

/**
 * Put each subject's steps in its partition: the stored route (one MGET on one slot),
 * else the partition of its first step in this batch that names a place (above the
 * partition level: the root one). Returns the routes to remember.
 */
export async function routeSubjects(store: Store, channel: string, ready: ApplyInput[]): Promise<Map<string, string>> {
  const steps = ready.filter((input) => routing(input) !== 'own')
  const routes = new Map<string, string>()
  if (steps.length === 0) return routes
  const subjects = [...new Set(steps.map(subjectKey))]
  const k = keys(channel)
  const stored = await store.mget(...subjects.map((s) => k.route(s)))
  subjects.forEach((s, i) => { if (stored[i]) routes.set(s, stored[i] === ROOT ? '' : stored[i]!) })
  for (const input of steps) {
    const s = subjectKey(input)
    const placed = input.chain.length > 0
    const route = routes.get(s)
    if (placed && (route === undefined || routing(input) === 'lead')) routes.set(s, input.partition ?? '')
    else if (route !== undefined) input.partition = route
  }
  return routes
}

/** Remember (and keep alive) the route of every subject of the batch, on the channel's own slot. */
export function rememberRoutes(store: Store, channel: string, routes: Map<string, string>, ttlSec: number): Promise<unknown> {
  if (routes.size === 0) return Promise.resolve()
  const k = keys(channel)
  const p = store.pipeline()
  for (const [s, partition] of routes) p.set(k.route(s), partition || ROOT, 'EX', ttlSec)
  return p.exec()
}
