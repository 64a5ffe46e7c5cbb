import { onBeforeUnmount, onMounted, ref } from 'vue'

/**
 * Fit a fixed design canvas (e.g. 1920×1080) into the window, keeping its
 * aspect. `pixelRatio` is what a canvas inside must render at to stay sharp
 * when the wall scales the design up (a 7680×2160 wall is 4× the design).
 */
export function useWallScale(width: number, height: number, maxPixelRatio = 4) {
  const scale = ref(1)
  const pixelRatio = ref(1)

  function measure() {
    scale.value = Math.min(window.innerWidth / width, window.innerHeight / height)
    pixelRatio.value = Math.min(maxPixelRatio, Math.max(1, window.devicePixelRatio * scale.value))
  }

  onMounted(() => {
    measure()
    window.addEventListener('resize', measure)
  })
  onBeforeUnmount(() => window.removeEventListener('resize', measure))

  return { scale, pixelRatio }
}
