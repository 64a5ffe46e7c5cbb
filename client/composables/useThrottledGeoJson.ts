import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue'
import type { GeoJSON } from 'geojson'
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'

/**
 * Keep a GeoJSON source in step with reactive data, re-sending it at most
 * once per `intervalMs`: the data may change four times a second, but
 * re-tiling on the map's worker every time would cost a wall its frame rate.
 * The last change is never lost (trailing send), the conversion to GeoJSON
 * runs only when a send happens, and a hidden page sends nothing until it
 * is shown again. `sourceId` may change (points ↔ heatmap): the new source
 * gets the data on the next send.
 */
export function useThrottledGeoJson<T>(
  map: Readonly<ShallowRef<MapLibreMap | null>>,
  ready: Readonly<Ref<boolean>>,
  sourceId: string | (() => string),
  source: () => T,
  toGeoJson: (value: T) => GeoJSON,
  intervalMs = 1000,
) {
  const id = typeof sourceId === 'string' ? () => sourceId : sourceId
  let lastSent = -Infinity
  let timer: ReturnType<typeof setTimeout> | undefined
  let waitingForShow = false

  function send() {
    timer = undefined
    if (document.hidden) {
      waitingForShow = true
      return
    }
    const target = map.value?.getSource<GeoJSONSource>(id())
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

  function onVisibility() {
    if (document.hidden || !waitingForShow) return
    waitingForShow = false
    schedule()
  }

  watch([source, ready, id], schedule, { immediate: true })
  document.addEventListener('visibilitychange', onVisibility)
  onBeforeUnmount(() => {
    clearTimeout(timer)
    document.removeEventListener('visibilitychange', onVisibility)
  })
}
