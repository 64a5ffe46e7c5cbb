// Seek on a replay channel: the channel is rebuilt at the target quickly,
// its KPIs and panels (city and a township) equal those of a straight replay
// of the same source up to that instant, sockets on it get `reset`, and the
// replay then continues from the target.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import type { ChannelSummary } from '../../server/channels/drill-meta.ts'
import { compareStreamIds } from '../../server/domain/stream-id.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import type { Running } from '../../server/main.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { connect, eventually, freshRedisUrl, startTestServer, waitFor, type TestSocket, apiFetch } from '../support/test-server.ts'

const START = Date.parse('2026-11-20T08:00:00+08:00')
const HOUR = 3_600_000
const TARGET = START + 2 * HOUR
const CITY = '650400'

let server: Running
let socket: TestSocket
const regions = loadRegions()
const categories = loadCategories()

const sim = createSimulation({ ...loadSimConfig(), seed: 31, rate: 1, compress: 60, start: START })
const events: EventEnvelope[] = sim.next(START + 4 * HOUR)

async function api<T = any>(method: string, path: string, body?: unknown) {
  const res = await apiFetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, body: (await res.json()) as T }
}
const snapshot = async (channel: string, region: string) => (await api<Snapshot>('GET', `/api/v1/snapshot?channel=${channel}&region=${region}`)).body
const comparable = (s: Snapshot) => ({
  clock: s.clock, kpis: s.kpis, trend: s.trend, categories: s.categories, hotlineKinds: s.hotlineKinds,
  ranking: s.ranking, overdue: s.overdue, lastEvents: s.events.map((e) => e.id),
})

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
})
afterAll(async () => {
  socket?.disconnect()
  await server?.stop()
})

it('seeks to the middle: rebuilt state equals a straight replay to that instant, sockets are reset, then it continues', async () => {
  const created = await api<ChannelSummary>('POST', '/api/v1/channels', { recording: events.map((e) => JSON.stringify(e)).join('\n'), speed: 1000 })
  expect(created.status).toBe(201)
  const id = created.body.id
  socket = await connect(server.url, id)
  const pushed: LiveEvent[] = []
  const resets: Snapshot[] = []
  socket.on('events', (b) => pushed.push(...b.items))
  socket.on('reset', (s) => resets.push(s))
  expect((await socket.emitWithAck('subscribe', { region: CITY })).ok).toBe(true)

  // run past the target, so the seek goes back and later state must go
  await eventually(() => expect(server.channels.get(id).clock.now()).toBeGreaterThan(START + 2.3 * HOUR), 30_000)
  const t0 = performance.now()
  const pushedBeforeSeek = pushed.length
  const seek = await api<ChannelSummary>('PATCH', `/api/v1/channels/${id}`, { seekTo: new Date(TARGET).toISOString(), paused: true })
  const seekMs = performance.now() - t0
  const due = events.filter((e) => Date.parse(e.at) <= TARGET)
  console.log(`seek: rebuilt ${due.length} of ${events.length} events in ${Math.round(seekMs)} ms (answered once rebuilt)`)
  expect(seek.status).toBe(200)
  expect(seek.body).toMatchObject({ now: TARGET, paused: true, seeking: false, events: { fed: due.length } })
  const reset = await waitFor(() => resets.find((s) => s.clock.now === TARGET))
  console.log(`socket: ${pushed.length - pushedBeforeSeek} events pushed between the PATCH and the reset, ${resets.length} reset(s)`)
  expect(reset.clock.paused).toBe(true)

  // the straight replay: the same source events up to the target, in order, into a channel of its own
  await server.channels.createReplay('replay-straight', TARGET, 1)
  server.channels.setReplayClock('replay-straight', { now: TARGET, speed: 1000, paused: true })
  const deps = { store: server.store, regions, categories }
  for (let i = 0; i < due.length; i += 2000) {
    const batch = due.slice(i, i + 2000).map((value) => ({ ok: true as const, value }))
    await ingest(batch, deps, { channel: 'replay-straight', zone: 'Asia/Shanghai', logMaxLen: 1_000_000, seenTtlSec: 400 * 86_400 })
  }
  const townships = new Map<string, number>()
  for (const e of due) if (e.region && e.region.length >= 9) townships.set(e.region.slice(0, 9), (townships.get(e.region.slice(0, 9)) ?? 0) + 1)
  const township = [...townships].sort((a, b) => b[1] - a[1])[0]![0]
  for (const region of [CITY, township]) {
    const [seeked, straight] = await Promise.all([snapshot(id, region), snapshot('replay-straight', region)])
    expect(seeked.kpis.today.caseReported).toBeGreaterThan(0)
    expect(comparable(seeked)).toEqual(comparable(straight))
  }

  // and on from there
  const before = pushed.length
  expect((await api('PATCH', `/api/v1/channels/${id}`, { paused: false })).status).toBe(200)
  await waitFor(() => (pushed.length > before + 5 ? true : undefined), 5000)
  const after = pushed.slice(before).filter((e) => compareStreamIds(e.sid, reset.cursor) > 0)
  expect(after.length).toBeGreaterThan(0)
  for (const e of after) expect(e.at).toBeGreaterThan(TARGET)
}, 90_000)
