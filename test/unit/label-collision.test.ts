import { describe, expect, it } from 'vitest'
import { placeLabels } from '@client/map/label-collision.ts'
import { nameSegments } from '@client/components/tablet/name-segments.ts'

describe('placeLabels', () => {
  const view = { width: 400, height: 300 }

  it('shows labels in order of importance and hides one that would overlap an earlier one', () => {
    const shown = placeLabels([
      { x: 100, y: 100, w: 60, h: 16 }, // most important
      { x: 120, y: 104, w: 60, h: 16 }, // overlaps the first: hidden
      { x: 250, y: 100, w: 60, h: 16 }, // clear: shown
    ], view)
    expect(shown).toEqual([true, false, true])
  })

  it('hides labels that stick out of the view or sit on an obstacle, and unmeasured ones', () => {
    const legend = { x0: 0, y0: 200, x1: 200, y1: 300 }
    const shown = placeLabels([
      { x: 10, y: 50, w: 60, h: 16 }, // sticks out on the left
      { x: 100, y: 250, w: 60, h: 16 }, // under the legend
      { x: 300, y: 250, w: 0, h: 0 }, // not laid out
      { x: 300, y: 250, w: 60, h: 16 },
    ], view, [legend])
    expect(shown).toEqual([false, false, false, true])
  })
})

describe('nameSegments', () => {
  it('cuts a grid name after its village, and leaves other names whole', () => {
    expect(nameSegments('依格孜艾日克村第3网格')).toEqual(['依格孜艾日克村', '第3网格'])
    expect(nameSegments('兵团二二一团社区第1网格')).toEqual(['兵团二二一团社区', '第1网格'])
    expect(nameSegments('葡萄沟街道')).toEqual(['葡萄沟街道'])
    expect(nameSegments('光明社区')).toEqual(['光明社区'])
  })
})
