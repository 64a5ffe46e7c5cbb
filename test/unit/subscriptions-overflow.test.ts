// Drop-to-snapshot: a subscription that falls too far behind forgets what it
// holds and gets a fresh snapshot, and a snapshot read before items it did not
// hold were sent out (a shared read) is recognised as too old to join.
import { describe, expect, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import { OUTBOX_CAP, Subscriptions, type Outlet } from '../../server/realtime/subscriptions.ts'

const regions = loadRegions()
const district = regions.childrenOf(regions.root.code)[0]!.code
const grid = (function down(code: string): string {
  const kids = regions.childrenOf(code)
  return kids.length === 0 ? code : down(kids[0]!.code)
})(district)

let seq = 0
const events = (n: number): LiveEvent[] =>
  Array.from({ length: n }, () => ({ sid: `1000-${seq++}`, region: grid, applied: true }) as unknown as LiveEvent)

function outlet(id: string) {
  const o = { id, resyncs: 0, slow: false, sent: [] as LiveEvent[][], send: (_c: string, items: LiveEvent[]) => void o.sent.push(items), alert: () => {}, overloaded: () => o.slow, resync: () => void o.resyncs++ }
  return o satisfies Outlet
}
const sids = (o: ReturnType<typeof outlet>) => o.sent.flat().map((e) => e.sid)

/** A room of sockets and what each broadcast reached: one call per batch, whatever the number of members. */
function roomOf() {
  const broadcasts: { cursor: string; items: LiveEvent[]; members: string[] }[] = []
  const subs = new Subscriptions(regions, {
    send: (_c, _r, cursor, items, members) => {
      broadcasts.push({ cursor, items, members: [...members].map((s) => s.outlet.id) })
      for (const sub of members) sub.outlet.send(cursor, items)
    },
    join: () => {},
    leave: () => {},
    alert: (u, to) => { for (const sub of to) sub.outlet.alert(u) },
  })
  return { subs, broadcasts }
}

describe('Subscriptions overflow and coverage', () => {
  it('a ready subscription past its outbox cap drops what it holds and asks for one fresh snapshot', () => {
    const subs = new Subscriptions(regions)
    const o = outlet('a')
    const sub = subs.open(o, 'live', district)
    subs.ready(sub, '1000-0')
    subs.dispatch('live', events(OUTBOX_CAP + 10))
    expect(o.resyncs).toBe(1)
    expect(sub.cursor).toBeNull() // held until the fresh snapshot is read
    expect(sub.outbox.length).toBeLessThan(OUTBOX_CAP)
    expect(subs.covers(sub, '1000-5')).toBe(false) // a snapshot older than the dropped items would leave a hole
    expect(subs.covers(sub, `1000-${seq - 1}`)).toBe(true)
  })

  it('a subscription waiting for its snapshot drops at the cap without a second snapshot, and its snapshot must reach past the drop', () => {
    const subs = new Subscriptions(regions)
    const o = outlet('b')
    const sub = subs.open(o, 'live', district)
    const before = `1000-${seq - 1}`
    subs.dispatch('live', events(OUTBOX_CAP + 1))
    expect(o.resyncs).toBe(0)
    expect(sub.outbox.length).toBeLessThanOrEqual(1)
    expect(subs.covers(sub, before)).toBe(false)
  })

  it('a subscription opened after items went out needs a snapshot at least that new', () => {
    const subs = new Subscriptions(regions)
    subs.dispatch('live', events(3))
    const last = `1000-${seq - 1}`
    const sub = subs.open(outlet('c'), 'live', district)
    expect(subs.covers(sub, `1000-${seq - 2}`)).toBe(false)
    expect(subs.covers(sub, last)).toBe(true)
    subs.ready(sub, last)
    subs.dispatch('live', events(2))
    subs.flush()
    expect(sub.cursor).toBe(`1000-${seq - 1}`)
  })

  it('caught-up sockets share one broadcast per batch; a slow one falls back to its own outbox and catches up without a hole', () => {
    const { subs, broadcasts } = roomOf()
    const [a, b] = [outlet('ra'), outlet('rb')]
    for (const o of [a, b]) subs.ready(subs.open(o, 'live', district), `1000-${seq - 1}`)
    subs.dispatch('live', events(2))
    subs.flush() // sent from their own outboxes, then both join the room
    expect(broadcasts).toHaveLength(0)
    subs.dispatch('live', events(3))
    subs.flush()
    expect(broadcasts).toHaveLength(1)
    expect(broadcasts[0]!.members).toEqual(['ra', 'rb'])
    b.slow = true
    subs.dispatch('live', events(2))
    subs.flush()
    expect(broadcasts.at(-1)!.members).toEqual(['ra'])
    subs.dispatch('live', events(2))
    subs.flush()
    b.slow = false
    subs.dispatch('live', events(1))
    subs.flush()
    expect(sids(b)).toEqual(sids(a))
    subs.dispatch('live', events(1))
    subs.flush()
    expect(broadcasts.at(-1)!.members).toEqual(['ra', 'rb']) // caught up again
    expect(sids(b)).toEqual(sids(a))
  })

  it('a socket whose snapshot is newer than what the tail has handed over stays on its own path until the tail passes it', () => {
    const { subs, broadcasts } = roomOf()
    const a = outlet('na')
    subs.position('live', `1000-${seq - 1}`) // where the tail starts
    subs.ready(subs.open(a, 'live', district), `1000-${seq - 1}`)
    subs.flush()
    const late = outlet('nb')
    const sub = subs.open(late, 'live', district)
    subs.ready(sub, `1000-${seq + 1}`) // read from the log before the tail delivered its two newest entries
    subs.flush()
    subs.dispatch('live', events(3))
    subs.flush()
    expect(broadcasts.at(-1)!.members).toEqual(['na'])
    expect(sids(late)).toEqual([`1000-${seq - 1}`]) // only the entry past its snapshot
    subs.dispatch('live', events(1))
    subs.flush()
    expect(broadcasts.at(-1)!.members).toEqual(['na', 'nb'])
  })

  it('a room batch past the cap sends every caught-up socket to a fresh snapshot', () => {
    const { subs } = roomOf()
    const a = outlet('ca')
    subs.position('live', `1000-${seq - 1}`)
    const sub = subs.open(a, 'live', district)
    subs.ready(sub, `1000-${seq - 1}`)
    subs.flush()
    expect(sub.live).toBe(true)
    subs.dispatch('live', events(OUTBOX_CAP + 1))
    expect(a.resyncs).toBe(1)
    expect(sub.cursor).toBeNull()
    expect(sub.live).toBe(false)
  })
})
