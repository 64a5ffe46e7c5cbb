// More regions watched than one KPI push may read (128): 250 screens, each on
// a grid of its own, and a city wall, on a real server. A case lands in every
// grid at once; each screen still gets its grid's KPIs (caseReported 1) within
// two pushes (not the full pass 10 s later: none is dropped from the queue),
// and the city wall its count (caseReported 250) at the first push.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { KpiUpdate } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { loadRegions } from '../../server/config.ts'
import { caseReported } from '../support/events-factory.ts'
import { connect, eventually, freshRedisUrl, post, startTestServer, type TestSocket } from '../support/test-server.ts'

const GRIDS = loadRegions().collection.features.filter((f) => f.properties.level === 'grid').slice(0, 250).map((f) => f.properties.code)
const CITY = '650400'

let server: Running
const sockets: TestSocket[] = []
beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { SOCKET_MAX_PER_ADDRESS: '1000' })
}, 60_000)
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await server?.stop()
})

it('pushes KPIs to every one of 251 watched regions, the city wall first, when all change at once', async () => {
  /** Per region, when (ms after the post) its screen first saw the case counted. */
  const seen = new Map<string, number>()
  let postedAt = Infinity
  const watch = async (region: string, expected: number) => {
    const s = await connect(server.url)
    sockets.push(s)
    s.on('kpis', (u: KpiUpdate) => {
      if (u.region === region && u.values.today?.caseReported === expected && !seen.has(region)) seen.set(region, Date.now() - postedAt)
    })
    const ack = await s.emitWithAck('subscribe', { region })
    expect(ack.ok, JSON.stringify(ack).slice(0, 200)).toBe(true)
  }
  await watch(CITY, GRIDS.length)
  for (const grid of GRIDS) await watch(grid, 1)
  postedAt = Date.now()
  const res = await post(server.url, GRIDS.map((grid, i) => caseReported(`BUDGET-${i}`, Date.now() - 60_000, grid)))
  expect(res.body).toMatchObject({ accepted: GRIDS.length, rejected: [] })
  await eventually(() => expect(GRIDS.filter((g) => !seen.has(g))).toEqual([]), 20_000)
  const grids = GRIDS.map((g) => seen.get(g)!).sort((a, b) => a - b)
  console.log(`KPI pushes after one post to 250 grids: the city wall after ${seen.get(CITY)} ms; grids p50 ${grids[125]} ms, last ${grids.at(-1)} ms`)
  expect(seen.get(CITY)).toBeLessThan(3_000)
  // 251 regions at 128 a push: two pushes, a second apart; a region dropped from the queue would wait for the full pass (10 s)
  expect(grids.at(-1)).toBeLessThan(5_000)
}, 90_000)
