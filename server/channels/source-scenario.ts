/**
 * Scenarios as replay sources, through the scenario generators (server/simulation)
 * (config/scenarios/*.json): only listed names are accepted, never a path.
 * A drill starts where its scenario starts: by default today at the
 * scenario's start time of day, with hour 0 at the midnight before and the
 * scenario's warm-up days of ordinary traffic before that, so the wall opens
 * on a city with a history rather than an empty one.
 */
import { systemTime, zonedParts } from '../domain/clock.ts'
import { BadRequestError } from '../domain/errors.ts'
import { parseInstant } from '../domain/events.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { generateScenario, listScenarios, loadScenario, type ScenarioInfo } from '../simulation/scenarios/scenario.ts'
import { minutesOfDay } from '../simulation/scenarios/scenario-schema.ts'
import type { SourceEvent } from './source-store.ts'

// Worker positions older than this before the start are left out: the wall shows where workers are now.
const POSITIONS_BEFORE_MS = 30 * 60_000

/** The scenarios a trainer can start; none when the scenario folder does not exist. */
export function scenarioList(): ScenarioInfo[] {
  try {
    return listScenarios()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export interface ScenarioRun {
  seed: number
  /** Where the drill's clock starts; default: today (in `zone`) at the scenario's start time. */
  start?: number
  zone: string
  regions: RegionIndex
  categories: Categories
}

/** Epoch ms of the midnight in `zone` on the day of `ms`. */
export function zonedMidnight(ms: number, zone: string): number {
  const { hour, minute } = zonedParts(ms, zone)
  const minuteStart = Math.floor(ms / 60_000) * 60_000
  return minuteStart - (hour * 60 + minute) * 60_000
}

/** A listed scenario's events, time-ordered, as source events, and where its clock starts; 400 for a name that is not listed. */
export function scenarioSource(name: string, run: ScenarioRun): { start: number; events: Iterable<SourceEvent> } {
  const known = scenarioList().map((s) => s.name)
  if (!known.includes(name)) {
    throw new BadRequestError(`unknown scenario "${name}"; known: ${known.length ? known.join(', ') : '(none in config/scenarios)'}`)
  }
  const scenario = loadScenario(name)
  const start = run.start ?? zonedMidnight(systemTime(), run.zone) + minutesOfDay(scenario.startTime) * 60_000
  const events = generateScenario(scenario, {
    seed: run.seed, start: zonedMidnight(start, run.zone), warmupDays: scenario.warmupDays, positionsFrom: start - POSITIONS_BEFORE_MS,
    regions: run.regions.collection, categories: run.categories.config,
  })
  return {
    start,
    events: (function* () {
      for (const e of events) {
        const at = parseInstant(e.at)
        if (at === null) throw new Error(`scenario ${name} made an event with a bad time: ${e.id} at "${e.at}"`)
        yield { at, json: JSON.stringify(e) }
      }
    })(),
  }
}
