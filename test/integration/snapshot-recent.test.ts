// A quiet region's snapshot reads its own list of recent events (issue 11):
// a grid whose last events lie behind more than 5,000 entries of other
// regions still gets them, and a log written before the lists existed is
// still read by scanning (wholly, or before the lists began).
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import { keysAt, testRegions } from '../support/test-partitions.ts'
import { caseReported, hotlineReceived } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'

const QUIET_GRID = '650421100001001' // 鄯善县
const BUSY_GRID = '650402001001001' // 高昌区
const BUSY_DISTRICT = '650402'
let server: Running
let redis: Redis

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(url)
  redis = new Redis(url)
})
afterAll(async () => {
  redis?.disconnect()
  await server?.stop()
})

const snapshot = async (region: string) => (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${region}`)).json()) as Snapshot

it('gives a quiet grid its last events after 5,000+ events elsewhere, oldest first, and a busy district its newest 50', async () => {
  const quiet = Array.from({ length: 12 }, (_, i) => (i % 2 ? caseReported(`QUIET-${i}`, undefined, QUIET_GRID) : hotlineReceived(`QUIET-${i}`, undefined, QUIET_GRID)))
  expect((await post(server.url, quiet)).body.accepted).toBe(12)
  for (let n = 0; n < 6; n++) {
    const busy = Array.from({ length: 900 }, (_, i) => caseReported(`BUSY-${n}-${i}`, undefined, BUSY_GRID))
    expect((await post(server.url, busy)).body.accepted).toBe(900)
  }
  expect(await redis.xlen(keysAt('live', BUSY_GRID).log)).toBeGreaterThanOrEqual(5_400)

  const grid = await snapshot(QUIET_GRID)
  expect(grid.events.map((e) => e.subject)).toEqual(quiet.map((e) => e.subject))
  expect(grid.events.every((e) => e.region === QUIET_GRID)).toBe(true)
  const township = await snapshot(QUIET_GRID.slice(0, 9))
  expect(township.events.map((e) => e.subject)).toEqual(quiet.map((e) => e.subject))

  const district = await snapshot(BUSY_DISTRICT)
  expect(district.events.map((e) => e.subject)).toEqual(Array.from({ length: 50 }, (_, i) => `BUSY-5-${850 + i}`))
  expect(district.cursor.split(',')).toContain(district.events.at(-1)!.sid) // the cursor itself with one partition

  // a log from before the lists: without them (nor their start mark) the snapshot scans the log as it always did
  const lists = (await Promise.all(testRegions().partitions.map((p) => redis.keys(`${keys('live', p).prefix}rl:*`)))).flat()
  expect(lists.length).toBeGreaterThan(5)
  await redis.del(...lists)
  expect((await snapshot(BUSY_DISTRICT)).events).toEqual(district.events)

  // lists that begin after older entries: the newest from the list, the rest by scanning the log before it
  const newer = Array.from({ length: 5 }, (_, i) => caseReported(`NEWER-${i}`, undefined, BUSY_GRID))
  expect((await post(server.url, newer)).body.accepted).toBe(5)
  expect(await redis.llen(keysAt('live', BUSY_GRID).recent(BUSY_DISTRICT))).toBe(5)
  const resumed = await snapshot(BUSY_DISTRICT)
  expect(resumed.events.map((e) => e.subject)).toEqual([...district.events.slice(5).map((e) => e.subject), ...newer.map((e) => e.subject)])
})
