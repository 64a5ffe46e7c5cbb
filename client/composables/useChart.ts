import { markRaw, onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import { init, type Chart, type ChartOption } from '@client/charts/echarts-core.ts'

let live = 0
/** ECharts instances alive on the page (for leak checks: it must not grow while a wall runs). */
export const liveChartCount = () => live

export interface UseChart {
  chart: Readonly<ShallowRef<Chart | null>>
  /** True once the chart drew an option with data (`option` returned non-null) at least once. */
  ready: Readonly<Ref<boolean>>
}

/**
 * An ECharts instance in `container`: created on mount (canvas at the
 * screen's pixel ratio), kept raw, updated in place whenever `option`
 * changes (merge, lazy: one render per frame however many changes), resized
 * with its container, disposed on unmount. `option` returns null while
 * there is nothing to show.
 */
export function useChart(container: Readonly<ShallowRef<HTMLElement | null>>, option: () => ChartOption | null): UseChart {
  const chart = shallowRef<Chart | null>(null)
  const ready = ref(false)
  let drewData = false
  let observer: ResizeObserver | undefined

  function apply(opt: ChartOption | null) {
    const c = chart.value
    if (!c || !opt) return
    c.setOption(opt, { lazyUpdate: true, notMerge: false })
    drewData = true
  }

  onMounted(() => {
    const el = container.value
    if (!el) return
    const c = markRaw(init(el, null, { renderer: 'canvas', devicePixelRatio: window.devicePixelRatio || 1 }))
    live++
    chart.value = c
    c.on('finished', () => {
      if (drewData) ready.value = true
    })
    observer = new ResizeObserver(() => c.resize())
    observer.observe(el)
    apply(option())
  })

  watch(option, apply)

  onBeforeUnmount(() => {
    observer?.disconnect()
    if (chart.value) {
      chart.value.dispose()
      live--
    }
    chart.value = null
  })

  return { chart, ready }
}
