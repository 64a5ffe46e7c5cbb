import { Map as MapLibreMap, Marker as MapLibreMarker, type Marker, type StyleSpecification } from 'maplibre-gl'
import type { StyleSpecification as MapboxStyle } from 'mapbox-gl' // types only: erased from the bundle
import 'maplibre-gl/dist/maplibre-gl.css'

export type EngineKind = 'maplibre' | 'mapbox'
export interface EngineChoice { engine: EngineKind; mapboxToken?: string }

/** What the wall asks of a map, whichever engine draws it. */
export interface WallMapOptions {
  container: HTMLElement
  style: StyleSpecification
  /** [[west, south], [east, north]] */
  bounds?: [[number, number], [number, number]]
  fitBoundsOptions?: { padding: number | { top: number; bottom: number; left: number; right: number } }
  interactive: boolean
  pixelRatio: number
  customAttribution?: string
}

/**
 * The two engines share one API and one style spec for everything the wall
 * uses (geojson/raster/vector sources, fill/line/circle/heatmap layers,
 * feature-state, clusters, DOM markers), so the rest of the map code is typed
 * against maplibre-gl and this adapter is the only place that knows which
 * engine runs. Option names are where they differ.
 */
export interface MapEngine {
  readonly kind: EngineKind
  createMap(options: WallMapOptions): MapLibreMap
  createMarker(element: HTMLElement): Marker
  setPixelRatio(map: MapLibreMap, ratio: number): void
}

const maplibre: MapEngine = {
  kind: 'maplibre',
  createMap: ({ customAttribution, ...o }) => new MapLibreMap({
    ...o,
    attributionControl: { compact: false, ...(customAttribution && { customAttribution }) },
    // preserveDrawingBuffer keeps the last frame readable: screenshots of a wall (and SwiftShader) are not blank
    canvasContextAttributes: { antialias: true, preserveDrawingBuffer: true },
  }),
  createMarker: (element) => new MapLibreMarker({ element, anchor: 'center' }),
  setPixelRatio: (map, ratio) => map.setPixelRatio(ratio),
}

/** mapbox-gl is ~1.9 MB: fetched (as its own chunk) only by a wall configured with a Mapbox token. */
async function loadMapbox(token: string): Promise<MapEngine> {
  const [{ default: mapboxgl }] = await Promise.all([import('mapbox-gl'), import('mapbox-gl/dist/mapbox-gl.css')])
  mapboxgl.accessToken = token
  return {
    kind: 'mapbox',
    createMap: ({ style, pixelRatio: _followsDevice, ...o }) => new mapboxgl.Map({
      ...o,
      style: style as MapboxStyle,
      projection: 'mercator', // v3 defaults to a globe at low zoom; keep the same flat picture as maplibre
      attributionControl: true,
      logoPosition: 'bottom-right', // the legend holds the bottom left; the logo must stay visible
      antialias: true,
      preserveDrawingBuffer: true,
      performanceMetricsCollection: false,
    }) as unknown as MapLibreMap,
    createMarker: (element) => new mapboxgl.Marker({ element, anchor: 'center' }) as unknown as Marker,
    setPixelRatio: () => {}, // mapbox-gl follows devicePixelRatio itself and has no override
  }
}

/**
 * The engine wall-config asks for: maplibre-gl (bundled), or mapbox-gl when
 * a token is configured. A wall must show a map whatever happens, so a
 * mapbox-gl that fails to load falls back to maplibre-gl.
 */
export async function loadEngine(choice: EngineChoice): Promise<MapEngine> {
  if (choice.engine !== 'mapbox' || !choice.mapboxToken) return maplibre
  try {
    return await loadMapbox(choice.mapboxToken)
  } catch (err) {
    console.warn(`mapbox-gl could not be loaded, drawing with maplibre-gl: ${(err as Error).message}`)
    return maplibre
  }
}
