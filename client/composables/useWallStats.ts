import { onBeforeUnmount, onMounted } from 'vue'
import { useSituationStore } from '@client/stores/situation.ts'
import { liveChartCount } from './useChart.ts'

export interface WallStats { events: number; points: number; workers: number; alerts: number; alertLog: number; charts: number }

declare global {
  interface Window {
    /** Sizes of everything a wall accumulates, for leak tests: each must stay flat over hours. */
    __wallStats?: () => WallStats
  }
}

/** Expose `window.__wallStats()` while the wall page is mounted. */
export function useWallStats() {
  const situation = useSituationStore()
  const stats = (): WallStats => ({
    events: situation.recent.length,
    points: situation.points.length,
    workers: situation.workers.size,
    alerts: situation.alerts.length,
    alertLog: situation.alertLog.length,
    charts: liveChartCount(),
  })
  onMounted(() => (window.__wallStats = stats))
  onBeforeUnmount(() => {
    if (window.__wallStats === stats) delete window.__wallStats
  })
}
