// An instance shuts down on SIGTERM even while its Redis is gone (a deploy
// during an outage, a node drained after its Redis host died): every loop
// that waits on Redis (log tailers' XREAD, scanners, sweepers, the channel
// registry) lets go, instead of stop() waiting for a reply that never comes.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { caseReported } from '../support/events-factory.ts'
import { connect, post, startTestServer } from '../support/test-server.ts'

let redis: RedisProcess | undefined
afterAll(async () => {
  await redis?.stop()
})

it('stops within a few seconds while Redis is down, with a wall connected', async () => {
  redis = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sr-stop-')), appendonly: false })
  const server: Running = await startTestServer(redis.url)
  const wall = await connect(server.url)
  expect((await post(server.url, [caseReported('STOP-1')])).status).toBe(200)
  await redis.stop()
  redis = undefined
  const t0 = performance.now()
  const stopped = await Promise.race([server.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('still waiting'), 15_000))])
  const ms = performance.now() - t0
  wall.disconnect()
  console.log(`stop() with Redis down: ${stopped} after ${Math.round(ms)} ms`)
  expect(stopped).toBe('stopped')
  expect(ms).toBeLessThan(10_000)
}, 30_000)
