/** Channel time as text, always in the channel's zone (never the browser's). */
const formatters = new Map<string, Intl.DateTimeFormat>()
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    })
    formatters.set(zone, f)
  }
  return f
}

export interface ZonedTime { date: string; time: string; weekday: number }

/** Date "2026-11-21", time "09:15:02" and weekday 0–6 (Sunday 0) of an instant in a zone. */
export function zonedTime(ms: number, zone: string): ZonedTime {
  const p: Record<string, string> = {}
  for (const { type, value } of formatter(zone).formatToParts(ms)) p[type] = value
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}:${p.second}`,
    weekday: WEEKDAYS.indexOf(p.weekday ?? ''),
  }
}
