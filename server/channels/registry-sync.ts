/**
 * Mirrors the channel registry in Redis into this instance's Channels. Any
 * instance that creates, changes or deletes a channel announces its id on
 * globalKeys.channelUpdates; every instance then re-reads that channel (and re-reads
 * all of them every second, in case a message was lost). Local clocks follow
 * the meta clock; listeners hear `seeking` when a seek begins, screens get
 * `clock` on every change and `reset` once the seek has been rebuilt. Channels made locally (not in the registry) are left alone.
 */
import type { Redis } from 'ioredis'
import { systemTime } from '../domain/clock.ts'
import { blockingConnection, type Store } from '../store/redis-client.ts'
import type { Channels } from './channels.ts'
import { metaNow, parseMeta, type ReplayMeta } from './drill-meta.ts'
import { globalKeys, keys } from '../store/keys.ts'

const POLL_MS = 1_000

export interface SyncHooks {
  /** A registered channel is now served here. */
  present(id: string): Promise<void>
  /** Its clock changed. */
  changed(id: string): void
  /** It was deleted: stop everything of it here. */
  gone(id: string): Promise<void>
}

export class ChannelSync {
  private readonly known = new Map<string, { rev: number; builtEpoch: number; seeking: boolean }>()
  private queue: Promise<void> = Promise.resolve()
  private sub: Redis | undefined
  private poll: NodeJS.Timeout | undefined
  private lastError = ''

  constructor(private readonly store: Store, private readonly channels: Channels, private readonly hooks: SyncHooks) {}

  async start(): Promise<void> {
    this.sub = blockingConnection(this.store)
    this.sub.on('message', (_bus: string, id: string) => void this.sync(id))
    await this.sub.subscribe(globalKeys.channelUpdates)
    await this.refresh()
    this.poll = setInterval(() => void this.refresh(), POLL_MS)
  }

  async stop(): Promise<void> {
    clearInterval(this.poll)
    this.sub?.disconnect()
    await this.queue
  }

  /** Whether the channel is a registered (trainer-made) one served here. */
  managed(id: string): boolean {
    return this.known.has(id)
  }

  /** Re-read one channel now; updates are applied one at a time, in order. */
  sync(id: string): Promise<void> {
    return this.enqueue(() => this.apply(id))
  }

  private refresh(): Promise<void> {
    return this.enqueue(async () => {
      const ids = new Set(await this.store.hkeys(globalKeys.channelRegistry))
      for (const id of ids) await this.apply(id)
      for (const id of [...this.known.keys()]) if (!ids.has(id)) await this.drop(id)
    })
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job).then(
      () => { this.lastError = '' },
      (err: unknown) => {
        const message = (err as Error).message
        if (message !== this.lastError) console.error(`channel sync: ${message}`)
        this.lastError = message
      },
    )
    return this.queue
  }

  private async apply(id: string): Promise<void> {
    const [registered, h] = await Promise.all([this.store.hexists(globalKeys.channelRegistry, id), this.store.hgetall(keys(id).meta)])
    const meta = registered ? parseMeta(id, h) : null
    const prev = this.known.get(id)
    if (!meta) {
      if (prev) await this.drop(id)
      return
    }
    if (!prev) {
      if (!this.channels.has(id)) await this.channels.createReplay(id, metaNow(meta, systemTime()), meta.speed)
      this.mirror(meta)
      this.known.set(id, { rev: meta.rev, builtEpoch: meta.builtEpoch, seeking: meta.seeking })
      await this.hooks.present(id)
      return
    }
    this.known.set(id, { rev: meta.rev, builtEpoch: meta.builtEpoch, seeking: meta.seeking })
    if (meta.seeking && !prev.seeking) await this.channels.notifySeeking(id)
    if (meta.rev !== prev.rev) {
      this.mirror(meta)
      this.hooks.changed(id)
      await this.channels.notifyClockChanged(id)
    }
    if (meta.builtEpoch !== prev.builtEpoch) await this.channels.notifyReset(id)
  }

  private mirror(m: ReplayMeta): void {
    this.channels.setReplayClock(m.id, { now: metaNow(m, systemTime()), speed: m.speed, paused: m.paused || m.seeking })
  }

  private async drop(id: string): Promise<void> {
    this.known.delete(id)
    await this.hooks.gone(id)
  }
}
