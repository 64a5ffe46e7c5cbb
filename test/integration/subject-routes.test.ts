// With PARTITION_LEVEL (DESIGN §11) a subject lives in the partition of the place
// its first placed step names, and its later steps follow it whatever place they
// name (none, or one above the level), so they find their subject and count.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import { caseReported, caseStep } from '../support/events-factory.ts'
import { freshRedisUrl, post, startTestServer } from '../support/test-server.ts'

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

it('leaves the root partition to a step that names no place and comes before any placed step of its subject', async () => {
  const t = Date.now() - 3_600_000
  expect((await post(server.url, [caseStep('ROUTE-2', 'registered', t + 60_000)])).body).toMatchObject({ accepted: 1, outOfOrder: 1 })
  expect(await redis.exists(keys('live').events('case', 'ROUTE-2'))).toBe(1) // parked with an unknown subject, at the root
  expect(await redis.get(keys('live').route('case:ROUTE-2'))).toBeNull()
})
