// Live delivery over a channel split into partitions (DESIGN §11,
// PARTITION_LEVEL=district): the demo city's three districts are partitions
// with logs of their own, events placed at the city itself land in the root
// partition. Two instances tail every partition log; a wall watching the city
// gets every event of every partition exactly once, a wall watching a district
// only its own, and a wall that drops mid-stream and resubscribes with
// `since: cursor` gets exactly what it missed. "Nothing more" is proved by a
// sentinel in each partition, posted after everything else.
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { newestStreamId, partitionOfSid } from '../../server/domain/stream-id.ts'
import { caseReported } from '../support/events-factory.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { connect, freshRedisUrl, post, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

const PARTITIONED = { PARTITION_LEVEL: 'district' }
const regions = loadRegions(undefined, 'district')
const CITY = '650400'
const [D1, D2, D3] = ['650402', '650421', '650422']
const leaf = (code: string): string => {
  const kids = regions.childrenOf(code)
  return kids.length === 0 ? code : leaf(kids[kids.length - 1]!.code)
}
const township = (code: string) => regions.childrenOf(code)[0]!.code
/** Where the events are placed: a grid and a township of each district, and the city itself (the root partition). */
const PLACES = [leaf(D1), leaf(D2), leaf(D3), CITY, township(D1), township(D2), township(D3)]

let a: Running
let b: ServerProcess
const urls = () => [a.url, b.url]

/** A wall: what its socket received, its cursor as a client keeps it, and any reset (a fresh snapshot: not expected here). */
interface Wall { socket: TestSocket; region: string; got: LiveEvent[]; cursor: string | null; resets: number }
const walls: Wall[] = []

async function wall(url: string, region: string, since?: string): Promise<Wall & { snapshotEvents: LiveEvent[]; resumed: boolean }> {
  const socket = await connect(url)
  const w: Wall = { socket, region, got: [], cursor: null, resets: 0 }
  socket.on('events', (batch) => {
    w.got.push(...batch.items)
    w.cursor = newestStreamId(w.cursor, batch.cursor)
  })
  socket.on('reset', () => void w.resets++)
  const ack = await socket.emitWithAck('subscribe', since === undefined ? { region } : { region, since })
  if (!ack.ok) throw new Error(`subscribe ${region}: ${ack.message}`)
  w.cursor = newestStreamId(w.cursor, ack.data.cursor)
  walls.push(w)
  return Object.assign(w, { snapshotEvents: ack.data.events, resumed: ack.data.resumed === true })
}

const inRegion = (region: string) => (e: { region: string }) => regions.chain(e.region).includes(region)
let n = 0
/** `count` events spread over PLACES, posted in small batches to both instances at once. */
async function postSpread(count: number, tag: string) {
  const events = Array.from({ length: count }, () => {
    const i = n++
    return caseReported(`${tag}-${i}`, undefined, PLACES[i % PLACES.length]!)
  })
  const batches = Array.from({ length: Math.ceil(count / 5) }, (_, i) => events.slice(i * 5, i * 5 + 5))
  const res = await Promise.all(batches.map((batch, i) => post(urls()[i % 2]!, batch)))
  for (const r of res) expect(r.body.accepted).toBe(5)
  return events.map((e) => ({ id: e.id, region: e.region }))
}

/** One sentinel event in each partition (a grid of each district, and the city), posted after everything else. */
async function sentinels(tag: string) {
  const events = [leaf(D1), leaf(D2), leaf(D3), CITY].map((region) => caseReported(`${tag}-${region}`, undefined, region))
  expect((await post(a.url, events)).body.accepted).toBe(4)
  return events.map((e) => ({ id: e.id, region: e.region }))
}
const hasAll = (w: { got: LiveEvent[] }, ids: string[]) => ids.every((id) => w.got.some((e) => e.id === id)) || undefined

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  ;[a, b] = await Promise.all([startTestServer(url, PARTITIONED), spawnServer(url, undefined, PARTITIONED)])
}, 60_000)
afterAll(async () => {
  for (const w of walls) w.socket.disconnect()
  await Promise.all([a?.stop(), b?.stop()])
})

it('splits the demo city into the root partition and one per district', () => {
  expect(new Set(regions.partitions)).toEqual(new Set(['', D1, D2, D3]))
  expect(regions.partitionOf(CITY)).toBe('')
  expect(regions.partitionOf(leaf(D2))).toBe(D2)
})

it('delivers every event of a wall\'s region exactly once, from every partition, on both instances, and none of another region', async () => {
  const cityA = await wall(a.url, CITY)
  const cityB = await wall(b.url, CITY)
  const d1A = await wall(a.url, D1)
  const d2B = await wall(b.url, D2)
  const posted = [...await postSpread(40, 'LIVE'), ...await postSpread(30, 'MORE')]
  const first = await sentinels('SENTINEL')
  for (const w of [cityA, cityB]) await waitFor(() => hasAll(w, first.map((e) => e.id)), 10_000)
  // every event is dispatched on both instances; one more sentinel in each district wall's own partition comes after anything misrouted
  const last = await sentinels('LAST')
  const all = [...posted, ...first, ...last]
  for (const w of [cityA, cityB, d1A, d2B]) await waitFor(() => hasAll(w, all.filter(inRegion(w.region)).map((e) => e.id)), 10_000)
  for (const w of [cityA, cityB, d1A, d2B]) {
    const ids = w.got.map((e) => e.id)
    expect(ids.length, `${w.region}: no duplicate`).toBe(new Set(ids).size)
    expect(new Set(ids), `${w.region}: exactly its region's events`).toEqual(new Set(all.filter(inRegion(w.region)).map((e) => e.id)))
    expect(w.resets).toBe(0)
  }
  // sids name the partition of the log they come from
  for (const e of cityA.got) expect(partitionOfSid(e.sid)).toBe(regions.partitionOf(e.region))
  expect(new Set(cityA.got.map((e) => partitionOfSid(e.sid)))).toEqual(new Set(['', D1, D2, D3]))
  // each partition's events arrive in that log's order
  for (const p of regions.partitions) {
    const sids = cityB.got.filter((e) => partitionOfSid(e.sid) === p).map((e) => e.sid)
    expect(sids).toEqual([...sids].sort((x, y) => Number(x.split('-')[0]) - Number(y.split('-')[0]) || Number(x.split('-')[1]!.split('@')[0]) - Number(y.split('-')[1]!.split('@')[0])))
  }
}, 60_000)

it('a wall that drops mid-stream and resubscribes with `since: cursor` gets exactly what it missed', async () => {
  const first = await wall(b.url, CITY)
  const watcher = await wall(a.url, CITY) // stays connected throughout: what the city had
  const before = await postSpread(20, 'BEFORE')
  await waitFor(() => hasAll(first, before.map((e) => e.id)))
  // drop while events keep coming, after some of a batch arrived
  const during = postSpread(30, 'DURING')
  await waitFor(() => first.got.some((e) => e.id.includes('DURING')) || undefined)
  first.socket.disconnect()
  const cursor = first.cursor!
  const gotBeforeDrop = first.got.length
  await during
  const missedWhileAway = await postSpread(15, 'AWAY')
  const again = await wall(a.url, CITY, cursor)
  expect(again.resumed).toBe(true)
  const after = await postSpread(15, 'AFTER')
  const end = await sentinels('END')
  const expected = [...before, ...await during, ...missedWhileAway, ...after, ...end].filter(inRegion(CITY)).map((e) => e.id)
  await waitFor(() => hasAll(again, end.map((e) => e.id)), 10_000)
  await waitFor(() => hasAll(watcher, expected), 10_000)
  expect(watcher.got.map((e) => e.id).filter((id) => expected.includes(id)).sort()).toEqual([...expected].sort())
  expect(first.got.length).toBe(gotBeforeDrop)
  const seen = [...first.got, ...again.snapshotEvents, ...again.got].map((e) => e.id).filter((id) => expected.includes(id))
  expect(seen.length, 'no duplicate').toBe(new Set(seen).size)
  expect(new Set(seen), 'no hole').toEqual(new Set(expected))
  // the resumed events are exactly those the first socket had not received
  const had = new Set(first.got.map((e) => e.id))
  expect(again.snapshotEvents.every((e) => !had.has(e.id))).toBe(true)
}, 60_000)
