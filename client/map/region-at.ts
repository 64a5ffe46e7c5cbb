/** Which child of a region lies under a point (the map is not interactive: taps are resolved here). */
import { pointInPolygon, type RegionCollection, type RegionFeature } from '@domain/regions.ts'

const contains = (f: RegionFeature, lon: number, lat: number) =>
  f.geometry.type === 'Polygon'
    ? pointInPolygon(lon, lat, f.geometry.coordinates)
    : f.geometry.coordinates.some((rings) => pointInPolygon(lon, lat, rings))

export function childAt(regions: RegionCollection, parent: string, lon: number, lat: number): string | undefined {
  return regions.features.find((f) => f.properties.parent === parent && contains(f, lon, lat))?.properties.code
}
