import { describe, it, expect } from 'vitest'
import {
  CASE_LIFECYCLE, CASE_TYPES, GRID_TYPES, HOTLINE_LIFECYCLE, HOTLINE_TYPES, INTAKE_TYPES, nextState,
} from '../../server/domain/lifecycles.ts'

// The expected tables are written out from DESIGN §5, independently of the
// source tables, as [type, from, to] rows. Every (type, state) pair not listed
// must be refused (null).

const CASE_STATES = ['', 'REPORTED', 'REGISTERED', 'CANCELLED', 'DISPATCHED', 'DISPOSED', 'CLOSED'] as const
const CASE_ALLOWED: [string, string, string][] = [
  ['reported', '', 'REPORTED'],
  ['registered', 'REPORTED', 'REGISTERED'],
  ['cancelled', 'REPORTED', 'CANCELLED'],
  ['dispatched', 'REGISTERED', 'DISPATCHED'],
  ['returned', 'DISPATCHED', 'REGISTERED'],
  ['extended', 'REGISTERED', 'REGISTERED'],
  ['extended', 'DISPATCHED', 'DISPATCHED'],
  ['extended', 'DISPOSED', 'DISPOSED'],
  ['disposed', 'DISPATCHED', 'DISPOSED'],
  ['rework', 'DISPOSED', 'DISPATCHED'],
  ['closed', 'DISPOSED', 'CLOSED'],
  ['closed', 'REPORTED', 'CLOSED'], // 自行处置
  ['urged', 'REPORTED', 'REPORTED'],
  ['urged', 'REGISTERED', 'REGISTERED'],
  ['urged', 'DISPATCHED', 'DISPATCHED'],
  ['urged', 'DISPOSED', 'DISPOSED'],
]

const HOTLINE_STATES = ['', 'RECEIVED', 'DISPATCHED', 'REPLIED', 'CLOSED', 'VOID'] as const
const HOTLINE_ALLOWED: [string, string, string][] = [
  ['received', '', 'RECEIVED'],
  ['directClosed', 'RECEIVED', 'CLOSED'],
  ['dispatched', 'RECEIVED', 'DISPATCHED'],
  ['returned', 'DISPATCHED', 'RECEIVED'],
  ['extended', 'RECEIVED', 'RECEIVED'],
  ['extended', 'DISPATCHED', 'DISPATCHED'],
  ['extended', 'REPLIED', 'REPLIED'],
  ['urged', 'RECEIVED', 'RECEIVED'],
  ['urged', 'DISPATCHED', 'DISPATCHED'],
  ['urged', 'REPLIED', 'REPLIED'],
  ['replied', 'DISPATCHED', 'REPLIED'],
  ['reopened', 'REPLIED', 'DISPATCHED'],
  ['reopened', 'CLOSED', 'DISPATCHED'],
  ['closed', 'REPLIED', 'CLOSED'],
  ['rated', 'RECEIVED', 'RECEIVED'],
  ['rated', 'DISPATCHED', 'DISPATCHED'],
  ['rated', 'REPLIED', 'REPLIED'],
  ['rated', 'CLOSED', 'CLOSED'],
  ['voided', 'RECEIVED', 'VOID'],
]

function refusedPairs(types: readonly string[], states: readonly string[], allowed: [string, string, string][]) {
  const ok = new Set(allowed.map(([t, f]) => `${t}|${f}`))
  const out: [string, string][] = []
  for (const t of types) for (const s of states) if (!ok.has(`${t}|${s}`)) out.push([t, s])
  return out
}

const caseTypes: readonly string[] = CASE_TYPES
const hotlineTypes = HOTLINE_TYPES.filter((t) => t !== 'call')

describe('case lifecycle (DESIGN §5)', () => {
  it.each(CASE_ALLOWED)('allows %s from "%s" → %s', (type, from, to) => {
    expect(nextState('case', type, from)).toBe(to)
  })

  it.each(refusedPairs(caseTypes, CASE_STATES, CASE_ALLOWED))('refuses %s from "%s"', (type, from) => {
    expect(nextState('case', type, from)).toBeNull()
  })

  it.each([
    ['disposed', 'REGISTERED'],
    ['closed', 'DISPATCHED'],
    ['closed', 'REGISTERED'],
    ['registered', 'REGISTERED'],
    ['reported', 'REPORTED'],
    ['dispatched', 'REPORTED'],
    ['rework', 'CLOSED'],
    ['urged', 'CLOSED'],
    ['urged', 'CANCELLED'],
    ['extended', 'REPORTED'],
    ['cancelled', 'REGISTERED'],
    ['registered', ''],
  ])('names the refused transition %s from "%s" explicitly', (type, from) => {
    expect(nextState('case', type, from)).toBeNull()
  })

  it('makes CLOSED and CANCELLED terminal: no type applies to them', () => {
    for (const terminal of ['CLOSED', 'CANCELLED']) {
      for (const type of CASE_TYPES) expect(nextState('case', type, terminal), `${type} from ${terminal}`).toBeNull()
    }
  })

  it('has a table entry for every case type and no others', () => {
    expect(Object.keys(CASE_LIFECYCLE).sort()).toEqual([...CASE_TYPES].sort())
  })

  it('refuses an unknown case type', () => {
    expect(nextState('case', 'received', 'REPORTED')).toBeNull()
    expect(nextState('case', 'call', '')).toBeNull()
    expect(nextState('case', '', 'REPORTED')).toBeNull()
  })
})

describe('hotline lifecycle (DESIGN §5)', () => {
  it.each(HOTLINE_ALLOWED)('allows %s from "%s" → %s', (type, from, to) => {
    expect(nextState('hotline', type, from)).toBe(to)
  })

  it.each(refusedPairs(hotlineTypes, HOTLINE_STATES, HOTLINE_ALLOWED))('refuses %s from "%s"', (type, from) => {
    expect(nextState('hotline', type, from)).toBeNull()
  })

  it.each([
    ['closed', 'RECEIVED'],
    ['rated', 'VOID'],
    ['rated', ''],
    ['reopened', 'RECEIVED'],
    ['reopened', 'DISPATCHED'],
    ['directClosed', 'DISPATCHED'],
    ['replied', 'RECEIVED'],
    ['voided', 'DISPATCHED'],
    ['urged', 'CLOSED'],
    ['extended', 'CLOSED'],
    ['received', 'RECEIVED'],
  ])('names the refused transition %s from "%s" explicitly', (type, from) => {
    expect(nextState('hotline', type, from)).toBeNull()
  })

  it('makes VOID terminal: no subject type applies to it', () => {
    for (const type of hotlineTypes) expect(nextState('hotline', type, 'VOID'), type).toBeNull()
  })

  it('leaves the state untouched on call (no subject state), from any state', () => {
    for (const s of HOTLINE_STATES) expect(nextState('hotline', 'call', s), s).toBe(s)
  })

  it('has a table entry for every hotline type but call', () => {
    expect(Object.keys(HOTLINE_LIFECYCLE).sort()).toEqual([...hotlineTypes].sort())
  })

  it('refuses an unknown hotline type', () => {
    expect(nextState('hotline', 'registered', 'RECEIVED')).toBeNull()
    expect(nextState('hotline', 'disposed', 'DISPATCHED')).toBeNull()
  })
})

describe('grid and intake', () => {
  it('keeps the current state for every grid type (grid has no subject lifecycle)', () => {
    for (const type of GRID_TYPES) {
      expect(nextState('grid', type, '')).toBe('')
      expect(nextState('grid', type, 'ANY')).toBe('ANY')
    }
  })

  it('names the intake types', () => {
    expect(INTAKE_TYPES).toEqual({ case: 'reported', hotline: 'received', grid: 'onDuty', service: 'accepted' })
  })
})

describe('nextState with type names that are Object.prototype members', () => {
  // BUG: the tables are plain object literals, so table['toString'] etc. is an
  // inherited function whose `.from` is undefined and `.from.includes` throws a
  // TypeError instead of returning null ("does not fit").
  it.each([
    ['case', 'toString'],
    ['case', 'constructor'],
    ['hotline', 'hasOwnProperty'],
    ['hotline', '__proto__'],
  ] as const)('%s %s → null, not a throw', (feed, type) => {
    expect(() => nextState(feed, type, 'REPORTED')).not.toThrow()
    expect(nextState(feed, type, 'RECEIVED')).toBeNull()
  })
})
