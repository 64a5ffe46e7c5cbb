// Issue 10: a bounded fuzz run in npm test. 5,000 generated hostile payloads
// (seeded, so a failure replays) against a real server and Redis: no 5xx, every
// 4xx with a code and a reason, every rejected item with a reason, nothing
// stored that breaks the contract, counters equal to a recount of the log, and
// /healthz answering 200 all along.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import type { Running } from '../../server/main.ts'
import { contractBreaks, runFuzz } from '../support/fuzz-run.ts'
import { freshRedisUrl, startTestServer } from '../support/test-server.ts'

const SEED = 20261129
const PAYLOADS = 5_000
const MAX_ITEMS = 200 // INGEST_MAX_ITEMS of this server, so "just over the limit" arrays stay cheap

let server: Running
let redisUrl: string

beforeAll(async () => {
  redisUrl = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(redisUrl, { INGEST_MAX_ITEMS: String(MAX_ITEMS) })
})
afterAll(async () => {
  await server?.stop()
})

it(`survives ${PAYLOADS} hostile payloads (seed ${SEED}) without a 5xx, a reasonless refusal or a bad stored event`, async () => {
  const c = await runFuzz({ url: server.url, seed: SEED, count: PAYLOADS, concurrency: 6, maxItems: MAX_ITEMS, now: Date.now() })
  console.log(`ingest-fuzz: ${c.payloads} payloads, statuses ${JSON.stringify(c.byStatus)}; accepted ${c.accepted}, duplicates ${c.duplicates}, ` +
    `outOfOrder ${c.outOfOrder}, rejected items ${c.rejected}; healthz ${c.healthzPolls} polls, ${c.healthzFailures} failed`)
  expect(c.examples).toEqual([])
  expect(c.serverErrors).toBe(0)
  expect(c.errorsWithoutReason).toBe(0)
  expect(c.itemsWithoutReason).toBe(0)
  expect(c.leaks).toBe(0)
  // the generator mixes in valid events, duplicates, 400/413/415 bodies: each must show up
  expect(c.accepted).toBeGreaterThan(500)
  expect(c.duplicates).toBeGreaterThan(0)
  expect(c.rejected).toBeGreaterThan(500)
  for (const status of ['200', '400', '413', '415']) expect(c.byStatus[status], status).toBeGreaterThan(0)
  expect(c.healthzPolls).toBeGreaterThan(0)
  expect(c.healthzFailures).toBe(0)

  const stored = await contractBreaks(redisUrl)
  expect(stored.breaks).toEqual([])
  expect(stored.entries).toBe(c.accepted) // every accepted item is in the log (refused ones too), nothing else

  const redis = new Redis(redisUrl)
  try {
    const report = await checkConsistency(redis, { channel: 'live', zone: 'Asia/Shanghai', regions: loadRegions(), categories: loadCategories() })
    expect(report.differences).toEqual([])
    expect(report.entries).toBe(stored.entries)
  } finally {
    redis.disconnect()
  }
}, 120_000)
