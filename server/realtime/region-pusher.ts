/**
 * Pushes a per-region value (KPIs, panels) to the rooms of regions that
 * changed, at most once every `everyTicks` seconds, and to every watched
 * region every `fullEveryTicks` (overdue counts move with time alone); only
 * values that differ from the last push are sent.
 */
import type { Channels } from '../channels/channels.ts'
import type { Subscriptions } from './subscriptions.ts'
import { isRoomOf, roomKey } from '../domain/room-key.ts'

export interface PushedValue<T> {
  read: (channel: string, regions: string[]) => Promise<Map<string, T>>
  emit: (channel: string, region: string, value: T) => void
  everyTicks: number
  fullEveryTicks: number
}

export class RegionPusher<T> {
  private readonly dirty = new Map<string, Set<string>>()
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
      for (const id of this.channels.ids()) {
        const watched = this.subscriptions.watched(id)
        const dirty = this.dirty.get(id)
        this.dirty.delete(id)
        if (full) this.prune(id, watched)
        const regions = full ? watched : watched.filter((r) => dirty?.has(r))
        if (regions.length === 0) continue
        for (const [region, value] of await this.v.read(id, regions)) this.send(id, region, value)
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
  private prune(channel: string, watched: string[]): void {
    const keep = new Set(watched.map((r) => roomKey(channel, r)))
    for (const key of this.lastSent.keys()) if (isRoomOf(key, channel) && !keep.has(key)) this.lastSent.delete(key)
  }
}
