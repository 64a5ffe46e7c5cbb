import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue'
import type { GeoJSON } from 'geojson'
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'

/**
 * Keep a GeoJSON source in step with reactive data, re-sending it at most
 * once per `intervalMs`: the data may change four times a second, but
 * re-tiling on the map's worker every time would cost a wall its frame rate.
 * The last change is never lost (trailing send), and the conversion to
 * GeoJSON runs only when a send happens.
 */
export function useThrottledGeoJson<T>(
  map: Readonly<ShallowRef<MapLibreMap | null>>,
  ready: Readonly<Ref<boolean>>,
  sourceId: string,
  source: () => T,
  toGeoJson: (value: T) => GeoJSON,
  intervalMs = 1000,
) {
  let lastSent = -Infinity
  let timer: ReturnType<typeof setTimeout> | undefined

  function send() {
    timer = undefined
    const target = map.value?.getSource<GeoJSONSource>(sourceId)
    if (!target) return
    lastSent = performance.now()
    void target.setData(toGeoJson(source()))
  }

  function schedule() {
    if (!ready.value || timer !== undefined) return
    const wait = lastSent + intervalMs - performance.now()
    if (wait <= 0) send()
    else timer = setTimeout(send, wait)
  }

  watch([source, ready], schedule, { immediate: true })
  onBeforeUnmount(() => clearTimeout(timer))
}
