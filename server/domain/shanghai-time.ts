/**
 * Event times on the wire: ISO 8601 in Asia/Shanghai. China has kept a fixed
 * +08:00 offset without daylight saving since 1991, so a constant shift is
 * exact and far cheaper than Intl for thousands of events a second.
 */
const OFFSET_MS = 8 * 3_600_000

/** `2026-11-21T09:15:02+08:00` (whole seconds, truncated). */
export function formatAt(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + OFFSET_MS).toISOString().slice(0, 19) + '+08:00'
}

/** `20261121`: the Shanghai calendar day of an instant, for work-order numbers. */
export function dayStamp(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '')
}

/** Like formatAt, but keeps milliseconds when there are any (a recording gives back what arrived). */
export function formatAtExact(ms: number): string {
  if (ms % 1000 === 0) return formatAt(ms)
  return new Date(ms + OFFSET_MS).toISOString().slice(0, 23) + '+08:00'
}
