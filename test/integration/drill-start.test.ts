// A drill starts where its scenario starts (issue 9): the rainstorm's clock
// begins today at the scenario's start time of day, the wall opens on the
// warm-up (the day so far and the day before), and the grid workers on duty
// are of the order of the city's roster, the same roster the live demo runs.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { zonedParts } from '../../server/domain/clock.ts'
import type { ChannelSummary } from '../../server/domain/drill-channels.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { loadScenario } from '../../server/simulation/scenarios/scenario.ts'
import { apiFetch, eventually, freshRedisUrl, startTestServer } from '../support/test-server.ts'

const ZONE = 'Asia/Shanghai'
let server: Running

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await apiFetch(`${server.url}${path}`, {
    method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as T }
}

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
})

afterAll(async () => {
  await server?.stop()
})

describe('drill start', () => {
  it('keeps one roster for the city, whatever the run', () => {
    const config = loadSimConfig()
    const start = Date.parse('2026-11-20T00:00:00+08:00')
    const sizes = [1, 2, 77].map((seed) => createSimulation({ ...config, mode: 'realistic', seed, start }).stats().workers)
    expect(new Set(sizes).size).toBe(1)
    expect(sizes[0]).toBeGreaterThan(100)
    // the rate mode builds its workforce on the first next()
    const rate = createSimulation({ ...config, seed: 5, rate: 40, start })
    rate.next(start)
    expect(rate.stats().workers).toBe(sizes[0])
  })

  it('starts the rainstorm at its own time of day, on a city with a warm-up and its workers on duty', async () => {
    const scenario = loadScenario('rainstorm-waterlogging')
    expect(scenario.startTime).toBe('13:30')
    expect(scenario.warmupDays).toBeGreaterThanOrEqual(1)
    const created = await api<ChannelSummary>('POST', '/api/v1/channels', { scenario: 'rainstorm-waterlogging', speed: 1 })
    expect(created.status).toBe(201)
    const id = created.body.id
    const at = zonedParts(created.body.now, ZONE)
    expect(at.hour * 60 + at.minute).toBeGreaterThanOrEqual(13 * 60 + 30)
    expect(at.hour * 60 + at.minute).toBeLessThan(13 * 60 + 35)
    // the source reaches back over the scenario's morning and its warm-up day
    expect(created.body.now - created.body.span.start).toBeGreaterThan(24 * 3_600_000)

    const roster = createSimulation({ ...loadSimConfig(), mode: 'realistic', seed: 1, start: created.body.now }).stats().workers
    const snap = await eventually(async () => {
      const s = (await api<Snapshot>('GET', `/api/v1/snapshot?channel=${id}`)).body
      expect(s.kpis.today.workersOnDuty).toBeGreaterThan(roster / 2)
      expect(s.kpis.today.caseReported).toBeGreaterThan(10)
      return s
    }, 90_000)
    expect(snap.kpis.today.workersOnDuty).toBeLessThanOrEqual(roster)
    expect(snap.kpis.today.hotlineReceived).toBeGreaterThan(10)
    expect(snap.kpis['7d'].caseReported).toBeGreaterThan(snap.kpis.today.caseReported!)
    expect(snap.trend.reduce((sum, b) => sum + (b.yesterday ?? 0), 0)).toBeGreaterThan(50)
    expect(snap.events.length).toBeGreaterThan(0)
    expect((await api('DELETE', `/api/v1/channels/${id}`)).status).toBe(200)
  }, 180_000)
})
