/**
 * Stream ids and cursors of the protocol (DESIGN §7, §11).
 *
 * An event's `sid` is the Redis stream id of its log entry ("<ms>-<seq>"); when
 * the channel is split into partitions (PARTITION_LEVEL), an entry of a
 * partition's own log carries it after an '@' ("<ms>-<seq>@650400"), the root
 * partition's entries none. A cursor is where a reader stands in every log: one
 * sid per partition, comma separated, a partition not named being at its start.
 * With one partition a cursor is a plain stream id, as before partitions.
 * Ids compare numerically, part by part, because "9-0" < "10-0" although it
 * sorts after it as text.
 */

interface Position { ms: number; seq: number; partition: string }

function position(sid: string): Position {
  const at = sid.indexOf('@')
  const id = at < 0 ? sid : sid.slice(0, at)
  const partition = at < 0 ? '' : sid.slice(at + 1)
  const dash = id.indexOf('-')
  return dash < 0 ? { ms: Number(id), seq: 0, partition } : { ms: Number(id.slice(0, dash)), seq: Number(id.slice(dash + 1)), partition }
}

const newer = (a: Position, b: Position) => a.ms - b.ms || a.seq - b.seq

/**
 * Order of two event sids: negative when a is older than b, positive when newer, 0 when equal.
 * Within a partition this is log order; across partitions it is by the time Redis logged them.
 */
export function compareStreamIds(a: string, b: string): number {
  const pa = position(a)
  const pb = position(b)
  return newer(pa, pb) || (pa.partition < pb.partition ? -1 : pa.partition > pb.partition ? 1 : 0)
}

/** A stream id of a partition's log as an event sid ('' = the root partition: the id itself). */
export function sidOf(streamId: string, partition: string): string {
  return partition ? `${streamId}@${partition}` : streamId
}

/** The stream id of a sid, without its partition. */
export function streamIdOf(sid: string): string {
  const at = sid.indexOf('@')
  return at < 0 ? sid : sid.slice(0, at)
}

/** The partition of a sid ('' = the root partition). */
export function partitionOfSid(sid: string): string {
  const at = sid.indexOf('@')
  return at < 0 ? '' : sid.slice(at + 1)
}

/** A cursor's position in each partition it names, by partition. */
export function cursorPositions(cursor: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const sid of cursor.split(',')) if (sid) out.set(partitionOfSid(sid), streamIdOf(sid))
  return out
}

/** A cursor from each partition's stream id (partitions in the order given). */
export function cursorOf(positions: Iterable<[partition: string, streamId: string]>): string {
  return [...positions].map(([p, id]) => sidOf(id, p)).join(',')
}

const single = (c: string) => c.indexOf(',') < 0 && c.indexOf('@') < 0

/** Whether a cursor has reached `sid` (the event at sid is at or before it). */
export function cursorCovers(cursor: string, sid: string): boolean {
  if (single(cursor) && single(sid)) return newer(position(sid), position(cursor)) <= 0
  const s = position(sid)
  const at = cursorPositions(cursor).get(s.partition)
  return at !== undefined && newer(s, position(at)) <= 0
}

/** Whether cursor `a` has reached every position of cursor `b`. */
export function cursorCoversAll(a: string, b: string): boolean {
  if (single(a) && single(b)) return newer(position(b), position(a)) <= 0
  return b.split(',').every((sid) => !sid || cursorCovers(a, sid))
}

/** The newer of two cursors, position by position; null counts as "nothing seen yet". */
export function newestStreamId(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  if (single(a) && single(b)) return newer(position(a), position(b)) >= 0 ? a : b
  const at = cursorPositions(a)
  for (const [p, id] of cursorPositions(b)) {
    const mine = at.get(p)
    if (mine === undefined || newer(position(id), position(mine)) > 0) at.set(p, id)
  }
  return cursorOf(at)
}

/** A cursor moved past the sids of a batch (each partition's batch is in log order). */
export function advanceCursor(cursor: string | null, sids: Iterable<string>): string | null {
  const last = new Map<string, string>()
  for (const sid of sids) last.set(partitionOfSid(sid), sid)
  let out = cursor
  for (const sid of last.values()) out = newestStreamId(out, sid)
  return out
}
