/**
 * Scenarios as replay sources, through the simulators' scenario API
 * (config/scenarios/*.json): only listed names are accepted, never a path.
 */
import { BadRequestError } from '../domain/errors.ts'
import { parseInstant } from '../domain/events.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { generateScenario, listScenarios, loadScenario, type ScenarioInfo } from '../../simulators/scenarios/scenario.ts'
import type { SourceEvent } from './replay-source.ts'

/** The scenarios a trainer can start; none when the scenario folder does not exist. */
export function scenarioList(): ScenarioInfo[] {
  try {
    return listScenarios()
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
}

export interface ScenarioRun { seed: number; start: number; regions: RegionIndex; categories: Categories }

/** A listed scenario's events, time-ordered, as source events; 400 for a name that is not listed. */
export function scenarioSource(name: string, run: ScenarioRun): Iterable<SourceEvent> {
  const known = scenarioList().map((s) => s.name)
  if (!known.includes(name)) {
    throw new BadRequestError(`unknown scenario "${name}"; known: ${known.length ? known.join(', ') : '(none in config/scenarios)'}`)
  }
  const events = generateScenario(loadScenario(name), {
    seed: run.seed, start: run.start, regions: run.regions.collection, categories: run.categories.config,
  })
  return (function* () {
    for (const e of events) {
      const at = parseInstant(e.at)
      if (at === null) throw new Error(`scenario ${name} made an event with a bad time: ${e.id} at "${e.at}"`)
      yield { at, json: JSON.stringify(e) }
    }
  })()
}
