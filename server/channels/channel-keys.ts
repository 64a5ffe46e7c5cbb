/**
 * Key names of replay channels that server/store/keys.ts does not build yet
 * (to move there): the registry and update bus shared by every instance, and
 * per channel the stored source events and the driver lease. Per-channel keys
 * extend `keys(id).prefix`, so they carry the {channel} hash tag.
 */
import { keys } from '../store/keys.ts'

/** Hash of every trainer-made channel: id → created ms. Global, not per channel. */
export const CHANNEL_REGISTRY = 'sr:channels'
/** Pub/sub channel: a message (the channel id) whenever a channel is created, changed or deleted. */
export const CHANNEL_UPDATES = 'sr:channel-updates'

export function replayKeys(id: string) {
  const k = keys(id)
  return {
    prefix: k.prefix,
    meta: k.meta,
    /** Stream of the source events, ids `<virtual ms>-<seq>`, so XRANGE selects by channel time. */
    source: `${k.prefix}source`,
    /** Lease of the one instance that feeds the source into the channel: holder id, PX. */
    driver: `${k.prefix}driver`,
  }
}

/** Keys a seek keeps; everything else of the channel is derived state and rebuilt. */
export function seekKeeps(id: string): Set<string> {
  const r = replayKeys(id)
  return new Set([r.source, r.meta, r.driver])
}
