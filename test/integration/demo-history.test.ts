// The demo's history backfill (issue 9): a few days of the realistic city
// posted through the ingest API give a wall whose periods differ, whose trend
// has a yesterday, whose past days are mostly disposed and closed, and whose
// 三色旗 ranking mixes colours.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { dayKey } from '../../server/domain/clock.ts'
import { addCounters, computeKpis, type Counters } from '../../server/domain/kpis.ts'
import type { ReportData } from '../../server/domain/api.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Ranking } from '../../server/domain/rankings.ts'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import { backfillHistory, type HistoryResult } from '../../simulators/history-backfill.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { zoneWellIntoDay } from '../support/day-zone.ts'
import { apiFetch, freshRedisUrl, INGEST_KEY, startTestServer } from '../support/test-server.ts'

const CITY = '650400'
const DAYS = 9
const DAY = 86_400_000

let server: Running
let history: HistoryResult
const lines: string[] = []
const now = Date.now()
// the month's ranking and today's trend hold history, also in the first hours of the 1st
const ZONE = zoneWellIntoDay(now, 1.5)

// Shifts as config/simulation.json plans them (Shanghai hours): day shifts start within shiftStartHours and
// last shiftHours; the night patrol starts 9 hours later. Between the latest night end and the first day
// start (≈ 03:30–08:00) no shift can be on; between the last day start and the first day end (≈ 09:30–15:30)
// every day shift is on, whatever the seed.
const GRID = (JSON.parse(readFileSync(new URL('../../config/simulation.json', import.meta.url), 'utf8')) as {
  grid: { shiftStartHours: [number, number]; shiftHours: [number, number] }
}).grid
const shanghaiHour = (t: number) => ((t + 8 * 3_600_000) % DAY) / 3_600_000
const noShiftAt = (t: number) => shanghaiHour(t) > GRID.shiftStartHours[1] + 9 + GRID.shiftHours[1] - 24 && shanghaiHour(t) < GRID.shiftStartHours[0]
const dayShiftsOnAt = (t: number) => shanghaiHour(t) > GRID.shiftStartHours[1] && shanghaiHour(t) < GRID.shiftStartHours[0] + GRID.shiftHours[0]

async function snapshot(region = CITY): Promise<Snapshot> {
  const res = await apiFetch(`${server.url}/api/v1/snapshot?region=${region}`)
  expect(res.status).toBe(200)
  return (await res.json()) as Snapshot
}

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { TIME_ZONE: ZONE })
  const config = loadSimConfig()
  // a small volume: grid workers report every two hours instead of every quarter
  const params = { ...config.params, grid: { ...config.params.grid, activityEveryMin: 120 } }
  history = await backfillHistory({ url: server.url, key: INGEST_KEY, seed: 3, days: DAYS, now, config: { ...config, params }, log: (l) => lines.push(l) })
}, 300_000)

afterAll(async () => {
  await server?.stop()
})

describe('history backfill', () => {
  it('posts every day through ingest with a progress line per day, and nothing is rejected', () => {
    expect(history.days).toBe(DAYS)
    expect(history.events).toBeGreaterThan(10_000)
    expect(history.rejected).toBe(0)
    // a batch resent after a timeout is answered as duplicates for what had landed
    expect(history.accepted + history.duplicates).toBe(history.events)
    expect(history.accepted).toBeGreaterThan(0)
    expect(lines.filter((l) => /^历史数据 history: day \d+\/10, [\d,]+ events, [\d,]+ ev\/s$/.test(l))).toHaveLength(DAYS + 1)
    console.log(`history: ${history.events} events in ${history.elapsedSec.toFixed(1)} s (${Math.round(history.perSec)} ev/s)`)
  })

  it('gives today, 7 days and the month different counts, and a trend line for yesterday', async () => {
    const snap = await snapshot()
    const reported = (['today', '7d', 'month'] as const).map((p) => snap.kpis[p].caseReported)
    expect(reported[0]).toBeLessThan(reported[1]!)
    // on the 1st the month is today; on the 2nd to the 7th it is inside the 7 days
    const dayOfMonth = Number(dayKey(now, ZONE).slice(6))
    if (dayOfMonth === 1) expect(reported[2]).toBe(reported[0])
    else expect(reported[0]).toBeLessThan(reported[2]!)
    if (dayOfMonth > 7) expect(reported[2]).toBeGreaterThan(reported[1]!)
    const yesterday = snap.trend.reduce((sum, b) => sum + (b.yesterday ?? 0), 0)
    expect(yesterday).toBeGreaterThan(50)
  })

  it('puts the workers on duty on the map at once (their latest position of the last two hours)', async () => {
    const snap = await snapshot()
    if (noShiftAt(now)) {
      // between the night patrol's end and the day shift's start nobody is on duty: the map shows none
      expect(snap.kpis.today.workersOnDuty).toBe(0)
      expect(snap.workers).toEqual([])
      return
    }
    if (dayShiftsOnAt(now)) {
      expect(snap.kpis.today.workersOnDuty).toBeGreaterThan(0)
      expect(snap.workers.length).toBeGreaterThan(0)
    }
    // at the edges of shifts only some are on: each worker on the map is on duty
    expect(snap.workers.length).toBeLessThanOrEqual(snap.kpis.today.workersOnDuty ?? 0)
  })

  it('has past days disposed and closed in the 90s', async () => {
    // days 4 to 9 ago: beyond the SLA of nearly every category
    const k = keys('live')
    const days = Array.from({ length: 6 }, (_, i) => dayKey(now - (4 + i) * DAY, ZONE))
    const hashes = await Promise.all(days.map((d) => server.store.hgetall(k.day(CITY, d))))
    const counters = hashes.reduce<Counters>((acc, h) => addCounters(acc, Object.fromEntries(Object.entries(h).map(([f, v]) => [f, Number(v)]))), {})
    const now0 = { caseOpen: 0, caseOverdue: 0, casePending: 0, hotlineOpen: 0, hotlineOverdue: 0, workersOnDuty: 0, serviceOpen: 0, serviceOverdue: 0 }
    const past = computeKpis(counters, { now: now0, patrolledGrids: 0, grids: 1, basicWeight: 0.9 })
    expect(past.caseRegistered).toBeGreaterThan(200)
    expect(past.disposalRate).toBeGreaterThanOrEqual(0.9)
    expect(past.hotlineCloseRate).toBeGreaterThanOrEqual(0.9)
    expect(past.onTimeCloseRate).toBeGreaterThanOrEqual(0.85)
  })

  it('keeps within a time budget by leaving out the oldest days, never yesterday or today', async () => {
    const config = loadSimConfig()
    const params = { ...config.params, grid: { ...config.params.grid, activityEveryMin: 120 } }
    const said: string[] = []
    // the same city again: everything it posts is a duplicate and changes nothing
    const short = await backfillHistory({ url: server.url, key: INGEST_KEY, seed: 3, days: DAYS, now, config: { ...config, params }, budgetSec: 0.001, log: (l) => said.push(l) })
    expect(short.days).toBe(1)
    expect(said).toContain('历史数据 history: 0.001 秒预算内只载入最近 1 天 (the last 1 days fit the 0.001 s budget)')
    expect(short.duplicates).toBe(short.events)
    expect(short.accepted).toBe(0)
  }, 120_000)

  it('carries realistic 便民代办 traffic: 10–40 errands a week for a township of 20,000, most local, agents visiting to plan', async () => {
    const city = await snapshot()
    const population = loadSimConfig().regions.features.filter((f) => f.properties.level === 'grid').reduce((sum, f) => sum + (f.properties.population ?? 0), 0)
    const week = city.kpis['7d']
    const per20kWeek = (week.serviceAccepted ?? 0) / (population / 20_000)
    console.log(`history: 7d ${week.serviceAccepted} errands (${week.serviceAcceptedLocal} local, ${week.serviceAcceptedOutside} outside) = ${per20kWeek.toFixed(1)} per 20,000 residents; ` +
      `complete ${week.serviceCompleteRate?.toFixed(3)}, on time ${week.onTimeServiceCompleteRate?.toFixed(3)}, avg ${week.serviceAvgHours?.toFixed(1)} h, ` +
      `open ${city.kpis.today.serviceOpen}, overdue ${city.kpis.today.serviceOverdue}, agent visits ${week.agentVisits} (${week.agentVisitRate?.toFixed(2)} of plan)`)
    expect(per20kWeek).toBeGreaterThanOrEqual(10)
    expect(per20kWeek).toBeLessThanOrEqual(40)
    expect(week.serviceAcceptedLocal!).toBeGreaterThan(week.serviceAcceptedOutside!)
    expect(week.serviceAcceptedOutside).toBeGreaterThan(0)
    expect(city.kpis.today.serviceOpen).toBeGreaterThan(0)
    expect(week.agentVisitRate).toBeGreaterThan(0.6)
    expect(week.agentVisitRate).toBeLessThan(1.2)
    // the errands a month back are done, mostly by their limit
    const k = keys('live')
    const days = Array.from({ length: 3 }, (_, i) => dayKey(now - (6 + i) * DAY, ZONE))
    const hashes = await Promise.all(days.map((d) => server.store.hgetall(k.day(CITY, d))))
    const counters = hashes.reduce<Counters>((acc, h) => addCounters(acc, Object.fromEntries(Object.entries(h).map(([f, v]) => [f, Number(v)]))), {})
    expect(counters['s.accepted.local']).toBeGreaterThan(0)
    expect((counters['s.completedOnTime.local'] ?? 0) / (counters['s.accepted.local'] ?? 1)).toBeGreaterThan(0.8)
  })

  it('ranks districts and townships with more than one 三色旗 colour', async () => {
    // the wall ranks the month; on the 1st the month holds hours, so the week's ranking (of the 日报) is read then
    const firstOfMonth = dayKey(now, ZONE).endsWith('01')
    const ranking = async (code: string): Promise<Ranking | null> => firstOfMonth
      ? ((await (await apiFetch(`${server.url}/api/v1/report?region=${code}&period=week`)).json()) as ReportData).ranking
      : (await snapshot(code)).ranking ?? null
    const city = await ranking(CITY)
    const flags = new Set(city?.entries.map((e) => e.flag))
    for (const d of city?.entries ?? []) for (const e of (await ranking(d.code))?.entries ?? []) flags.add(e.flag)
    flags.delete(null)
    expect(flags.size).toBeGreaterThanOrEqual(2)
    expect(flags.has('red')).toBe(true)
  })
})
