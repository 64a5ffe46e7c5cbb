// The whole pipe with real parts: POST → apply.lua in a real redis-server →
// log tail → socket.io → a real client subscribed to the city.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { EventBatch, KpiUpdate, LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { caseReported, caseStep, hotlineReceived } from '../support/events-factory.ts'
import { connect, eventually, freshRedisUrl, post, startTestServer, waitFor, type TestSocket, apiFetch } from '../support/test-server.ts'

let server: Running
let socket: TestSocket
let snapshot: Snapshot
const received: LiveEvent[] = []
const kpiUpdates: KpiUpdate[] = []

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  socket = await connect(server.url)
  socket.on('events', (b: EventBatch) => received.push(...b.items))
  socket.on('kpis', (u) => kpiUpdates.push(u))
  const ack = await socket.emitWithAck('subscribe', { region: '650400' })
  if (!ack.ok) throw new Error(ack.message)
  snapshot = ack.data
})
afterAll(async () => {
  socket?.disconnect()
  await server?.stop()
})

describe('ingest to live wall', () => {
  it('answers a subscription with a snapshot of today', () => {
    expect(snapshot.region).toBe('650400')
    expect(snapshot.kpis.today.caseReported).toBe(0)
    expect(snapshot.trend).toHaveLength(144)
    expect(snapshot.cursor).toMatch(/^\d+-\d+$/)
  })

  it('pushes a posted event to the city subscriber and changes its KPIs', async () => {
    const res = await post(server.url, caseReported('C-100'))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
    const ev = await waitFor(() => received.find((x) => x.id === 'case-C-100-reported'))
    expect(ev.region).toBe('650402001001001')
    expect(ev.applied).toBe(true)
    const update = await waitFor(() => kpiUpdates.findLast((x) => x.values.today?.caseReported === 1), 4000)
    expect(update.region).toBe('650400')
    expect(update.values.today?.casePending).toBe(1)
  })

  it('counts a replayed id once', async () => {
    const body = [hotlineReceived('H-7'), hotlineReceived('H-7')]
    const first = await post(server.url, body)
    expect(first.body).toMatchObject({ accepted: 1, duplicates: 1 })
    const again = await post(server.url, body[0])
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 1 })
    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot?region=650402`)).json()) as Snapshot
    expect(snap.kpis.today.hotlineReceived).toBe(1)
    expect(snap.kpis.today.hotlineOpen).toBe(1)
    await eventually(() => expect(received.filter((e) => e.id === 'hl-H-7-received')).toHaveLength(1))
  })

  it('rejects a malformed item with its reason while the rest of the batch lands', async () => {
    const res = await post(server.url, [
      caseReported('C-200'),
      { ...caseReported('C-201'), category: undefined },
      { ...caseReported('C-202'), region: '659999999' },
      caseStep('C-200', 'registered'),
    ])
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(2)
    expect(res.body.rejected).toEqual([
      { index: 1, id: 'case-C-201-reported', error: expect.stringContaining('category') },
      { index: 2, id: 'case-C-202-reported', error: expect.stringContaining('unknown region code "659999999"') },
    ])
    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot?region=650400`)).json()) as Snapshot
    expect(snap.kpis.today).toMatchObject({ caseReported: 2, caseRegistered: 1, caseOpen: 1, casePending: 1 })
  })

  it('records an out-of-order event in the log without changing counters', async () => {
    const res = await post(server.url, caseStep('C-200', 'closed'))
    expect(res.body).toMatchObject({ accepted: 1, outOfOrder: 1 })
    await eventually(() => expect(received.find((e) => e.id === 'case-C-200-closed')?.applied).toBe(false))
    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot
    expect(snap.kpis.today.caseClosedFlow).toBe(0)
  })

  it('takes NDJSON and resolves the region from a location', async () => {
    const [lon, lat] = [89.19, 42.95]
    const lines = [
      JSON.stringify({ ...hotlineReceived('H-8'), region: undefined, location: [lon, lat] }),
      '{not json',
    ].join('\n')
    const res = await post(server.url, lines, { 'content-type': 'application/x-ndjson' })
    expect(res.body.accepted).toBe(1)
    expect(res.body.rejected[0]).toMatchObject({ index: 1, error: expect.stringContaining('line 2') })
    const ev = await waitFor(() => received.find((e) => e.id === 'hl-H-8-received'))
    expect(ev.region).toMatch(/^\d{15}$/)
  })

  it('refuses a missing or wrong key, an unparseable body and an oversized one', async () => {
    expect((await post(server.url, caseReported('X'), { authorization: '' })).status).toBe(401)
    expect((await post(server.url, caseReported('X'), { authorization: 'Bearer nope' })).status).toBe(401)
    const bad = await post(server.url, '{"id":')
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('BAD_REQUEST')
    const big = await post(server.url, JSON.stringify(Array.from({ length: 40_000 }, (_, i) => caseReported(`B${i}`))))
    expect(big.status).toBe(413)
    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot
    expect(snap.kpis.today.caseReported).toBe(2)
  })

  it('refuses a subscription to an unknown region with a clear code', async () => {
    const ack = await socket.emitWithAck('subscribe', { region: '123456' })
    expect(ack).toMatchObject({ ok: false, code: 'UNKNOWN_REGION' })
  })
})
