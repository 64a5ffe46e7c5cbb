/**
 * Alerts raised as events are applied: an urgent case, a critical IoT/video
 * alert, and repeat hotspots (complaints of one category in one grid).
 */
import { criticalAlert, hotspotAlert, urgentCaseAlert, type Alert } from '../domain/alerts.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { ApplyInput } from '../store/apply-event.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'
import type { AlertConfig } from './alert-config.ts'
import { placeName } from './region-place.ts'

export interface IntakeRuleDeps { store: Store; regions: RegionIndex; categories: Categories; config: AlertConfig }

/** Alerts an applied event raises by itself. */
export function immediateAlerts(input: ApplyInput, regions: RegionIndex, categories: Categories): Alert[] {
  const e = input.event
  const region = input.chain[0]
  if (!region) return []
  // the place is named only for an alert: most events raise none
  if (e.feed === 'case' && e.type === 'reported' && e.attrs.priority === 'urgent') {
    return [urgentCaseAlert({ subject: e.subject, at: e.at, region, place: placeName(regions, region), category: e.category, categoryName: categories.name(e.category!) })]
  }
  if (e.feed === 'grid' && e.type === 'alert' && e.attrs.severity === 'critical') {
    return [criticalAlert({ eventId: e.id, at: e.at, region, place: placeName(regions, region), title: e.attrs.title as string | undefined, source: e.attrs.source as string | undefined })]
  }
  return []
}

/** Whether an applied event counts toward repeat hotspots (the others need no hotspotCheck, nor its round trip). */
export function countsForHotspots(input: ApplyInput, config: AlertConfig): boolean {
  const e = input.event
  return e.feed === 'hotline' && e.type === 'received' && !!input.grid && config.hotspot.kinds.includes(e.attrs.kind as AlertConfig['hotspot']['kinds'][number])
}

/** A repeat-hotspot alert when this work order makes `count` alike complaints in its grid within the window. */
export async function hotspotCheck(channel: string, input: ApplyInput, d: IntakeRuleDeps): Promise<Alert | null> {
  const e = input.event
  if (!countsForHotspots(input, d.config)) return null
  const windowMs = d.config.hotspot.windowHours * 3_600_000
  const key = keys(channel).complaints(input.grid, e.category!)
  const [, , [, count]] = (await d.store
    .multi()
    .zadd(key, e.at, e.subject)
    .zremrangebyscore(key, '-inf', `(${e.at - windowMs}`)
    .zcard(key)
    .pexpire(key, 2 * windowMs)
    .exec()) as [unknown, unknown, [Error | null, number], unknown]
  if (count < d.config.hotspot.count) return null
  return hotspotAlert({
    grid: input.grid, category: e.category!, categoryName: d.categories.name(e.category!), day: Math.floor(e.at / windowMs),
    at: e.at, place: placeName(d.regions, input.grid), count, hours: d.config.hotspot.windowHours,
  })
}
