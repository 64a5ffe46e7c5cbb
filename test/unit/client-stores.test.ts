// Pure logic of the wall client: stream-id order, the capped event ring, KPI merges, formatting.
import { expect, it } from 'vitest'
import { compareStreamIds, newestStreamId } from '@domain/stream-id.ts'
import { mergeNewestFirst } from '@client/stores/event-ring.ts'
import { mergeKpis } from '@client/stores/merge-kpis.ts'
import { formatKpi } from '@client/i18n/format-kpi.ts'
import { zonedTime } from '@client/i18n/format-time.ts'
import type { LiveEvent } from '@domain/protocol.ts'

const ev = (sid: string): LiveEvent => ({ sid, id: sid, feed: 'case', type: 'reported', subject: 's', at: 0, region: 'r', applied: true })

it('compares stream ids numerically', () => {
  expect(compareStreamIds('9-0', '10-0')).toBeLessThan(0)
  expect(compareStreamIds('10-2', '10-10')).toBeLessThan(0)
  expect(compareStreamIds('10-2', '10-2')).toBe(0)
  expect(newestStreamId(null, '5-1')).toBe('5-1')
  expect(newestStreamId('10-0', '9-9')).toBe('10-0')
})
it('merges newest first without duplicates, capped, late events in order', () => {
  let ring = mergeNewestFirst([], [ev('1-0'), ev('2-0'), ev('3-0')], 4)
  expect(ring.map((e) => e.sid)).toEqual(['3-0', '2-0', '1-0'])
  const same = mergeNewestFirst(ring, [ev('2-0'), ev('3-0')], 4)
  expect(same).toBe(ring)
  ring = mergeNewestFirst(ring, [ev('10-0'), ev('9-0'), ev('3-0')], 4)
  expect(ring.map((e) => e.sid)).toEqual(['10-0', '9-0', '3-0', '2-0'])
})
it('keeps events of several partition logs apart by sid, in time order, and a cursor per partition', () => {
  // the same stream id in two partitions' logs is two events; a re-sent one is dropped
  let ring = mergeNewestFirst([], [ev('5-0'), ev('5-0@650402'), ev('7-0@650421')], 10)
  ring = mergeNewestFirst(ring, [ev('5-0@650402'), ev('6-0@650402'), ev('7-0@650421')], 10)
  expect(ring.map((e) => e.sid)).toEqual(['7-0@650421', '6-0@650402', '5-0@650402', '5-0'])
  // batch cursors of a room name only the partitions they moved: the wall's cursor keeps every position
  let cursor = newestStreamId(null, '5-0,0-0@650402,0-0@650421')
  cursor = newestStreamId(cursor, '6-0@650402')
  cursor = newestStreamId(cursor, '2-0,7-0@650421')
  expect(cursor!.split(',').sort()).toEqual(['5-0', '6-0@650402', '7-0@650421'])
})
it('merges partial kpi pushes', () => {
  const a = mergeKpis(null, { today: { caseReported: 3 } })
  const b = mergeKpis(a, { today: { disposalRate: 0.5 }, '7d': { caseReported: 9 } })
  expect(b.today).toEqual({ caseReported: 3, disposalRate: 0.5 })
  expect(b['7d']).toEqual({ caseReported: 9 })
  expect(a.today).toEqual({ caseReported: 3 })
})
it('formats kpis', () => {
  expect(formatKpi('disposalRate', 69516 / 71745)).toBe('96.9%')
  expect(formatKpi('hotlineCloseRate', 3625 / 3651)).toBe('99.3%')
  expect(formatKpi('disposalRate', null)).toBe('—')
  expect(formatKpi('caseReported', undefined)).toBe('—')
  expect(formatKpi('caseReported', 71745)).toBe('71745')
  expect(formatKpi('answerRate', 1)).toBe('100.0%')
  expect(formatKpi('answerRate', 0)).toBe('0.0%')
})
it('formats zoned time', () => {
  expect(zonedTime(Date.parse('2026-11-21T01:15:02Z'), 'Asia/Shanghai')).toEqual({ date: '2026-11-21', time: '09:15:02', weekday: 6 })
  expect(zonedTime(Date.parse('2026-11-21T16:00:00Z'), 'Asia/Shanghai').time).toBe('00:00:00')
})

it('keeps 500 map points unless ?points= asks for more, never beyond 20,000', async () => {
  const { pointsCap } = await import('@client/stores/region-feed.ts')
  expect(pointsCap('')).toBe(500)
  expect(pointsCap('?points=10000')).toBe(10_000)
  expect(pointsCap('?points=999999')).toBe(20_000)
  expect(pointsCap('?points=-3')).toBe(500)
  expect(pointsCap('?points=abc')).toBe(500)
})
