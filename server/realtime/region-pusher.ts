/**
 * Pushes a per-region value (KPIs, panels) to the rooms of regions that
 * changed, at most once every `everyTicks` seconds, and to every watched
 * region every `fullEveryTicks` (overdue counts move with time alone); only
 * values that differ from the last push are sent. A run reads at most
 * `budget` regions (push-queue.ts picks which; the rest wait for the next
 * run), `PUSH_SLICE` at a time, one read after the other, so `events`
 * batches go out between them: with a screen on every village and grid, one
 * read of every region and its hundreds of emits held the event loop for
 * 150–800 ms once a second.
 */
import type { Channels } from '../channels/channels.ts'
import type { Subscriptions } from './subscriptions.ts'
import { isRoomOf, roomKey } from '../domain/room-key.ts'
import { dueRegions, type Waiting } from './push-queue.ts'

/** Regions read (one Redis pipeline per partition) and pushed between two turns of the event loop. */
export const PUSH_SLICE = 32

export interface PushedValue<T> {
  read: (channel: string, regions: string[]) => Promise<Map<string, T>>
  emit: (channel: string, region: string, value: T) => void
  everyTicks: number
  fullEveryTicks: number
  /** Regions read on one run at most. */
  budget: number
}

export class RegionPusher<T> {
  private readonly dirty = new Map<string, Set<string>>()
  /** Per channel, the regions to read and since which tick. */
  private readonly waiting = new Map<string, Waiting>()
  private readonly lastSent = new Map<string, string>()
  private busy = false

  constructor(private readonly channels: Channels, private readonly subscriptions: Subscriptions, private readonly v: PushedValue<T>) {}

  markDirty(channel: string, regions: Iterable<string>): void {
    const set = this.dirty.get(channel) ?? new Set<string>()
    for (const r of regions) set.add(r)
    this.dirty.set(channel, set)
  }

  /** Called once a second with a running tick count. */
  async run(tick: number): Promise<void> {
    if (this.busy || tick % this.v.everyTicks !== 0) return
    this.busy = true
    const full = tick % this.v.fullEveryTicks === 0
    try {
      const ids = this.channels.ids()
      for (const id of this.waiting.keys()) if (!ids.includes(id)) this.waiting.delete(id)
      for (const id of ids) {
        const watchers = this.subscriptions.watchers(id)
        const dirty = this.dirty.get(id)
        this.dirty.delete(id)
        if (full) this.prune(id, watchers)
        const waiting = this.waiting.get(id) ?? new Map<string, number>()
        this.waiting.set(id, waiting)
        for (const r of waiting.keys()) if (!watchers.has(r)) waiting.delete(r)
        for (const r of full ? watchers.keys() : (dirty ?? [])) if (watchers.has(r) && !waiting.has(r)) waiting.set(r, tick)
        const due = dueRegions(waiting, watchers, tick, this.v.budget)
        for (let i = 0; i < due.length; i += PUSH_SLICE) {
          const slice = due.slice(i, i + PUSH_SLICE)
          const values = await this.v.read(id, slice)
          for (const r of slice) waiting.delete(r)
          for (const [region, value] of values) this.send(id, region, value)
        }
      }
    } catch {
      // Redis away: a later tick tries again; healthz reports it
    } finally {
      this.busy = false
    }
  }

  private send(channel: string, region: string, value: T): void {
    const key = roomKey(channel, region)
    const json = JSON.stringify(value)
    if (this.lastSent.get(key) === json) return
    this.lastSent.set(key, json)
    this.v.emit(channel, region, value)
  }

  /** Forget rooms nobody watches any more, so the map stays as small as the audience. */
  private prune(channel: string, watched: ReadonlyMap<string, number>): void {
    const keep = new Set([...watched.keys()].map((r) => roomKey(channel, r)))
    for (const key of this.lastSent.keys()) if (isRoomOf(key, channel) && !keep.has(key)) this.lastSent.delete(key)
  }
}
