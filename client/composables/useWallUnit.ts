import { computed, readonly, ref } from 'vue'

export const DESIGN_WIDTH = 1920
export const DESIGN_HEIGHT = 1080
/** Narrowest extra column an ultra-wide wall gets, in design units. */
const EXTRA_COLUMN_MIN = 440
const GAP = 16

const viewport = ref({ width: 0, height: 0, dpr: 1 })
let listening = false

function measure() {
  viewport.value = { width: window.innerWidth, height: window.innerHeight, dpr: window.devicePixelRatio || 1 }
}

/**
 * The wall's design unit: one of the 1920×1080 design's pixels in CSS pixels,
 * `--u` in theme.css (min(100vw / 1920, 100vh / 1080)). Layout is sized in
 * it, never scaled with a transform, so text and canvases render at the
 * wall's own resolution. A wall wider than 16:9 keeps the centre layout and
 * gains `extraColumns` columns on each side (0, 1 or 2).
 */
export function useWallUnit() {
  if (!listening && typeof window !== 'undefined') {
    listening = true // one listener for the page's lifetime, however many callers
    measure()
    window.addEventListener('resize', measure)
  }
  const u = computed(() => Math.min(viewport.value.width / DESIGN_WIDTH, viewport.value.height / DESIGN_HEIGHT) || 1)
  const extraColumns = computed(() => {
    const width = viewport.value.width / u.value
    const side = (width - DESIGN_WIDTH) / 2
    return Math.max(0, Math.min(2, Math.floor((side + GAP) / (EXTRA_COLUMN_MIN + GAP))))
  })
  const pixelRatio = computed(() => Math.max(1, viewport.value.dpr))
  return { u, extraColumns, pixelRatio, viewport: readonly(viewport) }
}
