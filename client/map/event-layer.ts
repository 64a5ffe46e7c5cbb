import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl'
import type { Feature, FeatureCollection, Point } from 'geojson'
import type { LiveEvent } from '@domain/protocol.ts'
import { CRITICAL_COLOR, FEED_COLORS } from './feed-colors.ts'

export type MapMode = 'points' | 'heatmap'
/** Clustered points (points mode) and the same points unclustered for the heatmap: only the visible one is fed. */
export const EVENT_SOURCE = 'events'
export const HEAT_SOURCE = 'events-heat'
/** The store keeps 500 located events; a map source never holds more, however it is fed. */
export const MAX_POINTS = 500
const FRESH = 12 // the newest points get a halo
const POINT_LAYERS = ['event-clusters', 'event-halo', 'event-points'] as const
const HEAT_LAYERS = ['event-heat'] as const

/**
 * Located events as points, newest first; `rank` (0 = newest) lets older
 * points fade. A grid worker's position ping is not an event on the map: the
 * worker layer shows where they are.
 */
export function eventPoints(events: readonly LiveEvent[]): FeatureCollection<Point> {
  const features: Feature<Point>[] = []
  for (const e of events) {
    if (!e.location || (e.feed === 'grid' && e.type === 'position')) continue
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: e.location },
      properties: { sid: e.sid, feed: e.feed, type: e.type, critical: e.severity === 'critical', rank: features.length },
    })
    if (features.length === MAX_POINTS) break
  }
  return { type: 'FeatureCollection', features }
}

const isFeed = (feed: string): ExpressionSpecification => ['==', ['get', 'feed'], feed]
const color: ExpressionSpecification = [
  'case', ['get', 'critical'], CRITICAL_COLOR,
  ['match', ['get', 'feed'], 'case', FEED_COLORS.case, 'hotline', FEED_COLORS.hotline, 'grid', FEED_COLORS.grid, '#94a3b8'],
]
/** A cluster takes the colour of the feed most of its points come from; critical alerts win. */
const clusterColor: ExpressionSpecification = [
  'case',
  ['>', ['get', 'critical'], 0], CRITICAL_COLOR,
  ['all', ['>=', ['get', 'case'], ['get', 'hotline']], ['>=', ['get', 'case'], ['get', 'grid']]], FEED_COLORS.case,
  ['>=', ['get', 'hotline'], ['get', 'grid']], FEED_COLORS.hotline,
  FEED_COLORS.grid,
]
const count = (test: ExpressionSpecification): ExpressionSpecification => ['+', ['case', test, 1, 0]]

/**
 * Event points coloured by feed and clustered where dense (a cluster's size
 * shows as its radius: counts would need glyphs), with a halo on the
 * freshest; and a heatmap of the same points, hidden until heatmap mode.
 * Data arrives later through setData.
 */
export function addEventLayers(map: MapLibreMap, mode: MapMode) {
  map.addSource(EVENT_SOURCE, {
    type: 'geojson', data: eventPoints([]), cluster: true, clusterRadius: 28, clusterMaxZoom: 13,
    clusterProperties: {
      case: count(isFeed('case')), hotline: count(isFeed('hotline')), grid: count(isFeed('grid')),
      critical: count(['==', ['get', 'critical'], true]),
    },
  })
  map.addSource(HEAT_SOURCE, { type: 'geojson', data: eventPoints([]) })
  map.addLayer({
    id: 'event-heat', type: 'heatmap', source: HEAT_SOURCE,
    paint: {
      'heatmap-weight': ['interpolate', ['linear'], ['get', 'rank'], 0, 1, MAX_POINTS, 0.35],
      'heatmap-radius': ['interpolate', ['exponential', 1.6], ['zoom'], 7, 26, 10, 40, 14, 80],
      'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 7, 1.2, 12, 2],
      'heatmap-opacity': 0.85,
      'heatmap-color': [
        'interpolate', ['linear'], ['heatmap-density'],
        0, 'rgba(0, 0, 0, 0)', 0.1, 'rgba(30, 64, 175, 0.45)', 0.3, '#0ea5e9', 0.55, '#34d399', 0.75, '#facc15', 1, CRITICAL_COLOR,
      ],
    },
  })
  const clustered: ExpressionSpecification = ['has', 'point_count']
  map.addLayer({
    id: 'event-clusters', type: 'circle', source: EVENT_SOURCE, filter: clustered,
    paint: {
      'circle-color': clusterColor,
      'circle-opacity': 0.35,
      'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 7, 10, 11, 50, 17, 200, 24],
      'circle-stroke-color': clusterColor,
      'circle-stroke-width': 1.6,
      'circle-stroke-opacity': 0.9,
    },
  })
  map.addLayer({
    id: 'event-halo', type: 'circle', source: EVENT_SOURCE, filter: ['all', ['!', clustered], ['<', ['get', 'rank'], FRESH]],
    paint: { 'circle-color': color, 'circle-radius': 11, 'circle-opacity': 0.22, 'circle-blur': 0.6 },
  })
  map.addLayer({
    id: 'event-points', type: 'circle', source: EVENT_SOURCE, filter: ['!', clustered],
    paint: {
      'circle-color': color,
      'circle-radius': ['case', ['<', ['get', 'rank'], FRESH], 4.5, 3],
      'circle-opacity': ['interpolate', ['linear'], ['get', 'rank'], 0, 1, MAX_POINTS, 0.35],
      'circle-stroke-color': '#02101f',
      'circle-stroke-width': 0.6,
    },
  })
  showMode(map, mode)
}

/** Show the points or the heatmap; the source of the hidden one is left as it is. */
export function showMode(map: MapLibreMap, mode: MapMode) {
  for (const id of POINT_LAYERS) map.setLayoutProperty(id, 'visibility', mode === 'points' ? 'visible' : 'none')
  for (const id of HEAT_LAYERS) map.setLayoutProperty(id, 'visibility', mode === 'heatmap' ? 'visible' : 'none')
}

export const sourceOfMode = (mode: MapMode): string => (mode === 'heatmap' ? HEAT_SOURCE : EVENT_SOURCE)
