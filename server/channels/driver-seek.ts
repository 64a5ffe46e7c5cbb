/**
 * A seek: the channel's derived state (everything but source, meta and lease)
 * is dropped and the source is re-applied up to the target as fast as Redis
 * takes it (pipelines of 1,000 events, two in flight). The clock stands still
 * at the target meanwhile; then it resumes from there.
 * Intake alerts are not re-raised for the past (they are about arrivals);
 * the overdue scanner starts over and raises what is overdue at the target.
 */
import { systemTime } from '../domain/clock.ts'
import { ingest } from '../ingest/ingest.ts'
import type { DriverDeps } from './driver-deps.ts'
import { unlinkChannelKeys } from './drop-keys.ts'
import type { ReplayMeta } from './drill-meta.ts'
import { toRawItems } from './source-store.ts'
import { keys, seekKeeps } from '../store/keys.ts'

const BATCH = 1_000

/** Rebuild the channel at `meta.base` (the seek target) for seek `meta.epoch`; false when stopped or overtaken by a newer seek. */
export async function rebuildTo(meta: ReplayMeta, d: DriverDeps & { isRunning: () => boolean }): Promise<boolean> {
  const { id, epoch, base: target } = meta
  const metaKey = keys(id).meta
  const deps = { store: d.store, regions: d.ingest.regions, categories: d.ingest.categories } // no alert rules for the past
  const options = { ...d.apply, channel: id }
  // the next batch is read (with the seek epoch) before this one is sent, so Redis
  // applies batch n while this process prepares batch n + 1
  const read = async (after: string) => {
    const [[e1, entries], [e2, current]] = (await d.store.pipeline()
      .xrange(keys(id).source, `(${after}`, String(target), 'COUNT', BATCH)
      .hget(metaKey, 'epoch')
      .exec()) as [[Error | null, [string, string[]][]], [Error | null, string | null]]
    if (e1 || e2) throw e1 ?? e2
    return { entries, overtaken: Number(current) !== epoch || !d.isRunning() }
  }

  await unlinkChannelKeys(d.store, id, seekKeeps(id))
  let after = '0-0'
  let count = 0
  let applying: Promise<unknown> = Promise.resolve()
  let batch = await read(after)
  while (batch.entries.length > 0 && !batch.overtaken) {
    after = batch.entries[batch.entries.length - 1]![0]
    const next = batch.entries.length === BATCH ? read(after) : Promise.resolve({ entries: [], overtaken: false })
    next.catch(() => {}) // awaited below; not unhandled when an apply fails first
    const previous = applying
    applying = ingest(toRawItems(batch.entries.map(([sid, f]) => ({ sid, at: 0, json: f[1]! }))), deps, options)
    applying.catch(() => {})
    await previous
    count += batch.entries.length
    batch = await next
  }
  await applying
  if (batch.overtaken) return false
  const r = await d.scripts.clock(metaKey, systemTime(), { op: 'built', epoch, lastId: after, count })
  if (r.status !== 'ok') return false
  await d.announce(id)
  return true
}
