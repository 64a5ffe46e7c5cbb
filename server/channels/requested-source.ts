/**
 * The source a new replay channel asks for: a listed scenario (generated from
 * `start`, default this minute, with `seed`, default 1) or a recording (its
 * events sorted by time; the clock starts at `start`, default its first event).
 */
import { systemTime } from '../domain/clock.ts'
import { BadRequestError } from '../domain/errors.ts'
import type { IngestDeps } from '../ingest/ingest.ts'
import { parseRecording } from './recording.ts'
import type { ReplaySource } from './replay-meta.ts'
import type { SourceEvent } from './replay-source.ts'
import { scenarioSource } from './scenario-source.ts'

export interface CreateRequest { scenario?: string; recording?: string; name?: string; speed: number; seed?: number; start?: number }

export function requestedSource(req: CreateRequest, deps: Pick<IngestDeps, 'regions' | 'categories'>): { source: ReplaySource; events: Iterable<SourceEvent>; start: number } {
  if (req.scenario !== undefined) {
    const start = req.start ?? Math.floor(systemTime() / 60_000) * 60_000
    const source = { kind: 'scenario' as const, name: req.scenario, seed: req.seed ?? 1 }
    return { source, start, events: scenarioSource(req.scenario, { seed: source.seed, start, regions: deps.regions, categories: deps.categories }) }
  }
  const events = parseRecording(req.recording ?? '', deps)
  const [first, last] = [events[0]!.at, events[events.length - 1]!.at]
  const start = req.start ?? first
  if (start < first || start > last) {
    throw new BadRequestError(`start must lie within the recording, ${new Date(first).toISOString()} … ${new Date(last).toISOString()}`)
  }
  return { source: req.name ? { kind: 'recording', name: req.name } : { kind: 'recording' }, start, events }
}
