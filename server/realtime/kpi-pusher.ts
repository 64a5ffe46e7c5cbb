/**
 * Pushes `kpis` to the rooms of changed regions at most once a second, and to
 * every watched region every 10 s (overdue counts move with time alone);
 * only values that differ from the last push are sent.
 */
import type { Redis } from 'ioredis'
import type { KpiSet } from '../domain/kpis.ts'
import type { KpiUpdate } from '../domain/protocol.ts'
import type { Channels } from '../channels/channels.ts'
import type { ChannelReader } from '../channels/channel-reader.ts'
import type { Subscriptions } from './subscriptions.ts'

export interface KpiPusherDeps {
  store: Redis
  channels: Channels
  subscriptions: Subscriptions
  reader: ChannelReader
  emit: (channel: string, region: string, update: KpiUpdate) => void
}

const FULL_EVERY = 10

export class KpiPusher {
  private readonly dirty = new Map<string, Set<string>>()
  private readonly lastSent = new Map<string, string>()
  private tick = 0
  private busy = false

  constructor(private readonly d: KpiPusherDeps) {}

  markDirty(channel: string, regions: Iterable<string>): void {
    const set = this.dirty.get(channel) ?? new Set<string>()
    for (const r of regions) set.add(r)
    this.dirty.set(channel, set)
  }

  /** Called once a second. */
  async run(): Promise<void> {
    if (this.busy || this.d.store.status !== 'ready') return
    this.busy = true
    const full = ++this.tick % FULL_EVERY === 0
    try {
      for (const id of this.d.channels.ids()) {
        const watched = this.d.subscriptions.watched(id)
        const dirty = this.dirty.get(id)
        this.dirty.delete(id)
        if (full) this.prune(id, watched)
        const regions = full ? watched : watched.filter((r) => dirty?.has(r))
        if (regions.length === 0) continue
        for (const [region, kpis] of await this.d.reader.kpis(id, regions)) this.send(id, region, kpis)
      }
    } catch {
      // Redis away: the next tick tries again; healthz reports it
    } finally {
      this.busy = false
    }
  }

  private send(channel: string, region: string, kpis: KpiSet): void {
    const key = `${channel}|${region}`
    const json = JSON.stringify(kpis)
    if (this.lastSent.get(key) === json) return
    this.lastSent.set(key, json)
    this.d.emit(channel, region, { region, values: kpis })
  }

  /** Forget rooms nobody watches any more, so the map stays as small as the audience. */
  private prune(channel: string, watched: string[]): void {
    const keep = new Set(watched.map((r) => `${channel}|${r}`))
    for (const key of this.lastSent.keys()) if (key.startsWith(`${channel}|`) && !keep.has(key)) this.lastSent.delete(key)
  }
}
