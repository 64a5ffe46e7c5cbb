/**
 * Redis went away while a batch was being applied. Some items may have landed
 * (a reply came back for them) and for others it is unknown, so the answer is
 * a 503 that says exactly what is known and that resending is safe.
 */
import { StoreUnavailableError } from '../domain/errors.ts'
import type { IngestResult } from '../domain/api.ts'

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

/**
 * The master applied the batch but fewer replicas than REDIS_WAIT_REPLICAS
 * confirmed it in time: a failover now could lose it, so nothing is claimed
 * (a 503); the resend is safe and is acknowledged once replicas hold it.
 */
export class ReplicaWaitError extends PartialBatchError {
  constructor(result: IngestResult, unconfirmed: Unconfirmed[], wanted: number, reached: number | string) {
    super({ ...result, accepted: 0, duplicates: 0, outOfOrder: 0 }, unconfirmed)
    this.message = `the batch reached the Redis master but ${typeof reached === 'number' ? `only ${reached} of` : `WAIT failed (${reached}) for`} ` +
      `the ${wanted} replica(s) REDIS_WAIT_REPLICAS asks for, so it is not acknowledged; ` +
      'resend the whole batch: ids make a resend safe (what landed comes back as a duplicate)'
  }
}
