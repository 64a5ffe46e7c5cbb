/**
 * Every alert ends by itself (issue 13): an urgent case's alert when the case
 * is closed or cancelled, a critical IoT/video alert after its quiet time (or
 * at once on a clearing event: intake rules), a repeat hotspot when its window
 * has passed, a surge when its township is back under the threshold (the surge
 * rule). Overdue alerts are the SLA scanner's. Ended alerts are resolved
 * through end-alert.lua, so every screen sees them leave (`alert {state: 'resolved'}`).
 */
import type { Alert } from '../domain/alerts.ts'
import { endAlert } from '../store/alert-store.ts'
import { groupBy } from '../domain/group-by.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { subjectPartitions } from './subject-partition.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'
import { DEFAULT_CRITICAL_QUIET_MINUTES, type AlertConfig } from './alert-config.ts'

const ENDED_CASE_STATES = new Set(['CLOSED', 'CANCELLED'])

/** How long critical and hotspot alerts last without news, in ms of channel time. */
export interface AlertLifetimes { criticalQuietMs: number; hotspotWindowMs: number }

export const lifetimesOf = (c: AlertConfig): AlertLifetimes => ({
  criticalQuietMs: (c.critical?.quietMinutes ?? DEFAULT_CRITICAL_QUIET_MINUTES) * 60_000,
  hotspotWindowMs: c.hotspot.windowHours * 3_600_000,
})

/** Whether an alert has ended at `now`; `caseState` is its case's state for an urgent alert ('' when the case is gone). */
export function hasEnded(a: Alert, now: number, life: AlertLifetimes, caseState?: string): boolean {
  if (a.type === 'critical') return now - a.at >= life.criticalQuietMs
  if (a.type === 'hotspot') return now - a.at >= life.hotspotWindowMs
  if (a.type === 'urgent') return caseState !== undefined && (caseState === '' || ENDED_CASE_STATES.has(caseState))
  return false
}

/**
 * Resolve the urgent, critical and hotspot alerts among `active` that have
 * ended; how many. An urgent alert's case is read in its partition
 * (subjectPartitions, DESIGN §11): one pipeline per partition, in flight together.
 */
export async function resolveEnded(
  store: Store, channel: string, active: Alert[], now: number, life: AlertLifetimes, regions: Pick<RegionIndex, 'partitioned' | 'partitionOf'>,
): Promise<number> {
  const urgent = active.filter((a) => a.type === 'urgent' && a.subject)
  const stateOf = new Map<string, string>()
  const partitions = await subjectPartitions(store, channel, regions, urgent.map((a) => ({ feed: 'case', subject: a.subject!, region: a.region })))
  const partitionOf = new Map(urgent.map((a, i) => [a, partitions[i]!]))
  await Promise.all([...groupBy(urgent, (a) => partitionOf.get(a)!)].map(async ([partition, items]) => {
    const k = keys(channel, partition)
    const replies = (await store.pipeline(items.map((a) => ['hget', k.subject('case', a.subject!), 'state'])).exec()) ?? []
    items.forEach((a, i) => stateOf.set(a.id, (replies[i]?.[1] as string | null) ?? ''))
  }))
  let n = 0
  for (const a of active) {
    if (hasEnded(a, now, life, stateOf.get(a.id)) && (await endAlert(store, channel, a.id, 'resolved'))) n++
  }
  return n
}

/** Resolve active surge alerts whose township is no longer surging, or surges under a newer hour's alert. */
export async function resolveSurges(store: Store, channel: string, active: Alert[], surging: Alert[]): Promise<number> {
  const current = new Map(surging.map((a) => [a.region, a.id]))
  let n = 0
  for (const a of active) {
    if (a.type === 'surge' && current.get(a.region) !== a.id && (await endAlert(store, channel, a.id, 'resolved'))) n++
  }
  return n
}
