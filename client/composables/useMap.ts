import { markRaw, onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { loadEngine, type EngineChoice, type MapEngine, type WallMapOptions } from '@client/map/engine/load-engine.ts'

export interface UseMap {
  /** The map, once created; raw (never proxied) because the engine mutates it constantly. */
  map: Readonly<ShallowRef<MapLibreMap | null>>
  /** The engine that drew it: markers must come from the same one. */
  engine: Readonly<ShallowRef<MapEngine | null>>
  /** True after the style's `load` event: sources and layers may be added. */
  loaded: Readonly<Ref<boolean>>
  /** Why the map could not be created (typically no WebGL), else null. */
  failure: Readonly<Ref<string | null>>
}

/**
 * Create a map in `container` once mounted and once `choice` (from
 * wall-config) is known — that decides the engine, loaded on demand — and
 * remove it on unmount, even when unmount comes while the engine loads.
 */
export function useMap(
  container: Readonly<ShallowRef<HTMLElement | null>>,
  choice: () => EngineChoice | null,
  options: () => Omit<WallMapOptions, 'container'>,
): UseMap {
  const map = shallowRef<MapLibreMap | null>(null)
  const engine = shallowRef<MapEngine | null>(null)
  const loaded = ref(false)
  const failure = ref<string | null>(null)
  let started = false
  let disposed = false

  async function create(c: EngineChoice) {
    const e = await loadEngine(c)
    const el = container.value
    if (disposed || !el) return
    try {
      const m = e.createMap({ ...options(), container: el })
      m.once('load', () => (loaded.value = true))
      engine.value = markRaw(e)
      map.value = markRaw(m)
    } catch (err) {
      failure.value = err instanceof Error ? err.message : String(err)
    }
  }

  onMounted(() => {
    watch(choice, (c) => {
      if (!c || started) return
      started = true
      void create(c)
    }, { immediate: true })
  })

  onBeforeUnmount(() => {
    disposed = true
    map.value?.remove()
    map.value = null
    loaded.value = false
  })

  return { map, engine, loaded, failure }
}
