import { describe, expect, it } from 'vitest'
import { choroplethFill, choroplethScale, niceCeiling } from '@client/map/choropleth-scale.ts'

describe('choropleth scale', () => {
  it('gives rates the same fixed bands whatever the values of the moment', () => {
    const tight = choroplethScale('disposalRate', 'month', [0.961, 0.964])!
    const wide = choroplethScale('disposalRate', 'month', [0.2, 0.99, null])!
    expect(tight.domain).toEqual([0, 1])
    expect(tight.breaks).toEqual([0.7, 0.8, 0.9, 0.95])
    expect(wide.breaks).toEqual(tight.breaks)
    expect(wide.colors).toEqual(tight.colors)
    expect(tight.colors).toHaveLength(tight.breaks.length + 1)
  })

  it('turns the colours round for a rate where more is worse', () => {
    const rework = choroplethScale('reworkRate', 'today', [0.03])!
    const disposal = choroplethScale('disposalRate', 'today', [0.03])!
    expect(rework.breaks).toEqual([0.02, 0.05, 0.1, 0.2])
    expect(rework.colors).toEqual([...disposal.colors].reverse())
  })

  it('steps counts in fifths of a 1-2-5 ceiling that moves only at round numbers', () => {
    expect([1, 5, 6, 10, 11, 20, 21, 50, 51, 100, 101, 4000].map(niceCeiling)).toEqual([5, 5, 10, 10, 20, 20, 50, 50, 100, 100, 200, 5000])
    const a = choroplethScale('caseReported', 'today', [3, 41])!
    const b = choroplethScale('caseReported', 'today', [0, 12, 47])!
    expect(a.domain).toEqual([0, 50])
    expect(a.breaks).toEqual([10, 20, 30, 40])
    expect(b).toEqual(a)
  })

  it('has no scale without any value, and paints children without a value grey', () => {
    expect(choroplethScale('disposalRate', 'month', [null, null])).toBeNull()
    const fill = JSON.stringify(choroplethFill(choroplethScale('disposalRate', 'month', [0.9])!))
    expect(fill).toContain('"step"')
    expect(fill).toContain('#64748b')
  })
})
