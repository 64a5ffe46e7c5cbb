import type { LiveEvent, WorkerPosition } from '@domain/protocol.ts'

/** Where an on-duty grid worker was last seen, and when (channel time). */
export interface WorkerMark { location: [number, number]; at: number }

/**
 * On-duty grid workers by id, kept from the snapshot and the live grid feed:
 * `position` moves a worker, `onDuty` with a location adds one, `offDuty`
 * removes one. Capped: beyond `cap` the least recently seen worker goes, so
 * a wall that runs for weeks holds at most `cap` entries.
 */
export class WorkerBook {
  private readonly marks = new Map<string, WorkerMark>()
  private changed = false

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.marks.size
  }

  /** Replace everything with a snapshot's on-duty workers, seen at `at`. */
  reset(workers: readonly WorkerPosition[], at: number): void {
    this.marks.clear()
    for (const w of workers) this.set(w.id, { location: w.location, at })
    this.changed = true
  }

  /** Apply live events in log order; only the grid feed matters. */
  apply(events: readonly LiveEvent[]): void {
    for (const e of events) {
      if (e.feed !== 'grid') continue
      if (e.type === 'offDuty') this.changed = this.marks.delete(e.subject) || this.changed
      else if ((e.type === 'position' || e.type === 'onDuty') && e.location) this.set(e.subject, { location: e.location, at: e.at })
    }
  }

  /** A fresh read-only copy when something changed since the last call, else null. */
  takeChanges(): ReadonlyMap<string, WorkerMark> | null {
    if (!this.changed) return null
    this.changed = false
    return new Map(this.marks)
  }

  private set(id: string, mark: WorkerMark): void {
    // delete first: Map order is insertion order, so the first key is the least recently seen
    this.marks.delete(id)
    this.marks.set(id, mark)
    this.changed = true
    if (this.marks.size > this.cap) this.marks.delete(this.marks.keys().next().value!)
  }
}
