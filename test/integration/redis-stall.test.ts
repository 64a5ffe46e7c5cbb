// Issue 10 item 6: a hung Redis (SIGSTOP: its socket stays open, nothing
// answers) must not hang requests. With REDIS_COMMAND_TIMEOUT_MS (1.5 s by
// default) ingest, login, snapshot and /healthz answer 503 within 2 s; after
// SIGCONT the instance recovers by itself, a sender that kept retrying the same
// batch lands it exactly once, and the live tail (a blocking XREAD connection
// without that timeout) delivers again. Uses a redis-server of its own.
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { caseReported, caseStep } from '../support/events-factory.ts'
import { ADMIN, apiFetch, connect, eventually, INGEST_KEY, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

let redis: RedisProcess
let server: Running
let socket: TestSocket | undefined
let stopped = false

beforeAll(async () => {
  redis = await startRedis()
  server = await startTestServer(redis.url, { REDIS_COMMAND_TIMEOUT_MS: '1500' })
})
afterAll(async () => {
  if (stopped) process.kill(redis.pid, 'SIGCONT')
  socket?.disconnect()
  await server?.stop()
  await redis?.stop()
})

const ingest = (body: unknown) => fetch(`${server.url}/api/v1/events`, {
  method: 'POST', headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
})

/** Status, error code and how long the answer took. */
async function timed(call: () => Promise<Response>) {
  const started = performance.now()
  const res = await call()
  const body = (await res.json()) as { error?: { code: string } }
  return { status: res.status, code: body.error?.code, ms: Math.round(performance.now() - started) }
}

const reported = async () => ((await (await apiFetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot).kpis.today.caseReported ?? 0

it('does not time out a busy but answering Redis: a 10,000-event batch takes longer than the timeout and lands whole', async () => {
  const batch = Array.from({ length: 10_000 }, (_, i) => caseReported(`BUSY-${i}`))
  const started = performance.now()
  const res = await ingest(batch)
  console.log(`10,000 events in one batch: ${res.status} after ${Math.round(performance.now() - started)} ms (REDIS_COMMAND_TIMEOUT_MS 1500)`)
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ accepted: 10_000, rejected: [] })
}, 60_000)

it('answers 503 within 2 s while Redis hangs, then recovers by itself and lands the retried batch exactly once', async () => {
  const base = await reported()
  expect((await ingest([caseReported('STALL-1'), caseReported('STALL-2')])).status).toBe(200)
  socket = await connect(server.url)
  const live: LiveEvent[] = []
  socket.on('events', (b) => live.push(...b.items))
  const sub = await socket.emitWithAck('subscribe', { region: '650400' })
  expect(sub.ok).toBe(true)
  expect(await reported()).toBe(base + 2)

  process.kill(redis.pid, 'SIGSTOP')
  stopped = true
  const stalledAt = Date.now()
  const batch = [caseReported('STALL-3'), caseStep('STALL-1', 'registered'), caseReported('STALL-4')]
  const answers = {
    ingest: await timed(() => ingest(batch)),
    healthz: await timed(() => fetch(`${server.url}/healthz`)),
    readyz: await timed(() => fetch(`${server.url}/readyz`)),
    login: await timed(() => fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN),
    })),
    snapshot: await timed(() => apiFetch(`${server.url}/api/v1/snapshot`)),
  }
  console.log('while Redis is SIGSTOPped:', answers)
  for (const [name, a] of Object.entries(answers)) {
    expect(a.status, name).toBe(503)
    expect(a.ms, name).toBeLessThan(2500) // REDIS_COMMAND_TIMEOUT_MS = 1.5 s; the issue asks for 503 within 2 s
    if (!/z$/.test(name)) expect(a.code, name).toBe('STORE_UNAVAILABLE')
  }
  expect((await fetch(`${server.url}/livez`)).status).toBe(200) // the process itself is fine

  // under steady load each request still fails on its own clock: 12 overlapping probes, one every 150 ms
  const probes = await Promise.all(Array.from({ length: 12 }, (_, i) =>
    new Promise((r) => setTimeout(r, i * 150)).then(() => timed(() => fetch(`${server.url}/healthz`)))))
  console.log('overlapping /healthz probes (ms):', probes.map((p) => p.ms).join(', '))
  for (const p of probes) {
    expect(p.status).toBe(503)
    expect(p.ms).toBeLessThan(2500)
  }

  // a sender that retries the same batch on every 503 until it is acknowledged
  const attempts: number[] = []
  const sender = (async () => {
    for (;;) {
      const res = await ingest(batch)
      attempts.push(res.status)
      if (res.status === 200) return (await res.json()) as { accepted: number; duplicates: number }
      expect(res.status).toBe(503)
      await new Promise((r) => setTimeout(r, 300))
    }
  })()
  await waitFor(() => (attempts.length >= 2 ? true : undefined), 15_000) // retried during the stall…
  expect(attempts.every((s) => s === 503)).toBe(true) // …and was never told a lie
  const stallMs = Date.now() - stalledAt
  process.kill(redis.pid, 'SIGCONT')
  stopped = false

  const ack = await sender
  console.log(`Redis hung for ${stallMs} ms; the sender tried ${attempts.length} times; acknowledged as`, ack)
  expect(ack.accepted + ack.duplicates).toBe(3)
  await eventually(async () => expect((await fetch(`${server.url}/healthz`)).status).toBe(200), 10_000)
  expect(await reported()).toBe(base + 4) // STALL-3 and STALL-4 once each, however many retries reached Redis
  const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot
  expect(snap.kpis.today.caseRegistered).toBe(1)

  // the live tail survived the stall: a new event reaches the open socket
  expect((await ingest([caseReported('STALL-5')])).status).toBe(200)
  await waitFor(() => live.find((e) => e.subject === 'STALL-5'), 10_000)
  expect(live.filter((e) => e.subject === 'STALL-3')).toHaveLength(1)
}, 60_000)
