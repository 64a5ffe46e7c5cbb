/**
 * How an open case, work order or errand reads against channel time: overdue, time left or over, and its deadline.
 * An errand whose clock stands still (补正 of an item that pauses) is never overdue; its time left is frozen.
 */
import type { OpenItem } from '@domain/api.ts'
import { formatOverdue } from '@client/i18n/format-duration.ts'
import { zonedTime } from '@client/i18n/format-time.ts'
import { useMessages } from '@client/i18n/messages.ts'

/** `now` is channel time (null until the clock is known: the server's overdue flag stands); `zone` the channel's zone. */
export function useOpenItemTimes(clock: () => { now: number | null; zone: string }) {
  const t = useMessages()
  const isOverdue = (i: OpenItem) => {
    const { now } = clock()
    if (i.paused !== undefined) return false
    return now === null ? i.overdue : i.deadline < now
  }
  const due = (i: OpenItem) => {
    const { now } = clock()
    if (i.paused !== undefined) return frozen(i.deadline, i.paused)
    if (now === null) return ''
    const left = i.deadline - now
    return left < 0 ? formatOverdue(-left, t.value.duration) : formatOverdue(left, { ...t.value.duration, overdue: t.value.tablet.dueIn })
  }
  const at = (ms: number) => {
    const z = zonedTime(ms, clock().zone)
    return `${z.date.slice(5)} ${z.time.slice(0, 5)}`
  }
  /** 补正中（停表）, else the state's own name. */
  const stateName = (i: { state: string; paused?: number }) =>
    i.paused !== undefined ? t.value.tablet.pausedState : (t.value.tablet.states[i.state] ?? i.state)
  /** The time left (or over) when the clock stopped: it stays so while the errand waits. */
  function frozen(deadline: number, paused: number) {
    const left = deadline - paused
    const d = t.value.duration
    const text = left < 0 ? formatOverdue(-left, d) : formatOverdue(left, { ...d, overdue: t.value.tablet.dueIn })
    return `${text}（${t.value.tablet.clockStopped}）`
  }
  return { isOverdue, due, at, stateName, frozen }
}
