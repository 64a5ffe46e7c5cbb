/** POST /api/v1/events: one event, an array, or NDJSON (DESIGN §4). */
import express, { Router } from 'express'
import { ingest, type IngestDeps } from '../ingest/ingest.ts'
import { parseBody } from '../ingest/parse-body.ts'
import type { ApplyOptions } from '../store/apply-event.ts'
import { requireIngestKey } from './require-ingest-key.ts'

export function eventsRouter(deps: IngestDeps, o: { keys: string[]; bodyLimit: string; apply: ApplyOptions }): Router {
  const r = Router()
  r.post(
    '/api/v1/events',
    requireIngestKey(o.keys),
    express.text({ type: () => true, limit: o.bodyLimit }),
    async (req, res) => {
      const items = parseBody(typeof req.body === 'string' ? req.body : '', req.get('content-type'))
      res.json(await ingest(items, deps, o.apply))
    },
  )
  return r
}
