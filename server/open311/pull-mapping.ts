/**
 * A remote GeoReport v2 request as our case events: `reported` when it was
 * requested, `closed` when it is closed. Ids are derived from the remote id,
 * so polling the same request again yields duplicates, not new cases.
 */
export interface RemoteRequest {
  service_request_id?: unknown
  status?: unknown
  service_code?: unknown
  requested_datetime?: unknown
  updated_datetime?: unknown
  lat?: unknown
  long?: unknown
}

export interface PullMapping {
  jurisdiction: string
  /** Remote service_code → our case category; unmapped codes use `defaultCategory`, else pass as they are. */
  categories: Record<string, string>
  defaultCategory?: string
  /** Region for requests without lat/long. */
  region?: string
}

const iso = (v: unknown): string | null => {
  if (typeof v !== 'string') return null
  const ms = Date.parse(v)
  return Number.isNaN(ms) ? null : new Date(ms).toISOString()
}
const safeId = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80)

/** Our events for one remote request, or a reason it cannot be mapped. */
export function eventsOf(r: RemoteRequest, m: PullMapping): object[] | string {
  if (typeof r.service_request_id !== 'string' && typeof r.service_request_id !== 'number') return 'no service_request_id'
  const rid = safeId(String(r.service_request_id))
  const at = iso(r.requested_datetime)
  if (!at) return `request ${rid}: no valid requested_datetime`
  const code = typeof r.service_code === 'string' ? r.service_code : ''
  const category = m.categories[code] ?? m.defaultCategory ?? code
  const lat = Number(r.lat)
  const long = Number(r.long)
  const place = r.lat != null && r.long != null && Number.isFinite(lat) && Number.isFinite(long)
    ? { location: [long, lat] }
    : m.region ? { region: m.region } : null
  if (!place) return `request ${rid}: no lat/long (pass --region for such requests)`
  const subject = `O311-${safeId(m.jurisdiction)}-${rid}`
  const idBase = `o311-${safeId(m.jurisdiction)}-${rid}`
  const out: object[] = [{ id: `${idBase}-reported`, feed: 'case', type: 'reported', subject, at, ...place, category, attrs: { source: 'public' } }]
  if (r.status === 'closed') {
    out.push({ id: `${idBase}-closed`, feed: 'case', type: 'closed', subject, at: iso(r.updated_datetime) ?? at, attrs: {} })
  }
  return out
}
