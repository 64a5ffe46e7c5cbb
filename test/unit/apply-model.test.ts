// The pure apply model (mirror of apply.lua) read against DESIGN §5/§6: every
// lifecycle transition, applied and refused, and the counting rules. The
// integration test checks the same model against the real apply.lua.
import { describe, expect, it } from 'vitest'
import {
  applyModel, applyModelEntry, createModelState, outOfOrderCount, type ModelInput, type ModelState,
} from '../../server/consistency/apply-model.ts'
import type { ValidEvent } from '../../server/domain/events.ts'

const ZONE = 'Asia/Shanghai'
const HOUR = 3_600_000
const T0 = Date.parse('2026-11-21T09:00:00+08:00')
const DAY = '20261121'
const CHAIN = ['650402001001001', '650402001001', '650402001', '650402', '650400'] as const
const [GRID, VILLAGE] = CHAIN
const OTHER_CHAIN = ['650402001001002', '650402001001', '650402001', '650402', '650400'] as const
const ROOT = '650400'
const isoAt = (ms: number) => new Date(ms + 8 * HOUR).toISOString().replace('Z', '+08:00')

interface Opts { attrs?: Record<string, unknown>; category?: string; chain?: readonly string[]; intake?: string; location?: [number, number]; id?: string }

/** A model and a writer of events with unique ids, in the shape prepare() gives apply.lua. */
function world() {
  const s: ModelState = createModelState()
  let n = 0
  const input = (feed: ValidEvent['feed'], type: string, subject: string, at: number, o: Opts = {}): ModelInput => {
    const event: ValidEvent = { id: o.id ?? `e${++n}`, feed, type, subject, at, attrs: o.attrs ?? {} }
    if (o.category) event.category = o.category
    if (o.location) event.location = o.location
    const chain = o.chain ?? []
    const grid = chain.length > 0 && chain[0]!.length === 15 ? chain[0]! : ''
    return { event, chain, grid, intake: o.intake ?? '' }
  }
  const apply = (feed: ValidEvent['feed'], type: string, subject: string, at = T0, o: Opts = {}) =>
    applyModel(s, input(feed, type, subject, at, o), ZONE)
  return {
    s,
    input,
    apply,
    report: (subject: string, at = T0, o: Opts = {}) =>
      apply('case', 'reported', subject, at, { chain: CHAIN, category: 'city.sanitation', intake: '48', ...o }),
    receive: (subject: string, at = T0, o: Opts = {}) =>
      apply('hotline', 'received', subject, at, { chain: CHAIN, category: 'hl.utilities.water', intake: String(at + 72 * HOUR), attrs: { kind: 'help' }, ...o }),
    c: (type: string, subject: string, at = T0, attrs: Record<string, unknown> = {}) => apply('case', type, subject, at, { attrs }),
    h: (type: string, subject: string, at = T0, attrs: Record<string, unknown> = {}) => apply('hotline', type, subject, at, { attrs }),
    /** A counter of a period hash: d:<region>:<day> (or m:/y:), undefined when absent. */
    n: (key: string, field: string) => s.hashes.get(key)?.get(field),
    state: (feed: string, subject: string) => s.subjects.get(`${feed}:${subject}`)?.state,
  }
}
type World = ReturnType<typeof world>

// Paths that bring a subject to each state, from DESIGN §5.
const CASE_PATHS: Record<string, string[]> = {
  '': [],
  REPORTED: ['reported'],
  REGISTERED: ['reported', 'registered'],
  CANCELLED: ['reported', 'cancelled'],
  DISPATCHED: ['reported', 'registered', 'dispatched'],
  DISPOSED: ['reported', 'registered', 'dispatched', 'disposed'],
  CLOSED: ['reported', 'registered', 'dispatched', 'disposed', 'closed'],
}
const HOTLINE_PATHS: Record<string, string[]> = {
  '': [],
  RECEIVED: ['received'],
  DISPATCHED: ['received', 'dispatched'],
  REPLIED: ['received', 'dispatched', 'replied'],
  CLOSED: ['received', 'directClosed'],
  VOID: ['received', 'voided'],
}
// The tables of DESIGN §5 written out: [type, from, to].
const CASE_ALLOWED: [string, string, string][] = [
  ['reported', '', 'REPORTED'], ['registered', 'REPORTED', 'REGISTERED'], ['cancelled', 'REPORTED', 'CANCELLED'],
  ['dispatched', 'REGISTERED', 'DISPATCHED'], ['returned', 'DISPATCHED', 'REGISTERED'],
  ['extended', 'REGISTERED', 'REGISTERED'], ['extended', 'DISPATCHED', 'DISPATCHED'], ['extended', 'DISPOSED', 'DISPOSED'],
  ['disposed', 'DISPATCHED', 'DISPOSED'], ['rework', 'DISPOSED', 'DISPATCHED'],
  ['closed', 'DISPOSED', 'CLOSED'], ['closed', 'REPORTED', 'CLOSED'],
  ['urged', 'REPORTED', 'REPORTED'], ['urged', 'REGISTERED', 'REGISTERED'], ['urged', 'DISPATCHED', 'DISPATCHED'], ['urged', 'DISPOSED', 'DISPOSED'],
]
const HOTLINE_ALLOWED: [string, string, string][] = [
  ['received', '', 'RECEIVED'], ['directClosed', 'RECEIVED', 'CLOSED'], ['dispatched', 'RECEIVED', 'DISPATCHED'],
  ['returned', 'DISPATCHED', 'RECEIVED'],
  ['extended', 'RECEIVED', 'RECEIVED'], ['extended', 'DISPATCHED', 'DISPATCHED'], ['extended', 'REPLIED', 'REPLIED'],
  ['urged', 'RECEIVED', 'RECEIVED'], ['urged', 'DISPATCHED', 'DISPATCHED'], ['urged', 'REPLIED', 'REPLIED'],
  ['replied', 'DISPATCHED', 'REPLIED'], ['reopened', 'REPLIED', 'DISPATCHED'], ['reopened', 'CLOSED', 'DISPATCHED'],
  ['closed', 'REPLIED', 'CLOSED'],
  ['rated', 'RECEIVED', 'RECEIVED'], ['rated', 'DISPATCHED', 'DISPATCHED'], ['rated', 'REPLIED', 'REPLIED'], ['rated', 'CLOSED', 'CLOSED'],
  ['voided', 'RECEIVED', 'VOID'],
]
const CASE_TYPES = [...new Set(CASE_ALLOWED.map(([t]) => t))]
const HOTLINE_TYPES = [...new Set(HOTLINE_ALLOWED.map(([t]) => t))]

const attrsOf = (type: string): Record<string, unknown> =>
  type === 'extended' ? { deadline: isoAt(T0 + 99 * HOUR) } : type === 'rated' ? { satisfaction: 'satisfied' } : {}

/** Bring subject S to `state`, one minute per step; returns the time of the next step. */
function bring(w: World, feed: 'case' | 'hotline', state: string): number {
  const path = (feed === 'case' ? CASE_PATHS : HOTLINE_PATHS)[state]!
  path.forEach((type, i) => {
    const at = T0 + i * 60_000
    const status = type === 'reported' ? w.report('S', at) : type === 'received' ? w.receive('S', at) : w.apply(feed, type, 'S', at)
    expect(status, `${type} on the way to ${state}`).toBe('applied')
  })
  return T0 + path.length * 60_000
}

function cases(feed: 'case' | 'hotline') {
  const allowed = feed === 'case' ? CASE_ALLOWED : HOTLINE_ALLOWED
  const types = feed === 'case' ? CASE_TYPES : HOTLINE_TYPES
  const states = Object.keys(feed === 'case' ? CASE_PATHS : HOTLINE_PATHS)
  const ok = new Map(allowed.map(([t, f, to]) => [`${t}|${f}`, to]))
  const refused: [string, string][] = []
  for (const t of types) for (const st of states) if (!ok.has(`${t}|${st}`)) refused.push([t, st])
  return { allowed, refused }
}

const snapshot = (s: ModelState) => structuredClone({ hashes: s.hashes, zsets: s.zsets, sets: s.sets, subjects: s.subjects })

describe.each(['case', 'hotline'] as const)('%s lifecycle through the model', (feed) => {
  const { allowed, refused } = cases(feed)
  const intakeOpts = (type: string): Opts =>
    type === 'reported' ? { chain: CHAIN, category: 'city.sanitation', intake: '48' }
      : type === 'received' ? { chain: CHAIN, category: 'hl.utilities.water', intake: String(T0 + HOUR), attrs: { kind: 'help' } } : {}

  it.each(allowed)('applies %s from "%s" → %s', (type, from, to) => {
    const w = world()
    const at = bring(w, feed, from)
    const o = intakeOpts(type)
    expect(w.apply(feed, type, 'S', at, { ...o, attrs: { ...attrsOf(type), ...o.attrs } })).toBe('applied')
    expect(w.state(feed, 'S')).toBe(to)
    expect(outOfOrderCount(w.s)).toBe(0)
  })

  it.each(refused)('parks %s from "%s": no state or counter changes, outOfOrder + 1', (type, from) => {
    const w = world()
    const at = bring(w, feed, from)
    const before = snapshot(w.s)
    const o = intakeOpts(type)
    expect(w.apply(feed, type, 'S', at, { ...o, attrs: { ...attrsOf(type), ...o.attrs } })).toBe('outOfOrder')
    const after = snapshot(w.s)
    expect(after.subjects).toEqual(before.subjects)
    expect(after.zsets).toEqual(before.zsets)
    expect(after.sets).toEqual(before.sets)
    after.hashes.delete('stats')
    before.hashes.delete('stats')
    expect(after.hashes).toEqual(before.hashes)
    expect(outOfOrderCount(w.s)).toBe(1)
  })
})

describe('case counting', () => {
  it('counts a report up the chain in day, month and year, with trend, category and pending', () => {
    const w = world()
    w.report('C1', T0 + 25 * 60_000)
    for (const r of CHAIN) {
      expect(w.n(`d:${r}:${DAY}`, 'c.reported')).toBe(1)
      expect(w.n(`m:${r}:202611`, 'c.reported')).toBe(1)
      expect(w.n(`y:${r}:2026`, 'c.reported')).toBe(1)
      expect(w.n(`t:${r}:${DAY}`, '56')).toBe(1) // 09:25 → bucket 9*6+2
      expect(w.n(`k:${r}:${DAY}`, 'city.sanitation')).toBe(1)
      expect(w.s.sets.get(`p:${r}`)).toEqual(new Set(['C1']))
    }
    expect(w.s.subjects.get('case:C1')).toMatchObject({ state: 'REPORTED', iday: DAY, sla: '48', priority: 'normal', category: 'city.sanitation' })
  })

  it('registers with deadline = at + SLA, or attrs.deadline; moves the case from pending to open', () => {
    const w = world()
    w.report('C1', T0, { attrs: { priority: 'urgent' }, intake: '8' })
    w.c('registered', 'C1', T0 + HOUR)
    expect(w.s.subjects.get('case:C1')).toMatchObject({ cday: DAY, deadline: T0 + 9 * HOUR, priority: 'urgent' })
    w.report('C2')
    w.c('registered', 'C2', T0 + HOUR, { deadline: isoAt(T0 + 3 * HOUR) })
    for (const r of CHAIN) {
      expect(w.s.sets.has(`p:${r}`)).toBe(false) // the last member gone: the key is gone, as in Redis
      expect(w.s.zsets.get(`o:case:${r}`)).toEqual(new Map([['C1', T0 + 9 * HOUR], ['C2', T0 + 3 * HOUR]]))
      expect(w.n(`d:${r}:${DAY}`, 'c.registered')).toBe(2)
      expect(w.n(`d:${r}:${DAY}`, 'c.reportedRegistered')).toBe(2)
    }
  })

  it('counts registered on the registration day, registerRate in the report day', () => {
    const w = world()
    w.report('C1', T0)
    w.c('registered', 'C1', T0 + 24 * HOUR)
    expect(w.n(`d:${GRID}:${DAY}`, 'c.reportedRegistered')).toBe(1)
    expect(w.n(`d:${GRID}:${DAY}`, 'c.registered')).toBeUndefined()
    expect(w.n(`d:${GRID}:20261122`, 'c.registered')).toBe(1)
  })

  it('counts disposed and reworked once however often they happen, in the registration day', () => {
    const w = world()
    w.report('C1')
    w.c('registered', 'C1', T0 + HOUR)
    w.c('dispatched', 'C1', T0 + 2 * HOUR)
    for (let i = 0; i < 3; i++) {
      expect(w.c('disposed', 'C1', T0 + (3 + 2 * i) * HOUR)).toBe('applied')
      if (i < 2) expect(w.c('rework', 'C1', T0 + (4 + 2 * i) * HOUR)).toBe('applied')
    }
    w.c('closed', 'C1', T0 + 10 * HOUR)
    expect(w.c('closed', 'C1', T0 + 11 * HOUR)).toBe('outOfOrder') // closed twice counts once
    const d = `d:${GRID}:${DAY}`
    expect([w.n(d, 'c.disposed'), w.n(d, 'c.reworked'), w.n(d, 'c.closedRegistered'), w.n(d, 'cf.closed')]).toEqual([1, 1, 1, 1])
    expect(w.s.subjects.get('case:C1')!.milestones).toEqual(new Map([['disposed', T0 + 3 * HOUR], ['reworked', T0 + 4 * HOUR]]))
    expect(w.s.zsets.size).toBe(0)
  })

  it('is on time when the first disposal/closure is at or before the deadline in force', () => {
    const w = world()
    const run = (subject: string, deadlineH: number, extendToH: number | null, disposeH: number, closeH: number) => {
      w.report(subject)
      w.c('registered', subject, T0, { deadline: isoAt(T0 + deadlineH * HOUR) })
      w.c('dispatched', subject, T0 + 1)
      if (extendToH !== null) w.c('extended', subject, T0 + 2, { deadline: isoAt(T0 + extendToH * HOUR) })
      w.c('disposed', subject, T0 + disposeH * HOUR)
      w.c('closed', subject, T0 + closeH * HOUR)
    }
    const d = `d:${GRID}:${DAY}`
    run('ON', 2, null, 2, 2) // exactly at the deadline: on time
    expect([w.n(d, 'c.disposedOnTime'), w.n(d, 'c.closedOnTime')]).toEqual([1, 1])
    run('LATE', 2, null, 3, 4)
    expect([w.n(d, 'c.disposedOnTime'), w.n(d, 'c.closedOnTime')]).toEqual([1, 1])
    run('EXT', 2, 6, 3, 5) // extended before: on time against the new deadline
    expect([w.n(d, 'c.disposedOnTime'), w.n(d, 'c.closedOnTime')]).toEqual([2, 2])
    expect(w.n(d, 'c.disposed')).toBe(3)
  })

  it('judges a disposal by its first time: a late disposal stays late after rework and extension', () => {
    const w = world()
    w.report('C1')
    w.c('registered', 'C1', T0, { deadline: isoAt(T0 + HOUR) })
    w.c('dispatched', 'C1', T0)
    w.c('disposed', 'C1', T0 + 2 * HOUR)
    w.c('rework', 'C1', T0 + 3 * HOUR)
    w.c('extended', 'C1', T0 + 3 * HOUR, { deadline: isoAt(T0 + 9 * HOUR) })
    expect(w.s.zsets.get(`o:${'case'}:${ROOT}`)?.get('C1')).toBe(T0 + 9 * HOUR) // extended moves the open deadline
    w.c('disposed', 'C1', T0 + 4 * HOUR)
    w.c('closed', 'C1', T0 + 5 * HOUR)
    const d = `d:${GRID}:${DAY}`
    expect([w.n(d, 'c.disposed'), w.n(d, 'c.disposedOnTime'), w.n(d, 'c.closedOnTime')]).toEqual([1, undefined, 1])
  })

  it('counts a self-closed case (自行处置) as reported and closed flow, not as registered', () => {
    const w = world()
    w.report('C1')
    expect(w.c('closed', 'C1', T0 + HOUR)).toBe('applied')
    const d = `d:${GRID}:${DAY}`
    expect([w.n(d, 'c.reported'), w.n(d, 'cf.closed'), w.n(d, 'c.selfClosed')]).toEqual([1, 1, 1])
    for (const f of ['c.registered', 'c.reportedRegistered', 'c.closedRegistered', 'c.closedOnTime', 'c.disputeClosed']) {
      expect(w.n(d, f), f).toBeUndefined()
    }
    expect(w.s.sets.size + w.s.zsets.size).toBe(0)
  })

  it('cancels a pending case: off the pending set, never open', () => {
    const w = world()
    w.report('C1')
    w.c('cancelled', 'C1')
    expect(w.s.sets.size + w.s.zsets.size).toBe(0)
    expect(w.c('urged', 'C1')).toBe('outOfOrder')
  })

  it('counts urges as flow on their day, on any non-terminal case', () => {
    const w = world()
    w.report('C1')
    w.c('urged', 'C1', T0 + 20 * HOUR)
    expect(w.n(`d:${GRID}:20261122`, 'cf.urged')).toBe(1)
  })

  it('counts dispute outcomes in the registration day, or the report day when self-closed', () => {
    const w = world()
    const dispute = { category: 'dispute.neighbor', intake: '168' }
    w.report('D1', T0, dispute)
    w.c('registered', 'D1', T0 + 24 * HOUR)
    w.c('dispatched', 'D1', T0 + 25 * HOUR)
    w.c('disposed', 'D1', T0 + 26 * HOUR)
    w.c('closed', 'D1', T0 + 48 * HOUR, { outcome: 'success' })
    w.report('D2', T0, dispute)
    w.c('closed', 'D2', T0 + 24 * HOUR, { outcome: 'fail' })
    w.report('D3', T0, dispute)
    w.c('closed', 'D3', T0 + 24 * HOUR, { outcome: 'success' })
    w.report('N1')
    w.c('closed', 'N1', T0, { outcome: 'success' }) // not a dispute: no outcome counted
    const d = (day: string, f: string) => w.n(`d:${GRID}:${day}`, f)
    expect([d('20261122', 'c.disputeClosed'), d('20261122', 'c.disputeSuccess')]).toEqual([1, 1])
    expect([d(DAY, 'c.disputeClosed'), d(DAY, 'c.disputeSuccess')]).toEqual([2, 1])
    expect(d('20261123', 'c.disputeClosed')).toBeUndefined()
    expect(d('20261123', 'cf.closed')).toBe(1)
  })

  it('counts every later event in the region of the report, whatever it carries', () => {
    const w = world()
    w.report('C1')
    w.apply('case', 'registered', 'C1', T0, { chain: OTHER_CHAIN })
    expect(w.n(`d:${GRID}:${DAY}`, 'c.registered')).toBe(1)
    expect(w.n(`d:${OTHER_CHAIN[0]}:${DAY}`, 'c.registered')).toBeUndefined()
  })

  it('logs a refused event in its subject region and category, or its own place without a subject', () => {
    const w = world()
    w.report('C1')
    const refused = applyModelEntry(w.s, w.input('case', 'disposed', 'C1', T0, { chain: OTHER_CHAIN }), ZONE)
    expect(refused).toEqual({ status: 'outOfOrder', region: GRID, category: 'city.sanitation' })
    const orphan = applyModelEntry(w.s, w.input('case', 'registered', 'X', T0, { chain: OTHER_CHAIN }), ZONE)
    expect(orphan).toEqual({ status: 'outOfOrder', region: OTHER_CHAIN[0], category: '' })
    expect(applyModelEntry(w.s, w.input('case', 'registered', 'Y', T0), ZONE).region).toBe('')
  })
})

describe('hotline counting', () => {
  it('receives with the intake deadline or attrs.deadline, counts kind, trend and category', () => {
    const w = world()
    w.receive('H1', T0)
    w.receive('H2', T0, { attrs: { kind: 'complaint', deadline: isoAt(T0 + 5 * HOUR) } })
    expect(w.s.zsets.get(`o:hotline:${VILLAGE}`)).toEqual(new Map([['H1', T0 + 72 * HOUR], ['H2', T0 + 5 * HOUR]]))
    const d = `d:${ROOT}:${DAY}`
    expect([w.n(d, 'h.received'), w.n(d, 'hk.help'), w.n(d, 'hk.complaint')]).toEqual([2, 1, 1])
    expect(w.n(`t:${ROOT}:${DAY}`, '54')).toBe(2)
    expect(w.n(`k:${ROOT}:${DAY}`, 'hl.utilities.water')).toBe(2)
  })

  it('counts direct close in its cohort, on time against the deadline, and as flow', () => {
    const w = world()
    w.receive('H1', T0, { intake: String(T0 + HOUR) })
    w.h('directClosed', 'H1', T0 + HOUR)
    w.receive('H2', T0, { intake: String(T0 + HOUR) })
    w.h('directClosed', 'H2', T0 + 25 * HOUR)
    const d = `d:${GRID}:${DAY}`
    expect([w.n(d, 'h.closed'), w.n(d, 'h.directClosed'), w.n(d, 'h.closedOnTime'), w.n(d, 'hf.closed')]).toEqual([2, 2, 1, 1])
    expect(w.n(`d:${GRID}:20261122`, 'hf.closed')).toBe(1)
    expect(w.s.zsets.size).toBe(0)
  })

  it('re-opens a closed order into the open set with a new deadline; closes count once, flow every time', () => {
    const w = world()
    w.receive('H1')
    for (const type of ['dispatched', 'replied', 'closed']) w.h(type, 'H1')
    expect(w.s.zsets.size).toBe(0)
    w.h('reopened', 'H1', T0 + 1) // the SLA (72 h) from the reopen time
    expect(w.s.zsets.get(`o:hotline:${ROOT}`)).toEqual(new Map([['H1', T0 + 1 + 72 * HOUR]]))
    w.h('replied', 'H1', T0 + 2)
    w.h('reopened', 'H1', T0 + 3, { deadline: isoAt(T0 + 5 * HOUR) }) // from REPLIED, with its own deadline
    expect(w.s.zsets.get(`o:hotline:${ROOT}`)).toEqual(new Map([['H1', T0 + 5 * HOUR]]))
    w.h('replied', 'H1', T0 + 4)
    w.h('closed', 'H1', T0 + 5)
    const d = `d:${GRID}:${DAY}`
    expect([w.n(d, 'h.closed'), w.n(d, 'hf.closed'), w.n(d, 'h.directClosed')]).toEqual([1, 2, undefined])
    expect(w.s.zsets.size).toBe(0)
  })

  it('replaces the previous rating: rated counts the subject once, satisfaction is the latest', () => {
    const w = world()
    w.receive('H1')
    w.h('directClosed', 'H1')
    w.h('rated', 'H1', T0 + HOUR, { satisfaction: 'basic', solved: true, contacted: true })
    w.h('rated', 'H1', T0 + 30 * HOUR, { satisfaction: 'satisfied', contacted: true })
    const d = `d:${GRID}:${DAY}`
    const fields = ['h.rated', 'h.basic', 'h.satisfied', 'h.unsatisfied', 'h.solved', 'h.contacted']
    expect(fields.map((f) => w.n(d, f))).toEqual([1, 0, 1, undefined, 0, 1]) // Redis keeps the zeros
    expect(w.s.hashes.has(`d:${GRID}:20261122`)).toBe(false) // rating counts in the received day
    // an older rating arriving last is not the latest: nothing changes
    w.h('rated', 'H1', T0 + 2 * HOUR, { satisfaction: 'unsatisfied' })
    expect(fields.map((f) => w.n(d, f))).toEqual([1, 0, 1, undefined, 0, 1])
    w.h('rated', 'H1', T0 + 31 * HOUR, { satisfaction: 'unsatisfied' })
    expect(fields.map((f) => w.n(d, f))).toEqual([1, 0, 0, 1, 0, 0])
  })

  it('voids: leaves the received cohort (and its kind), off the open set, terminal for rating', () => {
    const w = world()
    w.receive('H1')
    w.h('voided', 'H1', T0 + 48 * HOUR)
    const d = `d:${GRID}:${DAY}`
    expect([w.n(d, 'h.voided'), w.n(d, 'h.received'), w.n(d, 'hk.help')]).toEqual([1, 0, 0])
    expect(w.s.zsets.size).toBe(0)
    expect(w.h('rated', 'H1', T0 + 49 * HOUR, { satisfaction: 'satisfied' })).toBe('outOfOrder')
    expect(w.n(d, 'h.rated')).toBeUndefined()
  })

  it('counts urges as flow on their day', () => {
    const w = world()
    w.receive('H1')
    w.h('urged', 'H1', T0 + 24 * HOUR)
    expect(w.n(`d:${GRID}:20261122`, 'hf.urged')).toBe(1)
  })

  it('counts calls as flow in their place; answered only when true', () => {
    const w = world()
    w.apply('hotline', 'call', 'K1', T0, { chain: CHAIN.slice(1), attrs: { answered: true } })
    w.apply('hotline', 'call', 'K2', T0, { chain: [ROOT], attrs: { answered: false } }) // placeless: prepare gives the root
    w.apply('hotline', 'call', 'K2', T0, { chain: [ROOT], attrs: { answered: true } }) // same subject: no state, counts again
    expect([w.n(`d:${VILLAGE}:${DAY}`, 'hf.calls'), w.n(`d:${VILLAGE}:${DAY}`, 'hf.answered')]).toEqual([1, 1])
    expect([w.n(`d:${ROOT}:${DAY}`, 'hf.calls'), w.n(`d:${ROOT}:${DAY}`, 'hf.answered')]).toEqual([3, 2])
    expect(w.n(`d:${GRID}:${DAY}`, 'hf.calls')).toBeUndefined()
    expect(w.s.subjects.size).toBe(0)
  })
})

describe('grid workers', () => {
  it('puts a worker on duty up the chain, moves them when on duty elsewhere, and takes them off', () => {
    const w = world()
    w.apply('grid', 'onDuty', 'W1', T0, { chain: CHAIN })
    expect(w.s.sets.get(`w:${GRID}`)).toEqual(new Set(['W1']))
    w.apply('grid', 'onDuty', 'W1', T0 + 1, { chain: OTHER_CHAIN })
    expect(w.s.sets.has(`w:${GRID}`)).toBe(false)
    expect(w.s.sets.get(`w:${OTHER_CHAIN[0]}`)).toEqual(new Set(['W1']))
    expect(w.s.sets.get(`w:${ROOT}`)).toEqual(new Set(['W1']))
    const off = applyModelEntry(w.s, w.input('grid', 'offDuty', 'W1', T0 + 2), ZONE)
    expect(off).toEqual({ status: 'applied', region: OTHER_CHAIN[0], category: '' }) // logged where the worker was
    expect(w.s.sets.size).toBe(0)
    expect(w.state('grid', 'W1')).toBe('OFF')
  })

  it('parks an offDuty with no onDuty before it, and applies it when one arrives; the latest duty event decides', () => {
    const w = world()
    expect(w.apply('grid', 'offDuty', 'W1', T0 + HOUR)).toBe('outOfOrder')
    expect(w.s.lists.get('grid:W1')).toHaveLength(1)
    expect(w.apply('grid', 'onDuty', 'W1', T0, { chain: CHAIN })).toBe('applied')
    expect(w.state('grid', 'W1')).toBe('OFF') // the parked offDuty (later in time) took effect
    expect(w.s.sets.size).toBe(0)
    expect(w.s.lists.has('grid:W1')).toBe(false)
    expect(w.apply('grid', 'onDuty', 'W1', T0 + 2 * HOUR, { chain: CHAIN })).toBe('applied')
    expect(w.apply('grid', 'offDuty', 'W1', T0 + 30 * 60_000)).toBe('applied') // older than the duty in force: superseded
    expect(w.state('grid', 'W1')).toBe('ON')
    expect(w.s.sets.get(`w:${GRID}`)).toEqual(new Set(['W1']))
    expect(outOfOrderCount(w.s)).toBe(1)
  })

  it('keeps the latest position by event time, on duty or not', () => {
    const w = world()
    expect(w.apply('grid', 'position', 'W1', T0 + 2, { chain: CHAIN, location: [89.1, 42.9] })).toBe('applied')
    expect(w.apply('grid', 'position', 'W1', T0 + 1, { chain: CHAIN, location: [89.2, 42.8] })).toBe('applied')
    expect(w.s.positions.get('W1')).toEqual([89.1, 42.9])
    expect(w.state('grid', 'W1')).toBe('')
  })

  it('marks patrolled grids for the day, month and year up the chain; a patrol off-grid counts but covers nothing', () => {
    const w = world()
    w.apply('grid', 'patrol', 'W1', T0, { chain: CHAIN, attrs: { durationMin: 30 } })
    w.apply('grid', 'patrol', 'W2', T0, { chain: CHAIN })
    w.apply('grid', 'patrol', 'W3', T0, { chain: CHAIN.slice(1) })
    for (const r of CHAIN) for (const p of [DAY, '202611', '2026']) expect(w.s.sets.get(`pc:${r}:${p}`), `${r} ${p}`).toEqual(new Set([GRID]))
    expect(w.n(`d:${GRID}:${DAY}`, 'gf.patrols')).toBe(2)
    expect(w.n(`d:${VILLAGE}:${DAY}`, 'gf.patrols')).toBe(3)
  })

  it('counts visits, households (0 when absent) and alerts by severity', () => {
    const w = world()
    w.apply('grid', 'visit', 'W1', T0, { chain: CHAIN })
    w.apply('grid', 'visit', 'W1', T0, { chain: CHAIN, attrs: { households: 4 } })
    w.apply('grid', 'alert', 'W1', T0, { chain: CHAIN, attrs: { severity: 'critical' } })
    w.apply('grid', 'alert', 'W1', T0, { chain: CHAIN, attrs: { severity: 'warning' } })
    const d = `d:${GRID}:${DAY}`
    expect(['gf.visits', 'gf.households', 'gf.alerts', 'gf.alertsCritical'].map((f) => w.n(d, f))).toEqual([2, 4, 2, 1])
    const first = world()
    first.apply('grid', 'visit', 'W1', T0, { chain: CHAIN })
    expect(first.n(d, 'gf.households')).toBe(0) // HINCRBY by 0 creates the field
  })
})

describe('idempotency', () => {
  it('changes nothing on a duplicate id, not even the out-of-order count', () => {
    const w = world()
    w.report('C1', T0, { id: 'same' })
    const before = snapshot(w.s)
    expect(w.report('C2', T0, { id: 'same' })).toBe('duplicate')
    expect(w.apply('case', 'disposed', 'C9', T0, { id: 'same' })).toBe('duplicate')
    expect(snapshot(w.s)).toEqual(before)
    expect(outOfOrderCount(w.s)).toBe(0)
  })

  it('parks an early step without burning its effect: its predecessor applies it, a resend is a duplicate', () => {
    const w = world()
    expect(w.c('registered', 'C1', T0 + HOUR)).toBe('outOfOrder')
    expect(w.state('case', 'C1')).toBeUndefined()
    w.report('C1')
    expect(w.state('case', 'C1')).toBe('REGISTERED')
    expect(w.n(`d:${GRID}:${DAY}`, 'c.registered')).toBe(1)
    expect(w.apply('case', 'registered', 'C1', T0 + HOUR, { id: 'e1' })).toBe('duplicate')
    expect(outOfOrderCount(w.s)).toBe(1)
  })
})

describe('arrival order', () => {
  // one case and one work order through most of their lifecycle, with times that make on-time judgements matter
  const stream = (w: World): ModelInput[] => {
    const c = (type: string, min: number, attrs: Record<string, unknown> = {}, o: Opts = {}) =>
      w.input('case', type, 'C1', T0 + min * 60_000, { attrs, ...o })
    const h = (type: string, min: number, attrs: Record<string, unknown> = {}, o: Opts = {}) =>
      w.input('hotline', type, 'H1', T0 + min * 60_000, { attrs, ...o })
    const e = (subject: string, type: string, min: number, attrs: Record<string, unknown> = {}, o: Opts = {}) =>
      w.input('service', type, subject, T0 + min * 60_000, { attrs, ...o })
    return [
      c('reported', 0, {}, { chain: CHAIN, category: 'dispute.land', intake: '2' }), c('registered', 10), c('urged', 20),
      c('dispatched', 30), c('extended', 40, { deadline: isoAt(T0 + 200 * 60_000) }), c('disposed', 150), c('rework', 160),
      c('disposed', 190), c('closed', 300, { outcome: 'success' }),
      h('received', 0, { kind: 'complaint' }, { chain: CHAIN, category: 'hl.utilities.water', intake: String(T0 + HOUR) }),
      h('dispatched', 5), h('replied', 30), h('closed', 40), h('rated', 50, { satisfaction: 'basic', solved: true }),
      h('reopened', 60), h('replied', 100), h('closed', 200), h('rated', 210, { satisfaction: 'satisfied', contacted: true }),
      // 便民代办: an outside errand that waits for papers, goes back to FORWARDED and is done on time; a local one withdrawn
      e('E1', 'accepted', 0, { scope: 'outside', item: 'svc.social.retire' }, { chain: CHAIN, category: 'svc.social.retire', intake: String(T0 + 100 * 60_000) }),
      e('E1', 'forwarded', 10), e('E1', 'returnedForDocs', 20), e('E1', 'resumed', 50), e('E1', 'completed', 90), e('E1', 'delivered', 95),
      e('E1', 'rated', 100, { satisfaction: 'basic' }), e('E1', 'rated', 120, { satisfaction: 'satisfied' }),
      e('E2', 'accepted', 5, { scope: 'local', item: 'svc.civil.certificate' }, { chain: CHAIN, category: 'svc.civil.certificate', intake: String(T0 + HOUR) }),
      e('E2', 'returnedForDocs', 15), e('E2', 'withdrawn', 25),
      e('E3', 'accepted', 1, { scope: 'outside', item: 'svc.estate.register' }, { chain: CHAIN, category: 'svc.estate.register', intake: String(T0 + HOUR) }),
      e('E3', 'forwarded', 2), e('E3', 'returnedForDocs', 3), e('E3', 'resumed', 4),
    ]
  }
  const result = (w: World) => structuredClone({ hashes: w.s.hashes, zsets: w.s.zsets, sets: w.s.sets, subjects: w.s.subjects })

  it('gives the same counters, sets and subjects in any arrival order', () => {
    const ordered = world()
    for (const input of stream(ordered)) expect(applyModel(ordered.s, input, ZONE)).toBe('applied')
    const expected = result(ordered)
    expect(expected.hashes.get(`d:${GRID}:${DAY}`)?.get('c.disposedOnTime')).toBe(1) // by the extended deadline
    expect(expected.subjects.get('service:E1')).toMatchObject({ state: 'DELIVERED', prev: 'FORWARDED', sat: 'satisfied' })
    expect([expected.subjects.get('service:E2')?.state, expected.subjects.get('service:E3')?.state]).toEqual(['WITHDRAWN', 'FORWARDED'])
    expect(expected.zsets.get(`o:service:${GRID}`)).toEqual(new Map([['E3', T0 + HOUR]]))
    const d = expected.hashes.get(`d:${GRID}:${DAY}`)
    expect([d?.get('s.completedOnTime.outside'), d?.get('s.minutes'), d?.get('s.withdrawn.local'), d?.get('s.satisfied'), d?.get('s.basic')])
      .toEqual([1, 90, 1, 1, 0])
    let seed = 7
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
    for (let run = 0; run < 200; run++) {
      const w = world()
      const inputs = stream(w)
      for (let j = inputs.length - 1; j > 0; j--) {
        const k = Math.floor(rand() * (j + 1))
        ;[inputs[j], inputs[k]] = [inputs[k]!, inputs[j]!]
      }
      for (const input of inputs) applyModel(w.s, input, ZONE)
      const { hashes, zsets, sets, subjects } = result(w)
      // fields created on the way and back to 0 stay in Redis: compare without the zeros
      const nonZero = (m: Map<string, Map<string, number>>) =>
        new Map([...m].filter(([k]) => k !== 'stats') // how many were parked on the way differs, by design
          .map(([k, f]) => [k, new Map([...f].filter(([, n]) => n !== 0))] as const).filter(([, f]) => f.size > 0))
      expect({ hashes: nonZero(hashes), zsets, sets, subjects }, `run ${run}`).toEqual({ ...expected, hashes: nonZero(expected.hashes) })
      expect([...w.s.lists.values()].flat().filter((e) => e.parked)).toEqual([])
    }
  })

  it('re-judges a self-close when the registration arrives late', () => {
    const w = world()
    w.report('C1', T0, { category: 'dispute.land' })
    w.c('closed', 'C1', T0 + 3 * HOUR, { outcome: 'success' }) // fits REPORTED: 自行处置 for now
    const d = `d:${GRID}:${DAY}`
    expect(w.n(d, 'c.selfClosed')).toBe(1)
    expect(w.c('registered', 'C1', T0 + HOUR)).toBe('applied')
    expect([w.n(d, 'c.selfClosed'), w.n(d, 'cf.closed'), w.state('case', 'C1')]).toEqual([0, 0, 'REGISTERED']) // the close waits
    w.c('dispatched', 'C1', T0 + 2 * HOUR)
    w.c('disposed', 'C1', T0 + 150 * 60_000)
    expect([w.n(d, 'c.closedRegistered'), w.n(d, 'c.disputeSuccess'), w.state('case', 'C1')]).toEqual([1, 1, 'CLOSED'])
  })
})
