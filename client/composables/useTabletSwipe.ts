import { onBeforeUnmount, watch, type ShallowRef } from 'vue'

/**
 * A right swipe: one finger, far enough, mostly horizontal, and not a
 * press that wandered off (a tablet busy drawing a map delivers moves late,
 * so the time limit is generous).
 */
export const SWIPE = { minDx: 80, maxSlope: 0.6, maxMs: 1500 } as const

/**
 * Call `onRight` when a finger swipes right across `el`. Listeners are
 * passive: vertical scrolling stays the browser's, nothing is prevented.
 * Touches that start in `[data-no-swipe]` (a scrollable strip) are ignored.
 */
export function useTabletSwipe(el: Readonly<ShallowRef<HTMLElement | null>>, onRight: () => void) {
  let start: { x: number; y: number; at: number } | null = null

  const onStart = (e: TouchEvent) => {
    const touch = e.touches[0]
    const inStrip = e.target instanceof Element && e.target.closest('[data-no-swipe]')
    start = e.touches.length === 1 && touch && !inStrip ? { x: touch.clientX, y: touch.clientY, at: e.timeStamp } : null
  }
  const onEnd = (e: TouchEvent) => {
    const touch = e.changedTouches[0]
    const s = start
    start = null
    if (!s || !touch) return
    const dx = touch.clientX - s.x
    const dy = Math.abs(touch.clientY - s.y)
    if (dx >= SWIPE.minDx && dy <= dx * SWIPE.maxSlope && e.timeStamp - s.at <= SWIPE.maxMs) onRight()
  }
  const onCancel = () => (start = null)

  function detach(node: HTMLElement) {
    node.removeEventListener('touchstart', onStart)
    node.removeEventListener('touchend', onEnd)
    node.removeEventListener('touchcancel', onCancel)
  }

  watch(el, (node, old) => {
    if (old) detach(old)
    if (!node) return
    node.addEventListener('touchstart', onStart, { passive: true })
    node.addEventListener('touchend', onEnd, { passive: true })
    node.addEventListener('touchcancel', onCancel, { passive: true })
  }, { immediate: true })

  onBeforeUnmount(() => el.value && detach(el.value))
}
