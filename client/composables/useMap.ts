import { markRaw, onBeforeUnmount, onMounted, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import { Map as MapLibreMap, type MapOptions } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'

export interface UseMap {
  /** The map, once created; raw (never proxied) because MapLibre mutates itself constantly. */
  map: Readonly<ShallowRef<MapLibreMap | null>>
  /** True after the style's `load` event: sources and layers may be added. */
  loaded: Readonly<Ref<boolean>>
  /** Why the map could not be created (typically no WebGL), else null. */
  failure: Readonly<Ref<string | null>>
}

/**
 * Create a MapLibre map in `container` on mount and remove it on unmount.
 * `preserveDrawingBuffer` keeps the last frame readable, so screenshots of a
 * wall (and headless Chromium with SwiftShader) are not blank.
 */
export function useMap(container: Readonly<ShallowRef<HTMLElement | null>>, options: () => Omit<MapOptions, 'container'>): UseMap {
  const map = shallowRef<MapLibreMap | null>(null)
  const loaded = ref(false)
  const failure = ref<string | null>(null)

  onMounted(() => {
    const el = container.value
    if (!el) return
    try {
      const opts = options()
      const m = new MapLibreMap({
        ...opts,
        container: el,
        canvasContextAttributes: { antialias: true, ...opts.canvasContextAttributes, preserveDrawingBuffer: true },
      })
      m.once('load', () => (loaded.value = true))
      map.value = markRaw(m)
    } catch (err) {
      failure.value = err instanceof Error ? err.message : String(err)
    }
  })

  onBeforeUnmount(() => {
    map.value?.remove()
    map.value = null
    loaded.value = false
  })

  return { map, loaded, failure }
}
