import { createHash } from 'node:crypto'
import { describe, it, expect, beforeAll } from 'vitest'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'
import { generateScenario, loadScenario, type Scenario } from '../../server/simulation/scenarios/scenario.ts'

const START = Date.parse('2026-11-20T00:00:00+08:00')
const HOUR = 3_600_000

let config: SimConfig
let scenario: Scenario

/** sha256 of the NDJSON the generate CLI would write, and the ids, without holding the events. */
function digest(events: Iterable<EventEnvelope>) {
  const hash = createHash('sha256')
  const ids = new Set<string>()
  let n = 0
  for (const e of events) {
    hash.update(JSON.stringify(e) + '\n')
    ids.add(e.id)
    n++
  }
  return { hash: hash.digest('hex'), ids, n }
}

beforeAll(() => {
  config = loadSimConfig()
  scenario = loadScenario('rainstorm-waterlogging')
})

describe('determinism', () => {
  it('gives byte-identical NDJSON for the same scenario, seed and start, and different output for another seed', () => {
    const a = digest(generateScenario(scenario, { ...config, seed: 1, start: START }))
    const b = digest(generateScenario(loadScenario('rainstorm-waterlogging'), { ...config, seed: 1, start: START }))
    expect(a.n).toBeGreaterThan(10_000)
    expect(b.hash).toBe(a.hash)
    expect(a.ids.size).toBe(a.n)
    const c = digest(generateScenario(scenario, { ...config, seed: 2, start: START }))
    expect(c.hash).not.toBe(a.hash)
  })

  it('keeps ids of runs with another start or seed apart', () => {
    const a = digest(generateScenario({ ...scenario, durationHours: 6 }, { ...config, seed: 1, start: START }))
    const later = digest(generateScenario({ ...scenario, durationHours: 6 }, { ...config, seed: 1, start: START + HOUR }))
    const seed2 = digest(generateScenario({ ...scenario, durationHours: 6 }, { ...config, seed: 2, start: START }))
    expect([...later.ids].filter((id) => a.ids.has(id))).toEqual([])
    expect([...seed2.ids].filter((id) => a.ids.has(id))).toEqual([])
  })

  it('does not depend on how the realistic mode is sliced into next() calls', () => {
    const run = (stepMs: number) => {
      const sim = createSimulation({ ...config, mode: 'realistic', seed: 5, start: START })
      const out: EventEnvelope[] = []
      for (let t = START; t <= START + 12 * HOUR; t += stepMs) out.push(...sim.next(t))
      return digest(out)
    }
    // 9 minutes and an hour both end exactly at 12 h
    const hourly = run(HOUR)
    expect(hourly.n).toBeGreaterThan(5000)
    expect(run(9 * 60_000).hash).toBe(hourly.hash)
  })

  it('streams a day with a bounded agenda', () => {
    const sim = createSimulation({ ...config, mode: 'realistic', seed: 1, start: START })
    let peak = 0
    for (let t = START; t <= START + 24 * HOUR; t += 10 * 60_000) {
      sim.next(t)
      peak = Math.max(peak, sim.stats().queued)
    }
    const s = sim.stats()
    // one pending step per source and per open subject (at most three), plus a day's roster
    expect(peak).toBeLessThan(3 * s.open + 2 * s.workers + 100)
    expect(s.dropped).toBe(0)
  })
})
