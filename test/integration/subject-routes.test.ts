// With PARTITION_LEVEL (DESIGN §11) a subject lives in the partition of the place
// its first placed step names, and its later steps follow it whatever place they
// name (none, or one above the level), so they find their subject and count.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import { caseReported, caseStep } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'
import { sweepHeld } from '../../server/ingest/held-steps.ts'

const SHANSHAN_GRID = '650421100001001' // 鄯善县: partition 650421 at the district level
const CITY = '650400'
let server: Running
let redis: Redis

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(url, { PARTITION_LEVEL: 'district', LOG_LEVEL: 'error' })
  redis = new Redis(url)
})
afterAll(async () => {
  redis?.disconnect()
  await server?.stop()
})

it('applies a case\'s steps that name no place, or only the city, in the partition of its report', async () => {
  const t = Date.now() - 3_600_000
  // the report and a placeless step in one batch: the batch itself routes the step
  expect((await post(server.url, [caseReported('ROUTE-1', t, SHANSHAN_GRID), caseStep('ROUTE-1', 'registered', t + 60_000)])).body)
    .toMatchObject({ accepted: 2, outOfOrder: 0, rejected: [] })
  // later batches: the stored route; one step names only the city (above the partition level)
  expect((await post(server.url, [caseStep('ROUTE-1', 'dispatched', t + 120_000, { department: '城管局' })])).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
  expect((await post(server.url, [{ ...caseStep('ROUTE-1', 'disposed', t + 180_000), region: CITY }])).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
  const subject = await redis.hgetall(keys('live', '650421').subject('case', 'ROUTE-1'))
  expect(subject.state).toBe('DISPOSED')
  expect(await redis.exists(keys('live').subject('case', 'ROUTE-1'))).toBe(0) // nothing of it in the root partition
  expect(await redis.get(keys('live').route('case:ROUTE-1'))).toBe('650421')
  expect(await redis.ttl(keys('live').route('case:ROUTE-1'))).toBeGreaterThan(86_400)
})

it('keeps a case taken in at the city in the root partition, even when a later step names a district', async () => {
  const t = Date.now() - 3_600_000
  expect((await post(server.url, [caseReported('ROUTE-3', t, CITY)])).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
  expect((await post(server.url, [{ ...caseStep('ROUTE-3', 'registered', t + 60_000), region: SHANSHAN_GRID }])).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
  expect((await redis.hgetall(keys('live').subject('case', 'ROUTE-3'))).state).toBe('REGISTERED')
  expect(await redis.exists(keys('live', '650421').subject('case', 'ROUTE-3'))).toBe(0)
})

it('counts a worker\'s patrol where it happened, and their offDuty where their shift began', async () => {
  const t = Date.now() - 3_600_000
  const grid = (type: string, at: number, region?: string, attrs: Record<string, unknown> = {}) =>
    ({ id: `W-1-${type}-${at}`, feed: 'grid', type, subject: 'W-1', at: new Date(at).toISOString(), ...(region ? { region } : {}), attrs })
  const gaochangGrid = '650402001001001'
  expect((await post(server.url, [
    grid('onDuty', t, SHANSHAN_GRID), grid('patrol', t + 60_000, gaochangGrid, { durationMin: 30, distanceM: 800 }), grid('offDuty', t + 120_000),
  ])).body).toMatchObject({ accepted: 3, outOfOrder: 0 })
  expect((await redis.hgetall(keys('live', '650421').subject('grid', 'W-1'))).state).toBe('OFF')
  const day = (await redis.keys(`${keys('live', '650402').prefix}d:650402:*`))
  expect(day).toHaveLength(1)
  expect(await redis.hget(day[0]!, 'gf.patrols')).toBe('1') // in 高昌区's partition, not the worker's
})

it('holds a step that names no place until a step of its subject names one, then applies it there', async () => {
  const t = Date.now() - 3_600_000
  const early = caseStep('ROUTE-2', 'registered', t + 60_000)
  expect((await post(server.url, [early])).body).toMatchObject({ accepted: 1, outOfOrder: 1, duplicates: 0 })
  expect((await post(server.url, [early])).body).toMatchObject({ accepted: 0, duplicates: 1 }) // held: a resend is a duplicate
  expect(await redis.exists(keys('live').events('case', 'ROUTE-2'))).toBe(0) // in no partition yet
  expect(await redis.hlen(keys('live').held('case:ROUTE-2'))).toBe(1)
  expect((await post(server.url, [caseReported('ROUTE-2', t, SHANSHAN_GRID)])).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
  expect((await redis.hgetall(keys('live', '650421').subject('case', 'ROUTE-2'))).state).toBe('REGISTERED')
  expect(await redis.hlen(keys('live').held('case:ROUTE-2'))).toBe(0)
  expect((await post(server.url, [early])).body).toMatchObject({ accepted: 0, duplicates: 1 }) // applied: still a duplicate
})

it('refuses a held step whose subject names no place within the park window, and lists it', async () => {
  const t = Date.now() - 3_600_000
  expect((await post(server.url, [caseStep('ROUTE-4', 'registered', t)])).body).toMatchObject({ accepted: 1, outOfOrder: 1 })
  const options = { channel: 'live', zone: 'Asia/Shanghai', logMaxLen: 100_000, seenTtlSec: 86_400 }
  expect(await sweepHeld(server.store, { ...options, now: Date.now(), windowMs: 86_400_000 })).toEqual({ applied: 0, refused: 0 })
  expect(await sweepHeld(server.store, { ...options, now: Date.now() + 86_400_001, windowMs: 86_400_000 })).toEqual({ applied: 0, refused: 1 })
  const refused = await (await apiFetch(`${server.url}/api/v1/refused?channel=live`)).json() as { items: { event: { id: string }; reason: string }[] }
  expect(refused.items.map((r) => r.event.id)).toContain('case-ROUTE-4-registered')
  expect(await redis.zscore(keys('live').heldIndex, 'case:ROUTE-4')).toBeNull()
})
