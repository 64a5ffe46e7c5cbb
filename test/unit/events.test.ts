import { describe, it, expect } from 'vitest'
import { validateEvent, type ValidEvent } from '../../server/domain/events.ts'
import { checkAttrs, DEFAULT_EVENT_BOUNDS } from '../../server/domain/event-bounds.ts'
import { CASE_TYPES, GRID_TYPES, HOTLINE_TYPES } from '../../server/domain/lifecycles.ts'

// DESIGN §4 (envelope) and §5 (per feed/type attrs) — validateEvent never throws.

type Raw = Record<string, unknown>

const AT = '2026-11-21T09:15:02+08:00'
const AT_MS = Date.UTC(2026, 10, 21, 1, 15, 2)

const caseReported = (over: Raw = {}): Raw => ({
  id: 'case-C1-reported', feed: 'case', type: 'reported', subject: 'C1', at: AT,
  region: '650402100201', category: 'city.sanitation', attrs: { source: 'grid', priority: 'normal' }, ...over,
})
const hotlineReceived = (over: Raw = {}): Raw => ({
  id: 'hl-HL1-received', feed: 'hotline', type: 'received', subject: 'HL1', at: AT,
  location: [89.1823, 42.9476], category: 'hl.urban.roads', attrs: { kind: 'complaint', channel: 'phone', urgency: 'urgent' }, ...over,
})
const grid = (type: string, over: Raw = {}): Raw => ({
  id: `grid-W1-${type}`, feed: 'grid', type, subject: 'W1', at: AT, region: '650402100201001', ...over,
})
const bare = (feed: string, type: string, over: Raw = {}): Raw => ({
  id: `${feed}-S1-${type}`, feed, type, subject: 'S1', at: AT, ...over,
})

function ok(raw: unknown): ValidEvent {
  const v = validateEvent(raw)
  if (!v.ok) throw new Error(`expected valid, got: ${v.error}`)
  return v.event
}
function err(raw: unknown): string {
  const v = validateEvent(raw)
  if (v.ok) throw new Error(`expected invalid, got valid: ${JSON.stringify(v.event)}`)
  expect(typeof v.error).toBe('string')
  expect(v.error.length).toBeGreaterThan(0)
  return v.error
}

describe('validateEvent — happy paths', () => {
  it('accepts a full case reported and converts `at` to epoch ms', () => {
    const e = ok(caseReported({ location: [89.18, 42.95] }))
    expect(e).toEqual({
      id: 'case-C1-reported', feed: 'case', type: 'reported', subject: 'C1', at: AT_MS,
      region: '650402100201', location: [89.18, 42.95], category: 'city.sanitation',
      attrs: { source: 'grid', priority: 'normal' },
    })
  })

  it('accepts a hotline received with only a location and keeps its attrs', () => {
    const e = ok(hotlineReceived())
    expect(e.feed).toBe('hotline')
    expect(e.at).toBe(AT_MS)
    expect(e.location).toEqual([89.1823, 42.9476])
    expect(e).not.toHaveProperty('region')
    expect(e.attrs).toEqual({ kind: 'complaint', channel: 'phone', urgency: 'urgent' })
  })

  it('accepts a grid position with a location', () => {
    const e = ok(grid('position', { region: undefined, location: [89.2, 42.9] }))
    expect(e).toMatchObject({ feed: 'grid', type: 'position', subject: 'W1', location: [89.2, 42.9] })
  })

  it('omits absent optional fields and defaults attrs to {}', () => {
    const e = ok(bare('case', 'registered'))
    expect(e.attrs).toEqual({})
    expect(Object.keys(e).sort()).toEqual(['at', 'attrs', 'feed', 'id', 'subject', 'type'])
  })

  it('keeps unknown attrs keys as free extras (bounded, see below)', () => {
    const e = ok(caseReported({ attrs: { source: 'iot', extra: 42 } }))
    expect(e.attrs).toEqual({ source: 'iot', extra: 42 })
  })

  it('accepts every case type with its minimal valid form', () => {
    const minimal: Record<string, Raw> = {
      reported: caseReported(),
      extended: bare('case', 'extended', { attrs: { deadline: '2026-11-25T18:00:00+08:00' } }),
    }
    for (const type of CASE_TYPES) {
      const raw = minimal[type] ?? bare('case', type)
      expect(validateEvent(raw).ok, type).toBe(true)
    }
  })

  it('accepts every hotline type with its minimal valid form', () => {
    const minimal: Record<string, Raw> = {
      call: bare('hotline', 'call', { attrs: { answered: true, waitSec: 12, talkSec: 180 } }),
      received: hotlineReceived(),
      extended: bare('hotline', 'extended', { attrs: { deadline: '2026-11-25T18:00:00Z' } }),
      rated: bare('hotline', 'rated', { attrs: { contacted: true, solved: false, satisfaction: 'basic' } }),
    }
    for (const type of HOTLINE_TYPES) {
      const raw = minimal[type] ?? bare('hotline', type)
      expect(validateEvent(raw).ok, type).toBe(true)
    }
  })

  it('accepts every grid type with its minimal valid form', () => {
    const minimal: Record<string, Raw> = {
      offDuty: bare('grid', 'offDuty'),
      position: grid('position', { location: [89.2, 42.9] }),
      alert: grid('alert', { attrs: { source: 'camera', severity: 'critical' } }),
      patrol: grid('patrol', { attrs: { durationMin: 45, distanceM: 3200 } }),
      visit: grid('visit', { attrs: { households: 7 } }),
    }
    for (const type of GRID_TYPES) {
      const raw = minimal[type] ?? grid(type)
      expect(validateEvent(raw).ok, type).toBe(true)
    }
  })

  it('accepts `at` with Z, a negative offset, fractions and no seconds', () => {
    expect(ok(caseReported({ at: '2026-11-21T01:15:02Z' })).at).toBe(AT_MS)
    expect(ok(caseReported({ at: '2026-11-20T20:15:02-05:00' })).at).toBe(AT_MS)
    expect(ok(caseReported({ at: '2026-11-21T09:15:02.250+08:00' })).at).toBe(AT_MS + 250)
    expect(ok(caseReported({ at: '2026-11-21T09:15+08:00' })).at).toBe(AT_MS - 2000)
  })

  it('accepts ids with every allowed character and exactly 128 characters', () => {
    expect(ok(caseReported({ id: 'a.b_c:d-E9' })).id).toBe('a.b_c:d-E9')
    expect(ok(caseReported({ id: 'x'.repeat(128), subject: 'y'.repeat(128) })).id).toHaveLength(128)
  })

  it('accepts location bounds exactly at ±180 / ±90', () => {
    expect(ok(caseReported({ location: [180, -90] })).location).toEqual([180, -90])
    expect(ok(caseReported({ location: [-180, 90] })).location).toEqual([-180, 90])
  })
})

describe('validateEvent — feed/type rules', () => {
  it('requires a category on case reported', () => {
    const e = err(caseReported({ category: undefined }))
    expect(e).toContain('category')
    expect(e).toContain('case reported')
  })

  it('requires a category on hotline received', () => {
    const e = err(hotlineReceived({ category: undefined }))
    expect(e).toContain('category')
    expect(e).toContain('hotline received')
  })

  it('rejects an empty category string', () => {
    expect(err(caseReported({ category: '' }))).toContain('category')
  })

  it('does not require a category on non-intake events', () => {
    expect(validateEvent(bare('case', 'closed')).ok).toBe(true)
    expect(validateEvent(bare('hotline', 'closed')).ok).toBe(true)
    expect(validateEvent(grid('onDuty')).ok).toBe(true)
  })

  it('requires region or location on case reported', () => {
    const e = err(caseReported({ region: undefined, location: undefined }))
    expect(e).toContain('region or location')
  })

  it('requires region or location on hotline received', () => {
    const e = err(hotlineReceived({ region: undefined, location: undefined }))
    expect(e).toContain('region or location')
  })

  it('accepts case reported with only region, or only location', () => {
    expect(validateEvent(caseReported({ location: undefined })).ok).toBe(true)
    expect(validateEvent(caseReported({ region: undefined, location: [89, 42.9] })).ok).toBe(true)
  })

  it.each(['onDuty', 'position', 'patrol', 'visit', 'alert'])('requires region or location on grid %s', (type) => {
    const attrs = type === 'alert' ? { severity: 'info' } : {}
    const e = err(bare('grid', type, { attrs }))
    expect(e).toMatch(/region or location|location: required/)
    expect(e).toContain('location')
  })

  it('does not require a place on grid offDuty', () => {
    expect(ok(bare('grid', 'offDuty')).type).toBe('offDuty')
  })

  it('does not require a place on non-intake case/hotline events', () => {
    for (const [feed, type] of [['case', 'registered'], ['case', 'closed'], ['hotline', 'dispatched'], ['hotline', 'voided']] as const) {
      expect(validateEvent(bare(feed, type)).ok, `${feed} ${type}`).toBe(true)
    }
    expect(validateEvent(bare('hotline', 'call', { attrs: { answered: false } })).ok).toBe(true)
  })

  it('requires a location on grid position (a region is not enough)', () => {
    const e = err(grid('position'))
    expect(e).toContain('location')
    expect(e).toContain('position')
  })

  it('rejects an unknown type for a feed and names the field', () => {
    const e = err(bare('case', 'received'))
    expect(e).toMatch(/^type:/)
    expect(e).toContain('"received"')
    expect(e).toContain('case')
    expect(err(bare('hotline', 'registered'))).toMatch(/^type:/)
    expect(err(grid('reported'))).toMatch(/^type:/)
    expect(err(bare('hotline', 'toString'))).toMatch(/^type:/)
  })

  it('rejects an unknown feed', () => {
    expect(err(bare('parking', 'reported'))).toContain('feed')
  })
})

describe('validateEvent — attrs', () => {
  it('rejects hotline received with kind "gossip", naming attrs.kind', () => {
    const e = err(hotlineReceived({ attrs: { kind: 'gossip' } }))
    expect(e).toContain('attrs.kind')
  })

  it('rejects hotline received without kind', () => {
    expect(err(hotlineReceived({ attrs: {} }))).toContain('attrs.kind')
    expect(err(hotlineReceived({ attrs: undefined }))).toContain('attrs.kind')
  })

  it('rejects a bad hotline urgency', () => {
    expect(err(hotlineReceived({ attrs: { kind: 'help', urgency: 'asap' } }))).toContain('attrs.urgency')
  })

  it('rejects hotline received with a deadline without offset', () => {
    expect(err(hotlineReceived({ attrs: { kind: 'help', deadline: '2026-11-22T09:00:00' } }))).toContain('attrs.deadline')
  })

  it('rejects hotline rated without satisfaction, naming attrs.satisfaction', () => {
    expect(err(bare('hotline', 'rated', { attrs: { contacted: true } }))).toContain('attrs.satisfaction')
  })

  it('rejects a bad satisfaction and non-boolean contacted/solved', () => {
    expect(err(bare('hotline', 'rated', { attrs: { satisfaction: 'happy' } }))).toContain('attrs.satisfaction')
    expect(err(bare('hotline', 'rated', { attrs: { satisfaction: 'satisfied', solved: 'yes' } }))).toContain('attrs.solved')
    expect(err(bare('hotline', 'rated', { attrs: { satisfaction: 'satisfied', contacted: 1 } }))).toContain('attrs.contacted')
  })

  it('rejects hotline call without a boolean answered, or with negative waitSec', () => {
    expect(err(bare('hotline', 'call'))).toContain('attrs.answered')
    expect(err(bare('hotline', 'call', { attrs: { answered: 'yes' } }))).toContain('attrs.answered')
    expect(err(bare('hotline', 'call', { attrs: { answered: true, waitSec: -1 } }))).toContain('attrs.waitSec')
  })

  it('rejects a bad case source and priority', () => {
    expect(err(caseReported({ attrs: { source: 'rumour' } }))).toContain('attrs.source')
    expect(err(caseReported({ attrs: { priority: 'high' } }))).toContain('attrs.priority')
  })

  it('rejects case extended without a deadline and with a bad one', () => {
    expect(err(bare('case', 'extended'))).toContain('attrs.deadline')
    expect(err(bare('case', 'extended', { attrs: { deadline: 'tomorrow' } }))).toContain('attrs.deadline')
    expect(err(bare('hotline', 'extended'))).toContain('attrs.deadline')
  })

  it('rejects case registered with a deadline without offset', () => {
    expect(err(bare('case', 'registered', { attrs: { deadline: '2026-11-22T09:00:00' } }))).toContain('attrs.deadline')
  })

  it('rejects a bad case closed outcome', () => {
    expect(err(bare('case', 'closed', { attrs: { outcome: 'maybe' } }))).toContain('attrs.outcome')
    expect(ok(bare('case', 'closed', { attrs: { outcome: 'success' } })).attrs).toEqual({ outcome: 'success' })
  })

  it('rejects an over-long department', () => {
    expect(err(bare('case', 'dispatched', { attrs: { department: 'd'.repeat(101) } }))).toContain('attrs.department')
  })

  it('rejects grid alert without severity or with a bad one', () => {
    expect(err(grid('alert'))).toContain('attrs.severity')
    expect(err(grid('alert', { attrs: { severity: 'panic' } }))).toContain('attrs.severity')
  })

  it('rejects a non-integer or negative households, and negative patrol distance', () => {
    expect(err(grid('visit', { attrs: { households: 2.5 } }))).toContain('attrs.households')
    expect(err(grid('visit', { attrs: { households: -1 } }))).toContain('attrs.households')
    expect(err(grid('patrol', { attrs: { distanceM: -5 } }))).toContain('attrs.distanceM')
  })

  it('rejects attrs that is not an object', () => {
    expect(err(caseReported({ attrs: [1, 2] }))).toContain('attrs')
    expect(err(caseReported({ attrs: 'x' }))).toContain('attrs')
  })
})

describe('validateEvent — envelope', () => {
  it('rejects non-objects without throwing', () => {
    for (const raw of [null, undefined, 42, 'event', [], true]) {
      expect(validateEvent(raw).ok, String(raw)).toBe(false)
    }
  })

  it('rejects an unknown top-level field (strict envelope), naming it', () => {
    const e = err(caseReported({ priority: 'urgent' }))
    expect(e).toContain('priority')
  })

  it('rejects each missing required field, naming it', () => {
    for (const field of ['id', 'feed', 'type', 'subject', 'at']) {
      expect(err(caseReported({ [field]: undefined })), field).toContain(field)
    }
  })

  it('rejects an id longer than 128 characters', () => {
    expect(err(caseReported({ id: 'x'.repeat(129) }))).toMatch(/^id:/)
  })

  it('rejects an id or subject with spaces or other characters', () => {
    expect(err(caseReported({ id: 'case C1 reported' }))).toMatch(/^id:/)
    expect(err(caseReported({ id: 'case/C1' }))).toMatch(/^id:/)
    expect(err(caseReported({ id: '' }))).toMatch(/^id:/)
    expect(err(caseReported({ subject: 'C 1' }))).toMatch(/^subject:/)
    expect(err(caseReported({ subject: 's'.repeat(129) }))).toMatch(/^subject:/)
    expect(err(caseReported({ id: '案件1' }))).toMatch(/^id:/)
  })

  it('rejects a non-string id', () => {
    expect(err(caseReported({ id: 123 }))).toMatch(/^id:/)
  })

  it('rejects `at` without an offset', () => {
    const e = err(caseReported({ at: '2026-11-21T09:15:02' }))
    expect(e).toMatch(/^at:/)
    expect(e).toContain('offset')
  })

  it('rejects `at` as a date only, as epoch ms, and with impossible month', () => {
    expect(err(caseReported({ at: '2026-11-21' }))).toMatch(/^at:/)
    expect(err(caseReported({ at: 1795223702000 }))).toMatch(/^at:/)
    expect(err(caseReported({ at: '2026-13-01T00:00:00+08:00' }))).toMatch(/^at:/)
    expect(err(caseReported({ at: '2026-11-21T23:60:00+08:00' }))).toMatch(/^at:/)
  })

  // BUG: V8's Date.parse rolls 2026-02-30 over to 2026-03-02, so the refine
  // "is not a valid date" lets an impossible calendar date through.
  it('rejects `at` on a day that does not exist (Feb 30)', () => {
    const v = validateEvent(caseReported({ at: '2026-02-30T10:00:00+08:00' }))
    // shows what the event silently became: 2026-03-02T02:00:00.000Z
    expect(v.ok ? new Date(v.event.at).toISOString() : 'rejected').toBe('rejected')
    const d = validateEvent(bare('case', 'extended', { attrs: { deadline: '2026-04-31T18:00:00+08:00' } }))
    expect(d.ok ? 'accepted' : 'rejected').toBe('rejected')
  })

  it('rejects a location out of range, naming location', () => {
    expect(err(caseReported({ location: [181, 42] }))).toContain('location')
    expect(err(caseReported({ location: [89, -90.5] }))).toContain('location')
    expect(err(caseReported({ location: [89, 91] }))).toContain('location')
  })

  it('rejects a malformed location', () => {
    expect(err(caseReported({ location: [89] }))).toContain('location')
    expect(err(caseReported({ location: [89, 42, 10] }))).toContain('location')
    expect(err(caseReported({ location: ['89', '42'] }))).toContain('location')
    expect(err(caseReported({ location: { lon: 89, lat: 42 } }))).toContain('location')
  })

  it('rejects a region that is not a 6–15 digit code', () => {
    expect(err(caseReported({ region: '65040' }))).toMatch(/^region:/)
    expect(err(caseReported({ region: '6504021002010011' }))).toMatch(/^region:/)
    expect(err(caseReported({ region: 'turpan' }))).toMatch(/^region:/)
    expect(err(caseReported({ region: 650402 }))).toMatch(/^region:/)
  })

  it('rejects a category longer than 64 characters', () => {
    expect(err(caseReported({ category: 'c'.repeat(65) }))).toMatch(/^category:/)
  })
})

const nested = (depth: number): Record<string, unknown> => {
  let v: Record<string, unknown> = { leaf: 1 }
  for (let i = 1; i < depth; i++) v = { n: v }
  return v
}

// DESIGN §4 bounds, issue 10 items 2, 3, 4, 5 and 11
describe('validateEvent — bounds before any write', () => {
  it('accepts attrs exactly 4 levels deep and refuses 5, naming the path', () => {
    expect(ok(caseReported({ attrs: { source: 'grid', x: nested(3) } })).attrs.x).toEqual(nested(3))
    const e = err(caseReported({ attrs: { x: nested(4) } }))
    expect(e).toContain('deeper than 4 levels')
    expect(e).toContain('attrs.x.n.n.n')
  })

  it('refuses attrs 10,000 deep without throwing (no recursion)', () => {
    expect(err(caseReported({ attrs: { x: nested(10_000) } }))).toContain('deeper than 4 levels')
    let arr: unknown = []
    for (let i = 0; i < 100_000; i++) arr = [arr]
    expect(err(caseReported({ attrs: { x: arr } }))).toContain('deeper than 4 levels')
  })

  it('refuses attrs over 8 KB as JSON, and a string over 2,048 characters', () => {
    const wide = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, 'v'.repeat(40)]))
    expect(err(caseReported({ attrs: wide }))).toContain('larger than 8192 bytes')
    expect(err(caseReported({ attrs: { note: 'x'.repeat(2049) } }))).toContain('attrs.note: string longer than 2048')
    expect(ok(caseReported({ attrs: { note: 'x'.repeat(2048) } })).attrs.note).toHaveLength(2048)
    // multi-byte text counts in UTF-8 bytes: 3 × 2,000 characters of 3 bytes each
    expect(err(caseReported({ attrs: { a: '中'.repeat(2000), b: '中'.repeat(2000), c: '中'.repeat(2000) } }))).toContain('8192 bytes')
  })

  it('refuses a 4 MB grid alert title (titles hold at most 200 characters)', () => {
    expect(err(grid('alert', { attrs: { severity: 'critical', title: 't'.repeat(4_000_000) } }))).toContain('attrs.title')
    expect(err(grid('alert', { attrs: { severity: 'critical', title: 't'.repeat(201) } }))).toContain('attrs.title')
    expect(ok(grid('alert', { attrs: { severity: 'critical', title: 't'.repeat(200) } })).attrs.title).toHaveLength(200)
  })

  it('refuses counted numbers a counter could not hold: households, durations, call seconds', () => {
    expect(err(grid('visit', { attrs: { households: 9007199254740991 } }))).toContain('attrs.households')
    expect(err(grid('visit', { attrs: { households: 10_001 } }))).toContain('attrs.households')
    expect(ok(grid('visit', { attrs: { households: 10_000 } })).attrs.households).toBe(10_000)
    expect(err(grid('patrol', { attrs: { durationMin: 1441 } }))).toContain('attrs.durationMin')
    expect(err(grid('patrol', { attrs: { distanceM: 1e300 } }))).toContain('attrs.distanceM')
    expect(err(bare('hotline', 'call', { attrs: { answered: true, waitSec: 86_401 } }))).toContain('attrs.waitSec')
    expect(err(bare('hotline', 'call', { attrs: { answered: true, talkSec: 1e18 } }))).toContain('talkSec')
  })

  it('refuses any number in free attrs beyond ±2^53, and Infinity from 1e400', () => {
    expect(err(caseReported({ attrs: { big: 2 ** 60 } }))).toContain('attrs.big: number out of range')
    expect(err(caseReported(JSON.parse('{"attrs":{"inf":1e400}}')))).toContain('number out of range')
  })

  it('refuses prototype keys anywhere in attrs, even where zod would drop them silently', () => {
    expect(err(caseReported({ attrs: JSON.parse('{"__proto__":{"polluted":true}}') }))).toContain('"__proto__" is not allowed')
    expect(err(caseReported({ attrs: { a: { constructor: 1 } } }))).toContain('"constructor" is not allowed')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(err(JSON.parse('{"__proto__":{"x":1},"id":"a","feed":"case","type":"closed","subject":"s","at":"2026-11-21T09:15:02+08:00"}'))).toContain('__proto__')
  })

  it('refuses lone surrogates (Redis cjson cannot decode them) and over-long keys', () => {
    expect(err(caseReported({ attrs: { note: 'a\ud800b' } }))).toContain('lone UTF-16 surrogate')
    expect(ok(caseReported({ attrs: { note: '😀 中文 \u0000' } })).attrs.note).toBe('😀 中文 \u0000')
    expect(err(caseReported({ attrs: { ['k'.repeat(129)]: 1 } }))).toContain('longer than 128 characters')
  })

  it('accepts kind, severity and other type-specific attrs only on the types that define them', () => {
    expect(err(grid('alert', { attrs: { severity: 'critical', kind: 'complaint' } }))).toBe(
      'attrs.kind: not an attr of grid alert (only of hotline received)')
    expect(err(caseReported({ attrs: { severity: 'critical' } }))).toContain('only of grid alert')
    expect(err(grid('visit', { attrs: { households: 2, title: 'x' } }))).toContain('attrs.title')
    expect(err(bare('case', 'closed', { attrs: { deadline: '2026-11-25T18:00:00+08:00' } }))).toContain('attrs.deadline')
    expect(ok(bare('hotline', 'reopened', { attrs: { deadline: '2026-11-25T18:00:00+08:00' } })).type).toBe('reopened')
  })

  it('refuses a category with markup, and a type name longer than 32 characters', () => {
    expect(err(grid('alert', { attrs: { severity: 'info' }, category: '<img src=x onerror=alert(1)>' }))).toMatch(/^category:/)
    const long = bare('case', 'x'.repeat(4_000_000), { id: 'long-type' })
    expect(err(long)).toMatch(/^type:/)
    expect(err(long).length).toBeLessThan(200)
  })

  it('refuses `at` outside 1970–2099 even without a clock (no day key "10101")', () => {
    expect(err(caseReported({ at: '0000-01-01T00:00:00Z' }))).toContain('1970 and 2099')
    expect(err(caseReported({ at: '9999-12-31T23:59:59+08:00' }))).toContain('1970 and 2099')
  })

  it('refuses `at` more than 400 days before or 1 day after the channel clock', () => {
    const now = AT_MS
    const day = 86_400_000
    const at = (ms: number) => new Date(ms).toISOString()
    expect(validateEvent(caseReported({ at: at(now - 400 * day) }), { now }).ok).toBe(true)
    expect(validateEvent(caseReported({ at: at(now + day) }), { now }).ok).toBe(true)
    const v1 = validateEvent(caseReported({ at: at(now - 400 * day - 1000) }), { now })
    expect(v1.ok ? '' : v1.error).toContain('more than 400 days before the channel clock')
    const v2 = validateEvent(caseReported({ at: at(now + day + 1000) }), { now })
    expect(v2.ok ? '' : v2.error).toContain('after the channel clock')
  })

  it('refuses a deadline more than 400 days from `at`, and a position latitude Redis GEO cannot store', () => {
    expect(err(bare('case', 'extended', { attrs: { deadline: '2099-01-01T00:00:00Z' } }))).toContain('attrs.deadline')
    expect(err(grid('position', { location: [89.2, 86] }))).toContain('latitude')
  })

  it('takes other bounds from the context (the INGEST_* settings)', () => {
    const bounds = { ...DEFAULT_EVENT_BOUNDS, attrsMaxDepth: 2, stringMaxChars: 10 }
    expect(validateEvent(caseReported({ attrs: { x: { y: {} } } }), { bounds }).ok).toBe(false)
    expect(validateEvent(caseReported({ attrs: { note: 'x'.repeat(11) } }), { bounds }).ok).toBe(false)
    expect(checkAttrs({ x: { y: 1 } }, bounds)).toBeNull()
  })
})
