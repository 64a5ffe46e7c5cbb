/** GET services: the case category tree as GeoReport v2 services (service_code = our category code). */
import type { Categories } from '../domain/categories.ts'

export interface Service {
  service_code: string
  service_name: string
  description: string
  metadata: boolean
  type: 'realtime'
  keywords: string
  group: string
}

export function servicesOf(categories: Categories): Service[] {
  return categories.config.case.flatMap((g) => g.children.map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: c.en ? `${g.name} / ${c.name} (${c.en})` : `${g.name} / ${c.name}`,
    metadata: false,
    type: 'realtime' as const,
    keywords: [c.name, g.name, ...(c.en ? [c.en] : [])].join(','),
    group: g.name,
  })))
}
