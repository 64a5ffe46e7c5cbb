/**
 * Where an event happened: the deepest region containing its location, else
 * its region code; returned as the chain up to the root.
 */
import type { ValidEvent } from '../domain/events.ts'
import type { RegionIndex } from '../domain/regions.ts'

export type Resolved = { ok: true; chain: readonly string[] } | { ok: false; error: string }

export function resolveRegion(e: ValidEvent, regions: RegionIndex): Resolved {
  if (e.region && !regions.get(e.region)) {
    return { ok: false, error: `region: unknown region code "${e.region}" (see GET /api/v1/regions)` }
  }
  if (e.location) {
    const [lon, lat] = e.location
    const hit = regions.locate(lon, lat)
    if (hit) return { ok: true, chain: regions.chain(hit.code) }
    if (!e.region) return { ok: false, error: `location: [${lon}, ${lat}] lies outside every configured region` }
  }
  if (e.region) return { ok: true, chain: regions.chain(e.region) }
  return { ok: true, chain: [] }
}
