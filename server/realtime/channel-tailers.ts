/**
 * One log tailer per channel this instance serves, started and stopped as
 * channels come and go: a tailer hands each batch to the subscriptions and
 * marks the pushed regions dirty. A tailer follows every partition log of its
 * channel (DESIGN §11), not only those its sockets watch: a subscribe never
 * waits for a tail to start, and the cost is one blocking connection per
 * partition and channel (a province at city level: 15 per channel). A seek stops the channel's tailer while
 * its log is rebuilt, and its reset starts it again and resyncs its sockets.
 */
import type { Server } from 'socket.io'
import type { ClientToServer, LiveEvent, ServerToClient } from '../domain/protocol.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel, Channels } from '../channels/channels.ts'
import { keys } from '../store/keys.ts'
import { blockingConnection, type Store } from '../store/redis-client.ts'
import { observeFanoutLag } from '../metrics/metrics.ts'
import { LogTailer } from './log-tailer.ts'
import type { SocketSubscriber } from './socket-subscriber.ts'
import type { Subscriptions } from './subscriptions.ts'

export interface TailerDeps {
  io: Server<ClientToServer, ServerToClient>
  store: Store
  channels: Channels
  regions: RegionIndex
  subs: Subscriptions
  subscribers: ReadonlyMap<string, SocketSubscriber>
  /** Regions of a channel whose pushed values (KPIs, panels) the new events changed. */
  touched: (channel: string, regions: Set<string>) => void
}

export class ChannelTailers {
  private readonly tailers = new Map<string, LogTailer>()

  constructor(private readonly d: TailerDeps) {}

  async start(): Promise<void> {
    const { channels, subs, io, subscribers } = this.d
    await Promise.all(channels.ids().map((id) => this.follow(channels.get(id))))
    channels.onAdded((ch) => this.follow(ch))
    channels.onRemoved((ch) => this.unfollow(ch))
    channels.onClockChanged((ch) => {
      const state = channels.clockState(ch)
      for (const sub of subs.ofChannel(ch.id)) io.sockets.sockets.get(sub.outlet.id)?.emit('clock', state)
    })
    // a seek rebuilds the channel's log: stop tailing while it does, so screens are not sent the replayed past
    channels.onSeeking((ch) => this.stopTailer(ch.id))
    channels.onReset(async (ch) => {
      if (!this.tailers.has(ch.id)) await this.follow(ch) // from the rebuilt log's newest entry
      for (const sub of subs.ofChannel(ch.id)) subscribers.get(sub.outlet.id)?.resync() // a fresh snapshot as `reset`
    })
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tailers.values()].map((t) => t.stop()))
  }

  private async follow(ch: Channel): Promise<void> {
    const { subs } = this.d
    const t = new LogTailer(() => blockingConnection(this.d.store), {
      logs: this.d.regions.partitions.map((p) => [p, keys(ch.id, p).log] as const),
      alertLog: keys(ch.id).alertLog,
      onEvents: (events: LiveEvent[]) => {
        observeFanoutLag(ch.id, events[0]!.sid)
        this.d.touched(ch.id, subs.dispatch(ch.id, events))
      },
      onAlerts: (updates) => subs.dispatchAlerts(ch.id, updates),
    })
    this.tailers.set(ch.id, t)
    await t.start()
    subs.position(ch.id, t.lastId)
  }

  private async unfollow(ch: Channel): Promise<void> {
    for (const outlet of this.d.subs.closeChannel(ch.id)) this.d.io.sockets.sockets.get(outlet.id)?.disconnect(true)
    await this.stopTailer(ch.id)
  }

  private async stopTailer(id: string): Promise<void> {
    await this.tailers.get(id)?.stop()
    this.tailers.delete(id)
  }
}
