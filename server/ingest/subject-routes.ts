/**
 * Which partition a subject's steps land in (DESIGN §11), when the channel is
 * split by PARTITION_LEVEL. A subject (case, work order, errand, grid worker)
 * lives in one partition: the one of the place its first placed step names.
 * Every later step follows it, whatever place it names or none (a step often
 * names no place, or one above the partition level: a province's hotline
 * centre), so apply.lua finds the subject it belongs to. The route is a key per
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
// a hotline call has a subject field but no state: it never needs its subject's partition
const followsSubject = ({ event: e }: ApplyInput) => !(e.feed === 'hotline' && e.type === 'call')

/**
 * Put each subject's steps in its partition: the stored route (one MGET on one slot),
 * else the partition of its first step in this batch that names one. Returns the
 * routes to remember.
 */
export async function routeSubjects(store: Store, channel: string, ready: ApplyInput[]): Promise<Map<string, string>> {
  const steps = ready.filter(followsSubject)
  const routes = new Map<string, string>()
  if (steps.length === 0) return routes
  const subjects = [...new Set(steps.map(subjectKey))]
  const k = keys(channel)
  const stored = await store.mget(...subjects.map((s) => k.route(s)))
  subjects.forEach((s, i) => { if (stored[i]) routes.set(s, stored[i]!) })
  for (const input of steps) {
    const s = subjectKey(input)
    const route = routes.get(s)
    if (route !== undefined) input.partition = route
    else if (input.partition) routes.set(s, input.partition)
  }
  return routes
}

/** Remember (and keep alive) the route of every subject of the batch, on the channel's own slot. */
export function rememberRoutes(store: Store, channel: string, routes: Map<string, string>, ttlSec: number): Promise<unknown> {
  if (routes.size === 0) return Promise.resolve()
  const k = keys(channel)
  const p = store.pipeline()
  for (const [s, partition] of routes) p.set(k.route(s), partition, 'EX', ttlSec)
  return p.exec()
}
