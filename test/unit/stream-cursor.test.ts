// Cursors across partitions (DESIGN §11): one stream id per partition's log;
// with one partition a cursor is the plain stream id it always was.
import { expect, it } from 'vitest'
import { advanceCursor, compareStreamIds, cursorCovers, cursorCoversAll, cursorOf, cursorPositions, newestStreamId, sidOf } from '../../server/domain/stream-id.ts'

it('keeps a plain stream id as the cursor of one partition', () => {
  expect(sidOf('10-0', '')).toBe('10-0')
  expect(cursorCovers('10-0', '9-5')).toBe(true)
  expect(cursorCovers('10-0', '10-0')).toBe(true)
  expect(cursorCovers('9-0', '10-0')).toBe(false)
  expect(advanceCursor(null, ['5-0', '9-1'])).toBe('9-1')
  expect(newestStreamId('10-0', '9-9')).toBe('10-0')
})

it('holds one position per partition and never moves one back', () => {
  const a = sidOf('100-0', '650400')
  const b = sidOf('7-3', '650500')
  const c = advanceCursor(null, ['50-0', a, b])!
  expect(cursorPositions(c)).toEqual(new Map([['', '50-0'], ['650400', '100-0'], ['650500', '7-3']]))
  // a partition's position is its own: a high id elsewhere does not cover it
  expect(cursorCovers(c, sidOf('8-0', '650500'))).toBe(false)
  expect(cursorCovers(c, sidOf('99-9', '650400'))).toBe(true)
  expect(cursorCovers(c, sidOf('1-0', '659000'))).toBe(false) // a partition the cursor has not seen
  const older = advanceCursor(null, [sidOf('90-0', '650400')])!
  expect(cursorPositions(newestStreamId(c, older)!)).toEqual(cursorPositions(c))
  expect(cursorCoversAll(c, older)).toBe(true)
  expect(cursorCoversAll(older, c)).toBe(false)
  expect(cursorOf([['', '1-0'], ['650400', '2-0']])).toBe('1-0,2-0@650400')
})

it('orders sids of different partitions by the time they were logged', () => {
  expect(compareStreamIds(sidOf('9-0', '650500'), sidOf('10-0', '650400'))).toBeLessThan(0)
  expect(compareStreamIds(sidOf('10-0', '650500'), sidOf('10-0', '650400'))).toBeGreaterThan(0)
  expect(compareStreamIds(sidOf('10-0', '650400'), sidOf('10-0', '650400'))).toBe(0)
})
