import { afterEach, describe, expect, it, vi } from 'vitest'
import { validateEvent } from '../../server/domain/events.ts'

// issue 11: validation checks an event's time and attrs.deadline, then converts both; each text is parsed once
describe('validateEvent parses each time once', () => {
  afterEach(() => vi.restoreAllMocks())

  it('an extended case with a deadline: Date.parse once for at and once for the deadline', () => {
    const at = '2026-11-21T09:15:02+08:00'
    const deadline = '2026-11-23T18:00:00+08:00'
    const parse = vi.spyOn(Date, 'parse')
    const v = validateEvent({ id: 'case-C9-extended', feed: 'case', type: 'extended', subject: 'C9', at, attrs: { deadline } })
    expect(v.ok && v.event.at).toBe(Date.UTC(2026, 10, 21, 1, 15, 2))
    expect(parse.mock.calls.map(([s]) => s).sort()).toEqual([at, deadline])
  })
})
