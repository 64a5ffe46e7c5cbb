// The snapshot's panels through the real server: the children's ranking with
// 三色旗 and 红黑榜, the overdue list, on-duty workers' positions and the
// hotline kinds of today.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { zoneWellIntoDay } from '../support/day-zone.ts'
import { caseReported, caseStep, GRID, hotlineReceived, iso } from '../support/events-factory.ts'
import { freshRedisUrl, post, startTestServer, apiFetch } from '../support/test-server.ts'

const SHANSHAN_GRID = '650421100001001'
const TOKSUN_GRID = '650422100001001'
let server: Running
let city: Snapshot

const snapshot = async (region = '650400') => (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${region}`)).json()) as Snapshot

beforeAll(async () => {
  // the month's ranking and today's counts hold what was seeded an hour ago, also just after midnight on the 1st
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { TIME_ZONE: zoneWellIntoDay(Date.now(), 1.5) })
  const now = Date.now()
  const hourAgo = now - 3_600_000
  const lifecycle = (id: string, grid: string, disposed: boolean, deadline: number) => [
    caseReported(id, hourAgo, grid),
    caseStep(id, 'registered', hourAgo + 1000, { deadline: iso(deadline) }),
    caseStep(id, 'dispatched', hourAgo + 2000),
    ...(disposed ? [caseStep(id, 'disposed', hourAgo + 3000)] : []),
  ]
  const res = await post(server.url, [
    ...lifecycle('RK-G1', GRID, true, now + 86_400_000), // 高昌区: disposed on time
    ...lifecycle('RK-S1', SHANSHAN_GRID, false, now - 60_000), // 鄯善县: open, overdue by a minute
    ...lifecycle('RK-S2', SHANSHAN_GRID, false, now - 600_000), // 鄯善县: overdue by ten minutes
    ...lifecycle('RK-T1', TOKSUN_GRID, true, now + 86_400_000),
    ...lifecycle('RK-T2', TOKSUN_GRID, false, now + 86_400_000), // 托克逊县: half disposed
    { id: 'grid-W9-on', feed: 'grid', type: 'onDuty', subject: 'W9', at: iso(now - 5000), region: GRID },
    { id: 'grid-W9-pos', feed: 'grid', type: 'position', subject: 'W9', at: iso(now - 4000), location: [89.19, 42.95] },
    { ...hotlineReceived('RK-H1'), attrs: { kind: 'complaint' } },
    { ...hotlineReceived('RK-H2'), attrs: { kind: 'complaint' } },
    { ...hotlineReceived('RK-H3'), attrs: { kind: 'consult' } },
  ])
  expect(res.body.rejected).toEqual([])
  city = await snapshot()
})
afterAll(() => server?.stop())

it('ranks the districts by composite score with 三色旗 and 红黑榜', () => {
  const r = city.ranking!
  expect(r.period).toBe('month')
  // config/ranking.json weights: disposal .25, on-time close .2, hotline close .2, satisfaction .2, patrol coverage .15;
  // rates without data are left out. 高昌区: disposal 1, closes 0, coverage 0 (satisfaction none) → .25/.8
  expect(r.entries.map((e) => [e.name, e.rank])).toEqual([['高昌区', 1], ['托克逊县', 2], ['鄯善县', 3]])
  expect(r.entries[0]!.score).toBeCloseTo(0.25 / 0.8, 12)
  expect(r.entries[1]!.score).toBeCloseTo((0.25 * 0.5) / 0.6, 12) // no hotline work orders there
  expect(r.entries[2]!.score).toBe(0)
  expect(r.entries.map((e) => e.flag)).toEqual(['black', 'black', 'black']) // all below flags.black = 0.85
  expect(r.entries[0]!.values.disposalRate).toBe(1)
  expect(r.entries[1]!.values.disposalRate).toBe(0.5)
  expect(r.red).toEqual(['650402'])
  expect(r.black).toEqual(['650421'])
})

it('lists overdue items most overdue first, with their region, state and category', () => {
  expect(city.overdue.map((o) => o.subject)).toEqual(['RK-S2', 'RK-S1'])
  expect(city.overdue[0]).toMatchObject({ feed: 'case', region: SHANSHAN_GRID, state: 'DISPATCHED', category: 'city.sanitation' })
  expect(city.kpis.today.caseOverdue).toBe(2)
})

it('places on-duty workers and counts today\'s hotline kinds', async () => {
  expect(city.workers).toEqual([{ id: 'W9', location: [expect.closeTo(89.19, 5), expect.closeTo(42.95, 5)] }])
  expect(city.hotlineKinds).toEqual([{ kind: 'complaint', count: 2 }, { kind: 'consult', count: 1 }])
  const shanshan = await snapshot('650421')
  expect(shanshan.workers).toEqual([])
  expect(shanshan.overdue).toHaveLength(2)
  expect((await snapshot(GRID)).ranking).toBeNull()
})
