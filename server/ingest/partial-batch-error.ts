/**
 * Redis went away while a batch was being applied. Some items may have landed
 * (a reply came back for them) and for others it is unknown, so the answer is
 * a 503 that says exactly what is known and that resending is safe.
 */
import { StoreUnavailableError } from '../domain/errors.ts'
import type { IngestResult } from './ingest-result.ts'

/** An item whose fate is not known (applied: null) or known not to have run (applied: false). */
export interface Unconfirmed { index: number; id: string; applied: false | null }

export class PartialBatchError extends StoreUnavailableError {
  constructor(readonly result: IngestResult, readonly unconfirmed: Unconfirmed[]) {
    super()
    const landed = result.accepted + result.duplicates
    const unknown = unconfirmed.filter((u) => u.applied === null).length
    this.message = `event store (Redis) became unavailable during this batch: ${landed} item(s) are confirmed ` +
      `(accepted/duplicates), ${unconfirmed.length} are unconfirmed` +
      (unknown > 0 ? ` and may or may not have been applied` : ' and were not applied') +
      '; resend the whole batch: ids make a resend safe (what landed comes back as a duplicate)'
  }

  /** The 503 answer: the error, and the exact counts of what is known. */
  body() {
    return { error: { code: this.code, message: this.message }, ...this.result, unconfirmed: this.unconfirmed }
  }
}
