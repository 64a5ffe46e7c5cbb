import { readdirSync } from 'node:fs'
import { describe, it, expect, beforeAll } from 'vitest'
import { validateEvent, type EventEnvelope } from '../../server/domain/events.ts'
import { nextState, type Feed } from '../../server/domain/lifecycles.ts'
import { RegionIndex } from '../../server/domain/regions.ts'
import { shanghaiHour } from '../../server/simulation/generators/intensity.ts'
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'
import { generateScenario, listScenarios, loadScenario, SCENARIO_DIR, type Scenario } from '../../server/simulation/scenarios/scenario.ts'
import type { Incident } from '../../server/simulation/scenarios/scenario-schema.ts'

const START = Date.parse('2026-11-20T00:00:00+08:00')
const HOUR = 3_600_000
const LOW_LYING = ['650402103', '650402205', '650402203']
const NAMES = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort()

let config: SimConfig
let index: RegionIndex
const runs = new Map<string, EventEnvelope[]>()

/** The events of a scenario (or of its baseline: the same scenario without incidents), generated once. */
function events(name: string, baseline = false): EventEnvelope[] {
  const key = `${name}${baseline ? ' baseline' : ''}`
  let out = runs.get(key)
  if (!out) {
    const s = loadScenario(name)
    out = [...generateScenario(baseline ? { ...s, incidents: [] } : s, { ...config, seed: 1, start: START })]
    runs.set(key, out)
  }
  return out
}

const within = (e: EventEnvelope, codes: readonly string[]) => !!e.region && index.chain(e.region).some((c) => codes.includes(c))
const inWindow = (e: EventEnvelope, from: number, to: number) => {
  const t = Date.parse(e.at)
  return t >= START + from * HOUR && t < START + to * HOUR
}

/** Events that an incident adds to: its feed's intake or activity, category and kind, in its regions and window. */
function matches(inc: Incident, e: EventEnvelope): boolean {
  if (!inWindow(e, inc.fromHour, inc.toHour) || !within(e, inc.regions)) return false
  if (inc.feed === 'case') return e.feed === 'case' && e.type === 'reported' && (!inc.category || e.category === inc.category)
  if (inc.feed === 'hotline') {
    return e.feed === 'hotline' && e.type === 'received' && (!inc.category || e.category === inc.category) && (!inc.kind || e.attrs?.kind === inc.kind)
  }
  // workers called in mostly stay on past their day shift: what shows is their presence (position reports)
  if (inc.activity === 'shift') return e.feed === 'grid' && e.type === 'position'
  return e.feed === 'grid' && e.type === inc.activity && (!inc.title || e.attrs?.title === inc.title)
}

beforeAll(() => {
  config = loadSimConfig()
  index = new RegionIndex(config.regions)
})

describe('scenario files', () => {
  it('starts every scenario at a time of day before its first incident, after at least a day of warm-up', () => {
    for (const name of NAMES) {
      const s = loadScenario(name)
      const [h, m] = s.startTime.split(':').map(Number) as [number, number]
      const first = Math.min(...s.incidents.map((i) => i.fromHour), s.durationHours)
      expect(h + m / 60, name).toBeLessThanOrEqual(first)
      expect(s.warmupDays, name).toBeGreaterThanOrEqual(1)
    }
    expect(loadScenario('rainstorm-waterlogging').startTime).toBe('13:30')
  })

  it('generates the warm-up days before hour 0 and leaves out positions older than asked', () => {
    const s = { ...loadScenario('normal-weekday'), durationHours: 10 }
    const from = START + 8 * HOUR
    const out = [...generateScenario(s, { ...config, seed: 1, start: START, warmupDays: 1, positionsFrom: from })]
    const times = out.map((e) => Date.parse(e.at))
    expect(Math.min(...times)).toBeLessThan(START - 12 * HOUR)
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true)
    expect(out.filter((e) => e.type === 'position' && Date.parse(e.at) < from)).toEqual([])
    expect(out.filter((e) => e.type === 'position').length).toBeGreaterThan(1000)
    expect(out.filter((e) => e.type === 'patrol' && Date.parse(e.at) < START).length).toBeGreaterThan(100)
  })

  it('lists every file of config/scenarios with its title and duration', () => {
    expect(NAMES).toEqual(expect.arrayContaining(['normal-weekday', 'rainstorm-waterlogging', 'heating-outage', 'festival-crowd', 'mass-complaint']))
    const infos = listScenarios()
    expect(infos.map((s) => s.name)).toEqual(NAMES)
    for (const s of infos) {
      expect(s.title).toMatch(/[\u4e00-\u9fff]/)
      expect(s.description.length).toBeGreaterThan(10)
      expect(s.durationHours).toBeGreaterThan(0)
    }
  })

  it.each(NAMES)('%s: every event is valid, in time order, in its window, with unique ids and points inside its grid', (name) => {
    const s: Scenario = loadScenario(name)
    const all = events(name)
    expect(all.length).toBeGreaterThan(5000)
    const invalid = all.map((e) => [e.id, validateEvent(e)] as const).filter(([, v]) => !v.ok)
    expect(invalid.slice(0, 3)).toEqual([])
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length)
    const times = all.map((e) => Date.parse(e.at))
    expect(times.every((t, i) => t >= START && t < START + s.durationHours * HOUR && (i === 0 || t >= times[i - 1]!))).toBe(true)
    const misplaced = all.filter((e) => e.location && index.locate(e.location[0], e.location[1])?.code !== e.region)
    expect(misplaced.slice(0, 3)).toEqual([])
  })

  it.each(NAMES)('%s: follows the lifecycles (cases, work orders, grid workers on and off duty)', (name) => {
    const state = new Map<string, string>()
    const previous = new Map<string, string>()
    const bad: string[] = []
    for (const e of events(name)) {
      const key = `${e.feed}/${e.subject}`
      const current = state.get(key) ?? ''
      let next: string | null
      if (e.feed !== 'grid') next = nextState(e.feed as Feed, e.type, current, previous.get(key))
      else if (e.subject.startsWith('IOT')) next = e.type === 'alert' ? '' : null
      // a service agent's circuit visit (巡回代办) needs no duty shift
      else if (e.subject.startsWith('AG')) next = e.type === 'visit' && e.attrs?.role === 'agent' ? '' : null
      else next = e.type === 'onDuty' ? (current === 'ON' ? null : 'ON') : current !== 'ON' ? null : e.type === 'offDuty' ? 'OFF' : 'ON'
      if (next === null) bad.push(`${e.id} from ${current || 'none'}`)
      else {
        if (next !== current) previous.set(key, current)
        state.set(key, next)
      }
    }
    expect(bad.slice(0, 5)).toEqual([])
  })

  it.each(NAMES.filter((n) => loadScenario(n).incidents.length > 0))('%s: each incident shows in its window, above the same day without incidents', (name) => {
    for (const inc of loadScenario(name).incidents) {
      const withIt = events(name).filter((e) => matches(inc, e)).length
      const without = events(name, true).filter((e) => matches(inc, e)).length
      expect(withIt, `${inc.name}: ${withIt} with the incident, ${without} without`).toBeGreaterThanOrEqual(Math.max(without + 3, 1.4 * without))
    }
  })
})

describe('what each scenario is about', () => {
  it('rainstorm: waterlogging share of cases in the low-lying townships in the storm is many times the usual share', () => {
    const usual = events('normal-weekday')
    const baseShare = Math.max(0.01, usual.filter((e) => e.type === 'reported' && e.category === 'city.waterlogging').length / usual.filter((e) => e.type === 'reported').length)
    const storm = events('rainstorm-waterlogging').filter((e) => e.type === 'reported' && within(e, LOW_LYING) && inWindow(e, 14, 22))
    const share = storm.filter((e) => e.category === 'city.waterlogging').length / storm.length
    expect(share).toBeGreaterThanOrEqual(10 * baseShare)
    // before the storm, nothing unusual
    const before = events('rainstorm-waterlogging').filter((e) => e.category === 'city.waterlogging' && within(e, LOW_LYING) && inWindow(e, 0, 14))
    expect(before.length).toBeLessThanOrEqual(3)
  })

  it('rainstorm: a low-lying township takes at least 10 intakes in its worst hour, a surge over its usual hour', () => {
    const perHour = (list: EventEnvelope[], town: string) => {
      const h = new Array(24).fill(0)
      for (const e of list) if ((e.type === 'received' || e.type === 'reported') && within(e, [town])) h[shanghaiHour(Date.parse(e.at))]++
      return h
    }
    for (const town of LOW_LYING) {
      const storm = Math.max(...perHour(events('rainstorm-waterlogging'), town).slice(14, 23))
      const usual = perHour(events('normal-weekday'), town).reduce((a, n) => a + n, 0) / 24
      expect(storm, town).toBeGreaterThanOrEqual(10)
      expect(storm, town).toBeGreaterThanOrEqual(3 * Math.max(usual, 1))
    }
  })

  it('heating outage: heating work orders in the two streets jump', () => {
    const heat = (list: EventEnvelope[]) => list.filter((e) => e.type === 'received' && e.category === 'hl.utilities.heating' && within(e, ['650402001', '650402002'])).length
    expect(heat(events('heating-outage'))).toBeGreaterThanOrEqual(Math.max(100, 10 * heat(events('normal-weekday'))))
  })

  it('mass complaint: one grid gets enough complaints of one category in 24 h to be a repeat hotspot (≥ 3)', () => {
    const byGridCategory = new Map<string, number>()
    for (const e of events('mass-complaint')) {
      if (e.type !== 'received' || e.attrs?.kind !== 'complaint') continue
      const k = `${e.region} ${e.category}`
      byGridCategory.set(k, (byGridCategory.get(k) ?? 0) + 1)
    }
    expect(byGridCategory.get('650402001001003 hl.urban.env')).toBeGreaterThanOrEqual(10)
  })

  it('festival: more workers on duty and far more patrols in the centre streets in the evening', () => {
    const centre = ['650402001', '650402002', '650402003']
    const count = (list: EventEnvelope[], type: string) => list.filter((e) => e.type === type && within(e, centre) && inWindow(e, 18, 23)).length
    const festival = events('festival-crowd')
    const plain = events('festival-crowd', true)
    expect(count(festival, 'patrol')).toBeGreaterThanOrEqual(5 * Math.max(1, count(plain, 'patrol')))
    expect(count(festival, 'position')).toBeGreaterThanOrEqual(3 * Math.max(1, count(plain, 'position')))
  })
})
