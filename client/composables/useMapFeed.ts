import { computed } from 'vue'
import { useRoute } from 'vue-router'
import type { KpiKey } from '@domain/kpis.ts'
import { isKpiKey } from '@client/map/choropleth-scale.ts'
import type { MapMode } from '@client/map/event-layer.ts'
import { useSituationStore } from '@client/stores/situation.ts'

/**
 * What a page's WallMap shows, as its props: the situation's located events,
 * workers, overdue items and ranking, and the map's mode and choropleth KPI
 * from the page's link (`?mapMode=heatmap`, `?mapKpi=closeRate`; else points
 * and disposalRate).
 */
export function useMapFeed() {
  const route = useRoute()
  const situation = useSituationStore()
  const mode = computed<MapMode>(() => (route.query.mapMode === 'heatmap' ? 'heatmap' : 'points'))
  const kpi = computed<KpiKey>(() => (isKpiKey(route.query.mapKpi) ? route.query.mapKpi : 'disposalRate'))
  return computed(() => ({
    points: situation.points,
    workers: situation.workers,
    overdue: situation.overdue,
    ranking: situation.panels?.ranking,
    mode: mode.value,
    kpi: kpi.value,
  }))
}
