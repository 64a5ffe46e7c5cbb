/**
 * The region tree ((province →) city → district → township → village → grid),
 * point-in-polygon lookup through an R-tree of bounding boxes, and the
 * partitions of a channel's keys (DESIGN §11).
 */
import RBush from 'rbush'

export const LEVELS = ['province', 'city', 'district', 'township', 'village', 'grid'] as const
export type Level = (typeof LEVELS)[number]

export interface RegionProps { code: string; name: string; level: Level; parent: string | null; population?: number }
type Ring = [number, number][]
export interface RegionFeature {
  type: 'Feature'
  id?: string | number
  properties: RegionProps
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] }
}
export interface RegionCollection { type: 'FeatureCollection'; name?: string; root?: string; attribution?: string; features: RegionFeature[] }

interface Box { minX: number; minY: number; maxX: number; maxY: number; region: RegionProps; polys: Ring[][]; depth: number }

/** Whether a point lies inside a polygon with holes (even-odd ray casting). */
export function pointInPolygon(x: number, y: number, rings: Ring[]): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const pi = ring[i]!, pj = ring[j]!
      const xi = pi[0], yi = pi[1], xj = pj[0], yj = pj[1]
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
    }
  }
  return inside
}

export class RegionIndex {
  private readonly byCode = new Map<string, RegionProps>()
  private readonly children = new Map<string, string[]>()
  private readonly tree = new RBush<Box>()
  private readonly chains = new Map<string, string[]>()
  private readonly grids = new Map<string, number>()
  private readonly villages = new Map<string, number>()
  readonly root: RegionProps
  /**
   * The partitions of a channel's keys: '' (the root partition) first, then each
   * region at the partition level. One ('') when the level is the root's.
   */
  readonly partitions: readonly string[]
  private readonly partitionLevel: Level | undefined

  /** `partitionLevel`: PARTITION_LEVEL (DESIGN §11); the root's level or none keeps one partition. */
  constructor(readonly collection: RegionCollection, partitionLevel?: Level) {
    const boxes: Box[] = []
    for (const f of collection.features) {
      const p = f.properties
      this.byCode.set(p.code, p)
      if (p.parent) this.children.set(p.parent, [...(this.children.get(p.parent) ?? []), p.code])
      const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity
      for (const [x, y] of polys.flatMap((rings) => rings[0] ?? [])) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y)
      }
      boxes.push({ minX, minY, maxX, maxY, region: p, polys, depth: 0 })
    }
    const root = collection.features.find((f) => !f.properties.parent)
    if (!root) throw new Error('region config has no root (a feature with parent null)')
    this.root = root.properties
    for (const code of this.byCode.keys()) {
      const chain: string[] = []
      for (let p = this.byCode.get(code); p; p = p.parent ? this.byCode.get(p.parent) : undefined) chain.push(p.code)
      this.chains.set(code, chain)
      if (this.byCode.get(code)!.level === 'grid') for (const c of chain) this.grids.set(c, (this.grids.get(c) ?? 0) + 1)
      if (this.byCode.get(code)!.level === 'village') for (const c of chain) this.villages.set(c, (this.villages.get(c) ?? 0) + 1)
    }
    for (const b of boxes) b.depth = this.chains.get(b.region.code)!.length
    this.tree.load(boxes)
    this.partitionLevel = partitionLevel && partitionLevel !== this.root.level ? partitionLevel : undefined
    const level = this.partitionLevel
    this.partitions = ['', ...(level ? [...this.byCode.values()].filter((r) => r.level === level).map((r) => r.code) : [])]
  }

  /** Whether the channel's keys are split into more than one partition. */
  get partitioned(): boolean {
    return this.partitions.length > 1
  }

  /**
   * The partition an event lands in: its region's ancestor at the partition
   * level, or '' (the root partition) when it is placed above that level (or
   * nowhere, or the channel has one partition).
   */
  partitionOf(region: string | undefined): string {
    if (!this.partitionLevel || !region) return ''
    for (const code of this.chain(region)) if (this.byCode.get(code)!.level === this.partitionLevel) return code
    return ''
  }

  /**
   * The partitions whose keys hold what a region counts: its own one at or below
   * the partition level; above it, the root partition and every partition below
   * the region (their counters are summed at read time).
   */
  partitionsOf(region: string): readonly string[] {
    const own = this.partitionOf(region)
    if (own !== '' || !this.partitionLevel) return [own]
    return this.partitions.filter((p) => p === '' || this.within(p, region))
  }

  get(code: string): RegionProps | undefined {
    return this.byCode.get(code)
  }

  childrenOf(code: string): RegionProps[] {
    return (this.children.get(code) ?? []).map((c) => this.byCode.get(c)!)
  }

  /** The region and its ancestors, deepest first, ending with the root. */
  chain(code: string): readonly string[] {
    return this.chains.get(code) ?? []
  }

  /** Whether `code` is `ancestor` or lies below it. */
  within(code: string, ancestor: string): boolean {
    return this.chain(code).includes(ancestor)
  }

  /** The deepest region containing the point, or undefined outside all regions. */
  locate(lon: number, lat: number): RegionProps | undefined {
    // deepest boxes first (stable: equal depths keep the tree's order), so the point is tested against the
    // large polygons of its ancestors only when no deeper region holds it
    const found = this.tree.search({ minX: lon, minY: lat, maxX: lon, maxY: lat }).sort((a, b) => b.depth - a.depth)
    for (const b of found) if (b.polys.some((rings) => pointInPolygon(lon, lat, rings))) return b.region
    return undefined
  }

  /** How many grids lie in a region (a grid counts itself). */
  gridCount(code: string): number {
    return this.grids.get(code) ?? 0
  }

  /** How many villages lie in a region (a village counts itself; a grid holds none). */
  villageCount(code: string): number {
    return this.villages.get(code) ?? 0
  }

  get size(): number {
    return this.byCode.size
  }
}
