/**
 * Key names of replay channels, built in server/store/keys.ts; kept as names
 * the channel modules import until they import keys.ts themselves.
 */
import { globalKeys, keys, seekKeeps } from '../store/keys.ts'

/** Hash of every trainer-made channel: id → created ms. Global, not per channel. */
export const CHANNEL_REGISTRY = globalKeys.channelRegistry
/** Pub/sub channel: a message (the channel id) whenever a channel is created, changed or deleted. */
export const CHANNEL_UPDATES = globalKeys.channelUpdates

/** The keys of one replay channel (a view of keys(id)). */
export function replayKeys(id: string) {
  const { prefix, meta, source, driver } = keys(id)
  return { prefix, meta, source, driver }
}

export { seekKeeps }
