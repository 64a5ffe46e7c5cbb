import { onBeforeUnmount, onMounted, ref, watch } from 'vue'
import type { ClockReading } from '@client/stores/situation.ts'

const TICK_MS = 250
export const DEFAULT_ZONE = 'Asia/Shanghai'

/**
 * Channel time, ticking locally between the server's clock pushes: the last
 * reading advanced by the elapsed local time × the channel's speed (a
 * replay may run at 1000×), and frozen while the channel is paused.
 */
export function useChannelClock(reading: () => ClockReading | null) {
  const now = ref<number | null>(null)
  let timer: ReturnType<typeof setInterval> | undefined

  function update() {
    const r = reading()
    if (!r) return void (now.value = null)
    const elapsed = r.state.paused ? 0 : (performance.now() - r.receivedAt) * r.state.speed
    now.value = r.state.now + elapsed
  }

  watch(reading, update, { immediate: true })
  onMounted(() => (timer = setInterval(update, TICK_MS)))
  onBeforeUnmount(() => clearInterval(timer))

  return { now }
}
