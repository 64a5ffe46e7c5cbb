import type { LiveEvent } from '@domain/protocol.ts'
import { compareStreamIds } from '@domain/stream-id.ts'

/**
 * Merge incoming events into a capped list, newest first. An event whose
 * stream id is already in the list is dropped, so a batch re-sent after a
 * reconnect never shows twice; events that arrive late land in log order.
 * Returns the same array when nothing changed, so watchers stay quiet.
 */
export function mergeNewestFirst(ring: readonly LiveEvent[], incoming: readonly LiveEvent[], cap: number): readonly LiveEvent[] {
  if (incoming.length === 0) return ring
  const bySid = new Map(ring.map((e) => [e.sid, e]))
  let added = false
  for (const e of incoming) {
    if (bySid.has(e.sid)) continue
    bySid.set(e.sid, e)
    added = true
  }
  if (!added) return ring
  const merged = [...bySid.values()].sort((a, b) => compareStreamIds(b.sid, a.sid))
  if (merged.length > cap) merged.length = cap
  return merged
}
