import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl'
import type { Feature, FeatureCollection, Point } from 'geojson'
import type { LiveEvent } from '@domain/protocol.ts'
import { CRITICAL_COLOR, FEED_COLORS } from '../feed-colors.ts'

export const EVENT_SOURCE = 'events'
const FRESH = 12 // the newest points get a halo

/** Located events as points, newest first; `rank` (0 = newest) lets older points fade. */
export function eventPoints(events: readonly LiveEvent[]): FeatureCollection<Point> {
  const features: Feature<Point>[] = []
  for (const e of events) {
    if (!e.location) continue
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: e.location },
      properties: { sid: e.sid, feed: e.feed, type: e.type, critical: e.severity === 'critical', rank: features.length },
    })
  }
  return { type: 'FeatureCollection', features }
}

const color: ExpressionSpecification = [
  'case', ['get', 'critical'], CRITICAL_COLOR,
  ['match', ['get', 'feed'], 'case', FEED_COLORS.case, 'hotline', FEED_COLORS.hotline, 'grid', FEED_COLORS.grid, '#94a3b8'],
]

/** Event points coloured by feed, with a halo on the freshest. Data arrives later through setData. */
export function addEventLayers(map: MapLibreMap) {
  map.addSource(EVENT_SOURCE, { type: 'geojson', data: eventPoints([]) })
  map.addLayer({
    id: 'event-halo', type: 'circle', source: EVENT_SOURCE, filter: ['<', ['get', 'rank'], FRESH],
    paint: { 'circle-color': color, 'circle-radius': 11, 'circle-opacity': 0.22, 'circle-blur': 0.6 },
  })
  map.addLayer({
    id: 'event-points', type: 'circle', source: EVENT_SOURCE,
    paint: {
      'circle-color': color,
      'circle-radius': ['case', ['<', ['get', 'rank'], FRESH], 4.5, 3],
      'circle-opacity': ['interpolate', ['linear'], ['get', 'rank'], 0, 1, 500, 0.35],
      'circle-stroke-color': '#02101f',
      'circle-stroke-width': 0.6,
    },
  })
}
