/** How an alert names a place: township · village · grid names of a region code. */
import type { RegionIndex } from '../domain/regions.ts'

export function placeName(regions: RegionIndex, code: string): string {
  const names = [...regions.chain(code)]
    .reverse()
    .map((c) => regions.get(c)!)
    .filter((r) => r.level !== 'city' && r.level !== 'district')
    .map((r) => r.name)
  return names.join(' · ') || (regions.get(code)?.name ?? code)
}
