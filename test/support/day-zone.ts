// Tests that seed the last hour or so of a live channel and read "today"
// straddle two days in the first hour after midnight. They run the server in
// a zone whose day is old enough: Asia/Shanghai, or Asia/Urumqi (UTC+6,
// Xinjiang's local time, where the demo city lies) in the first hours after
// Shanghai's midnight, when Urumqi's day is two hours from its end.
const HOUR = 3_600_000
const ZONES = [{ zone: 'Asia/Shanghai', offsetHours: 8 }, { zone: 'Asia/Urumqi', offsetHours: 6 }] as const

/** A zone whose day at `now` began at least `minHours` ago (at most 2: the zones are two hours apart). */
export function zoneWellIntoDay(now: number, minHours: number): string {
  if (!(minHours >= 0 && minHours <= 2)) throw new Error(`minHours must be 0–2, got ${minHours}`)
  const sinceMidnight = (offsetHours: number) => (now + offsetHours * HOUR) % (24 * HOUR)
  const found = ZONES.find((z) => sinceMidnight(z.offsetHours) >= minHours * HOUR)
  return found!.zone
}
