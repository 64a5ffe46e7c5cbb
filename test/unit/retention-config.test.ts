// Retention windows come from the environment of a deployment: a typo or a
// window too short for the KPIs that read it stops the server with a clear
// message instead of silently deleting counters the wall still needs.
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.ts'

const load = (env: Record<string, string>) => loadConfig({ ...process.env, ...env })

describe('DAY_COUNTERS_DAYS', () => {
  it('defaults to 400 days and takes fractions', () => {
    expect(load({ DAY_COUNTERS_DAYS: '' }).dayCountersDays).toBe(400)
    expect(load({ DAY_COUNTERS_DAYS: '8.5' }).dayCountersDays).toBe(8.5)
  })

  it('refuses what is not a positive number, and a window shorter than the 8 days the 7-day KPIs read', () => {
    expect(() => load({ DAY_COUNTERS_DAYS: 'vierhundert' })).toThrow('DAY_COUNTERS_DAYS="vierhundert" must be a number > 0 (fractions allowed)')
    expect(() => load({ DAY_COUNTERS_DAYS: '-1' })).toThrow('DAY_COUNTERS_DAYS="-1" must be a number > 0')
    expect(() => load({ DAY_COUNTERS_DAYS: '1e400' })).toThrow('must be a number > 0')
    expect(() => load({ DAY_COUNTERS_DAYS: '7' })).toThrow('DAY_COUNTERS_DAYS="7" must be at least 8: the 7-day KPIs and the surge baseline read the last 8 days')
  })
})
