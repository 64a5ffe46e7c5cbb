/**
 * The source a new replay channel asks for: a listed scenario (its clock
 * starts at `start`, default today at the scenario's start time of day, with
 * `seed`, default 1; see source-scenario.ts) or a recording (its events
 * sorted by time; the clock starts at `start`, default its first event).
 */
import { BadRequestError } from '../domain/errors.ts'
import type { IngestDeps } from '../ingest/ingest.ts'
import { parseRecording } from './source-recording.ts'
import type { ReplaySource } from './drill-meta.ts'
import type { SourceEvent } from './source-store.ts'
import { scenarioSource } from './source-scenario.ts'

export interface CreateRequest { scenario?: string; recording?: string; name?: string; speed: number; seed?: number; start?: number }

export function requestedSource(req: CreateRequest, deps: Pick<IngestDeps, 'regions' | 'categories'>, zone: string): { source: ReplaySource; events: Iterable<SourceEvent>; start: number } {
  if (req.scenario !== undefined) {
    const source = { kind: 'scenario' as const, name: req.scenario, seed: req.seed ?? 1 }
    const { start, events } = scenarioSource(req.scenario, { seed: source.seed, start: req.start, zone, regions: deps.regions, categories: deps.categories })
    return { source, start, events }
  }
  const events = parseRecording(req.recording ?? '', deps)
  const [first, last] = [events[0]!.at, events[events.length - 1]!.at]
  const start = req.start ?? first
  if (start < first || start > last) {
    throw new BadRequestError(`start must lie within the recording, ${new Date(first).toISOString()} … ${new Date(last).toISOString()}`)
  }
  return { source: req.name ? { kind: 'recording', name: req.name } : { kind: 'recording' }, start, events }
}
