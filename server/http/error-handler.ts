/** Every HTTP error as `{ error: { code, message } }` with the right status; a client's mistake is never a 500. */
import type { ErrorRequestHandler, Response } from 'express'
import { AppError, type ErrorCode } from '../domain/errors.ts'
import { isStoreDown } from '../store/redis-client.ts'
import { logger } from '../ops/logger.ts'

const send = (res: Response, status: number, code: ErrorCode, message: string) => {
  if (res.headersSent) return void res.end() // the answer had begun: nothing sensible to add
  res.status(status).json({ error: { code, message } })
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof AppError) return send(res, err.status, err.code, err.message)
  switch (err?.type) {
    case 'entity.too.large':
      return send(res, 413, 'PAYLOAD_TOO_LARGE', `body over the limit of ${err.limit} bytes; send smaller batches`)
    case 'encoding.unsupported':
      return send(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${String(err.encoding).slice(0, 40)}" is not supported; send identity, gzip, deflate or br`)
    case 'charset.unsupported':
      return send(res, 415, 'UNSUPPORTED_MEDIA_TYPE', `charset "${String(err.charset).slice(0, 40)}" is not supported; send UTF-8`)
    case 'request.aborted':
      return send(res, 400, 'BAD_REQUEST', 'the request body ended early (client aborted)')
    case 'entity.parse.failed':
      return send(res, 400, 'BAD_REQUEST', String(err.message))
  }
  if (isStoreDown(err)) {
    return send(res, 503, 'STORE_UNAVAILABLE', 'event store (Redis) is unavailable or not answering; retry later')
  }
  const status = Number(err?.status ?? err?.statusCode)
  if (status >= 400 && status < 500) return send(res, status, 'BAD_REQUEST', String(err.message))
  logger.error({ err, reqId: req.id }, 'request failed')
  send(res, 500, 'INTERNAL', 'internal error; see server log')
}
