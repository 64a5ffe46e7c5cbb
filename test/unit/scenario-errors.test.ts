import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'
import { Catalog } from '../../server/simulation/generators/catalog.ts'
import { generateScenario, listScenarios, loadScenario } from '../../server/simulation/scenarios/scenario.ts'
import { parseSimParams } from '../../server/simulation/sim-params.ts'

const START = Date.parse('2026-11-20T00:00:00+08:00')
const INCIDENT = { name: '积水', feed: 'case', category: 'city.waterlogging', regions: ['650402103'], fromHour: 14, toHour: 20, extraPerHour: 5 }
const VALID = { title: '测试', description: '测试场景', durationHours: 24, base: { dayType: 'weekday' }, incidents: [INCIDENT] }

let dir: string
let config: SimConfig

/** Write `content` (an object, or raw text) as <dir>/<name>.json and return its path. */
function file(name: string, content: unknown): string {
  const path = join(dir, `${name}.json`)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return path
}
const withIncident = (patch: Record<string, unknown>) => ({ ...VALID, incidents: [INCIDENT, { ...INCIDENT, ...patch }] })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scenarios-'))
  config = loadSimConfig()
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('bad scenario files give errors naming the file, the path and the reason', () => {
  it.each([
    ['not JSON', '{ "title": "x", ', /\(file\): not valid JSON/],
    ['no title', { ...VALID, title: undefined }, /: title: .*expected string/],
    ['start time not a time of day', { ...VALID, startTime: '24:10' }, /: startTime: must be a time of day "HH:MM"/],
    ['start time without minutes', { ...VALID, startTime: '14' }, /: startTime: must be a time of day "HH:MM"/],
    ['warm-up of two weeks', { ...VALID, warmupDays: 14 }, /: warmupDays: must be at most 7/],
    ['warm-up of half a day', { ...VALID, warmupDays: 0.5 }, /: warmupDays: must be a whole number of days/],
    ['window past the end', withIncident({ toHour: 30 }), /: incidents\[1\]\.toHour: must be within durationHours \(24\)/],
    ['window backwards', withIncident({ fromHour: 20, toHour: 10 }), /: incidents\[1\]\.toHour: must be after fromHour \(20\)/],
    ['multiplier and extra rate', withIncident({ multiplier: 3 }), /: incidents\[1\]\.multiplier: give exactly one of multiplier/],
    ['multiplier below 1', withIncident({ extraPerHour: undefined, multiplier: 0.5 }), /: incidents\[1\]\.multiplier: must be at least 1/],
    ['unknown feed', withIncident({ feed: 'weather' }), /: incidents\[1\]\.feed: feed must be "case", "hotline" or "grid"/],
    ['misspelt field', withIncident({ extraPerHours: 2 }), /: incidents\[1\]: Unrecognized key: "extraPerHours"/],
    ['malformed region code', withIncident({ regions: ['艾丁湖镇'] }), /: incidents\[1\]\.regions\[0\]: must be a region code/],
    ['unknown kind', withIncident({ feed: 'hotline', category: undefined, kind: 'angry' }), /: incidents\[1\]\.kind: Invalid option/],
    ['shift without a share', withIncident({ feed: 'grid', activity: 'shift', category: undefined, extraPerHour: undefined }), /: incidents\[1\]\.onDutyShare: is required/],
    ['extra patrols', withIncident({ feed: 'grid', activity: 'patrol', category: undefined }), /: incidents\[1\]\.extraPerHour: extraPerHour works for activity "alert"/],
  ])('%s', (name, content, reason) => {
    const path = file(name.replaceAll(' ', '-'), content)
    expect(() => loadScenario(path)).toThrow(reason)
    expect(() => loadScenario(path)).toThrow(path)
  })

  it.each([
    ['unknown region code', withIncident({ regions: ['650402103', '650402999'] }), /: incidents\[1\]\.regions\[1\]: unknown region code "650402999"/],
    ['unknown category', withIncident({ category: 'city.snow' }), /: incidents\[1\]\.category: "city\.snow" is not a case category/],
    ['category of the other feed', withIncident({ feed: 'hotline', category: 'city.waterlogging' }), /: incidents\[1\]\.category: "city\.waterlogging" is not a hotline category/],
  ])('%s: found when generating, before the first event', (name, content, reason) => {
    const path = file(name.replaceAll(' ', '-'), content)
    const s = loadScenario(path)
    expect(() => generateScenario(s, { ...config, seed: 1, start: START })).toThrow(reason)
    expect(() => generateScenario(s, { ...config, seed: 1, start: START })).toThrow(path)
  })

  it('names the known scenarios when a name is not found', () => {
    expect(() => loadScenario('rainstrom')).toThrow(/rainstrom\.json: \(file\): cannot read: ENOENT; known scenarios: .*rainstorm-waterlogging/)
  })

  it('lists a directory of valid files, and names the bad file in a directory that has one', () => {
    const ok = mkdtempSync(join(tmpdir(), 'scenarios-ok-'))
    writeFileSync(join(ok, 'b-test.json'), JSON.stringify(VALID))
    writeFileSync(join(ok, 'a-test.json'), JSON.stringify({ ...VALID, title: '甲', durationHours: 6, incidents: [] }))
    expect(listScenarios(ok)).toEqual([
      { name: 'a-test', title: '甲', description: '测试场景', durationHours: 6 },
      { name: 'b-test', title: '测试', description: '测试场景', durationHours: 24 },
    ])
    writeFileSync(join(ok, 'c-bad.json'), JSON.stringify({ ...VALID, durationHours: -1 }))
    expect(() => listScenarios(ok)).toThrow(/c-bad\.json: durationHours: /)
    rmSync(ok, { recursive: true, force: true })
  })
})

describe('config/simulation.json errors name the setting', () => {
  it('rejects a profile without 24 hours and an unknown kind', () => {
    const p = config.params
    expect(() => parseSimParams({ ...p, profile: { ...p.profile, hourly: p.profile.hourly.slice(1) } })).toThrow('config/simulation.json: profile.hourly: must list 24 hourly weights')
    expect(() => parseSimParams({ ...p, hotline: { ...p.hotline, kinds: { consult: 1, angry: 2 } } })).toThrow('config/simulation.json: hotline.kinds: Unrecognized key: "angry"')
    expect(() => parseSimParams({ ...p, checks: { ...p.checks, overdueShare: [0.1, 0.01] } })).toThrow('config/simulation.json: checks.overdueShare: must be [min, max]')
  })

  it('rejects a category that config/categories.json does not have', () => {
    const params = parseSimParams({ ...config.params, case: { ...config.params.case, categories: { 'city.snow': 3 } } })
    expect(() => new Catalog(config.categories, params)).toThrow('config/simulation.json: case.categories.city.snow: "city.snow" is not a case category of config/categories.json')
  })
})
