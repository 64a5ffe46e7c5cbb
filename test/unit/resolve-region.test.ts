import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { RegionIndex, type RegionCollection, type RegionFeature } from '../../server/domain/regions.ts'
import { Categories } from '../../server/domain/categories.ts'
import type { ValidEvent } from '../../server/domain/events.ts'
import { resolveRegion } from '../../server/ingest/resolve-region.ts'
import { prepare } from '../../server/ingest/ingest.ts'

const read = (p: string) => JSON.parse(readFileSync(fileURLToPath(new URL(p, import.meta.url)), 'utf8')) as unknown
const fc = read('../../config/regions/650400-turpan.geojson') as RegionCollection
const regions = new RegionIndex(fc)
const categories = Categories.parse(read('../../config/categories.json'))
const deps = { regions, categories }

const HOUR = 3_600_000
const centre = (f: RegionFeature): [number, number] => {
  const pts = f.geometry.type === 'Polygon' ? f.geometry.coordinates.flat() : f.geometry.coordinates.flat(2)
  const xs = pts.map((p) => p[0])
  const ys = pts.map((p) => p[1])
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2]
}

const grids = fc.features.filter((f) => f.properties.level === 'grid')
const gridA = grids[0]!
const gridB = grids.find((g) => !regions.within(g.properties.code, regions.chain(gridA.properties.code)[3]!))! // another district
const pointA = centre(gridA)
const OUTSIDE: [number, number] = [80, 40]
const villageA = gridA.properties.parent!

const ev = (over: Partial<ValidEvent> = {}): ValidEvent => ({
  id: 'e1', feed: 'case', type: 'reported', subject: 'C1', at: Date.UTC(2026, 10, 21, 1, 15, 2), category: 'city.sanitation', attrs: {}, ...over,
})

describe('resolveRegion', () => {
  it('resolves a location to the chain of the deepest region containing it', () => {
    const r = resolveRegion(ev({ location: pointA }), regions)
    expect(r).toEqual({ ok: true, chain: regions.chain(gridA.properties.code) })
    expect(r.ok && r.chain).toHaveLength(5)
  })

  it('prefers the location over a (valid, different) region code', () => {
    const r = resolveRegion(ev({ location: pointA, region: gridB.properties.code }), regions)
    expect(r.ok && r.chain[0]).toBe(gridA.properties.code)
  })

  it('resolves a region code at any level to its chain', () => {
    expect(resolveRegion(ev({ region: villageA }), regions)).toEqual({ ok: true, chain: regions.chain(villageA) })
    expect(resolveRegion(ev({ region: '650421' }), regions)).toEqual({ ok: true, chain: ['650421', '650400'] })
    expect(resolveRegion(ev({ region: '650400' }), regions)).toEqual({ ok: true, chain: ['650400'] })
  })

  it('rejects an unknown region code with a clear reason naming the code', () => {
    const r = resolveRegion(ev({ region: '650499' }), regions)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error).toMatch(/^region:/)
      expect(r.error).toContain('unknown region code')
      expect(r.error).toContain('"650499"')
    }
  })

  it('rejects a point outside every region when no region code is given', () => {
    const r = resolveRegion(ev({ location: OUTSIDE }), regions)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error).toMatch(/^location:/)
      expect(r.error).toContain('[80, 40]')
      expect(r.error).toContain('outside')
    }
  })

  it('falls back to the region code when the point lies outside every region', () => {
    expect(resolveRegion(ev({ location: OUTSIDE, region: villageA }), regions)).toEqual({ ok: true, chain: regions.chain(villageA) })
  })

  it('rejects a point outside with an unknown region code by the code', () => {
    const r = resolveRegion(ev({ location: OUTSIDE, region: '650499' }), regions)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toContain('650499')
  })

  it('rejects an unknown region code even when the location lies inside a region (DESIGN §4)', () => {
    const r = resolveRegion(ev({ location: pointA, region: '650499' }), regions)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.error).toContain('unknown region code "650499"')
  })

  it('gives an empty chain to an event with neither region nor location', () => {
    expect(resolveRegion(ev({ type: 'closed' }), regions)).toEqual({ ok: true, chain: [] })
  })
})

const AT = '2026-11-21T09:15:02+08:00'
const AT_MS = Date.UTC(2026, 10, 21, 1, 15, 2)
const raw = (over: Record<string, unknown>) => ({ id: 'e-1', subject: 'S1', at: AT, ...over })

describe('prepare (validation + category + region + intake argument)', () => {
  it('prepares a case reported: chain from location, intake = SLA hours of category and priority', () => {
    const normal = prepare(raw({ feed: 'case', type: 'reported', category: 'city.sanitation', location: pointA }), deps)
    expect(typeof normal).not.toBe('string')
    if (typeof normal === 'string') return
    expect(normal.chain).toEqual(regions.chain(gridA.properties.code))
    expect(normal.intake).toBe('48')
    expect(normal.event.at).toBe(AT_MS)
    const urgent = prepare(raw({ feed: 'case', type: 'reported', category: 'city.sanitation', region: villageA, attrs: { priority: 'urgent' } }), deps)
    expect(typeof urgent === 'string' ? urgent : urgent.intake).toBe('8')
    const dispute = prepare(raw({ feed: 'case', type: 'reported', category: 'dispute.land', region: villageA }), deps)
    expect(typeof dispute === 'string' ? dispute : dispute.intake).toBe('360')
  })

  it('prepares a hotline received: intake = deadline ms = at + SLA(kind, urgency)', () => {
    const p = prepare(raw({ feed: 'hotline', type: 'received', category: 'hl.urban.roads', region: villageA, attrs: { kind: 'complaint' } }), deps)
    expect(typeof p === 'string' ? p : p.intake).toBe(String(AT_MS + 120 * HOUR))
    const u = prepare(raw({ feed: 'hotline', type: 'received', category: 'hl.urban.roads', region: villageA, attrs: { kind: 'consult', urgency: 'urgent' } }), deps)
    expect(typeof u === 'string' ? u : u.intake).toBe(String(AT_MS + 4 * HOUR))
    expect(typeof u === 'string' ? u : u.chain).toEqual(regions.chain(villageA))
  })

  it('gives non-intake events an empty intake argument', () => {
    const p = prepare(raw({ feed: 'case', type: 'registered' }), deps)
    expect(p).toEqual({ event: expect.objectContaining({ type: 'registered' }), chain: [], grid: '', intake: '' })
    const g = prepare(raw({ feed: 'grid', type: 'patrol', region: gridA.properties.code }), deps)
    expect(typeof g === 'string' ? g : g.intake).toBe('')
  })

  it('names the grid of an event placed in a grid (patrol coverage), and none above grid level', () => {
    const g = prepare(raw({ feed: 'grid', type: 'patrol', region: gridA.properties.code }), deps)
    expect(typeof g === 'string' ? g : g.grid).toBe(gridA.properties.code)
    const v = prepare(raw({ feed: 'grid', type: 'patrol', region: villageA }), deps)
    expect(typeof v === 'string' ? v : v.grid).toBe('')
  })

  it('puts a hotline call without a place at the root', () => {
    const p = prepare(raw({ feed: 'hotline', type: 'call', attrs: { answered: true } }), deps)
    expect(typeof p === 'string' ? p : p.chain).toEqual(['650400'])
  })

  it('keeps the chain of a hotline call with a region, and no root fallback for other placeless events', () => {
    const p = prepare(raw({ feed: 'hotline', type: 'call', region: '650421', attrs: { answered: false } }), deps)
    expect(typeof p === 'string' ? p : p.chain).toEqual(['650421', '650400'])
    const d = prepare(raw({ feed: 'hotline', type: 'dispatched' }), deps)
    expect(typeof d === 'string' ? d : d.chain).toEqual([])
  })

  it('passes a validation error through as the rejection reason', () => {
    const p = prepare(raw({ feed: 'hotline', type: 'received', category: 'hl.urban.roads', region: villageA, attrs: { kind: 'gossip' } }), deps)
    expect(typeof p).toBe('string')
    expect(p).toContain('attrs.kind')
  })

  it('rejects an unknown case category', () => {
    const p = prepare(raw({ feed: 'case', type: 'reported', category: 'city.unicorns', region: villageA }), deps)
    expect(typeof p).toBe('string')
    expect(p).toContain('category')
    expect(p).toContain('city.unicorns')
  })

  it('rejects a category of the other feed, and a group code', () => {
    expect(prepare(raw({ feed: 'case', type: 'reported', category: 'hl.urban.roads', region: villageA }), deps)).toContain('not a case category')
    expect(prepare(raw({ feed: 'hotline', type: 'received', category: 'city.sanitation', region: villageA, attrs: { kind: 'help' } }), deps)).toContain('not a hotline category')
    expect(prepare(raw({ feed: 'case', type: 'reported', category: 'city', region: villageA }), deps)).toContain('not a case category')
  })

  it('rejects an unknown region code and a point outside the city', () => {
    expect(prepare(raw({ feed: 'case', type: 'reported', category: 'city.sanitation', region: '650499' }), deps)).toContain('unknown region code')
    expect(prepare(raw({ feed: 'case', type: 'reported', category: 'city.sanitation', location: OUTSIDE }), deps)).toContain('outside every configured region')
  })

  it('checks the category before resolving the region', () => {
    const p = prepare(raw({ feed: 'case', type: 'reported', category: 'nope', region: '650499' }), deps)
    expect(p).toContain('category')
  })
})
