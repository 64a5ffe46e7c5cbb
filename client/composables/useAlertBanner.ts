import { onBeforeUnmount, shallowRef, watch, type ShallowRef } from 'vue'
import type { Alert } from '@domain/alerts.ts'
import type { AlertLogEntry } from '@client/stores/situation.ts'

export const BANNER_MS = 10_000
export const BANNER_QUEUE_CAP = 5

/**
 * Which new alert the banner shows: each alert that becomes active while the
 * wall watches gets `BANNER_MS` on screen, one after another (critical ones
 * first); a critical alert then stays until the next one arrives. The queue
 * is capped (oldest non-critical dropped first); an alert resolved or
 * acknowledged meanwhile leaves the queue and the screen.
 */
export function useAlertBanner(log: () => readonly AlertLogEntry[]): Readonly<ShallowRef<Alert | null>> {
  const shown = shallowRef<Alert | null>(null)
  let queue: Alert[] = []
  let lastSeq = log()[0]?.seq ?? 0 // what is already in the log when the wall opens is not news
  let expired = false // the shown alert had its time; it stays only because nothing else waits
  let timer: ReturnType<typeof setTimeout> | undefined

  function next() {
    clearTimeout(timer)
    expired = false
    shown.value = queue.shift() ?? null
    if (shown.value) timer = setTimeout(timeUp, BANNER_MS)
  }

  function timeUp() {
    if (queue.length === 0 && shown.value?.severity === 'critical') expired = true
    else next()
  }

  function enqueue(alert: Alert) {
    if (shown.value?.id === alert.id || queue.some((a) => a.id === alert.id)) return
    const firstOrdinary = queue.findIndex((a) => a.severity !== 'critical')
    if (alert.severity === 'critical') queue.splice(firstOrdinary < 0 ? queue.length : firstOrdinary, 0, alert)
    else queue.push(alert)
    while (queue.length > BANNER_QUEUE_CAP) {
      const drop = queue.findIndex((a) => a.severity !== 'critical')
      queue.splice(drop >= 0 ? drop : 0, 1)
    }
  }

  watch(log, (entries) => {
    if (entries.length === 0) {
      queue = [] // another region: what was waiting belongs to the old one
      return next()
    }
    const fresh = entries.filter((e) => e.seq > lastSeq).reverse() // oldest first
    if (fresh.length === 0) return
    lastSeq = fresh[fresh.length - 1]!.seq
    for (const { state, alert } of fresh) {
      if (state === 'active') enqueue(alert)
      else {
        queue = queue.filter((a) => a.id !== alert.id)
        if (shown.value?.id === alert.id) next()
      }
    }
    if (!shown.value || expired) next()
  })
  onBeforeUnmount(() => clearTimeout(timer))

  return shown
}
