import { computed } from 'vue'
import { pointInPolygon, type RegionCollection, type RegionFeature } from '@domain/regions.ts'
import type { WorkerMark } from '@client/stores/situation.ts'

export const WORKERS_SHOWN = 30

type Box = { minX: number; minY: number; maxX: number; maxY: number }
interface GridShape { name: string; box: Box; polys: [number, number][][][] }

function shapeOf(f: RegionFeature): GridShape {
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity }
  for (const [x, y] of polys.flatMap((rings) => rings[0] ?? [])) {
    box.minX = Math.min(box.minX, x); box.maxX = Math.max(box.maxX, x)
    box.minY = Math.min(box.minY, y); box.maxY = Math.max(box.maxY, y)
  }
  return { name: f.properties.name, box, polys }
}

/**
 * On-duty grid workers of the region shown, from the situation store's
 * worker book: most recently seen first, each with the grid they stand in
 * (looked up among the region's own grids, and only for the rows shown).
 */
export function useTabletWorkers(
  workers: () => ReadonlyMap<string, WorkerMark>,
  region: () => string | null,
  collection: () => RegionCollection | null,
) {
  const grids = computed<GridShape[]>(() => {
    const code = region()
    const c = collection()
    if (!code || !c) return []
    const parentOf = new Map(c.features.map((f) => [f.properties.code, f.properties.parent]))
    const below = (g: string) => {
      for (let p: string | null | undefined = g; p; p = parentOf.get(p)) if (p === code) return true
      return false
    }
    return c.features.filter((f) => f.properties.level === 'grid' && below(f.properties.code)).map(shapeOf)
  })

  function gridAt([x, y]: [number, number]): string | null {
    for (const g of grids.value) {
      const b = g.box
      if (x < b.minX || x > b.maxX || y < b.minY || y > b.maxY) continue
      if (g.polys.some((rings) => pointInPolygon(x, y, rings))) return g.name
    }
    return null
  }

  const rows = computed(() => [...workers()]
    .sort((a, b) => b[1].at - a[1].at)
    .slice(0, WORKERS_SHOWN)
    .map(([id, mark]) => ({ id, at: mark.at, grid: gridAt(mark.location) })))

  return { rows, total: computed(() => workers().size) }
}
