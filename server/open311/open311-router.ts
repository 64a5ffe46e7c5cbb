/**
 * Open311 GeoReport v2 under /open311/v2/ (JSON and XML): services from the
 * case categories, POST requests by an ingest key as `api_key`, and GET
 * requests by an ingest key or a session (our cases are not public data; a
 * session sees its own region scope).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import express, { Router, type Request } from 'express'
import { principalOf } from '../auth/authenticate.ts'
import type { IngestDeps } from '../ingest/ingest.ts'
import type { ApplyOptions } from '../store/apply-event.ts'
import { Open311Error, open311Errors, sendDoc, type Format } from './open311-errors.ts'
import { postRequest } from './post-request.ts'
import { readMany, readOne, type ReadContext } from './read-requests.ts'
import { servicesOf } from './services.ts'

const digest = (s: string) => createHash('sha256').update(s).digest()

export interface Open311Options { keys: string[]; apply: ApplyOptions; now: () => number }

const format = (req: Request): Format => {
  const f = String(req.params.format)
  if (f !== 'json' && f !== 'xml') throw new Open311Error(404, `unknown format "${f.slice(0, 20)}": use .json or .xml`)
  return f
}

export function open311Router(deps: IngestDeps, o: Open311Options): Router {
  const r = Router()
  const known = o.keys.map(digest)
  const keyOk = (k: unknown) => typeof k === 'string' && k !== '' && known.some((d) => timingSafeEqual(d, digest(k)))
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 })
  const base = '/open311/v2'

  // GET: an ingest key (api_key) sees the whole city; a session only its own scope
  const readContext = (req: Request): ReadContext => {
    let scope = deps.regions.root.code
    if (!keyOk(req.query.api_key)) {
      if (!req.principal) throw new Open311Error(403, 'send api_key=<ingest key>, or log in')
      const p = principalOf(req)
      if (p.channel && p.channel !== o.apply.channel) throw new Open311Error(403, `this display token shows channel ${p.channel} only`)
      scope = p.region
    }
    return { store: deps.store, regions: deps.regions, categories: deps.categories, channel: o.apply.channel, now: o.now(), scope }
  }

  r.get(`${base}/services.:format`, (req, res) => {
    sendDoc(res, format(req), 'services', 'service', servicesOf(deps.categories))
  })
  r.post(`${base}/requests.:format`, form, async (req, res) => {
    const f = format(req)
    const body = (req.body ?? {}) as Record<string, unknown>
    if (!keyOk(body.api_key ?? req.query.api_key)) throw new Open311Error(403, 'api_key missing or not recognised')
    const id = await postRequest(body, deps, { ...o.apply, now: o.now })
    const account = typeof body.account_id === 'string' && body.account_id ? { account_id: body.account_id.slice(0, 128) } : {}
    sendDoc(res, f, 'service_requests', 'request', [{ service_request_id: id, service_notice: '已受理，将转交处置部门 / received', ...account }], 201)
  })
  r.get(`${base}/requests.:format`, async (req, res) => {
    const f = format(req)
    sendDoc(res, f, 'service_requests', 'request', await readMany(readContext(req), req.query))
  })
  r.get(`${base}/requests/:id.:format`, async (req, res) => {
    const f = format(req)
    sendDoc(res, f, 'service_requests', 'request', [await readOne(readContext(req), String(req.params.id))])
  })
  r.use(base, (req) => {
    throw new Open311Error(404, `no route ${req.method} ${req.originalUrl.split('?')[0]}`)
  })
  r.use(base, open311Errors)
  return r
}
