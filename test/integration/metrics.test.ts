// Operations endpoints on a real server and a redis-server of this file's own
// (it is stopped here to see /readyz fail): /metrics counts exactly what was
// sent, and is closed to strangers; /livez answers without Redis.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { caseReported, hotlineReceived } from '../support/events-factory.ts'
import { apiFetch, connect, eventually, freshRedisUrl, post, startTestServer, type TestSocket } from '../support/test-server.ts'

const TOKEN = 'metrics-token-of-this-test-1234'
let redis: RedisProcess
let server: Running
let guarded: Running
let socket: TestSocket | undefined

beforeAll(async () => {
  redis = await startRedis({ dir: mkdtempSync(join(tmpdir(), 'sr-metrics-')) })
  server = await startTestServer(await freshRedisUrl(redis.url, 1))
  guarded = await startTestServer(await freshRedisUrl(redis.url, 2), { METRICS_TOKEN: TOKEN })
}, 60_000)
afterAll(async () => {
  socket?.disconnect()
  await server?.stop()
  await guarded?.stop()
  await redis?.stop()
})

/** Every sample of the exposition text: `name{labels}` → value. */
async function scrape(url = server.url, init: RequestInit = {}): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`, init)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  const samples = new Map<string, number>()
  for (const line of (await res.text()).split('\n')) {
    const m = /^([a-z_:][\w:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line)
    if (m) samples.set(m[1]!, Number(m[2]))
  }
  return samples
}
const value = (s: Map<string, number>, key: string) => s.get(key) ?? 0
const ingestKey = (feed: string, status: string) => `situation_ingest_events_total{channel="live",feed="${feed}",status="${status}"}`

it('counts exactly the events sent, by feed and outcome, and the requests by route pattern', async () => {
  const before = await scrape()
  const cases = Array.from({ length: 7 }, (_, i) => caseReported(`MET-${i}`))
  const calls = Array.from({ length: 3 }, (_, i) => hotlineReceived(`MET-${i}`))
  const first = await post(server.url, [...cases, ...calls])
  expect(first.body).toMatchObject({ accepted: 10, duplicates: 0, rejected: [] })
  // 4 sent again, 2 that cannot be applied, 1 new
  const bad = { ...caseReported('MET-BAD'), region: 'no-such-region' }
  const second = await post(server.url, [...cases.slice(0, 4), bad, { feed: 'case' }, caseReported('MET-NEW')])
  expect(second.body).toMatchObject({ accepted: 1, duplicates: 4 })
  expect(second.body.rejected).toHaveLength(2)

  const after = await scrape()
  const moved = (key: string) => value(after, key) - value(before, key)
  expect(moved(ingestKey('case', 'accepted'))).toBe(8)
  expect(moved(ingestKey('hotline', 'accepted'))).toBe(3)
  expect(moved(ingestKey('case', 'duplicate'))).toBe(4)
  expect(moved(ingestKey('case', 'rejected'))).toBe(2)
  expect(moved(ingestKey('hotline', 'duplicate'))).toBe(0)
  // one pipeline each
  expect(moved('situation_ingest_apply_seconds_count{channel="live"}')).toBe(2)
  expect(moved('situation_http_requests_total{method="POST",route="/api/v1/events",status="2xx"}')).toBe(2)

  // a route with parameters is counted under its pattern, not its URL
  const subject = await apiFetch(`${server.url}/api/v1/subjects/case/MET-0`)
  expect(subject.status).toBe(200)
  await eventually(async () => {
    const s = await scrape()
    expect(value(s, 'situation_http_requests_total{method="GET",route="/api/v1/subjects/:feed/:subject",status="2xx"}')).toBe(1)
    expect([...s.keys()].some((k) => k.includes('MET-0'))).toBe(false)
  })
})

it('exports the default process metrics, the event-loop lag among them, and Redis probes', async () => {
  const s = await scrape()
  expect(s.get('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
  expect(s.has('process_resident_memory_bytes')).toBe(true)
  expect(s.get('situation_redis_up')).toBe(1)
  expect(value(s, 'situation_redis_ping_seconds_count')).toBeGreaterThanOrEqual(1)
})

it('reports connected sockets, their region rooms, fan-out lag and alerts raised', async () => {
  const before = await scrape()
  socket = await connect(server.url)
  const ack = await socket.emitWithAck('subscribe', { region: '650402' })
  expect(ack.ok).toBe(true)
  const urgent = { ...caseReported('MET-URGENT'), attrs: { source: 'grid', priority: 'urgent' } }
  expect((await post(server.url, [urgent])).body).toMatchObject({ accepted: 1 })
  await eventually(async () => {
    const s = await scrape()
    expect(s.get('situation_sockets_connected')).toBe(1)
    expect(s.get('situation_socket_rooms')).toBe(1)
    expect(value(s, 'situation_fanout_lag_seconds_count{channel="live"}')).toBeGreaterThan(value(before, 'situation_fanout_lag_seconds_count{channel="live"}'))
    expect(value(s, 'situation_alerts_raised_total{channel="live",type="urgent"}') - value(before, 'situation_alerts_raised_total{channel="live",type="urgent"}')).toBe(1)
  })
})

it('serves /metrics to loopback only without a token, and only to the token with one', async () => {
  // a reverse proxy on this machine forwarding an outside client
  const forwarded = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })
  expect(forwarded.status).toBe(403)

  expect((await fetch(`${guarded.url}/metrics`)).status).toBe(401)
  const wrong = await fetch(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token' } })
  expect(wrong.status).toBe(403)
  expect(await wrong.text()).not.toContain('situation_ingest_events_total')
  const s = await scrape(guarded.url, { headers: { authorization: `Bearer ${TOKEN}` } })
  expect(s.has('nodejs_eventloop_lag_seconds')).toBe(true)
})

it('answers with the request id it was given, or one of its own', async () => {
  const given = await fetch(`${server.url}/livez`, { headers: { 'x-request-id': 'probe-42' } })
  expect(given.headers.get('x-request-id')).toBe('probe-42')
  const forged = await fetch(`${server.url}/livez`, { headers: { 'x-request-id': 'x" "level":60 ' + 'y'.repeat(80) } })
  expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
})

it('is live without Redis and ready only with it', async () => {
  expect((await fetch(`${server.url}/livez`)).status).toBe(200)
  expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  const before = await scrape()

  await redis.stop()
  const ready = await fetch(`${server.url}/readyz`)
  expect(ready.status).toBe(503)
  expect(await ready.json()).toMatchObject({ ok: false, redis: 'down' })
  expect((await fetch(`${server.url}/healthz`)).status).toBe(503)
  expect((await fetch(`${server.url}/livez`)).status).toBe(200)
  await eventually(async () => {
    const s = await scrape()
    expect(s.get('situation_redis_up')).toBe(0)
    expect(value(s, 'situation_redis_errors_total{source="connection"}')).toBeGreaterThan(value(before, 'situation_redis_errors_total{source="connection"}'))
  })

  // back on its port: ready again (and the servers stop cleanly, which they do not while Redis is away)
  redis = await startRedis({ port: redis.port })
  await eventually(async () => expect((await fetch(`${server.url}/readyz`)).status).toBe(200), 15_000)
  await eventually(async () => expect((await scrape()).get('situation_redis_up')).toBe(1), 15_000)
}, 60_000)
