import { computed, onBeforeUnmount, onMounted, shallowRef } from 'vue'
import type { ClockReading } from '@client/stores/situation.ts'

const TICK_MS = 250

// One tick for every clock on the page: the header and the drill banner read
// the same local instant, so at 1000× they cannot drift a tick (minutes) apart.
const tick = shallowRef(performance.now())
let users = 0
let timer: ReturnType<typeof setInterval> | undefined

function join(): void {
  if (users++ === 0) {
    tick.value = performance.now()
    timer = setInterval(() => (tick.value = performance.now()), TICK_MS)
  }
}

function leave(): void {
  if (--users === 0) clearInterval(timer)
}

/**
 * Channel time, ticking locally between the server's clock pushes: the last
 * reading advanced by the elapsed local time × the channel's speed (a
 * replay may run at 1000×), and frozen while the channel is paused.
 */
export function useChannelClock(reading: () => ClockReading | null) {
  const now = computed<number | null>(() => {
    const r = reading()
    if (!r) return null
    // a reading newer than the last tick counts from its own arrival
    const elapsed = r.state.paused ? 0 : Math.max(0, tick.value - r.receivedAt) * r.state.speed
    return r.state.now + elapsed
  })
  onMounted(join)
  onBeforeUnmount(leave)
  return { now }
}
