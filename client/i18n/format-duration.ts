import type { Messages } from './zh-CN.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * How long past a deadline, to the minute: "超期 3小时12分", "超期 2天5小时",
 * "overdue 12m". Days drop the minutes: on a wall, precision that long is noise.
 */
export function formatOverdue(ms: number, d: Messages['duration']): string {
  const total = Math.max(0, ms)
  const days = Math.floor(total / DAY)
  const hours = Math.floor((total % DAY) / HOUR)
  const minutes = Math.floor((total % HOUR) / MINUTE)
  const parts = days > 0
    ? [`${days}${d.day}`, `${hours}${d.hour}`]
    : hours > 0 ? [`${hours}${d.hour}`, `${minutes}${d.minute}`] : [`${minutes}${d.minute}`]
  return `${d.overdue} ${parts.join(d.sep)}`
}
