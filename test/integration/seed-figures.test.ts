// The seed figures of DESIGN §6 reproduced end to end: ~300k events of a
// matching stream posted to a real server and Redis, read back through
// GET /api/v1/snapshot and shown with the wall's own rounding.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { formatKpi } from '../../client/i18n/format-kpi.ts'
import { loadRegions } from '../../server/config.ts'
import { dayKey } from '../../server/domain/clock.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { KpiValues, Period } from '../../server/domain/kpis.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { buildSeedStreams, SEED, type SeedStreams } from '../support/seed-streams.ts'
import { freshRedisUrl, post, startTestServer, apiFetch } from '../support/test-server.ts'

const ZONE = 'Asia/Shanghai'
const BATCH = 2_000
const IN_FLIGHT = 4
const SHANGHAI_OFFSET = 8 * 3_600_000 // no DST in Asia/Shanghai
const DAY = 86_400_000

let server: Running
let redisUrl: string
let seed: SeedStreams
let period: Period
let city: KpiValues
const sent = { accepted: 0, duplicates: 0, outOfOrder: 0 }

const fmt = (n: number) => n.toLocaleString('en-US')

/** CPU seconds redis-server has used so far (INFO cpu). */
async function redisCpuSec(url: string): Promise<number> {
  const r = new Redis(url)
  const info = await r.info('cpu')
  r.disconnect()
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
  return field('used_cpu_user') + field('used_cpu_sys')
}

/** Post a stage in batches, IN_FLIGHT at a time; a stage holds each subject at most once, so order within it is free. */
async function postStage(url: string, events: EventEnvelope[]): Promise<void> {
  let next = 0
  const worker = async () => {
    for (let i = next; i < events.length; i = next) {
      next += BATCH
      const batch = events.slice(i, i + BATCH)
      const res = await post(url, batch)
      if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`)
      if (res.body.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(res.body.rejected.slice(0, 3))}`)
      sent.accepted += res.body.accepted
      sent.duplicates += res.body.duplicates
      sent.outOfOrder += res.body.outOfOrder
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
}

beforeAll(async () => {
  // Every event earlier today in Shanghai and never in the future; just after midnight the window is short.
  const now = Date.now()
  const from = Math.floor((now + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET
  const to = Math.max(from, now - 1_000)
  const grids = loadRegions().collection.features.filter((f) => f.properties.level === 'grid').map((f) => f.properties.code)
  let t = performance.now()
  seed = buildSeedStreams({ grids, from, to })
  console.log(`[seed] built ${fmt(seed.total)} events over ${grids.length} grids in ${((performance.now() - t) / 1000).toFixed(1)} s`)

  redisUrl = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(redisUrl)
  const cpu = { node: process.cpuUsage(), redis: await redisCpuSec(redisUrl) }
  t = performance.now()
  for (const stage of seed.stages) {
    const s = performance.now()
    await postStage(server.url, stage.events)
    console.log(`[seed] ${stage.name.padEnd(20)} ${fmt(stage.events.length).padStart(7)} events  ${((performance.now() - s) / 1000).toFixed(1)} s`)
  }
  const secs = (performance.now() - t) / 1000
  console.log(`[seed] posted ${fmt(seed.total)} events in ${secs.toFixed(1)} s: ${fmt(Math.round(seed.total / secs))} events/s (batches of ${BATCH}, ${IN_FLIGHT} in flight)`)
  const nodeCpu = process.cpuUsage(cpu.node)
  const redisCpu = (await redisCpuSec(redisUrl)) - cpu.redis
  console.log(`[seed] CPU while posting: node (test client and server) ${((nodeCpu.user + nodeCpu.system) / 1e6).toFixed(1)} s, redis-server ${redisCpu.toFixed(1)} s`)

  // The day may have turned in Shanghai while posting: then today's events are in 7d (today and the 6 days before).
  period = dayKey(Date.now(), ZONE) === dayKey(from, ZONE) ? 'today' : '7d'
  console.log(`[seed] asserting on period "${period}"`)
  const res = await apiFetch(`${server.url}/api/v1/snapshot?region=650400`)
  expect(res.status).toBe(200)
  city = ((await res.json()) as Snapshot).kpis[period]
}, 600_000)

afterAll(async () => {
  await server?.stop()
  if (redisUrl) {
    const r = new Redis(redisUrl)
    await r.flushdb() // ~300k keys: give the memory back to the rest of the run
    r.disconnect()
  }
})

describe('seed figures of DESIGN §6 (period today, or 7d if the Shanghai day turns mid-run)', () => {
  it('applies every event once, in order', () => {
    expect(sent).toEqual({ accepted: seed.total, duplicates: 0, outOfOrder: 0 })
  })

  it('counts the case cohort: 71,745 registered of the reported, and the open and pending ones', () => {
    const x = seed.expected
    expect(city).toMatchObject({
      caseReported: x.caseReported, caseRegistered: SEED.caseRegistered, caseClosedFlow: x.caseClosedFlow,
      caseOpen: x.caseOpen, casePending: x.casePending,
    })
    expect(city.registerRate).toBeCloseTo(SEED.caseRegistered / x.caseReported, 12)
    expect(city.closeRate).toBeCloseTo(x.caseClosed / SEED.caseRegistered, 12)
  })

  it('处置率 = 69516 / 71745 → 96.9 %', () => {
    expect(city.disposalRate).toBeCloseTo(SEED.caseDisposed / SEED.caseRegistered, 12)
    expect(formatKpi('disposalRate', city.disposalRate)).toBe('96.9%')
  })

  it('调解成功率 = 830 / 855 → 97.1 %', () => {
    expect(city.mediationSuccessRate).toBeCloseTo(SEED.disputeSuccess / SEED.disputesClosed, 12)
    expect(formatKpi('mediationSuccessRate', city.mediationSuccessRate)).toBe('97.1%')
  })

  it('办结率 = 3625 / 3651 → 99.3 %, with 3,651 received and 26 open', () => {
    expect(city).toMatchObject({
      hotlineReceived: SEED.hotlineReceived, hotlineClosedFlow: SEED.hotlineClosed,
      hotlineOpen: SEED.hotlineReceived - SEED.hotlineClosed,
    })
    expect(city.hotlineCloseRate).toBeCloseTo(SEED.hotlineClosed / SEED.hotlineReceived, 12)
    expect(city.directCloseRate).toBeCloseTo(SEED.hotlineDirectClosed / SEED.hotlineReceived, 12)
    expect(formatKpi('hotlineCloseRate', city.hotlineCloseRate)).toBe('99.3%')
  })

  it('满意率 = (3350 + 0.9 × 120) / 3500 → 98.8 %, counting only the latest rating', () => {
    const { satisfied, basic, unsatisfied } = SEED.rated
    const rated = satisfied + basic + unsatisfied
    expect(city.satisfactionRate).toBeCloseTo((satisfied + 0.9 * basic) / rated, 12)
    expect(city.solveRate).toBeCloseTo((rated - unsatisfied) / rated, 12)
    expect(city.responseRate).toBe(1)
    expect(formatKpi('satisfactionRate', city.satisfactionRate)).toBe('98.8%')
  })
})
