/** How an open case, work order or errand reads against channel time: overdue, time left or over, and its deadline. */
import type { OpenItem } from '@domain/api.ts'
import { formatOverdue } from '@client/i18n/format-duration.ts'
import { zonedTime } from '@client/i18n/format-time.ts'
import { useMessages } from '@client/i18n/messages.ts'

/** `now` is channel time (null until the clock is known: the server's overdue flag stands); `zone` the channel's zone. */
export function useOpenItemTimes(clock: () => { now: number | null; zone: string }) {
  const t = useMessages()
  const isOverdue = (i: OpenItem) => {
    const { now } = clock()
    return now === null ? i.overdue : i.deadline < now
  }
  const due = (i: OpenItem) => {
    const { now } = clock()
    if (now === null) return ''
    const left = i.deadline - now
    return left < 0 ? formatOverdue(-left, t.value.duration) : formatOverdue(left, { ...t.value.duration, overdue: t.value.tablet.dueIn })
  }
  const at = (ms: number) => {
    const z = zonedTime(ms, clock().zone)
    return `${z.date.slice(5)} ${z.time.slice(0, 5)}`
  }
  return { isOverdue, due, at }
}
