// Two server processes on one Redis: an event ingested by either reaches the
// sockets of both, because the Redis log is the only bus between instances.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { caseReported, hotlineReceived } from '../support/events-factory.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { connect, freshRedisUrl, post, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

let a: Running
let b: ServerProcess
const sockets: TestSocket[] = []
const seenByA: LiveEvent[] = []
const seenByB: LiveEvent[] = []

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  ;[a, b] = await Promise.all([startTestServer(url), spawnServer(url)])
  for (const [srv, seen] of [[a.url, seenByA], [b.url, seenByB]] as const) {
    const s = await connect(srv)
    s.on('events', (batch) => seen.push(...batch.items))
    const ack = await s.emitWithAck('subscribe', { region: '650400' })
    expect(ack.ok).toBe(true)
    sockets.push(s)
  }
}, 60_000)
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await Promise.all([a?.stop(), b?.stop()])
})

it('delivers an event ingested by instance A to the sockets of A and B', async () => {
  expect((await post(a.url, caseReported('TWO-A'))).body.accepted).toBe(1)
  await waitFor(() => seenByA.find((e) => e.subject === 'TWO-A'))
  await waitFor(() => seenByB.find((e) => e.subject === 'TWO-A'))
})

it('delivers an event ingested by instance B (another process) to both', async () => {
  expect((await post(b.url, hotlineReceived('TWO-B'))).body.accepted).toBe(1)
  await waitFor(() => seenByA.find((e) => e.subject === 'TWO-B'))
  await waitFor(() => seenByB.find((e) => e.subject === 'TWO-B'))
  expect(seenByA.map((e) => e.subject)).toEqual(seenByB.map((e) => e.subject))
})
