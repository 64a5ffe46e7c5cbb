// The simulator plans each errand's finish as a share of its time limit: on
// time (≤ 0.94 of it) or late (1.03–1.5 of it). For an item whose clock stops
// during 补正 (pausesOnDocs in config/categories.json), the wait is extra time,
// so its plan must hold against the moved deadline: its (finish − accepted −
// wait) / limit falls in the same two bands as an errand that never waited.
// The limits and the flag are read from the JSON here, not from server code.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'

type Item = { code: string; limitDays?: number; pausesOnDocs?: boolean }
const categories = JSON.parse(readFileSync(new URL('../../config/categories.json', import.meta.url), 'utf8')) as { service: { children: Item[] }[] }
const items = new Map(categories.service.flatMap((g) => g.children).map((c) => [c.code, c]))
const PAUSING = 'svc.disability.card'
const RUNNING = 'svc.social.card'
const DAY = 86_400_000
const START = Date.parse('2026-03-02T00:00:00+08:00')

describe('simulated 补正 of an item that stops its clock', () => {
  it('keeps each errand on its planned side of the moved deadline', () => {
    expect(items.get(PAUSING)?.pausesOnDocs).toBe(true)
    expect(items.get(RUNNING)?.pausesOnDocs).toBeUndefined()
    const config = loadSimConfig()
    const service = { ...config.params.service!, errandsPer10kPerWeek: 20, outsideShare: 0, returnedShare: 1, withdrawnShare: 0, onTimeShare: 0.5, items: { [PAUSING]: 1, [RUNNING]: 1 } }
    const sim = createSimulation({ ...config, params: { ...config.params, service }, mode: 'realistic', seed: 7, start: START })
    const byErrand = new Map<string, EventEnvelope[]>()
    for (let t = START + DAY; t <= START + 21 * DAY; t += DAY) {
      for (const e of sim.next(t)) if (e.feed === 'service') byErrand.set(e.subject, [...(byErrand.get(e.subject) ?? []), e])
    }
    const shares = { [PAUSING]: [] as number[], [RUNNING]: [] as number[] }
    for (const events of byErrand.values()) {
      const at = (type: string) => events.find((e) => e.type === type)?.at
      const [accepted, waited, resumed, completed] = ['accepted', 'returnedForDocs', 'resumed', 'completed'].map((t) => at(t) === undefined ? undefined : Date.parse(at(t)!))
      if (accepted === undefined || completed === undefined || waited === undefined || resumed === undefined) continue
      const item = String(events[0]!.attrs?.item)
      const limit = (items.get(item)!.limitDays ?? 7) * DAY
      const extra = items.get(item)!.pausesOnDocs ? resumed - waited : 0
      shares[item as keyof typeof shares]!.push((completed - accepted - extra) / limit)
    }
    console.log(`errands with 补正, finished: ${shares[PAUSING].length} of the pausing item, ${shares[RUNNING].length} of the other`)
    for (const list of Object.values(shares)) {
      expect(list.length).toBeGreaterThan(50)
      // nothing planned on time lands late, nothing planned late lands on time (minute rounding aside)
      expect(list.filter((s) => s > 0.9401 && s < 1.0299)).toEqual([])
      expect(list.some((s) => s > 1)).toBe(true)
      expect(list.some((s) => s <= 1)).toBe(true)
    }
  }, 60_000)
})
