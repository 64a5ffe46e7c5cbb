// Reads over partitions (issue 12, DESIGN §11): a server splitting its channel by
// district and one that does not get the same simulated day and a half (cases,
// hotline orders through their steps, grid workers on duty and patrolling,
// errands; some placed at the city or a district itself) and serve the same
// snapshot of the city, summed at read time over the four partitions, and of a
// district, held by its own. A city subscription resumes partitioned with
// `since`; the refused list and a subject are found in any partition.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { RefusedEvent, SubjectView } from '../../server/domain/api.ts'
import { dayKey } from '../../server/domain/clock.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import { compareStreamIds, cursorCovers, cursorPositions } from '../../server/domain/stream-id.ts'
import type { Running } from '../../server/main.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { mulberry32 as prng } from '../../server/domain/seeded-random.ts'
import { keys } from '../../server/store/keys.ts'
import { caseReported, caseStep, iso } from '../support/events-factory.ts'
import { apiFetch, connect, freshRedisUrl, post, startTestServer, type TestSocket } from '../support/test-server.ts'

const HOUR = 3_600_000
const CITY = '650400'
const DISTRICTS = ['650402', '650421', '650422']
const GRIDS = ['650402001001001', '650421100001001', '650422100001001']
const ZONE = 'Asia/Shanghai'

let split: Running
let plain: Running
let redis: Redis
const sockets: TestSocket[] = []

/** A day and a half of simulated traffic, with some intake placed at the city or a district itself, then overdue cases, workers on duty, patrols. */
function stream(now: number): EventEnvelope[] {
  const regions = loadRegions()
  const sim = createSimulation({ ...loadSimConfig(), seed: 1212, rate: 0.008, compress: 60, start: now - 30 * HOUR })
  const events = sim.next(now - 10 * 60_000).map((e) => structuredClone(e))
  const rand = prng(1212)
  const atCity = new Set<string>()
  for (const e of events) {
    const subject = `${e.feed}:${e.subject}`
    if (atCity.has(subject)) {
      // later steps of a subject taken in at the city name no place: on main a step naming a district
      // after an intake in the root partition is routed to the district's partition and parked there
      delete e.location
      delete e.region
      continue
    }
    const placed = (e.feed === 'case' && e.type === 'reported') || (e.feed === 'hotline' && e.type === 'received') || (e.feed === 'service' && e.type === 'accepted')
    if (!placed || !e.region || rand() >= 0.12) continue
    delete e.location
    if (rand() < 0.5) {
      e.region = CITY
      atCity.add(subject)
    } else e.region = regions.chain(e.region).find((c) => DISTRICTS.includes(c))!
  }
  const extra: EventEnvelope[] = []
  const at = now - 2 * HOUR
  ;[...GRIDS, CITY, '650421'].forEach((place, i) => {
    for (const n of [1, 2]) {
      const id = `PR-OD-${i}-${n}`
      extra.push(
        caseReported(id, at + i * 1000, place, n === 1 ? 'city.sanitation' : 'dispute.neighbor') as EventEnvelope,
        caseStep(id, 'registered', at + i * 1000 + 100, { deadline: iso(now - (i * 2 + n) * 60_000) }) as EventEnvelope,
      )
    }
  })
  GRIDS.forEach((grid, i) => {
    const w = `PR-W${i}`
    extra.push(
      { id: `${w}-on`, feed: 'grid', type: 'onDuty', subject: w, at: iso(now - HOUR), region: grid, attrs: {} },
      { id: `${w}-pos`, feed: 'grid', type: 'position', subject: w, at: iso(now - HOUR + 1000), location: [89.18 + i / 10, 42.94], attrs: {} },
      { id: `${w}-patrol`, feed: 'grid', type: 'patrol', subject: w, at: iso(now - HOUR + 2000), region: grid, attrs: {} },
    )
  })
  return [...events, ...extra]
}

async function postAll(events: unknown[]) {
  for (let i = 0; i < events.length; i += 200) {
    const batch = events.slice(i, i + 200)
    const [a, b] = await Promise.all([post(split.url, batch), post(plain.url, batch)])
    expect(a.body.rejected).toEqual([])
    expect(b.body).toEqual(a.body)
  }
}

const snapshot = async (server: Running, region: string) =>
  (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${region}`)).json()) as Snapshot

/** Everything of a snapshot that both servers must agree on: all but what names log positions (and alerts, raised by timers). */
function content(s: Snapshot) {
  const { events, cursor: _c, alerts: _a, clock: _k, ...rest } = s
  return { ...rest, eventIds: events.map((e) => e.id) }
}

beforeAll(async () => {
  const base = inject('redisUrl')
  const [a, b] = await Promise.all([freshRedisUrl(base), freshRedisUrl(base)])
  split = await startTestServer(a, { PARTITION_LEVEL: 'district', TIME_ZONE: ZONE })
  plain = await startTestServer(b, { PARTITION_LEVEL: '', TIME_ZONE: ZONE })
  redis = new Redis(a)
  const now = Date.now()
  await postAll(stream(now))
  // the newest 50 of the city come last, after a pause: the same 50 on both logs, whatever their order within a millisecond
  await new Promise((r) => setTimeout(r, 20))
  const calls = Array.from({ length: 50 }, (_, i) => ({
    id: `PR-CALL-${i}`, feed: 'hotline', type: 'call', subject: `PR-CALL-${i}`, at: iso(now - 60_000 + i), region: GRIDS[i % 3],
    attrs: { answered: i % 4 !== 0, waitSec: 10, talkSec: 60 },
  }))
  for (const call of calls) await postAll([call])
}, 120_000)

afterAll(async () => {
  for (const s of sockets) s.disconnect()
  redis?.disconnect()
  await Promise.all([split?.stop(), plain?.stop()])
})

describe('a channel split by district', () => {
  it("serves the city's snapshot summed over its partitions, equal to one partition's", async () => {
    const [a, b] = await Promise.all([snapshot(split, CITY), snapshot(plain, CITY)])
    // the data is rich enough to tell a partition left out
    expect(a.kpis.year.caseReported).toBeGreaterThan(40)
    expect(a.kpis.today.caseOverdue).toBeGreaterThanOrEqual(10)
    expect(a.kpis.today.workersOnDuty).toBeGreaterThanOrEqual(3)
    expect(a.kpis.today.patrolCoverage).toBeGreaterThan(0)
    expect(a.workers.length).toBeGreaterThanOrEqual(3)
    expect(a.hotlineKinds.length).toBeGreaterThan(1)
    expect(a.ranking!.entries).toHaveLength(3)
    expect(a.overdue.map((o) => o.region)).toEqual(expect.arrayContaining([CITY, '650421', ...GRIDS]))

    const { eventIds: idsA, ...restA } = content(a)
    const { eventIds: idsB, ...restB } = content(b)
    expect(restA).toEqual(restB)
    // the same newest 50 (ordered by log time; two logs may order one millisecond differently)
    expect([...idsA].sort()).toEqual([...idsB].sort())
    expect(idsA).toHaveLength(50)
    expect(a.events.every((e, i) => i === 0 || compareStreamIds(a.events[i - 1]!.sid, e.sid) < 0)).toBe(true)

    // the cursor names every partition's newest entry; with one partition it is the plain stream id
    const at = cursorPositions(a.cursor)
    expect([...at.keys()].sort()).toEqual(['', ...DISTRICTS])
    for (const p of ['', ...DISTRICTS]) {
      const [last] = await redis.xrevrange(keys('live', p).log, '+', '-', 'COUNT', 1)
      expect(at.get(p)).toBe(last![0])
    }
    expect(b.cursor).toMatch(/^\d+-\d+$/)
  })

  it("serves a district's snapshot from its own partition, equal to one partition's", async () => {
    for (const d of DISTRICTS) {
      const [a, b] = await Promise.all([snapshot(split, d), snapshot(plain, d)])
      expect(a.kpis.year.caseReported).toBeGreaterThan(0)
      expect(content(a)).toEqual(content(b))
      expect(a.events.filter((e) => e.sid.endsWith(`@${d}`)).length).toBeGreaterThan(25)
    }
    // a step follows its subject into the subject's partition whatever place it names: 鄯善县's worker placed in 高昌区
    const gaochang = await snapshot(split, '650402')
    expect(gaochang.events.find((e) => e.id === 'PR-W1-pos')).toMatchObject({ sid: expect.stringMatching(/@650421$/), region: expect.stringMatching(/^650402/) })
  })

  it("keeps a district's keys under its own tag and the city's counters in every partition", async () => {
    const today = dayKey(Date.now(), ZONE)
    const own = keys('live', '650402')
    expect(await redis.exists(own.day('650402', today), own.log, own.trend('650402', today))).toBe(3)
    expect(await redis.exists(keys('live').day('650402', today), keys('live').recent('650402'))).toBe(0)
    // the city counts in the root partition (events placed at it) and in each district's
    for (const p of ['', ...DISTRICTS]) expect(await redis.exists(keys('live', p).year(CITY, today.slice(0, 4)))).toBe(1)
  })

  it('resumes a city subscription after a cursor naming every partition', async () => {
    const before = await snapshot(split, CITY)
    const now = Date.now()
    const more = [
      caseReported('PR-LATE-0', now - 1000, GRIDS[0]), caseReported('PR-LATE-1', now - 900, GRIDS[1]),
      caseReported('PR-LATE-2', now - 800, CITY), caseReported('PR-LATE-3', now - 700, GRIDS[2]),
    ]
    expect((await post(split.url, more)).body.accepted).toBe(4)
    const s = await connect(split.url)
    sockets.push(s)
    const ack = await s.emitWithAck('subscribe', { region: CITY, since: before.cursor })
    expect(ack.ok).toBe(true)
    const snap = (ack as { data: Snapshot }).data
    expect(snap.resumed).toBe(true)
    expect(snap.events.map((e: LiveEvent) => e.subject).sort()).toEqual(more.map((e) => e.subject).sort())
    for (const e of snap.events) expect(cursorCovers(snap.cursor, e.sid) && !cursorCovers(before.cursor, e.sid)).toBe(true)
    // a district's subscription after the same cursor gets its own only
    const district = (await s.emitWithAck('subscribe', { region: '650421', since: before.cursor })) as { ok: true; data: Snapshot }
    expect(district.data.events.map((e) => e.subject)).toEqual(['PR-LATE-1'])
    // a cursor naming a partition the channel does not have is no resume: a fresh snapshot
    const odd = (await s.emitWithAck('subscribe', { region: CITY, since: `${before.cursor},1-0@659999` })) as { ok: true; data: Snapshot }
    expect(odd.data.resumed).toBe(false)
  })

  it('lists the refused events of every partition, newest first, with their total', async () => {
    const refused = (id: string, region: string, refusedAt: number): RefusedEvent => ({
      event: { id, feed: 'case', type: 'closed', subject: id, at: refusedAt - HOUR }, region, reason: 'test', state: '', parkedAt: refusedAt - HOUR, refusedAt,
    })
    const t = Date.now()
    await redis.rpush(keys('live').refused, JSON.stringify(refused('RF-root-1', CITY, t - 5000)), JSON.stringify(refused('RF-root-2', CITY, t - 1000)))
    await redis.rpush(keys('live', '650402').refused, JSON.stringify(refused('RF-402-1', GRIDS[0]!, t - 4000)), JSON.stringify(refused('RF-402-2', GRIDS[0]!, t - 2000)))
    await redis.rpush(keys('live', '650422').refused, JSON.stringify(refused('RF-422-1', GRIDS[2]!, t - 3000)))
    const list = (await (await apiFetch(`${split.url}/api/v1/refused`)).json()) as { total: number; items: RefusedEvent[] }
    expect(list.total).toBe(5)
    expect(list.items.map((r) => r.event.id)).toEqual(['RF-root-2', 'RF-402-2', 'RF-422-1', 'RF-402-1', 'RF-root-1'])
    const two = (await (await apiFetch(`${split.url}/api/v1/refused?limit=2`)).json()) as { total: number; items: RefusedEvent[] }
    expect(two).toMatchObject({ total: 5, items: [{ event: { id: 'RF-root-2' } }, { event: { id: 'RF-402-2' } }] })
  })

  it('finds a subject and the open items in whichever partition holds them', async () => {
    for (const id of ['PR-OD-1-1', 'PR-OD-3-1']) { // placed in 鄯善县's grid, and at the city itself
      const [a, b] = await Promise.all([split, plain].map(async (s) => {
        const res = await apiFetch(`${s.url}/api/v1/subjects/case/${id}`)
        expect(res.status).toBe(200)
        return (await res.json()) as SubjectView
      }))
      expect(a).toEqual(b)
      expect(a!.history.map((h) => h.type)).toEqual(['reported', 'registered'])
    }
    expect((await apiFetch(`${split.url}/api/v1/subjects/case/PR-NONE`)).status).toBe(404)
    for (const region of [CITY, '650421']) {
      const [a, b] = await Promise.all([split, plain].map(async (s) => (await apiFetch(`${s.url}/api/v1/open?region=${region}&limit=500`)).json()))
      expect(a).toEqual(b)
      expect((a as { total: number }).total).toBeGreaterThan(0)
    }
  })
})
