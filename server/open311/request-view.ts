/** Our case lifecycle as a GeoReport v2 request: open/closed, the last step as status_notes, region names as address. */
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { SubjectView } from '../domain/api.ts'
import type { Open311Record } from '../store/open311-index.ts'

const STEP_NAMES: Record<string, string> = {
  reported: '上报', registered: '立案', cancelled: '不予立案', dispatched: '派遣', returned: '回退',
  extended: '延期', disposed: '处置完成', rework: '返工', closed: '结案', urged: '督办',
}
const CLOSED_STATES = new Set(['CLOSED', 'CANCELLED'])

export interface GeoReportRequest {
  service_request_id: string
  status: 'open' | 'closed'
  status_notes: string
  service_name: string
  service_code: string
  description: string
  requested_datetime: string
  updated_datetime: string
  expected_datetime?: string
  address: string
  lat?: number
  long?: number
}

const iso = (ms: number) => new Date(ms).toISOString()

/** The request as the spec shows it, from what was posted and the case's current state. */
export function requestView(rec: Open311Record, view: SubjectView, regions: RegionIndex, categories: Categories): GeoReportRequest {
  const steps = view.history.filter((h) => h.applied)
  const last = steps.at(-1)
  const address = [...regions.chain(view.region)].reverse().map((c) => regions.get(c)?.name ?? c).join(' ')
  return {
    service_request_id: rec.service_request_id,
    status: CLOSED_STATES.has(view.state) ? 'closed' : 'open',
    status_notes: last ? `${STEP_NAMES[last.type] ?? last.type} (${last.type})` : '',
    service_name: categories.name(rec.service_code) ?? rec.service_code,
    service_code: rec.service_code,
    description: rec.description,
    requested_datetime: iso(rec.requested),
    updated_datetime: iso(last?.at ?? rec.requested),
    ...(view.deadline ? { expected_datetime: iso(view.deadline) } : {}),
    address: rec.address_string ? `${address} · ${rec.address_string}` : address,
    ...(rec.lat !== undefined && rec.long !== undefined ? { lat: rec.lat, long: rec.long } : {}),
  }
}
