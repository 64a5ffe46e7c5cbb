/** Every HTTP error as `{ error: { code, message } }` with the right status. */
import type { ErrorRequestHandler } from 'express'
import { AppError } from '../domain/errors.ts'

export const errorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof AppError) {
    res.status(err.status).json({ error: { code: err.code, message: err.message } })
  } else if (err?.type === 'entity.too.large') {
    res.status(413).json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `body over the limit of ${err.limit} bytes; send smaller batches` } })
  } else if (err?.type === 'entity.parse.failed' || err?.status === 400) {
    res.status(400).json({ error: { code: 'BAD_REQUEST', message: String(err.message) } })
  } else {
    console.error('request failed:', err)
    res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error; see server log' } })
  }
}
