/** Errors with a stable code that the API, the socket acks and the UI map to a message. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_EVENT'
  | 'UNKNOWN_REGION'
  | 'OUTSIDE_REGIONS'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'FORBIDDEN_REGION'
  | 'TOO_MANY_ATTEMPTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'STORE_UNAVAILABLE'
  | 'UNKNOWN_CHANNEL'
  | 'UNKNOWN_ALERT'
  | 'UNKNOWN_SUBJECT'
  | 'SUPERSEDED'
  | 'RATE_LIMITED'
  | 'OVERLOADED'
  | 'TOO_MANY_CONNECTIONS'
  | 'CROSS_ORIGIN'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL'

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode
  readonly status: number = 400
}

export class BadRequestError extends AppError {
  readonly code = 'BAD_REQUEST'
}
export class UnknownRegionError extends AppError {
  readonly code = 'UNKNOWN_REGION'
  constructor(region: string) {
    super(`unknown region code "${region}"`)
  }
}
export class UnauthorizedError extends AppError {
  readonly code = 'UNAUTHORIZED'
  override readonly status = 401
}
export class StoreUnavailableError extends AppError {
  readonly code = 'STORE_UNAVAILABLE'
  override readonly status = 503
  constructor(cause?: unknown) {
    super('event store (Redis) is unavailable; nothing was applied, retry later', { cause })
  }
}
export class UnknownChannelError extends AppError {
  readonly code = 'UNKNOWN_CHANNEL'
  override readonly status = 404
  constructor(channel: string) {
    super(`unknown channel "${channel}"`)
  }
}
