// Arrival order loses nothing (DESIGN §5/§6): the same simulated day and a
// half goes to two real servers (each on its own redis database), once in
// event-time order and once with each subject's steps delayed at random by
// minutes to hours, so successors arrive before their predecessors. Every KPI
// of every region and period must be identical on both, and equal to the
// independent recount; out-of-order steps are parked, not burned (a resend
// is a duplicate), and take effect when their predecessors arrive. A few
// steps that never fit stay parked until the park window has passed: then
// they are refused, logged and listed at GET /api/v1/refused, changing no KPI.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories } from '../../server/config.ts'
import { testRegions } from '../support/test-partitions.ts'
import type { RefusedList } from '../../server/domain/api.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { KpiSet } from '../../server/domain/kpis.ts'
import { RegionIndex } from '../../server/domain/regions.ts'
import { mulberry32 as prng } from '../../server/domain/seeded-random.ts'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import { sweepParked } from '../../server/store/parked-events.ts'
import { sweepHeld } from '../../server/ingest/held-steps.ts'
import { readKpis } from '../../server/store/read-kpis.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { recount, RECOUNT_KEYS, type Recount, type RecountPeriod } from '../support/independent-recount.ts'
import { apiFetch, freshRedisUrl, login, post, startTestServer } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'

const MINUTE = 60_000
const HOUR = 3_600_000
const SEED = 20_261_129
const BATCH = 250
const ZONE = 'Asia/Shanghai'
const PERIODS: RecountPeriod[] = ['today', '7d', 'month', 'year']
const GRID = '650402001001001'
const regions = testRegions() // as the server splits it (PARTITION_LEVEL)
/** The live channel's log entries over every partition (each partition logs its own events). */
const liveLog = async (store: Store) => (await Promise.all(regions.partitions.map((p) => store.xrange(keys('live', p).log, '-', '+')))).flat()
/** The sweeps the server runs on its timer: steps held for want of a partition, then every partition's parked ones; how many refused. */
const sweepAll = async (store: Store, o: { now: number; windowMs: number }) => {
  const held = regions.partitioned
    ? (await sweepHeld(store, { channel: 'live', zone: ZONE, logMaxLen: 1_000_000, seenTtlSec: 86_400, parkedAt: o.now, ...o })).refused
    : 0
  return held + (await Promise.all(regions.partitions.map((partition) => sweepParked(store, { channel: 'live', partition, ...o, logMaxLen: 1_000_000 })))).reduce((a, b) => a + b, 0)
}
/** Steps held on the channel slot for want of a partition (never logged while held; none without PARTITION_LEVEL). */
const heldSteps = async (store: Store) => {
  const subjects = await store.zrange(keys('live').heldIndex, 0, -1)
  return (await Promise.all(subjects.map((s) => store.hlen(keys('live').held(s))))).reduce((a, b) => a + b, 0)
}
const codes = regions.collection.features.map((f) => f.properties.code)

interface Side { url: string; redisUrl: string; server: Running; store: Store; outOfOrder: number; accepted: number; duplicates: number }
let inOrder: Side
let shuffled: Side
let events: EventEnvelope[]
let arrival: EventEnvelope[]
let never: EventEnvelope[]
let rc: Recount
let now: number
let delayed = 0

/**
 * Steps that can never fit: an orphan registration, a close of an order never replied, an offDuty of a worker
 * never on duty, a 代办 errand resumed that never waited for documents.
 */
function neverFitting(at: number): EventEnvelope[] {
  const iso = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19) + '+08:00'
  return [
    { id: 'ao-never-registered', feed: 'case', type: 'registered', subject: 'AO-ORPHAN', at: iso(at), attrs: {} },
    { id: 'ao-received', feed: 'hotline', type: 'received', subject: 'AO-H1', at: iso(at), region: GRID, category: 'hl.utilities.water', attrs: { kind: 'help' } },
    { id: 'ao-never-closed', feed: 'hotline', type: 'closed', subject: 'AO-H1', at: iso(at + MINUTE), attrs: {} },
    { id: 'ao-never-off', feed: 'grid', type: 'offDuty', subject: 'AO-W1', at: iso(at), attrs: {} },
    { id: 'ao-accepted', feed: 'service', type: 'accepted', subject: 'AO-S1', at: iso(at), region: GRID, attrs: { scope: 'local', item: 'svc.social.card' } },
    { id: 'ao-never-resumed', feed: 'service', type: 'resumed', subject: 'AO-S1', at: iso(at + MINUTE), attrs: {} },
  ] as EventEnvelope[]
}

/** A department's clock ten minutes behind the centre's: its disposal is stamped after the centre's close. */
function skewedCase(at: number): EventEnvelope[] {
  const iso = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19) + '+08:00'
  const c = (type: string, ms: number, extra: Partial<EventEnvelope> = {}) =>
    ({ id: `ao-skew-${type}`, feed: 'case', type, subject: 'AO-SKEW', at: iso(ms), attrs: {}, ...extra }) as EventEnvelope
  return [
    c('reported', at, { region: GRID, category: 'city.sanitation' }), c('registered', at + MINUTE), c('dispatched', at + 2 * MINUTE),
    c('closed', at + 3 * HOUR), c('disposed', at + 3 * HOUR + 10 * MINUTE),
  ]
}

/** Each subject's steps delayed at random: (subject, time) groups keep their order, so equal times never swap. */
function shuffleBySubject(list: EventEnvelope[]): EventEnvelope[] {
  const rand = prng(SEED + 1)
  const delays = new Map<string, number>()
  const arrive = list.map((e, i) => {
    const key = `${e.feed}/${e.subject}/${e.at}`
    let d = delays.get(key)
    if (d === undefined) {
      const r = rand()
      d = r < 0.25 ? Math.floor(rand() * 59 * MINUTE) + MINUTE : r < 0.4 ? Math.floor(rand() * 6 * HOUR) + HOUR : 0
      delays.set(key, d)
      if (d > 0) delayed++
    }
    return { e, i, t: Date.parse(e.at) + d }
  })
  return arrive.sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e)
}

async function deliver(url: string, list: EventEnvelope[]) {
  const sum = { outOfOrder: 0, accepted: 0, duplicates: 0 }
  for (let i = 0; i < list.length; i += BATCH) {
    const res = await post(url, list.slice(i, i + BATCH))
    if (res.status !== 200 || res.body.rejected.length > 0) throw new Error(`batch at ${i}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`)
    sum.outOfOrder += res.body.outOfOrder
    sum.accepted += res.body.accepted
    sum.duplicates += res.body.duplicates
  }
  return sum
}

async function side(db: number, list: EventEnvelope[], env: Record<string, string> = {}): Promise<Side> {
  const redisUrl = await freshRedisUrl(inject('redisUrl'), db)
  const server = await startTestServer(redisUrl, env)
  const store = await connectStore(redisUrl)
  return { url: server.url, redisUrl, server, store, ...(await deliver(server.url, list)) }
}

// the server's agent-visit plan (巡回服务完成率), as its snapshot reads it from config/categories.json
const agentPlan = { villages: (c: string) => regions.villageCount(c), perVillagePerWeek: loadCategories().config.agentVisitsPerVillagePerWeek }
const kpisOf = (s: Side, at: number) =>
  readKpis(s.store, codes, { channel: 'live', now: at, zone: ZONE, basicWeight: 0.9, gridCount: (c) => regions.gridCount(c), agentPlan, regions })

function differences(a: Map<string, KpiSet>, b: Map<string, KpiSet>): string[] {
  const out: string[] = []
  for (const code of codes) {
    for (const p of PERIODS) {
      const x = a.get(code)![p] as Record<string, unknown>
      const y = b.get(code)![p] as Record<string, unknown>
      for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (x[k] !== y[k]) out.push(`${code} ${p} ${k}: ${String(x[k])} ≠ ${String(y[k])}`)
    }
  }
  return out
}

beforeAll(async () => {
  now = Date.now()
  const start = now - 30 * HOUR
  const sim = createSimulation({ ...loadSimConfig(), seed: SEED, rate: 0.03, compress: 60, start })
  never = neverFitting(now - 20 * HOUR)
  events = [...sim.next(now - MINUTE).map((e) => structuredClone(e)), ...never, ...skewedCase(now - 10 * HOUR)]
    .map((e, i) => ({ e, i })).sort((a, b) => Date.parse(a.e.at) - Date.parse(b.e.at) || a.i - b.i).map((x) => x.e)
  arrival = shuffleBySubject(events)
  rc = recount(arrival, { regions: new RegionIndex(loadSimConfig().regions) })
  const users = await writeUsersFile([
    { username: 'op', name: '值班员', role: 'operator', password: 'operator-password-1' },
    { username: 'lead', name: '领导', role: 'leader', region: '650402', password: 'leader-password-1' },
  ])
  ;[inOrder, shuffled] = await Promise.all([side(12, events), side(13, arrival, { USERS_FILE: users })])
  console.log(`arrival-order: ${events.length} events, ${delayed} (subject, time) groups delayed; parked on arrival: in order ${inOrder.outOfOrder}, shuffled ${shuffled.outOfOrder} (recount ${rc.totals.outOfOrder})`)
}, 180_000)

afterAll(async () => {
  for (const s of [inOrder, shuffled]) {
    s?.store.disconnect()
    await s?.server.stop()
  }
})

describe('the same events in event-time order and shuffled by subject', () => {
  it('parks what arrives before its predecessors, as the recount predicts, and keeps every id', () => {
    expect(shuffled.outOfOrder).toBe(rc.totals.outOfOrder)
    expect(shuffled.outOfOrder).toBeGreaterThan(50) // the shuffle did put successors first
    const intakes = never.filter((e) => e.type === 'received' || e.type === 'accepted')
    expect(inOrder.outOfOrder).toBe(never.length - intakes.length + 1) // in order only the never-fitting steps and the skewed close wait
    expect(shuffled.accepted).toBe(events.length)
    expect(rc.totals.parked.map((e) => e.id).sort()).toEqual(never.filter((e) => !intakes.includes(e)).map((e) => e.id).sort())
    // 便民代办 errands are in the stream and some of their steps arrive before their predecessors too
    const errandSteps = arrival.filter((e) => e.feed === 'service')
    expect(rc.errands.length).toBeGreaterThan(3)
    expect(recount(errandSteps, { regions: new RegionIndex(loadSimConfig().regions) }).totals.outOfOrder).toBeGreaterThan(0)
  })

  it('logs each parked step once more when its predecessors let it fit (a=u, applied on the wall), and no other', async () => {
    const stillParked = new Set(rc.totals.parked.map((e) => e.id))
    for (const s of [inOrder, shuffled]) {
      const log = (await liveLog(s.store)).map(([, f]) => ({ a: f[f.indexOf('a') + 1], id: (JSON.parse(f[f.indexOf('e') + 1]!) as { id: string }).id }))
      const ids = (a: string) => log.filter((x) => x.a === a).map((x) => x.id).sort()
      expect(ids('u')).toEqual(ids('p').filter((id) => !stillParked.has(id)))
      expect(log.length).toBe(events.length - (await heldSteps(s.store)) + ids('u').length)
    }
    expect((await liveLog(inOrder.store)).filter(([, f]) => f[f.indexOf('a') + 1] === 'u')).toHaveLength(1) // the skewed close
  })

  it('gives identical KPIs for every region and period, equal to the independent recount', async () => {
    const [a, b] = await Promise.all([kpisOf(inOrder, now), kpisOf(shuffled, now)])
    const diff = differences(a, b)
    expect(diff.slice(0, 20)).toEqual([])
    const fromRecount: string[] = []
    for (const code of codes) {
      for (const p of PERIODS) {
        const mine = rc.kpis(code, p, now)
        const served = b.get(code)![p] as Record<string, number | null>
        for (const k of RECOUNT_KEYS) {
          const same = mine[k] === served[k] || (typeof mine[k] === 'number' && typeof served[k] === 'number' && Math.abs(mine[k] - served[k]) < 5e-13)
          if (!same) fromRecount.push(`${code} ${p} ${k}: server ${served[k]} recount ${mine[k]}`)
        }
      }
    }
    expect(fromRecount.slice(0, 20)).toEqual([])
    expect(b.get(regions.root.code)!.today.caseReported).toBeGreaterThan(0)
    expect(rc.cases.find((c) => c.subject === 'AO-SKEW')).toMatchObject({ state: 'CLOSED', closedFrom: 'DISPOSED' }) // the close waited for the disposal
  }, 60_000)

  it('answers a resend of a step that was parked as a duplicate', async () => {
    // a case step that arrived before its report: parked on arrival, applied since
    const reportedAt = new Map(arrival.flatMap((e, i) => (e.type === 'reported' ? [[e.subject, i] as const] : [])))
    const early = arrival.find((e, i) => e.feed === 'case' && e.type !== 'reported' && i < (reportedAt.get(e.subject) ?? -1))!
    expect(early).toBeDefined()
    const res = await post(shuffled.url, [early, never[0]])
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 2, outOfOrder: 0, rejected: [] })
  })

  it('refuses steps still unfit after the park window, lists them at /api/v1/refused, and changes no KPI', async () => {
    const before = await kpisOf(shuffled, now)
    const windowMs = 24 * HOUR
    // sentinel: within the window nothing is refused
    expect(await sweepAll(shuffled.store, { now, windowMs })).toBe(0)
    const empty = (await (await apiFetch(`${shuffled.url}/api/v1/refused`)).json()) as RefusedList
    expect(empty).toEqual({ channel: 'live', total: 0, items: [] })
    // the channel clock a day and an hour later: the same sweep the server runs on its timer
    expect(await sweepAll(shuffled.store, { now: now + windowMs + HOUR, windowMs })).toBe(4)
    const res = await apiFetch(`${shuffled.url}/api/v1/refused`)
    expect(res.status).toBe(200)
    const list = (await res.json()) as RefusedList
    expect(list.total).toBe(4)
    expect(list.items.map((r) => r.event.id).sort()).toEqual(['ao-never-closed', 'ao-never-off', 'ao-never-registered', 'ao-never-resumed'])
    expect(list.items.find((r) => r.event.id === 'ao-never-resumed')).toMatchObject({ region: GRID, state: 'ACCEPTED' })
    const closed = list.items.find((r) => r.event.id === 'ao-never-closed')!
    expect(closed).toMatchObject({ region: GRID, state: 'RECEIVED' })
    expect(closed.reason).toContain('"closed"')
    expect(closed.reason).toContain('"RECEIVED"')
    expect(differences(before, await kpisOf(shuffled, now))).toEqual([])
    // a refused id stays seen; the log and the aggregates still agree
    expect((await post(shuffled.url, [never[2]])).body).toMatchObject({ duplicates: 1 })
    const redis = new Redis(shuffled.redisUrl)
    try {
      const report = await checkConsistency(redis, { channel: 'live', zone: ZONE, regions, categories: loadCategories() })
      expect(report.differences.slice(0, 10)).toEqual([])
    } finally {
      redis.disconnect()
    }
  })

  it('lets an operator and an admin read the refused list, not a leader', async () => {
    const asUser = async (username: string, password: string) =>
      (await fetch(`${shuffled.url}/api/v1/refused?limit=1`, { headers: { authorization: `Bearer ${await login(shuffled.url, username, password)}` } }))
    const op = await asUser('op', 'operator-password-1')
    expect(op.status).toBe(200)
    expect(((await op.json()) as RefusedList).items).toHaveLength(1)
    expect((await asUser('lead', 'leader-password-1')).status).toBe(403)
    expect((await apiFetch(`${shuffled.url}/api/v1/refused?limit=0`)).status).toBe(400)
  })
})
