import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/**
 * The idle carousel: cycle through `stops` (e.g. the city, then each
 * district), `seconds` apart, and start over. Off (always the first stop)
 * while `seconds` is 0. A change of stops or interval restarts at the first.
 */
export function useCarousel(stops: () => readonly string[], seconds: () => number): Readonly<Ref<string | null>> {
  const current = ref<string | null>(null)
  let timer: ReturnType<typeof setInterval> | undefined

  watch(
    () => `${stops().join(',')}|${seconds()}`, // by content: a recomputed but equal list must not restart the tour
    () => {
      const list = stops()
      const sec = seconds()
      clearInterval(timer)
      let index = 0
      current.value = list[0] ?? null
      if (!(sec > 0) || list.length < 2) return
      timer = setInterval(() => {
        index = (index + 1) % list.length
        current.value = list[index] ?? null
      }, sec * 1000)
    },
    { immediate: true },
  )
  onBeforeUnmount(() => clearInterval(timer))

  return current
}
