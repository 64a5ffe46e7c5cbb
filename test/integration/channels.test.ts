// Replay channels through the real server (DESIGN §3): create from a
// recording or a scenario, events reach a socket on that channel, list,
// pause/resume/speed with `clock` pushes, inject at the channel's now,
// validation with clear 400s, and delete frees every key and drops sockets.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ClockState, LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { ChannelSummary } from '../../server/channels/drill-meta.ts'
import { channelKeys } from '../../server/channels/drop-keys.ts'
import type { Running } from '../../server/main.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { caseReported } from '../support/events-factory.ts'
import { connect, eventually, freshRedisUrl, startTestServer, waitFor, type TestSocket, apiFetch } from '../support/test-server.ts'

const START = Date.parse('2026-11-20T08:00:00+08:00')
const CITY = '650400'

let server: Running
const sockets: TestSocket[] = []

/** `hours` of simulated city from START, as envelopes and as NDJSON. */
function recording(hours: number, seed: number, rate = 1): { events: EventEnvelope[]; ndjson: string } {
  const sim = createSimulation({ ...loadSimConfig(), seed, rate, compress: 60, start: START })
  const events = sim.next(START + hours * 3_600_000)
  return { events, ndjson: events.map((e) => JSON.stringify(e)).join('\n') }
}

async function api<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await apiFetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as T }
}

/** A socket on `channel` subscribed to the city, recording what it is pushed. */
async function watch(channel: string) {
  const s = await connect(server.url, channel)
  sockets.push(s)
  const seen = { events: [] as LiveEvent[], clocks: [] as ClockState[], resets: [] as Snapshot[], disconnected: false }
  s.on('events', (b) => seen.events.push(...b.items))
  s.on('clock', (c) => seen.clocks.push(c))
  s.on('reset', (snap) => seen.resets.push(snap))
  s.on('disconnect', () => { seen.disconnected = true })
  const ack = await s.emitWithAck('subscribe', { region: CITY })
  if (!ack.ok) throw new Error(ack.message)
  return seen
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await server?.stop()
})

describe('replay channels', () => {
  const rec = recording(2, 21)
  let id: string
  let seen: Awaited<ReturnType<typeof watch>>

  it('creates a channel from a recording at 100× whose events reach a socket on it, and lists it', async () => {
    const created = await api<ChannelSummary>('POST', '/api/v1/channels', { recording: rec.ndjson, speed: 100, name: 'two hours' })
    expect(created.status).toBe(201)
    id = created.body.id
    expect(id).toMatch(/^replay-[a-z0-9]+$/)
    expect(created.body).toMatchObject({ speed: 100, paused: false, source: { kind: 'recording', name: 'two hours' } })
    expect(created.body.events.total).toBe(rec.events.length)

    seen = await watch(id)
    await waitFor(() => (seen.events.length >= 20 ? true : undefined), 8000)
    const now = server.channels.get(id).clock.now()
    const sent = new Set(rec.events.map((e) => e.id))
    for (const e of seen.events) {
      expect(sent.has(e.id)).toBe(true)
      expect(e.at).toBeLessThanOrEqual(now)
    }
    // the recording's order is kept
    const order = new Map(rec.events.map((e, i) => [e.id, i]))
    const positions = seen.events.map((e) => order.get(e.id)!)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))

    const list = await api<{ channels: ChannelSummary[] }>('GET', '/api/v1/channels')
    const listed = list.body.channels.find((c) => c.id === id)!
    expect(listed).toMatchObject({ speed: 100, paused: false, seeking: false, span: { start: Date.parse(rec.events[0]!.at), end: Date.parse(rec.events.at(-1)!.at) } })
    expect(listed.now).toBeGreaterThan(START)
    expect(listed.progress).toBeGreaterThan(0)
    expect(listed.progress).toBeLessThan(1)
    expect(listed.created).toBeGreaterThan(Date.now() - 60_000)
  })

  it('pauses (no new events, the clock stands still, `clock` pushed), resumes and changes speed', async () => {
    const paused = await api<ChannelSummary>('PATCH', `/api/v1/channels/${id}`, { paused: true })
    expect(paused.status).toBe(200)
    expect(paused.body.paused).toBe(true)
    await waitFor(() => seen.clocks.find((c) => c.paused))
    await sleep(600) // a batch under way when the pause came may still be flushed
    const count = seen.events.length
    const frozen = server.channels.get(id).clock.now()
    await sleep(1200)
    expect(seen.events.length).toBe(count)
    expect(server.channels.get(id).clock.now()).toBe(frozen)
    const listed = (await api<{ channels: ChannelSummary[] }>('GET', '/api/v1/channels')).body.channels.find((c) => c.id === id)!
    expect(listed.now).toBe(Math.round(frozen))

    const resumed = await api<ChannelSummary>('PATCH', `/api/v1/channels/${id}`, { paused: false })
    expect(resumed.body.paused).toBe(false)
    await waitFor(() => seen.clocks.find((c) => !c.paused && c.now >= frozen))
    await waitFor(() => (seen.events.length > count ? true : undefined), 5000)

    const faster = await api<ChannelSummary>('PATCH', `/api/v1/channels/${id}`, { speed: 400 })
    expect(faster.body.speed).toBe(400)
    const pushed = await waitFor(() => seen.clocks.find((c) => c.speed === 400))
    expect(pushed.paused).toBe(false)
    const [t0, w0] = [server.channels.get(id).clock.now(), Date.now()]
    await sleep(500)
    const rate = (server.channels.get(id).clock.now() - t0) / (Date.now() - w0)
    expect(rate).toBeGreaterThan(390) // 400 channel ms per wall ms, give or take a millisecond of reading
    expect(rate).toBeLessThan(410)
  })

  it('injects an event stamped with the channel\'s now', async () => {
    const before = server.channels.get(id).clock.now()
    const res = await api('POST', `/api/v1/channels/${id}/events`, caseReported('INJECTED-1', Date.parse('2020-01-01T00:00:00Z')))
    const after = server.channels.get(id).clock.now()
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 1, rejected: [] })
    expect(res.body.at).toBeGreaterThanOrEqual(Math.floor(before))
    expect(res.body.at).toBeLessThanOrEqual(Math.ceil(after))
    const pushed = await waitFor(() => seen.events.find((e) => e.subject === 'INJECTED-1'))
    expect(pushed.at).toBe(res.body.at)
    expect(Math.abs(pushed.at - server.channels.get(id).clock.now())).toBeLessThan(400 * 2000) // speed × a couple of seconds

    // the same item limit as ingest (INGEST_MAX_ITEMS, 10,000): a bigger batch is refused whole, nothing injected
    const bulk = Array.from({ length: 10_001 }, (_, i) => caseReported(`BULK-${i}`))
    const tooMany = await api('POST', `/api/v1/channels/${id}/events`, bulk)
    expect(tooMany.status).toBe(413)
    expect(tooMany.body.error.message).toContain('10000')
    expect((await api('POST', `/api/v1/channels/${id}/events`, caseReported('AFTER-BULK'))).body).toMatchObject({ accepted: 1 })
    await waitFor(() => seen.events.find((e) => e.subject === 'AFTER-BULK')) // the marker: anything injected before it has arrived
    expect(seen.events.filter((e) => e.subject.startsWith('BULK-'))).toEqual([])

    expect((await api('POST', '/api/v1/channels/replay-nosuch/events', caseReported('X'))).status).toBe(404)
    const live = await api('POST', '/api/v1/channels/live/events', caseReported('X'))
    expect(live.status).toBe(400)
    expect(live.body.error.message).toContain('/api/v1/events')
  })

  it('refuses bad requests with clear 400s and unknown channels with 404', async () => {
    const slow = await api('POST', '/api/v1/channels', { recording: rec.ndjson, speed: 0.2 })
    expect(slow.status).toBe(400)
    expect(slow.body.error.message).toMatch(/speed: must be between 0\.5 and 1000/)
    const both = await api('POST', '/api/v1/channels', { recording: rec.ndjson, scenario: 'x', speed: 10 })
    expect(both.body.error.message).toContain('exactly one source')
    const unknown = await api('POST', '/api/v1/channels', { scenario: 'no-such-scenario', speed: 10 })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.message).toContain('unknown scenario "no-such-scenario"; known:')
    const badLine = await api('POST', '/api/v1/channels', { recording: `${JSON.stringify(rec.events[0])}\n{"id":"x"}\n`, speed: 10 })
    expect(badLine.status).toBe(400)
    expect(badLine.body.error.message).toMatch(/recording: 1 of 2 events are invalid: event 2: /)
    const badStart = await api('POST', '/api/v1/channels', { recording: rec.ndjson, speed: 10, start: 'yesterday' })
    expect(badStart.body.error.message).toContain('start: must be an ISO 8601 time')
    const outside = await api('PATCH', `/api/v1/channels/${id}`, { seekTo: '2020-01-01T00:00:00+08:00' })
    expect(outside.status).toBe(400)
    expect(outside.body.error.message).toContain('seekTo must lie within the source')
    expect((await api('PATCH', `/api/v1/channels/${id}`, {})).body.error.message).toContain('nothing to change')
    expect((await api('PATCH', `/api/v1/channels/${id}`, { speed: 5000 })).status).toBe(400)
    expect((await api('PATCH', '/api/v1/channels/replay-nosuch', { paused: true })).status).toBe(404)
    expect((await api('PATCH', '/api/v1/channels/live', { paused: true })).status).toBe(400)
    expect((await api('DELETE', '/api/v1/channels/replay-nosuch')).status).toBe(404)
  })

  it('takes a recording uploaded as the NDJSON body, options in the query', async () => {
    const small = rec.events.slice(0, 200)
    const at = small[100]!.at
    const res = await api<ChannelSummary>('POST', `/api/v1/channels?speed=0.5&start=${encodeURIComponent(at)}`,
      small.map((e) => JSON.stringify(e)).join('\n'), { 'content-type': 'application/x-ndjson' })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ speed: 0.5, events: { total: 200 } })
    expect(res.body.now).toBeGreaterThanOrEqual(Date.parse(at))
    // events before the start are due at once
    await eventually(async () => {
      const list = (await api<{ channels: ChannelSummary[] }>('GET', '/api/v1/channels')).body.channels
      expect(list.find((c) => c.id === res.body.id)!.events.fed).toBeGreaterThanOrEqual(101)
    })
    expect((await api('DELETE', `/api/v1/channels/${res.body.id}`)).status).toBe(200)
  })

  it('deletes a channel: every key freed, its sockets disconnected, gone from the list', async () => {
    expect((await channelKeys(server.store, id)).length).toBeGreaterThan(10)
    const res = await api('DELETE', `/api/v1/channels/${id}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ id, deleted: true })
    expect(await channelKeys(server.store, id)).toEqual([])
    await waitFor(() => (seen.disconnected ? true : undefined))
    expect((await api<{ channels: ChannelSummary[] }>('GET', '/api/v1/channels')).body.channels.map((c) => c.id)).not.toContain(id)
    expect((await apiFetch(`${server.url}/api/v1/snapshot?channel=${id}`)).status).toBe(404)
    await expect(connect(server.url, id)).rejects.toThrow()
    expect(await server.store.hexists('sr:channels', id)).toBe(0)
  })
})

describe('scenario channels', () => {
  it('lists the scenarios and runs one at 1000× into its own channel', async () => {
    const { body } = await api<{ scenarios: { name: string; durationHours: number }[] }>('GET', '/api/v1/scenarios')
    expect(body.scenarios.length).toBeGreaterThan(0)
    const name = body.scenarios[0]!.name
    const start = Date.parse('2026-11-20T06:00:00+08:00')
    const created = await api<ChannelSummary>('POST', '/api/v1/channels', { scenario: name, speed: 1000, seed: 5, start: '2026-11-20T06:00:00+08:00' })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ source: { kind: 'scenario', name, seed: 5 } })
    // the clock starts where asked; the source reaches back over the warm-up (the scenario's day from midnight, and days before)
    expect(created.body.now).toBeGreaterThanOrEqual(start)
    expect(created.body.span.start).toBeLessThan(start)
    expect(created.body.span.start).toBeGreaterThanOrEqual(Date.parse('2026-11-13T00:00:00+08:00'))
    expect(created.body.id).toMatch(/^sim-/)
    const snap = await eventually(async () => {
      const s = (await api<Snapshot>('GET', `/api/v1/snapshot?channel=${created.body.id}`)).body
      expect(s.events.length).toBeGreaterThan(0)
      return s
    }, 8000)
    expect(snap.channel).toBe(created.body.id)
    expect(snap.clock.speed).toBe(1000)
    expect((await api('DELETE', `/api/v1/channels/${created.body.id}`)).status).toBe(200)
    expect(await channelKeys(server.store, created.body.id)).toEqual([])
  }, 60_000)
})
