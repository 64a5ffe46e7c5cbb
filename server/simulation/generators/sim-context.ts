/**
 * What a feed generator may use: randomness, the catalog and grids, the
 * agenda, the open-subject budget and an event builder per subject. The
 * generators stay pure functions of this context and a time.
 */
import type { EventEnvelope } from '../../domain/events.ts'
import type { Feed } from '../../domain/lifecycles.ts'
import type { Catalog } from './catalog.ts'
import type { Step } from './event-queue.ts'
import type { SimGrid } from './grid-geometry.ts'
import type { Rng, WeightedTable } from './random.ts'
import type { GridActivity } from '../sim-params.ts'
import { formatAt } from '../../domain/shanghai-time.ts'

export interface SimContext {
  readonly rng: Rng
  readonly catalog: Catalog
  /** Grids weighted by population: where intake happens. */
  readonly grids: WeightedTable<SimGrid>
  /** Real-world minutes as simulated milliseconds (divided by the compression). */
  minutes(m: number): number
  /** Whether time is compressed; then deadlines are sent explicitly so overdue still happens. */
  readonly compressed: boolean
  /** Short tag of this run (seed and start) that keeps ids of separate runs apart. */
  readonly runTag: string
  schedule(at: number, step: Step): void
  emit(event: EventEnvelope): void
  /** Reserve room for a new subject; false when the cap is reached and the intake must be dropped. */
  openSubject(): boolean
  /** Release the room of a subject whose lifecycle has ended. */
  closeSubject(): void
  /** A new work-order number: prefix, intake day, run tag and a running number. */
  newSubjectId(prefix: string, day: string): string
  /** What a grid worker in `grid` does next at `at`, as weights (a scenario may step up patrols). */
  gridActivities(grid: SimGrid, at: number): readonly (readonly [GridActivity, number])[]
}

export interface EventFields {
  location?: [number, number]
  category?: string
  attrs?: Record<string, unknown>
}

/**
 * Builds one subject's envelopes. Ids are `${base}-${type}`, with `-2`, `-3`…
 * when a type repeats (dispatched after a return, position, patrol…), so every
 * event has its own stable idempotency key.
 */
export class SubjectEvents {
  private readonly counts = new Map<string, number>()

  constructor(
    private readonly ctx: Pick<SimContext, 'emit'>,
    readonly feed: Feed,
    readonly subject: string,
    readonly region: string,
    private readonly idBase = `${feed}-${subject}`,
  ) {}

  emit(type: string, at: number, fields: EventFields = {}): void {
    const n = (this.counts.get(type) ?? 0) + 1
    this.counts.set(type, n)
    const event: EventEnvelope = {
      id: n === 1 ? `${this.idBase}-${type}` : `${this.idBase}-${type}-${n}`,
      feed: this.feed,
      type,
      subject: this.subject,
      at: formatAt(at),
      region: this.region,
    }
    if (fields.location) event.location = fields.location
    if (fields.category) event.category = fields.category
    event.attrs = fields.attrs ?? {}
    this.ctx.emit(event)
  }
}
