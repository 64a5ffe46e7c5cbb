// Replay channels on two server instances sharing one Redis: a channel made
// on one is served by both, changes made through either reach the sockets of
// both, exactly one instance drives it, another takes over when the driver
// dies, and a delete through either frees every key and drops every socket.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { keys } from '../../server/store/keys.ts'
import type { ClockState, LiveEvent } from '../../server/domain/protocol.ts'
import type { ChannelSummary } from '../../server/channels/drill-meta.ts'
import { channelKeys } from '../../server/channels/drop-keys.ts'
import { LEASE_TTL_MS } from '../../server/channels/driver-lease.ts'
import type { Running } from '../../server/main.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { connect, eventually, freshRedisUrl, startTestServer, waitFor, type TestSocket, apiFetch } from '../support/test-server.ts'

const START = Date.parse('2026-11-20T08:00:00+08:00')
let a: Running
let b: ServerProcess
let bKilled = false
const sockets: TestSocket[] = []

async function api<T = any>(url: string, method: string, path: string, body?: unknown) {
  const res = await apiFetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, body: (await res.json()) as T }
}

async function watch(url: string, channel: string) {
  const s = await connect(url, channel)
  sockets.push(s)
  const seen = { events: [] as LiveEvent[], clocks: [] as ClockState[], disconnected: false }
  s.on('events', (batch) => seen.events.push(...batch.items))
  s.on('clock', (c) => seen.clocks.push(c))
  s.on('disconnect', () => { seen.disconnected = true })
  expect((await s.emitWithAck('subscribe', { region: '650400' })).ok).toBe(true)
  return seen
}

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  ;[a, b] = await Promise.all([startTestServer(url), spawnServer(url)])
}, 60_000)
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await Promise.all([a?.stop(), bKilled ? undefined : b?.stop()])
})

it('serves a channel on both instances, drives it on one, fails over, and deletes it everywhere', async () => {
  const events = createSimulation({ ...loadSimConfig(), seed: 61, rate: 1, compress: 60, start: START }).next(START + 3 * 3_600_000)
  const created = await api<ChannelSummary>(b.url, 'POST', '/api/v1/channels', { recording: events.map((e) => JSON.stringify(e)).join('\n'), speed: 100 })
  expect(created.status).toBe(201)
  const id = created.body.id
  // the instance that made it drives it
  const lease = keys(id).driver
  expect(await a.store.get(lease)).toContain(`-${b.pid}-`)

  // A learned of it: it lists it and its sockets get the events B feeds
  const onA = await eventually(() => watch(a.url, id))
  expect((await api<{ channels: ChannelSummary[] }>(a.url, 'GET', '/api/v1/channels')).body.channels.map((c) => c.id)).toEqual([id])
  await waitFor(() => (onA.events.length > 5 ? true : undefined), 8000)

  // a pause through A reaches A's sockets and B's view of the clock
  expect((await api(a.url, 'PATCH', `/api/v1/channels/${id}`, { paused: true })).status).toBe(200)
  await waitFor(() => onA.clocks.find((c) => c.paused))
  const onB = await watch(b.url, id)
  const viaB = (await api<{ channels: ChannelSummary[] }>(b.url, 'GET', '/api/v1/channels')).body.channels[0]!
  expect(viaB.paused).toBe(true)
  expect(viaB.now).toBe(Math.round(a.channels.get(id).clock.now()))

  // the driver dies; A takes the lease over when it expires and drives on
  process.kill(b.pid, 'SIGKILL')
  bKilled = true
  const t0 = Date.now()
  await eventually(async () => expect(await a.store.get(lease)).not.toContain(`-${b.pid}-`), LEASE_TTL_MS + 5000)
  console.log(`driver lease taken over ${Date.now() - t0} ms after the driving instance was killed`)
  await waitFor(() => (onB.disconnected ? true : undefined))
  const before = onA.events.length
  expect((await api(a.url, 'PATCH', `/api/v1/channels/${id}`, { paused: false, speed: 200 })).status).toBe(200)
  await waitFor(() => (onA.events.length > before + 5 ? true : undefined), 8000)
  const ids = onA.events.map((e) => e.id)
  expect(new Set(ids).size).toBe(ids.length) // no event fed twice across the takeover

  expect((await api(a.url, 'DELETE', `/api/v1/channels/${id}`)).status).toBe(200)
  await waitFor(() => (onA.disconnected ? true : undefined))
  expect(await channelKeys(a.store, id)).toEqual([])
}, 90_000)
