/**
 * The scenario API the server's replay channels import: list the scenario
 * files, load one (validated, errors name file, path and reason), and
 * generate its time-ordered events as a stream on top of the realistic mode.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import type { CategoryConfig } from '../../domain/categories.ts'
import type { EventEnvelope } from '../../domain/events.ts'
import type { RegionCollection } from '../../domain/regions.ts'
import { createRealisticSimulation } from '../generators/realistic-stream.ts'
import { CONFIG_DIR, loadSimParams } from '../load-config.ts'
import type { SimParams } from '../sim-params.ts'
import { compileIncidents } from './incident-sources.ts'
import { parseScenarioFile, type ScenarioFile } from './scenario-schema.ts'

import type { ScenarioInfo } from '../../domain/drill-channels.ts'

export type { ScenarioInfo }

export interface Scenario extends ScenarioInfo {
  /** The file it was read from (named in error messages). */
  file: string
  base: ScenarioFile['base']
  incidents: ScenarioFile['incidents']
  /** "HH:MM": where a drill's clock starts by default, on the scenario's first day. */
  startTime: string
  warmupDays: number
  /** config/simulation.json as it was when the scenario was loaded. */
  params: SimParams
}

export interface GenerateOptions {
  seed: number
  /** Epoch ms of the scenario's hour 0. */
  start: number
  regions: RegionCollection
  categories: CategoryConfig
  /** Days of ordinary traffic generated before hour 0 (default none). */
  warmupDays?: number
  /** Leave out grid `position` pings before this instant (nothing shows old positions). */
  positionsFrom?: number
}

export const SCENARIO_DIR = join(CONFIG_DIR, 'scenarios')
const STEP_MS = 600_000
const DAY_MS = 86_400_000

/** Scenarios of `dir` (default config/scenarios), sorted by name; throws on the first invalid file. */
export function listScenarios(dir = SCENARIO_DIR): ScenarioInfo[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
    const { name, title, description, durationHours } = loadScenario(join(dir, f))
    return { name, title, description, durationHours }
  })
}

/** A scenario by name (`rainstorm-waterlogging`, a file of config/scenarios) or by path to a .json file. */
export function loadScenario(nameOrPath: string): Scenario {
  const byName = /^[\w-]+$/.test(nameOrPath)
  const file = byName ? join(SCENARIO_DIR, `${nameOrPath}.json`) : resolve(nameOrPath)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const known = byName ? `; known scenarios: ${knownNames().join(', ')}` : ''
    throw new Error(`${file}: (file): cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}${known}`, { cause: err })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (err) {
    throw new Error(`${file}: (file): not valid JSON: ${(err as Error).message}`, { cause: err })
  }
  const s = parseScenarioFile(raw, file)
  return {
    name: basename(file, '.json'), title: s.title, description: s.description, durationHours: s.durationHours,
    file, base: s.base, incidents: s.incidents, startTime: s.startTime, warmupDays: s.warmupDays, params: loadSimParams(),
  }
}

function knownNames(): string[] {
  try {
    return readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => basename(f, '.json')).sort()
  } catch {
    return []
  }
}

/**
 * Time-ordered envelopes from `start` (less the warm-up days) over the
 * scenario's duration; the same (s, options) gives the same events, and ids
 * are unique per (seed, start).
 * Region and category codes are checked now (throwing `file: path: reason`),
 * before the first event; events are then made 10 minutes at a time.
 */
export function generateScenario(s: Scenario, o: GenerateOptions): Generator<EventEnvelope> {
  const end = o.start + s.durationHours * 3_600_000
  const input = { file: s.file, incidents: s.incidents, regions: o.regions, categories: o.categories }
  const from = o.start - (o.warmupDays ?? 0) * DAY_MS
  const sim = createRealisticSimulation({
    seed: o.seed, start: from, regions: o.regions, categories: o.categories, params: s.params,
    // incident hours count from hour 0, after the warm-up
    dayType: s.base.dayType, scale: s.base.scale, extras: (env) => compileIncidents(input, { ...env, start: o.start }),
  })
  const positionsFrom = o.positionsFrom
  const keep = positionsFrom === undefined ? () => true : (e: EventEnvelope) => e.type !== 'position' || Date.parse(e.at) >= positionsFrom
  return (function* () {
    for (let t = from + STEP_MS; t < end; t += STEP_MS) for (const e of sim.next(t)) if (keep(e)) yield e
    for (const e of sim.next(end - 1)) if (keep(e)) yield e
  })()
}
