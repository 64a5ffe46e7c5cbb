/** POST requests: a GeoReport v2 form → one case `reported` event through the normal ingest path. */
import { randomBytes } from 'node:crypto'
import type { RegionIndex } from '../domain/regions.ts'
import { StoreUnavailableError } from '../domain/errors.ts'
import { ingest, type IngestDeps, type IngestOptions } from '../ingest/ingest.ts'
import { saveOpen311, type Open311Record } from '../store/open311-index.ts'
import { Open311Error } from './open311-errors.ts'

export type Form = Record<string, unknown>

const str = (form: Form, name: string, max: number): string | undefined => {
  const v = form[name]
  if (v === undefined || v === '') return undefined
  if (typeof v !== 'string') throw new Open311Error(400, `${name} must be a single value`)
  if (v.length > max) throw new Open311Error(400, `${name} is longer than ${max} characters`)
  return v
}

function coordinate(form: Form, name: 'lat' | 'long', bound: number): number | undefined {
  const v = str(form, name, 40)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n) || Math.abs(n) > bound) throw new Open311Error(400, `${name} must be a number within ±${bound}`)
  return n
}

/** A new service_request_id: readable, unique, and safe as our subject id. */
export const newRequestId = (at: number) => `O311-${new Date(at).toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(5).toString('hex')}`

// a region whose name the address names (the deepest first); else the whole city, so the report still lands
function regionByName(regions: RegionIndex, address: string): string {
  const hits = regions.collection.features.map((f) => f.properties).filter((p) => address.includes(p.name))
  hits.sort((a, b) => regions.chain(b.code).length - regions.chain(a.code).length)
  return hits[0]?.code ?? regions.root.code
}

/** Validate the form, ingest the event, index the request; the new service_request_id. */
export async function postRequest(form: Form, deps: IngestDeps, options: IngestOptions & { now: () => number }): Promise<string> {
  const code = str(form, 'service_code', 128)
  if (!code) throw new Open311Error(400, 'service_code is required (see GET services.json)')
  if (deps.categories.check('case', code)) throw new Open311Error(400, `service_code "${code}" is not a known service (see GET services.json)`)
  const lat = coordinate(form, 'lat', 90)
  const long = coordinate(form, 'long', 180)
  const address = str(form, 'address_string', 500)
  if ((lat === undefined) !== (long === undefined)) throw new Open311Error(400, 'send lat and long together')
  if (lat === undefined && !address) throw new Open311Error(400, 'a location is required: lat and long, or address_string')
  const description = str(form, 'description', 4000) ?? ''
  const requested = options.now()
  const id = newRequestId(requested)
  const event = {
    id: `o311-${id}-reported`, feed: 'case', type: 'reported', subject: id, at: new Date(requested).toISOString(),
    ...(lat !== undefined ? { location: [long, lat] } : { region: regionByName(deps.regions, address!) }),
    category: code, attrs: { source: 'public' },
  }
  const result = await ingest([{ ok: true, value: event }], deps, options)
  if (result.rejected[0]) throw new Open311Error(400, result.rejected[0].error)
  if (result.accepted !== 1) throw new StoreUnavailableError()
  const rec: Open311Record = {
    service_request_id: id, subject: id, service_code: code, description, requested,
    ...(lat !== undefined ? { lat, long } : {}), ...(address ? { address_string: address } : {}),
  }
  await saveOpen311(deps.store, options.channel, rec)
  return id
}
