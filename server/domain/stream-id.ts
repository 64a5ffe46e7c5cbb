/**
 * Redis stream ids ("<ms>-<seq>"), the cursors of the protocol, compared: numerically,
 * part by part, because "9-0" < "10-0" although it sorts after it as text.
 */
function parts(sid: string): [number, number] {
  const dash = sid.indexOf('-')
  return dash < 0 ? [Number(sid), 0] : [Number(sid.slice(0, dash)), Number(sid.slice(dash + 1))]
}

/** Negative when a is older than b, positive when newer, 0 when equal. */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = parts(a)
  const [bm, bs] = parts(b)
  return am - bm || as - bs
}

/** The newer of two cursors; null counts as "nothing seen yet". */
export function newestStreamId(a: string | null, b: string | null): string | null {
  if (a === null) return b
  if (b === null) return a
  return compareStreamIds(a, b) >= 0 ? a : b
}
