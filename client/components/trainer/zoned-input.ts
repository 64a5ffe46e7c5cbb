import { zonedTime } from '@client/i18n/format-time.ts'

const LOCAL = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?$/

/** How far a zone's wall time is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, zone: string): number {
  const z = zonedTime(ms, zone)
  return Date.parse(`${z.date}T${z.time}Z`) - ms
}

/**
 * Epoch ms of an `<input type="datetime-local">` value read in `zone` (the
 * channel's zone, not the browser's); null for an empty or impossible value.
 */
export function zonedInputToEpoch(value: string, zone: string): number | null {
  if (!LOCAL.test(value)) return null
  const asUtc = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`)
  if (!Number.isFinite(asUtc)) return null
  // the offset at the guess, then at the corrected instant: right across a DST change too
  const guess = asUtc - offsetAt(asUtc, zone)
  return asUtc - offsetAt(guess, zone)
}
