import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

const easeOutCubic = (x: number) => 1 - (1 - x) ** 3

/**
 * A number that glides to each new value of `source` over `ms` (one
 * requestAnimationFrame loop, only while moving). Unknown values (null) and
 * the first value show at once; so does everything in a hidden tab, where
 * frames do not run.
 */
export function useTween(source: () => number | null | undefined, ms = 600): Readonly<Ref<number | null>> {
  const shown = ref<number | null>(source() ?? null)
  let from = 0
  let to = 0
  let started = 0
  let frame = 0

  function step(time: number) {
    const progress = Math.min(1, (time - started) / ms)
    shown.value = progress < 1 ? from + (to - from) * easeOutCubic(progress) : to
    frame = progress < 1 ? requestAnimationFrame(step) : 0
  }

  watch(source, (next) => {
    cancelAnimationFrame(frame)
    frame = 0
    if (next == null || shown.value == null || document.visibilityState === 'hidden') {
      shown.value = next ?? null
      return
    }
    from = shown.value
    to = next
    started = performance.now()
    frame = requestAnimationFrame(step)
  })
  onBeforeUnmount(() => cancelAnimationFrame(frame))

  return shown
}
