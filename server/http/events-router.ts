/** POST /api/v1/events: one event, an array, or NDJSON (DESIGN §4). */
import express, { Router, type ErrorRequestHandler } from 'express'
import { wallClock } from '../domain/clock.ts'
import { DEFAULT_EVENT_BOUNDS } from '../domain/event-bounds.ts'
import { ingest, type IngestDeps } from '../ingest/ingest.ts'
import { parseBody } from '../ingest/parse-body.ts'
import { PartialBatchError } from '../ingest/partial-batch-error.ts'
import type { ApplyOptions } from '../store/apply-event.ts'
import { requireIngestKey } from './require-ingest-key.ts'

const ENCODINGS = 'identity, gzip, deflate or br'

// a sender must be able to tell "fix your request" (4xx with a reason) from "retry" (503): never a 500 for a body it sent
const ingestErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const fail = (status: number, code: string, message: string) => res.status(status).json({ error: { code, message } })
  if (err instanceof PartialBatchError) return void res.status(503).json(err.body())
  if (err?.type === 'encoding.unsupported') {
    return void fail(415, 'UNSUPPORTED_MEDIA_TYPE', `Content-Encoding "${String(err.encoding).slice(0, 40)}" is not supported; send ${ENCODINGS}`)
  }
  if (err?.type === 'charset.unsupported') {
    return void fail(415, 'UNSUPPORTED_MEDIA_TYPE', `charset "${String(err.charset).slice(0, 40)}" is not supported; send UTF-8`)
  }
  if (err?.status === 400 && err.type === undefined) {
    // zlib could not decode the body with the Content-Encoding it named
    return void fail(400, 'BAD_REQUEST', 'body could not be decoded with its Content-Encoding; send it as declared, or unencoded')
  }
  next(err)
}

export function eventsRouter(deps: IngestDeps, o: { keys: string[]; bodyLimit: string; apply: ApplyOptions; now?: () => number }): Router {
  const r = Router()
  const now = o.now ?? wallClock(o.apply.zone).now // the live channel runs on wall time (DESIGN §3)
  r.post(
    '/api/v1/events',
    requireIngestKey(o.keys),
    express.text({ type: () => true, limit: o.bodyLimit }),
    async (req, res) => {
      const items = parseBody(typeof req.body === 'string' ? req.body : '', req.get('content-type'), (deps.bounds ?? DEFAULT_EVENT_BOUNDS).maxItems)
      res.json(await ingest(items, deps, { ...o.apply, now }))
    },
  )
  r.use('/api/v1/events', ingestErrors)
  return r
}
