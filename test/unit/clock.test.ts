import { describe, it, expect } from 'vitest'
import { bucketOfDay, dayKey, lastDays, wallClock, zonedParts } from '../../server/domain/clock.ts'

const SH = 'Asia/Shanghai'
const ms = (iso: string) => Date.parse(iso)

describe('dayKey (Asia/Shanghai)', () => {
  it('starts the Shanghai day at 16:00Z of the previous UTC day', () => {
    expect(dayKey(ms('2026-11-20T16:00:00Z'), SH)).toBe('20261121')
    expect(dayKey(ms('2026-11-20T15:59:59Z'), SH)).toBe('20261120')
    expect(dayKey(ms('2026-11-20T15:59:59.999Z'), SH)).toBe('20261120')
  })

  it('matches the local date of an +08:00 timestamp', () => {
    expect(dayKey(ms('2026-11-21T09:15:02+08:00'), SH)).toBe('20261121')
    expect(dayKey(ms('2026-11-21T23:59:59+08:00'), SH)).toBe('20261121')
    expect(dayKey(ms('2026-11-22T00:00:00+08:00'), SH)).toBe('20261122')
  })

  it('crosses month and year boundaries, zero-padded', () => {
    expect(dayKey(ms('2026-12-31T16:00:00Z'), SH)).toBe('20270101')
    expect(dayKey(ms('2027-02-28T16:00:00Z'), SH)).toBe('20270301')
    expect(dayKey(ms('2028-02-28T16:00:00Z'), SH)).toBe('20280229')
    expect(dayKey(ms('2026-01-05T03:00:00+08:00'), SH)).toBe('20260105')
  })

  it('depends on the zone', () => {
    const t = ms('2026-11-20T16:00:00Z')
    expect(dayKey(t, 'UTC')).toBe('20261120')
    expect(dayKey(t, 'Asia/Urumqi')).toBe('20261120') // UTC+6: 22:00 on the 20th
  })
})

describe('bucketOfDay (Asia/Shanghai)', () => {
  it('is 0 at Shanghai midnight and 143 in its last 10 minutes', () => {
    expect(bucketOfDay(ms('2026-11-20T16:00:00Z'), SH)).toBe(0)
    expect(bucketOfDay(ms('2026-11-20T15:59:59Z'), SH)).toBe(143)
    expect(bucketOfDay(ms('2026-11-20T15:50:00Z'), SH)).toBe(143)
    expect(bucketOfDay(ms('2026-11-20T15:49:59Z'), SH)).toBe(142)
  })

  it('counts 10-minute buckets through the day', () => {
    expect(bucketOfDay(ms('2026-11-21T00:09:59+08:00'), SH)).toBe(0)
    expect(bucketOfDay(ms('2026-11-21T00:10:00+08:00'), SH)).toBe(1)
    expect(bucketOfDay(ms('2026-11-21T09:15:02+08:00'), SH)).toBe(9 * 6 + 1)
    expect(bucketOfDay(ms('2026-11-21T12:00:00+08:00'), SH)).toBe(72)
    expect(bucketOfDay(ms('2026-11-21T23:59:59+08:00'), SH)).toBe(143)
  })

  it('stays within 0..143 for every minute of a day', () => {
    const start = ms('2026-11-20T16:00:00Z')
    const seen = new Set<number>()
    for (let m = 0; m < 1440; m++) {
      const b = bucketOfDay(start + m * 60_000, SH)
      expect(b).toBe(Math.floor(m / 10))
      seen.add(b)
    }
    expect(seen.size).toBe(144)
  })
})

describe('zonedParts', () => {
  it('reports hour 0 (not 24) at midnight', () => {
    expect(zonedParts(ms('2026-11-20T16:00:00Z'), SH)).toEqual({ y: '2026', m: '11', d: '21', hour: 0, minute: 0 })
  })
})

describe('lastDays', () => {
  it('lists n days ending with the day of the instant, newest last', () => {
    expect(lastDays(ms('2026-11-21T09:00:00+08:00'), SH, 7)).toEqual([
      '20261115', '20261116', '20261117', '20261118', '20261119', '20261120', '20261121',
    ])
  })

  it('takes the day in the zone, not in UTC', () => {
    expect(lastDays(ms('2026-11-20T16:00:00Z'), SH, 2)).toEqual(['20261120', '20261121'])
    expect(lastDays(ms('2026-11-20T15:59:59Z'), SH, 2)).toEqual(['20261119', '20261120'])
  })

  it('crosses a year boundary', () => {
    expect(lastDays(ms('2027-01-02T08:00:00+08:00'), SH, 4)).toEqual(['20261230', '20261231', '20270101', '20270102'])
  })

  it('returns one day for n = 1 and none for n = 0', () => {
    expect(lastDays(ms('2026-11-21T09:00:00+08:00'), SH, 1)).toEqual(['20261121'])
    expect(lastDays(ms('2026-11-21T09:00:00+08:00'), SH, 0)).toEqual([])
  })
})

describe('wallClock', () => {
  it('defaults to Asia/Shanghai and reads wall time', () => {
    const c = wallClock()
    expect(c.zone).toBe(SH)
    const before = Date.now()
    const now = c.now()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
    expect(wallClock('UTC').zone).toBe('UTC')
  })
})
