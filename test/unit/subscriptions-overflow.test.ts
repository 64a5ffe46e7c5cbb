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
  const o = { id, resyncs: 0, sent: [] as LiveEvent[][], send: (_c: string, items: LiveEvent[]) => void o.sent.push(items), alert: () => {}, overloaded: () => false, resync: () => void o.resyncs++ }
  return o satisfies Outlet
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
})
