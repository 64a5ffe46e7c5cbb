// What a subscriber receives: only its region's subtree; after a reconnect
// with `since`, exactly what it missed; KPI pushes only when values change.
// A socket follows its newest subscribe; a refused one changes nothing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { KpiUpdate, LiveEvent, PanelsUpdate } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { newestStreamId } from '../../server/domain/stream-id.ts'
import { caseReported, hotlineReceived } from '../support/events-factory.ts'
import { connect, freshRedisUrl, post, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

const GAOCHANG_GRID = '650402001001001' // 高昌区
const SHANSHAN_GRID = '650421100001001' // 鄯善县
const TOKSUN_GRID = '650422100001001' // 托克逊县
let server: Running
const open: TestSocket[] = []

beforeAll(async () => {
  // three subscribes per socket at once, then one a minute: enough for every test here but the one about the limit
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { SOCKET_SUBSCRIBE_BURST: '3', SOCKET_SUBSCRIBE_PER_MIN: '1' })
})
afterAll(async () => {
  for (const s of open) s.disconnect()
  await server?.stop()
})

async function subscriber(region: string, since?: string) {
  const socket = await connect(server.url)
  open.push(socket)
  const events: LiveEvent[] = []
  const kpis: KpiUpdate[] = []
  let cursor: string | null = null // as a wall keeps it: every partition's position (DESIGN §11)
  socket.on('events', (b) => {
    events.push(...b.items)
    cursor = newestStreamId(cursor, b.cursor)
  })
  socket.on('kpis', (u) => kpis.push(u))
  const ack = await socket.emitWithAck('subscribe', since ? { region, since } : { region })
  if (!ack.ok) throw new Error(ack.message)
  cursor = newestStreamId(cursor, ack.data.cursor)
  return { socket, events, kpis, snapshot: ack.data, cursor: () => cursor! }
}

describe('subscriptions', () => {
  it('sends a district only the events of its own subtree', async () => {
    const gaochang = await subscriber('650402')
    const shanshan = await subscriber('650421')
    await post(server.url, [caseReported('SUB-G', undefined, GAOCHANG_GRID), caseReported('SUB-S', undefined, SHANSHAN_GRID)])
    await waitFor(() => gaochang.events.find((e) => e.subject === 'SUB-G'))
    await waitFor(() => shanshan.events.find((e) => e.subject === 'SUB-S'))
    await new Promise((r) => setTimeout(r, 300))
    expect(gaochang.events.map((e) => e.subject)).toEqual(['SUB-G'])
    expect(shanshan.events.map((e) => e.subject)).toEqual(['SUB-S'])
  })

  it('resumes after a reconnect with exactly the missed events, no duplicate and no hole', async () => {
    const first = await subscriber('650400')
    await post(server.url, [caseReported('RES-1'), caseReported('RES-2')])
    await waitFor(() => first.events.find((e) => e.subject === 'RES-2'))
    const cursor = first.cursor()
    first.socket.disconnect()
    await post(server.url, [hotlineReceived('RES-3'), caseReported('RES-4', undefined, SHANSHAN_GRID)])
    const again = await subscriber('650400', cursor)
    expect(again.snapshot.resumed).toBe(true)
    expect(again.snapshot.events.map((e) => e.subject)).toEqual(['RES-3', 'RES-4'])
    await post(server.url, caseReported('RES-5'))
    await waitFor(() => again.events.find((e) => e.subject === 'RES-5'))
    expect(again.events.map((e) => e.subject)).toEqual(['RES-5'])
  })

  it('answers a fresh snapshot when the cursor is unknown to the log', async () => {
    const s = await subscriber('650400', '1-0')
    expect(s.snapshot.resumed).toBe(false)
    expect(s.snapshot.events.length).toBeGreaterThan(0)
    expect(s.snapshot.events.length).toBeLessThanOrEqual(50)
  })

  it('pushes the panels of a region (trend, categories, kinds) within five seconds of a change', async () => {
    const s = await subscriber('650422')
    const panels: PanelsUpdate[] = []
    s.socket.on('panels', (p) => panels.push(p))
    await post(server.url, [
      caseReported('PNL-1', undefined, '650422100001001'),
      { ...hotlineReceived('PNL-2', undefined, '650422100001001'), attrs: { kind: 'suggestion' } },
    ])
    const update = await waitFor(() => panels.find((p) => p.categories.some((c) => c.code === 'city.sanitation')), 7000)
    expect(update.region).toBe('650422')
    expect(update.hotlineKinds).toEqual([{ kind: 'suggestion', count: 1 }])
    expect(update.trend.reduce((n, b) => n + b.today, 0)).toBe(2)
    expect(update.ranking?.entries.length).toBeGreaterThan(0)
  })

  it('pushes KPIs of a region once it changed, and not again while nothing changes', async () => {
    const s = await subscriber('650421')
    await post(server.url, caseReported('KPI-1', undefined, SHANSHAN_GRID))
    const update = await waitFor(() => s.kpis.find((u) => u.values.today?.caseReported === s.snapshot.kpis.today.caseReported! + 1))
    expect(update.region).toBe('650421')
    const count = s.kpis.length
    await new Promise((r) => setTimeout(r, 2500))
    expect(s.kpis.length).toBe(count)
  })

  it('follows the newest of several subscribes sent at once; the older ones are answered SUPERSEDED or with their own region', async () => {
    const socket = await connect(server.url)
    open.push(socket)
    const events: LiveEvent[] = []
    socket.on('events', (b) => events.push(...b.items))
    const acks = await Promise.all(['650402', '650421', '650422'].map((region) => socket.emitWithAck('subscribe', { region })))
    expect(acks[2]!.ok && acks[2]!.data.region).toBe('650422')
    for (const [i, ack] of acks.slice(0, 2).entries()) {
      if (ack.ok) expect(ack.data.region).toBe(['650402', '650421'][i])
      else expect(ack.code).toBe('SUPERSEDED')
    }
    await post(server.url, [caseReported('NEW-G', undefined, GAOCHANG_GRID), caseReported('NEW-S', undefined, SHANSHAN_GRID), caseReported('NEW-T', undefined, TOKSUN_GRID)])
    await post(server.url, caseReported('NEW-T2', undefined, TOKSUN_GRID)) // the sentinel: everything before it was sent
    await waitFor(() => events.find((e) => e.subject === 'NEW-T2'))
    expect(events.map((e) => e.subject)).toEqual(['NEW-T', 'NEW-T2'])
  })

  it('keeps the current subscription when a subscribe is refused (unknown region, over the rate limit)', async () => {
    const s = await subscriber('650421') // 1 of the 3 at once
    const unknown = await s.socket.emitWithAck('subscribe', { region: '999999' }) // 2
    expect(unknown).toMatchObject({ ok: false, code: 'UNKNOWN_REGION' })
    expect((await s.socket.emitWithAck('subscribe', { region: '650421' })).ok).toBe(true) // 3
    const limited = await s.socket.emitWithAck('subscribe', { region: '650402' })
    expect(limited.ok).toBe(false)
    if (limited.ok) return
    expect(limited.code).toBe('RATE_LIMITED')
    expect(limited.message).toMatch(/retry in \d+ s/)
    await post(server.url, [caseReported('KEEP-G', undefined, GAOCHANG_GRID), caseReported('KEEP-S', undefined, SHANSHAN_GRID)])
    await post(server.url, caseReported('KEEP-S2', undefined, SHANSHAN_GRID))
    await waitFor(() => s.events.find((e) => e.subject === 'KEEP-S2'))
    expect(s.events.map((e) => e.subject)).toEqual(['KEEP-S', 'KEEP-S2'])
  })
})
