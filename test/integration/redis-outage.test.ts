// With Redis stopped, ingest answers 503 and applies nothing; once Redis is
// back (same AOF directory) and the sender retries, nothing acknowledged or
// retried is lost and nothing is counted twice.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { caseReported, caseStep } from '../support/events-factory.ts'
import { eventually, post, startTestServer, apiFetch } from '../support/test-server.ts'

const dir = mkdtempSync(join(tmpdir(), 'sr-aof-'))
let redis: RedisProcess
let server: Running

beforeAll(async () => {
  redis = await startRedis({ dir, appendonly: true })
  server = await startTestServer(redis.url)
})
afterAll(async () => {
  await server?.stop()
  await redis?.stop()
})

const kpis = async () => ((await (await apiFetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot).kpis.today

it('answers 503 while Redis is down and loses nothing once the sender retries', async () => {
  const before = [caseReported('OUT-1'), caseReported('OUT-2'), caseStep('OUT-1', 'registered')]
  expect((await post(server.url, before)).body).toMatchObject({ accepted: 3 })

  await redis.stop()
  const batch = [caseReported('OUT-3'), caseStep('OUT-2', 'registered'), caseReported('OUT-4')]
  const down = await post(server.url, batch)
  expect(down.status).toBe(503)
  expect(down.body.error.code).toBe('STORE_UNAVAILABLE')
  expect((await apiFetch(`${server.url}/healthz`)).status).toBe(503)

  redis = await startRedis({ port: redis.port, dir, appendonly: true })
  await eventually(async () => expect((await apiFetch(`${server.url}/healthz`)).status).toBe(200), 10_000)
  const retry = await post(server.url, batch)
  expect(retry.status).toBe(200)
  expect(retry.body).toMatchObject({ accepted: 3, duplicates: 0 })
  expect(await kpis()).toMatchObject({ caseReported: 4, caseRegistered: 2, casePending: 2, caseOpen: 2 })

  // a second retry (the sender did not see the answer) changes nothing
  expect((await post(server.url, batch)).body).toMatchObject({ accepted: 0, duplicates: 3 })
  expect(await kpis()).toMatchObject({ caseReported: 4, caseRegistered: 2 })
}, 30_000)
