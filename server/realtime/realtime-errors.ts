/** Refusals of the socket side, each with a stable code the client maps to a message. */
import { AppError } from '../domain/errors.ts'

/** A newer subscribe on the same socket replaced this one before its snapshot was delivered. */
export class SupersededError extends AppError {
  readonly code = 'SUPERSEDED'
  constructor() {
    super('replaced by a newer subscribe on this socket; only the newest one is answered with a snapshot')
  }
}

export class TooManyConnectionsError extends AppError {
  readonly code = 'TOO_MANY_CONNECTIONS'
  override readonly status = 503
}
