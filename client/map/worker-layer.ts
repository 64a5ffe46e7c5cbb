import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Feature, FeatureCollection, Point } from 'geojson'
import type { WorkerMark } from '@client/stores/situation.ts'
import { SNAPSHOT_WORKERS } from '@domain/protocol.ts'
import { FEED_COLORS } from './feed-colors.ts'

export const WORKER_SOURCE = 'workers'
export const WORKER_COLOR = FEED_COLORS.grid

/**
 * On-duty grid workers as points. The store caps its book; the map caps
 * again at what a snapshot may carry, so the source never grows past it.
 */
export function workerPoints(workers: ReadonlyMap<string, WorkerMark>): FeatureCollection<Point> {
  const features: Feature<Point>[] = []
  let skip = workers.size - SNAPSHOT_WORKERS // the book lists the least recently seen first
  for (const [id, w] of workers) {
    if (skip-- > 0) continue
    features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: w.location }, properties: { id } })
  }
  return { type: 'FeatureCollection', features }
}

/** Workers as rings (event points are solid dots of the same grid green), drawn above everything else. */
export function addWorkerLayer(map: MapLibreMap) {
  map.addSource(WORKER_SOURCE, { type: 'geojson', data: workerPoints(new Map()) })
  map.addLayer({
    id: 'workers', type: 'circle', source: WORKER_SOURCE,
    paint: {
      'circle-color': '#02101f',
      'circle-opacity': 0.6,
      'circle-radius': 3.2,
      'circle-stroke-color': WORKER_COLOR,
      'circle-stroke-width': 1.4,
    },
  })
}
