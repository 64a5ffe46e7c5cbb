/**
 * Units of a real city do not all work alike: some districts and townships
 * staff every grid and close on time, others lag. Each district and township
 * gets a fixed standing between 0 (weakest) and 1 (strongest), evenly spread
 * among its siblings in an order taken from the codes (not from a run's
 * seed), so every run of a city ranks its units alike and each level has
 * strong and weak ones. A grid takes `districtShare` of its district's
 * standing and the rest from its township's.
 */
import type { RegionCollection } from '../../domain/regions.ts'
import type { SimParams } from '../sim-params.ts'
import { hash32 } from './random.ts'

export type StandingParams = NonNullable<SimParams['standing']>

const NEUTRAL = 0.5

/** Standing 0–1 of every grid code of `collection` (0.5 everywhere with spread 0). */
export function gridStandings(collection: RegionCollection, p: StandingParams | undefined): Map<string, number> {
  const props = collection.features.map((f) => f.properties)
  const parent = new Map(props.map((r) => [r.code, r.parent ?? null]))
  const level = new Map(props.map((r) => [r.code, r.level]))
  const spread = (lvl: string) => {
    const bySiblings = new Map<string, string[]>()
    for (const r of props) if (r.level === lvl) bySiblings.set(r.parent ?? '', [...(bySiblings.get(r.parent ?? '') ?? []), r.code])
    const out = new Map<string, number>()
    for (const codes of bySiblings.values()) {
      const order = [...codes].sort((a, b) => codeHash(a) - codeHash(b) || a.localeCompare(b))
      order.forEach((code, i) => out.set(code, order.length === 1 ? NEUTRAL : i / (order.length - 1)))
    }
    return out
  }
  const districts = spread('district')
  const townships = spread('township')
  const ancestor = (code: string, lvl: string): string | undefined => {
    for (let c: string | null | undefined = code; c; c = parent.get(c)) if (level.get(c) === lvl) return c
    return undefined
  }
  const share = p?.districtShare ?? NEUTRAL
  const out = new Map<string, number>()
  for (const r of props) {
    if (r.level !== 'grid') continue
    const d = districts.get(ancestor(r.code, 'district') ?? '') ?? NEUTRAL
    const t = townships.get(ancestor(r.code, 'township') ?? '') ?? NEUTRAL
    out.set(r.code, share * d + (1 - share) * t)
  }
  return out
}

/**
 * A rate of something bad (late, unhappy) for a unit of `standing`: the
 * configured rate × (1 + spread × (1 − 2·standing)), so the city-wide mean
 * stays the configured one while the weakest see up to (1 + spread)×.
 */
export function worseFor(rate: number, standing: number, p: StandingParams | undefined): number {
  return Math.min(1, Math.max(0, rate * lagOf(standing, p)))
}

/** The factor worseFor applies, unclamped (for weights rather than rates). */
export function lagOf(standing: number, p: StandingParams | undefined): number {
  return 1 + (p?.spread ?? 0) * (1 - 2 * standing)
}

/** A rate of something good (grids staffed): mirrored, the strongest see up to (1 + spread)×. */
export function betterFor(rate: number, standing: number, p: StandingParams | undefined): number {
  return worseFor(rate, 1 - standing, p)
}

/** Order siblings by a hash of their code: stable for a city, unrelated to code order. */
function codeHash(code: string): number {
  let h = 0
  for (let i = 0; i < code.length; i++) h = (Math.imul(h, 31) + code.charCodeAt(i)) | 0
  return hash32(h)
}
