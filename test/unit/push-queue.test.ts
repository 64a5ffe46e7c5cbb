// The KPI/panels push budget: which regions a run reads when more wait than it may read.
import { describe, expect, it } from 'vitest'
import { dueRegions, type Waiting } from '../../server/realtime/push-queue.ts'

/** Screens as a city deploys them: 1 city wall of 40, 3 districts of 40, 35 townships of 20, 254 villages of 2, 632 grids of 1. */
function deployed(): Map<string, number> {
  const w = new Map<string, number>([['city', 40]])
  for (let i = 0; i < 3; i++) w.set(`district${i}`, 40)
  for (let i = 0; i < 35; i++) w.set(`township${i}`, 20)
  for (let i = 0; i < 254; i++) w.set(`village${i}`, 2)
  for (let i = 0; i < 632; i++) w.set(`grid${i}`, 1)
  return w
}

/** `runs` runs where every watched region changes before each run; per region, the runs it was read on. */
function flood(watchers: Map<string, number>, budget: number, runs: number): Map<string, number[]> {
  const waiting: Waiting = new Map()
  const readOn = new Map<string, number[]>([...watchers.keys()].map((r) => [r, []]))
  for (let tick = 1; tick <= runs; tick++) {
    for (const r of watchers.keys()) if (!waiting.has(r)) waiting.set(r, tick)
    const due = dueRegions(waiting, watchers, tick, budget)
    expect(due.length).toBe(Math.min(budget, waiting.size))
    expect(new Set(due).size).toBe(due.length)
    for (const r of due) {
      readOn.get(r)!.push(tick)
      waiting.delete(r)
    }
  }
  return readOn
}

/** The most runs between two reads of a region (from the start, and to one run past the end). */
function longestWait(ticks: number[], runs: number): number {
  let prev = 0
  let most = 0
  for (const t of [...ticks, runs + 1]) {
    most = Math.max(most, t - prev)
    prev = t
  }
  return most
}

describe('push budget', () => {
  it('reads every waiting region when they fit the budget', () => {
    const waiting: Waiting = new Map([['a', 5], ['b', 9], ['c', 9]])
    expect(dueRegions(waiting, new Map([['a', 1], ['b', 3], ['c', 1]]), 9, 3).sort()).toEqual(['a', 'b', 'c'])
  })

  it('prefers regions more screens watch, and of equal ones the one that waited longest', () => {
    const waiting: Waiting = new Map([['grid', 3], ['wall', 3], ['old-grid', 1], ['new-grid', 3]])
    const watchers = new Map([['grid', 1], ['wall', 40], ['old-grid', 1], ['new-grid', 1]])
    expect(dueRegions(waiting, watchers, 3, 2)).toEqual(['wall', 'old-grid'])
  })

  it('under a flood that changes all 925 regions every second, walls are read every run and no tablet waits for ever', () => {
    const watchers = deployed()
    const runs = 120
    const readOn = flood(watchers, 128, runs)
    const wait = (prefix: string) => Math.max(...[...readOn].filter(([r]) => r.startsWith(prefix)).map(([, t]) => longestWait(t, runs)))
    console.log(`longest wait in runs: city ${wait('city')}, district ${wait('district')}, township ${wait('township')}, village ${wait('village')}, grid ${wait('grid')}`)
    expect(wait('city')).toBe(1)
    expect(wait('district')).toBe(1)
    expect(wait('township')).toBeLessThanOrEqual(2)
    for (const [region, ticks] of readOn) expect(ticks.length, region).toBeGreaterThan(0)
    expect(wait('village')).toBeLessThanOrEqual(15)
    expect(wait('grid')).toBeLessThanOrEqual(25)
  })

  it('a region with a single screen is read within 1 + the most watchers of any region runs, however small the budget', () => {
    const watchers = new Map([['wall-a', 9], ['wall-b', 9], ['grid', 1]])
    const readOn = flood(watchers, 1, 60)
    expect(longestWait(readOn.get('grid')!, 60)).toBeLessThanOrEqual(1 + 9 + 2)
    expect(readOn.get('grid')!.length).toBeGreaterThan(0)
  })
})
