import { computed } from 'vue'
import { useRoute } from 'vue-router'
import type { KpiKey } from '@domain/kpis.ts'
import { isKpiKey } from '@client/map/choropleth-scale.ts'
import type { MapMode } from '@client/map/event-layer.ts'

/** The map's mode and choropleth KPI from the page's link (`?mapMode=heatmap`, `?mapKpi=closeRate`), else points and disposalRate. */
export function useMapQuery() {
  const route = useRoute()
  const mode = computed<MapMode>(() => (route.query.mapMode === 'heatmap' ? 'heatmap' : 'points'))
  const kpi = computed<KpiKey>(() => (isKpiKey(route.query.mapKpi) ? route.query.mapKpi : 'disposalRate'))
  return { mode, kpi }
}
