/**
 * The partition a subject of an alert lives in (DESIGN §11): its route (the
 * partition its steps follow, server/ingest/subject-routes.ts) while it is
 * kept, else the partition of the alert's region, where its intake placed it.
 */
import type { RegionIndex } from '../domain/regions.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'

export interface AlertSubject { feed: string; subject: string; region: string }

/** The partition of each subject, in order: no round trip with one partition, else one MGET on the channel's slot. */
export async function subjectPartitions(
  store: Store, channel: string, regions: Pick<RegionIndex, 'partitioned' | 'partitionOf'>, subjects: readonly AlertSubject[],
): Promise<string[]> {
  if (!regions.partitioned || subjects.length === 0) return subjects.map(() => '')
  const k = keys(channel)
  const routes = await store.mget(...subjects.map((s) => k.route(`${s.feed}:${s.subject}`)))
  return subjects.map((s, i) => routes[i] ?? regions.partitionOf(s.region))
}
