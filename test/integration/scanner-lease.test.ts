// Two instances on one Redis: only the holder of the live channel's scanner
// lease runs the overdue scanner and the surge check; when it dies (kill -9,
// no goodbye) the other takes the lease over within seconds, and a graceful
// stop hands it back at once.
import { hostname } from 'node:os'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { LEASE_TTL_MS } from '../../server/channels/driver-lease.ts'
import type { Running } from '../../server/main.ts'
import { leaseKeys } from '../../server/store/keys.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { eventually, freshRedisUrl, startTestServer } from '../support/test-server.ts'

const KEY = leaseKeys.scanner('live')
let url: string
let redis: Redis
let a: Running | undefined
let b: ServerProcess

const holderOf = (pid: number) => new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-${pid}-`)

beforeAll(async () => {
  url = await freshRedisUrl(inject('redisUrl'))
  redis = new Redis(url)
  b = await spawnServer(url) // first: it takes the lease
  await eventually(async () => expect(await redis.get(KEY)).toMatch(holderOf(b.pid)), 10_000)
  a = await startTestServer(url)
}, 60_000)
afterAll(async () => {
  await a?.stop()
  await b?.stop()
  redis?.disconnect()
})

it('keeps the scanner on one instance, and moves it within seconds when that one dies', async () => {
  // A asks for the lease every 1.5 s; over three of its turns the holder stays B, and the TTL keeps being renewed
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 1500))
    expect(await redis.get(KEY)).toMatch(holderOf(b.pid))
    expect(await redis.pttl(KEY)).toBeGreaterThan(LEASE_TTL_MS - 2500)
  }
  process.kill(b.pid, 'SIGKILL')
  const killed = Date.now()
  await eventually(async () => expect(await redis.get(KEY)).toMatch(holderOf(process.pid)), LEASE_TTL_MS + 5000)
  const takeover = Date.now() - killed
  console.log(`scanner lease: taken over ${takeover} ms after the holder was killed (lease ${LEASE_TTL_MS} ms)`)
  expect(takeover).toBeLessThan(LEASE_TTL_MS + 2000)

  await a!.stop() // a graceful stop hands the lease back
  a = undefined
  expect(await redis.exists(KEY)).toBe(0)
}, 30_000)
