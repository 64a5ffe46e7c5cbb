/** Apply prepared events to Redis, one pipeline per partition (DESIGN §11). */
import { applyEvent, type ApplyInput, type ApplyOptions } from '../store/apply-event.ts'
import type { Store } from '../store/redis-client.ts'

type Reply = [Error | null, unknown]

/**
 * Apply prepared events, one pipeline per partition (a partition is one slot:
 * on a Cluster its pipeline goes to one master), all in flight at once; the
 * replies in the order of `ready`, and each pipeline's WAIT reply when asked.
 */
export async function applyByPartition(store: Store, ready: ApplyInput[], o: ApplyOptions, wait?: { replicas: number; timeoutMs: number }) {
  const groups = new Map<string, number[]>()
  ready.forEach((input, i) => {
    const p = input.partition ?? ''
    const g = groups.get(p)
    if (g) g.push(i)
    else groups.set(p, [i])
  })
  const replies: Reply[] = new Array(ready.length)
  const waited: Reply[] = []
  await Promise.all([...groups.values()].map(async (members) => {
    const pipe = store.pipeline()
    for (const i of members) applyEvent(pipe, ready[i]!, o)
    // WAIT has no key: in the same pipeline it goes to the master that applied the partition (on a Cluster too)
    if (wait) pipe.wait(wait.replicas, wait.timeoutMs)
    let got: Reply[]
    try {
      got = (await pipe.exec()) ?? []
    } catch (err) {
      got = members.map(() => [err as Error, null])
    }
    members.forEach((i, at) => (replies[i] = got[at] ?? [new Error('no reply'), null]))
    if (wait) waited.push(got[members.length] ?? [new Error('no reply'), 0])
  }))
  return { replies, waited }
}

