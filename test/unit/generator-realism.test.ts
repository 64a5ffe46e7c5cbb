import { describe, it, expect, beforeAll } from 'vitest'
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'
import { runRealism, type RealismReport } from '../../simulators/realism/realism-checks.ts'
import { parseSimParams } from '../../server/simulation/sim-params.ts'

const MONDAY = Date.parse('2026-11-16T00:00:00+08:00')

let config: SimConfig
let week: RealismReport

beforeAll(() => {
  config = loadSimConfig()
  week = runRealism({ config, seed: 1, start: MONDAY, days: 7 })
})

describe('realism of a generated week (config/simulation.json checks)', () => {
  it('passes every configured check', () => {
    const failed = week.checks.filter((c) => !c.ok).map((c) => `${c.label}: ${c.text} not in [${c.bounds.join(', ')}]`)
    expect(failed).toEqual([])
    expect(week.checks.map((c) => c.key).sort()).toEqual(Object.keys(config.params.checks).filter((k) => k !== '$comment').sort())
  })

  it('has its busiest hours in the morning and afternoon peaks and a quiet night', () => {
    const byShare = week.hourly.map((s, h) => [h, s] as const).sort((a, b) => b[1] - a[1])
    expect(byShare.slice(0, 4).map(([h]) => h).every((h) => [9, 10, 11, 14, 15, 16].includes(h))).toBe(true)
    expect(Math.max(...week.hourly.slice(0, 6))).toBeLessThan(0.01)
    expect(week.hourly[12]!).toBeLessThan(Math.min(week.hourly[10]!, week.hourly[15]!))
  })

  it('makes grid events far more numerous than hotline and case events', () => {
    expect(week.gridEvents).toBeGreaterThan(5 * (week.events - week.gridEvents))
  })

  it('says FAIL when a bound is not met, and then the report is not ok', () => {
    const strict = { ...config, params: parseSimParams({ ...config.params, checks: { ...config.params.checks, satisfiedShare: [0.99, 1] } }) }
    const r = runRealism({ config: strict, seed: 1, start: MONDAY, days: 2 })
    expect(r.checks.find((c) => c.key === 'satisfiedShare')?.ok).toBe(false)
    // two weekdays: no weekend to compare with, so that check cannot pass either
    expect(r.checks.find((c) => c.key === 'weekdayWeekendRatio')?.ok).toBe(false)
    expect(r.ok).toBe(false)
  })
})
