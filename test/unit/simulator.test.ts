import { describe, it, expect, beforeAll } from 'vitest'
import { validateEvent, type EventEnvelope } from '../../server/domain/events.ts'
import { nextState, type Feed } from '../../server/domain/lifecycles.ts'
import { pointInPolygon, RegionIndex, type RegionFeature } from '../../server/domain/regions.ts'
import { createSimulation, type SimulationOptions } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'

const START = Date.parse('2026-11-21T09:00:00+08:00')
const MINUTE = 60_000

let config: SimConfig
let index: RegionIndex
let hour: EventEnvelope[]

function run(options: Partial<SimulationOptions>, minutes: number, stepMs = MINUTE): EventEnvelope[] {
  const sim = createSimulation({ ...config, seed: 1, rate: 20, start: START, ...options })
  const out: EventEnvelope[] = []
  for (let t = START; t <= START + minutes * MINUTE; t += stepMs) out.push(...sim.next(t))
  return out
}

beforeAll(() => {
  config = loadSimConfig()
  index = new RegionIndex(config.regions)
  hour = run({}, 60)
})

describe('simulated stream', () => {
  it('produces only valid envelopes with unique ids in time order', () => {
    expect(hour.length).toBeGreaterThan(10_000)
    const errors = hour.map((e) => validateEvent(e)).filter((v) => !v.ok)
    expect(errors.slice(0, 3)).toEqual([])
    expect(new Set(hour.map((e) => e.id)).size).toBe(hour.length)
    expect(hour.every((e) => e.id.length <= 128 && /^[\w.:-]+$/.test(e.id))).toBe(true)
    expect(hour.every((e) => e.at.endsWith('+08:00'))).toBe(true)
    const times = hour.map((e) => Date.parse(e.at))
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true)
  })

  it('is deterministic for a seed and start, whatever the slicing of next() calls', () => {
    const a = JSON.stringify(run({}, 20))
    expect(JSON.stringify(run({}, 20, 5_000))).toBe(a)
    expect(JSON.stringify(run({}, 20))).toBe(a)
    expect(JSON.stringify(run({ seed: 2 }, 20))).not.toBe(a)
  })

  it('keeps ids of runs with another start apart', () => {
    const other = new Set(run({ start: START + 3_600_000 }, 10).map((e) => e.id))
    expect(hour.filter((e) => other.has(e.id))).toEqual([])
  })

  it('follows the lifecycles: replaying every subject never hits an invalid transition', () => {
    const state = new Map<string, string>()
    const previous = new Map<string, string>()
    const bad: string[] = []
    for (const e of hour) {
      const key = `${e.feed}/${e.subject}`
      const current = state.get(key) ?? ''
      // a service agent's circuit visit (巡回代办) is a visit without a duty shift: apply.lua counts it whatever the duty state
      if (e.feed === 'grid' && e.attrs?.role === 'agent') continue
      if (e.feed === 'grid') {
        // a worker goes on duty only when off, reports only while on duty
        const next = e.type === 'onDuty' ? (current === 'ON' ? null : 'ON') : current === 'ON' ? (e.type === 'offDuty' ? 'OFF' : 'ON') : null
        if (next === null) bad.push(`${e.id} from ${current || 'none'}`)
        else state.set(key, next)
        continue
      }
      const next = nextState(e.feed as Feed, e.type, current, previous.get(key))
      if (next === null) bad.push(`${e.id} from ${current || 'none'}`)
      else {
        if (next !== current) previous.set(key, current)
        state.set(key, next)
      }
    }
    expect(bad.slice(0, 5)).toEqual([])
    const closed = [...state.entries()].filter(([k, s]) => k.startsWith('case/') && s === 'CLOSED')
    expect(closed.length).toBeGreaterThan(1000)
  })

  it('covers every feed and main type, in the expected proportions', () => {
    const count = (feed: string, type?: string) => hour.filter((e) => e.feed === feed && (!type || e.type === type)).length
    const main: Record<Feed, string[]> = {
      case: ['reported', 'registered', 'cancelled', 'dispatched', 'returned', 'disposed', 'rework', 'closed', 'urged'],
      hotline: ['call', 'received', 'directClosed', 'dispatched', 'replied', 'closed', 'rated', 'urged'],
      grid: ['onDuty', 'position', 'patrol', 'visit', 'alert', 'offDuty'],
      service: ['accepted', 'forwarded', 'returnedForDocs', 'resumed', 'completed', 'delivered', 'rated'],
    }
    for (const [feed, types] of Object.entries(main)) for (const type of types) expect(count(feed, type), `${feed} ${type}`).toBeGreaterThan(0)
    expect(count('grid')).toBeGreaterThan(count('case'))
    expect(count('case')).toBeGreaterThan(count('hotline'))
    const reported = count('case', 'reported')
    expect(count('case', 'registered') / reported).toBeGreaterThan(0.85)
    expect(hour.filter((e) => e.type === 'reported' && e.attrs?.priority === 'urgent').length / reported).toBeLessThan(0.1)
    const calls = hour.filter((e) => e.type === 'call')
    expect(calls.filter((e) => e.attrs?.answered).length / calls.length).toBeGreaterThan(0.9)
    const rated = hour.filter((e) => e.type === 'rated')
    expect(rated.filter((e) => e.attrs?.satisfaction === 'satisfied').length / rated.length).toBeGreaterThan(0.9)
  })

  it('reaches the requested rate once lifecycles are in flow', () => {
    const from = START + 30 * MINUTE
    const late = hour.filter((e) => Date.parse(e.at) >= from)
    const perSec = late.length / ((START + 60 * MINUTE - from) / 1000)
    expect(perSec).toBeGreaterThan(15)
    expect(perSec).toBeLessThan(25)
  })

  it('places events in grids of the region file, with locations inside the grid', () => {
    const polygons = new Map(config.regions.features.map((f: RegionFeature) => [f.properties.code, f]))
    const misplaced: string[] = []
    for (const e of hour) {
      if (!e.region || index.get(e.region)?.level !== 'grid') { misplaced.push(`${e.id} region ${e.region}`); continue }
      if (!e.location) continue
      const [lon, lat] = e.location
      const g = polygons.get(e.region)!.geometry
      const inside = g.type === 'Polygon' ? pointInPolygon(lon, lat, g.coordinates) : g.coordinates.some((p) => pointInPolygon(lon, lat, p))
      // and the server resolves the point to that very grid
      if (!inside || index.locate(lon, lat)?.code !== e.region) misplaced.push(`${e.id} at ${lon},${lat}`)
    }
    expect(misplaced.slice(0, 5)).toEqual([])
    expect(hour.filter((e) => e.type === 'position').every((e) => e.location)).toBe(true)
  })

  it('keeps memory bounded: open subjects stay under the cap and the agenda stays small', () => {
    const maxOpen = 50
    const sim = createSimulation({ ...config, seed: 3, rate: 200, compress: 1, start: START, maxOpen })
    let peakQueue = 0
    for (let t = START; t <= START + 3 * 3_600_000; t += MINUTE) {
      sim.next(t)
      const s = sim.stats()
      expect(s.open).toBeLessThanOrEqual(maxOpen)
      peakQueue = Math.max(peakQueue, s.queued)
    }
    expect(sim.stats().dropped).toBeGreaterThan(0)
    // at most three pending steps per open subject (e.g. urged, extended, disposed) plus the arrival clock
    expect(peakQueue).toBeLessThanOrEqual(3 * maxOpen + 1)
  })
})
