/** GET requests: filters of GeoReport v2 over the requests posted here, with their cases' current state. */
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Store } from '../store/redis-client.ts'
import { open311Between, open311ById, type Open311Record } from '../store/open311-index.ts'
import { readSubject } from '../store/read-subjects.ts'
import { Open311Error } from './open311-errors.ts'
import { requestView, type GeoReportRequest } from './request-view.ts'

export const MAX_RESULTS = 1000
const MAX_SPAN_MS = 90 * 86_400_000

export interface ReadContext { store: Store; regions: RegionIndex; categories: Categories; channel: string; now: number; scope: string }
type Query = Record<string, unknown>

const list = (q: Query, name: string): string[] | undefined => {
  const v = q[name]
  if (v === undefined || v === '') return undefined
  if (typeof v !== 'string') throw new Open311Error(400, `${name} must be a single comma-separated value`)
  return v.split(',').map((s) => s.trim()).filter(Boolean)
}

function date(q: Query, name: string): number | undefined {
  const v = q[name]
  if (v === undefined || v === '') return undefined
  const ms = typeof v === 'string' && /^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(v) ? Date.parse(v) : NaN
  if (Number.isNaN(ms)) throw new Open311Error(400, `${name} must be an ISO 8601 date-time, e.g. 2026-11-21T00:00:00+08:00`)
  return ms
}

/** Records and their views, in scope; a record whose case has expired is left out. */
async function views(ctx: ReadContext, recs: Open311Record[]): Promise<GeoReportRequest[]> {
  const subjects = await Promise.all(recs.map((r) => readSubject(ctx.store, ctx.channel, 'case', r.subject, ctx.regions)))
  return recs.flatMap((r, i) => {
    const v = subjects[i]
    return v && ctx.regions.within(v.region, ctx.scope) ? [requestView(r, v, ctx.regions, ctx.categories)] : []
  })
}

/** One request by id, or a 404. */
export async function readOne(ctx: ReadContext, id: string): Promise<GeoReportRequest> {
  const [found] = await views(ctx, await open311ById(ctx.store, ctx.channel, [id]))
  if (!found) throw new Open311Error(404, `no service request ${id}`)
  return found
}

/** The filtered list: by ids (other filters ignored, as the spec says), else by date window, code and status. */
export async function readMany(ctx: ReadContext, q: Query): Promise<GeoReportRequest[]> {
  const ids = list(q, 'service_request_id')
  if (ids) {
    if (ids.length > MAX_RESULTS) throw new Open311Error(400, `at most ${MAX_RESULTS} service_request_id values`)
    return views(ctx, await open311ById(ctx.store, ctx.channel, ids))
  }
  const start = date(q, 'start_date')
  const end = date(q, 'end_date')
  const to = end ?? (start !== undefined ? Math.min(start + MAX_SPAN_MS, ctx.now) : ctx.now)
  const from = start ?? to - MAX_SPAN_MS
  if (from > to) throw new Open311Error(400, 'start_date is after end_date')
  if (to - from > MAX_SPAN_MS) throw new Open311Error(400, 'start_date and end_date may be at most 90 days apart')
  const codes = list(q, 'service_code')
  const statuses = list(q, 'status')
  if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open or closed')
  let recs = await open311Between(ctx.store, ctx.channel, from, to, MAX_RESULTS * 5)
  if (codes) recs = recs.filter((r) => codes.includes(r.service_code))
  const out: GeoReportRequest[] = []
  for (let i = 0; i < recs.length && out.length < MAX_RESULTS; i += 200) {
    for (const v of await views(ctx, recs.slice(i, i + 200))) if (!statuses || statuses.includes(v.status)) out.push(v)
  }
  return out.slice(0, MAX_RESULTS)
}
