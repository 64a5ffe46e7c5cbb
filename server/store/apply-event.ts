/** Typed wrapper of apply.lua: builds its keys and arguments from a resolved event. */
import type { ValidEvent } from '../domain/events.ts'
import { bucketOfDay, dayKey } from '../domain/clock.ts'
import { keys, type ChannelKeys } from './keys.ts'
import type { Queue } from './lua-scripts.ts'
import type { Store } from './redis-client.ts'

/** outOfOrder: parked with its subject until its predecessors arrive (DESIGN §5). */
export type ApplyStatus = 'applied' | 'outOfOrder' | 'duplicate' | 'invalid'
/** sid is the stream id when applied or parked, the reason when invalid. */
export interface ApplyResult { status: ApplyStatus; sid: string }

export interface ApplyInput {
  event: ValidEvent
  grid: string // the event's place when it is a grid (patrol coverage), else ''
  chain: readonly string[] // region chain of the event, deepest first; [] when the event names no place
  intake: string // case reported: SLA hours; hotline received, service accepted: deadline ms; else ''
  /** service accepted: the item stops its clock while the errand waits for documents (补正); absent: it does not. */
  pausesOnDocs?: boolean
  /** The partition whose keys the event lands in (DESIGN §11): its region's ancestor at PARTITION_LEVEL; '' or absent: the root one. */
  partition?: string
}

export interface ApplyOptions {
  channel: string; zone: string; logMaxLen: number; seenTtlSec: number
  /** Channel now, ms: when an event is parked (the park window counts from it); default the event's time. */
  parkedAt?: number
}

// built once per channel and partition, not once per event: a batch of 1,000 would build 1,000 sets of key closures
const channelKeys = new Map<string, ChannelKeys>()
let last: { channel: string; partition: string; keys: ChannelKeys } | undefined // a batch's events share them: no lookup key built
function keysOf(channel: string, partition: string): ChannelKeys {
  if (last && last.channel === channel && last.partition === partition) return last.keys
  const id = `${channel}\n${partition}`
  let k = channelKeys.get(id)
  if (!k) {
    if (channelKeys.size >= 1024) channelKeys.clear() // drills come and go: bounded
    channelKeys.set(id, (k = keys(channel, partition)))
  }
  last = { channel, partition, keys: k }
  return k
}

/** Queue one apply on a pipeline (results come back in order from exec), or run it on the store. */
export function applyEvent(target: Queue, input: ApplyInput, o: ApplyOptions): Queue
export function applyEvent(target: Store, input: ApplyInput, o: ApplyOptions): Promise<[ApplyStatus, string]>
export function applyEvent(target: Store | Queue, input: ApplyInput, o: ApplyOptions) {
  const k = keysOf(o.channel, input.partition ?? '')
  const e = input.event
  const deadline = typeof e.attrs.deadline === 'string' ? String(Date.parse(e.attrs.deadline)) : ''
  return target.luaApply(
    k.log, k.seen(e.id), k.subject(e.feed, e.subject), k.stats, k.events(e.feed, e.subject), k.parked,
    JSON.stringify(e), input.chain.join(','), dayKey(e.at, o.zone), String(bucketOfDay(e.at, o.zone)),
    String(o.parkedAt ?? e.at), input.intake, k.prefix, String(o.logMaxLen), String(o.seenTtlSec), deadline, input.grid,
    input.pausesOnDocs ? '1' : '',
  )
}
