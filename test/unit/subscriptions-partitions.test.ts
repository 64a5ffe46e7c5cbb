// Fan-out over a channel split into partitions (DESIGN §11): each partition
// log's batches come in their own order, the logs interleaved; cursors hold one
// position per partition, so a socket gets every event once, a snapshot joins
// its held items per partition, and a room's cursor never moves a partition back.
import { describe, expect, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import { cursorOf, cursorPositions, sidOf } from '../../server/domain/stream-id.ts'
import { Subscriptions, type Outlet } from '../../server/realtime/subscriptions.ts'

const regions = loadRegions(undefined, 'district')
const [p1, p2] = regions.partitions.filter((p) => p !== '') as [string, string]
const leaf = (code: string): string => {
  const kids = regions.childrenOf(code)
  return kids.length === 0 ? code : leaf(kids[0]!.code)
}
const root = regions.root.code

/** Events of one partition's log, `ms` its stream ids' time; placed in `region`. */
const logOf = (partition: string, region: string) => {
  let seq = 0
  return (n: number, ms = 1000): LiveEvent[] =>
    Array.from({ length: n }, () => ({ sid: sidOf(`${ms}-${seq++}`, partition), id: `${partition || 'root'}-${seq}`, region, applied: true }) as unknown as LiveEvent)
}

function outlet(id: string) {
  const o = { id, resyncs: 0, slow: false, sent: [] as { cursor: string; items: LiveEvent[] }[], send: (cursor: string, items: LiveEvent[]) => void o.sent.push({ cursor, items }), alert: () => {}, overloaded: () => o.slow, resync: () => void o.resyncs++ }
  return o satisfies Outlet
}
const ids = (o: ReturnType<typeof outlet>) => o.sent.flatMap((b) => b.items.map((e) => e.id))

function roomOf() {
  const broadcasts: { cursor: string; members: string[] }[] = []
  const subs = new Subscriptions(regions, {
    send: (_c, _r, cursor, items, members) => {
      broadcasts.push({ cursor, members: [...members].map((s) => s.outlet.id) })
      for (const sub of members) sub.outlet.send(cursor, items)
    },
    join: () => {},
    leave: () => {},
    alert: (u, to) => { for (const sub of to) sub.outlet.alert(u) },
  })
  return { subs, broadcasts }
}

describe('Subscriptions over partitions', () => {
  it('runs on a tree split into partitions', () => {
    expect(regions.partitioned).toBe(true)
    expect(p1).not.toBe(p2)
  })

  it('a snapshot drops held items per partition: a newer id in one partition does not cover an older one in another', () => {
    const { subs } = roomOf()
    const a = logOf(p1, leaf(p1))
    const b = logOf(p2, leaf(p2))
    const r = logOf('', root)
    subs.position('live', cursorOf([['', '0-0'], [p1, '0-0'], [p2, '0-0']]))
    const o = outlet('s')
    const sub = subs.open(o, 'live', root)
    const held = [...a(2, 5000), ...b(2, 10), ...r(1, 20)]
    subs.dispatch('live', held.slice(0, 2))
    subs.dispatch('live', held.slice(2, 4))
    subs.dispatch('live', held.slice(4))
    // the snapshot holds a's first entry, b's both, nothing of the root log
    const snap = cursorOf([['', '0-0'], [p1, held[0]!.sid.split('@')[0]!], [p2, held[3]!.sid.split('@')[0]!]])
    expect(subs.covers(sub, snap)).toBe(true)
    subs.ready(sub, snap)
    subs.flush()
    expect(ids(o)).toEqual([held[1]!.id, held[4]!.id])
    expect(cursorPositions(sub.cursor!)).toEqual(new Map([['', '20-0'], [p1, '5000-1'], [p2, '10-1']]))
    expect(sub.live).toBe(true) // it holds nothing the tail has not handed over
  })

  it('a snapshot older than the held-from position in any one partition is too old', () => {
    const subs = new Subscriptions(regions)
    const a = logOf(p1, leaf(p1))
    const b = logOf(p2, leaf(p2))
    subs.dispatch('live', a(1, 100))
    subs.dispatch('live', b(1, 50))
    const sub = subs.open(outlet('o'), 'live', root)
    expect(subs.covers(sub, cursorOf([['', '0-0'], [p1, '100-0'], [p2, '49-0']]))).toBe(false)
    expect(subs.covers(sub, cursorOf([['', '0-0'], [p1, '99-0'], [p2, '50-0']]))).toBe(false)
    expect(subs.covers(sub, cursorOf([['', '0-0'], [p1, '100-0'], [p2, '50-0']]))).toBe(true)
  })

  it('a live room gets each partition once, its cursor advanced per partition, and a district room only its own', () => {
    const { subs, broadcasts } = roomOf()
    subs.position('live', cursorOf([['', '0-0'], [p1, '0-0'], [p2, '0-0']]))
    const [city, d1] = [outlet('city'), outlet('d1')]
    subs.ready(subs.open(city, 'live', root), cursorOf([['', '0-0'], [p1, '0-0'], [p2, '0-0']]))
    subs.ready(subs.open(d1, 'live', p1), cursorOf([['', '0-0'], [p1, '0-0'], [p2, '0-0']]))
    subs.flush()
    const a = logOf(p1, leaf(p1))
    const b = logOf(p2, leaf(p2))
    const r = logOf('', root)
    const all = [a(3, 900), b(2, 100), r(1, 50), a(1, 950), b(1, 200)]
    for (const batch of all) subs.dispatch('live', batch)
    subs.flush()
    expect(ids(city)).toEqual(all.flat().map((e) => e.id))
    expect(ids(d1)).toEqual([...all[0]!, ...all[3]!].map((e) => e.id))
    const cityCursor = broadcasts.find((x) => x.members.includes('city'))!.cursor
    expect(cursorPositions(cityCursor)).toEqual(new Map([['', '50-0'], [p1, '950-3'], [p2, '200-2']]))
  })

  it('a socket whose snapshot is ahead of the tail in one partition stays on its own path until the tail passes it there', () => {
    const { subs, broadcasts } = roomOf()
    subs.position('live', cursorOf([['', '0-0'], [p1, '0-0'], [p2, '0-0']]))
    const first = outlet('first')
    subs.ready(subs.open(first, 'live', root), cursorOf([['', '0-0'], [p1, '0-0'], [p2, '0-0']]))
    subs.flush()
    const a = logOf(p1, leaf(p1))
    const b = logOf(p2, leaf(p2))
    const late = outlet('late')
    const sub = subs.open(late, 'live', root)
    subs.ready(sub, cursorOf([['', '0-0'], [p1, '0-0'], [p2, '10-1']])) // read p2's two entries before the tail handed them over
    subs.dispatch('live', a(1, 500)) // a p1 entry newer in time than anything of p2: not a reason to go live
    subs.flush()
    expect(sub.live).toBe(false)
    const bs = b(3, 10)
    subs.dispatch('live', bs)
    subs.flush()
    expect(ids(late)).toEqual([`${p1}-1`, bs[2]!.id]) // only what its snapshot lacks
    expect(sub.live).toBe(true)
    subs.dispatch('live', a(1, 600))
    subs.flush()
    expect(broadcasts.at(-1)!.members).toEqual(['first', 'late'])
    expect(late.sent.at(-1)).toEqual(first.sent.at(-1))
  })
})
