// Fan-out encodes once per room (DESIGN §7, issue 11): many sockets watching
// one region get identical batches from one serialisation per room broadcast
// (counted in /metrics), and a socket that resumes with `since` while events
// keep coming catches up through its own outbox without a hole or a duplicate,
// then joins the room's broadcast.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { EventBatch, LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { caseReported, hotlineReceived } from '../support/events-factory.ts'
import { connect, freshRedisUrl, post, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

const DISTRICT = '650402' // 高昌区
const GRID = '650402001001001'
const SOCKETS = 40
let server: Running
const open: TestSocket[] = []

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
})
afterAll(async () => {
  for (const s of open) s.disconnect()
  await server?.stop()
})

interface Watcher { socket: TestSocket; batches: EventBatch[]; snapshot: Snapshot; sids: () => string[] }

async function watcher(since?: string): Promise<Watcher> {
  const socket = await connect(server.url)
  open.push(socket)
  const batches: EventBatch[] = []
  socket.on('events', (b) => batches.push(b))
  const ack = await socket.emitWithAck('subscribe', since ? { region: DISTRICT, since } : { region: DISTRICT })
  if (!ack.ok) throw new Error(ack.message)
  return { socket, batches, snapshot: ack.data, sids: () => batches.flatMap((b) => b.items.map((e) => e.sid)) }
}

const got = (w: Watcher, subject: string) => w.batches.some((b) => b.items.some((e: LiveEvent) => e.subject === subject))
const allGot = (ws: Watcher[], subject: string) => waitFor(() => (ws.every((w) => got(w, subject)) ? true : undefined), 10_000)

async function counters() {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const read = (name: string, path: string) => Number(new RegExp(`^${name}\\{path="${path}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0)
  return {
    roomBatches: read('situation_fanout_batches_total', 'room'),
    socketBatches: read('situation_fanout_batches_total', 'socket'),
    roomDeliveries: read('situation_fanout_deliveries_total', 'room'),
  }
}

let seq = 0
const burst = (n: number) => Array.from({ length: n }, () => (seq % 2 ? caseReported(`ROOM-${seq++}`, undefined, GRID) : hotlineReceived(`ROOM-${seq++}`, undefined, GRID)))

describe('fan-out per room', () => {
  it(`${SOCKETS} sockets in one room get identical batches, each serialised once for all of them`, async () => {
    const ws = await Promise.all(Array.from({ length: SOCKETS }, () => watcher()))
    await post(server.url, caseReported('ROOM-WARM', undefined, GRID))
    await allGot(ws, 'ROOM-WARM') // every socket has caught up past its snapshot
    for (const w of ws) w.batches.length = 0
    const before = await counters()

    const posts = 5
    for (let i = 0; i < posts; i++) expect((await post(server.url, burst(20))).body.accepted).toBe(20)
    await post(server.url, caseReported('ROOM-SENTINEL', undefined, GRID))
    await allGot(ws, 'ROOM-SENTINEL')
    const after = await counters()

    const first = JSON.stringify(ws[0]!.batches)
    for (const w of ws) expect(JSON.stringify(w.batches)).toBe(first)
    expect(ws[0]!.sids()).toHaveLength(posts * 20 + 1)
    expect(ws[0]!.batches.length).toBeLessThanOrEqual(2 * (posts + 1)) // batched, not one message per event
    expect(after.socketBatches - before.socketBatches).toBe(0) // no socket had a batch encoded for it alone
    expect(after.roomBatches - before.roomBatches).toBe(ws[0]!.batches.length) // one encode per batch, for all 40
    expect(after.roomDeliveries - before.roomDeliveries).toBe(SOCKETS * (posts * 20 + 1))
  })

  it('a socket resuming with `since` while events keep coming catches up with no hole and no duplicate, then takes the room broadcast', async () => {
    const steady = await watcher()
    const leaving = await watcher()
    await post(server.url, burst(10))
    const lastSubject = `ROOM-${seq - 1}`
    await allGot([steady, leaving], lastSubject)
    const cursor = leaving.sids().at(-1)!
    leaving.socket.disconnect()

    let posting = true
    const pump = (async () => {
      while (posting) await post(server.url, burst(5))
    })()
    await post(server.url, burst(30)) // missed while away
    const back = await watcher(cursor)
    await post(server.url, burst(10))
    posting = false
    await pump
    await post(server.url, caseReported('ROOM-RESUMED', undefined, GRID))
    await allGot([steady, back], 'ROOM-RESUMED')

    expect(back.snapshot.resumed).toBe(true)
    const all = steady.sids()
    const expected = all.slice(all.indexOf(cursor) + 1)
    expect(expected.length).toBeGreaterThan(40)
    const seen = [...back.snapshot.events.map((e) => e.sid), ...back.sids()]
    expect(seen).toEqual(expected)
    expect(new Set(seen).size).toBe(seen.length)

    const before = await counters()
    await post(server.url, burst(10))
    await post(server.url, caseReported('ROOM-AFTER', undefined, GRID))
    await allGot([steady, back], 'ROOM-AFTER')
    expect((await counters()).socketBatches - before.socketBatches).toBe(0) // caught up: in the room's broadcast now
    expect(back.batches.at(-1)).toEqual(steady.batches.at(-1))
  })
})
