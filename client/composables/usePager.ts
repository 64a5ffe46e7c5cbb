import { computed, onBeforeUnmount, onMounted, ref, type ComputedRef } from 'vue'

/**
 * Page through a list too long for its panel: `perPage` rows at a time, the
 * next page every `intervalMs`, back to the first after the last. The list
 * keeps every row in the DOM and is shifted by `offset` rows, so nothing
 * re-renders when the page turns.
 */
export function usePager(total: () => number, perPage: () => number, intervalMs = 8_000): { page: ComputedRef<number>; pages: ComputedRef<number>; offset: ComputedRef<number> } {
  const turn = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  const pages = computed(() => Math.max(1, Math.ceil(total() / Math.max(1, perPage()))))
  const page = computed(() => turn.value % pages.value)
  const offset = computed(() => page.value * perPage())

  onMounted(() => {
    timer = setInterval(() => {
      // wraps back to 0 instead of counting up for weeks
      turn.value = pages.value > 1 ? (page.value + 1) % pages.value : 0
    }, intervalMs)
  })
  onBeforeUnmount(() => clearInterval(timer))

  return { page, pages, offset }
}
