/**
 * The socket.io side of an instance: tails every channel's log and alert
 * stream, fans events out to subscribed regions in ≤100 ms batches, alerts at
 * once, and pushes KPIs ≤1/s. Channels added or removed at run time are followed.
 * What one client can make it hold is bounded (realtime-limits.ts). The jobs
 * live in files of their own: socket-auth (the handshake), socket-subscribe
 * (one socket's subscriptions), channel-tailers (one log tailer per channel)
 * and realtime-timers (flush, token recheck, pushes); this file wires them.
 */
import type { Server as HttpServer } from 'node:http'
import { Server } from 'socket.io'
import type { ClientToServer, ServerToClient } from '../domain/protocol.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Sessions } from '../auth/sessions.ts'
import type { Channels } from '../channels/channels.ts'
import { socketOriginGuard } from '../http/origin-check.ts'
import type { ChannelReader } from '../store/channel-reader.ts'
import type { Store } from '../store/redis-client.ts'
import { fanoutBatches, fanoutDeliveries, watchSockets } from '../metrics/metrics.ts'
import { ChannelTailers } from './channel-tailers.ts'
import { ConnectionLimits } from './connection-limits.ts'
import { DeliveryPacer } from './delivery-pacer.ts'
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits.ts'
import { startRealtimeTimers } from './realtime-timers.ts'
import { RegionPusher } from './region-pusher.ts'
import { isRegionRoom, liveRoomKey, roomKey } from '../domain/room-key.ts'
import { socketAuth } from './socket-auth.ts'
import type { SocketSubscriber } from './socket-subscriber.ts'
import { serveSocket, type WallSocket } from './serve-socket.ts'
import { Subscriptions, type Broadcaster } from './subscriptions.ts'

export interface RealtimeDeps {
  store: Store
  channels: Channels
  regions: RegionIndex
  reader: ChannelReader
  /** When given, every socket must authenticate and may subscribe only within its scope. */
  sessions?: Sessions
  limits?: RealtimeLimits
}

// Regions whose KPIs (once a second) and panels (every 5 s) one push reads at most: a city's
// walls and desks (a few dozen regions) always fit; a tablet on every village and grid of a
// flooded feed waits a few seconds more (push-queue.ts)
const KPI_PUSH_BUDGET = 128
const PANELS_PUSH_BUDGET = 64
const ANSWERS_PER_TURN = 16
const REFUSALS_PER_TURN = 200

export async function startRealtime(http: HttpServer, d: RealtimeDeps) {
  const io = new Server<ClientToServer, ServerToClient>(http, { serveClient: false, maxHttpBufferSize: 64 * 1024, allowRequest: socketOriginGuard(http) })
  let batches = 0 // since the last flush, counted in the metrics once a flush
  let deliveries = 0
  const broadcaster: Broadcaster = {
    send: (channel, region, cursor, items, members) => {
      io.to(liveRoomKey(channel, region)).emit('events', { cursor, items })
      batches++
      deliveries += items.length * members.size
    },
    flushed: () => {
      if (batches === 0) return
      fanoutBatches.inc({ path: 'room' }, batches)
      fanoutDeliveries.inc({ path: 'room' }, deliveries)
      batches = deliveries = 0
    },
    // every socket sits in a room of its own id: one encode for all of them, as each outlet.alert would send it
    alert: (update, to) => void io.to(to.map((sub) => sub.outlet.id)).emit('alert', update),
    join: (sub) => void io.sockets.sockets.get(sub.outlet.id)?.join(liveRoomKey(sub.channel, sub.region)),
    leave: (sub) => void io.sockets.sockets.get(sub.outlet.id)?.leave(liveRoomKey(sub.channel, sub.region)),
  }
  const subs = new Subscriptions(d.regions, broadcaster)
  const limits = d.limits ?? REALTIME_LIMITS
  const subscribers = new Map<string, SocketSubscriber>()
  const kpis = new RegionPusher(d.channels, subs, {
    read: (channel, regions) => d.reader.kpis(channel, regions),
    emit: (channel, region, values) => io.to(roomKey(channel, region)).volatile.emit('kpis', { region, values }),
    everyTicks: 1,
    fullEveryTicks: 10,
    budget: KPI_PUSH_BUDGET,
  })
  const panels = new RegionPusher(d.channels, subs, {
    read: (channel, regions) => d.reader.panels(channel, regions),
    emit: (channel, region, p) => io.to(roomKey(channel, region)).volatile.emit('panels', { region, ...p }),
    everyTicks: 5,
    fullEveryTicks: 30,
    budget: PANELS_PUSH_BUDGET,
  })
  const unwatch = watchSockets({
    sockets: () => io.engine.clientsCount,
    rooms: () => {
      let n = 0 // region rooms only
      for (const name of io.of('/').adapter.rooms.keys()) if (isRegionRoom(name)) n++
      return n
    },
  })

  const tailers = new ChannelTailers({
    io, store: d.store, channels: d.channels, regions: d.regions, subs, subscribers,
    touched: (channel, regions) => {
      kpis.markDirty(channel, regions)
      panels.markDirty(channel, regions)
    },
  })
  await tailers.start()

  // raw engine.io connections that never join a namespace are not counted below: a backstop for a swarm of them
  io.engine.on('connection', (conn: { close(): void }) => {
    if (io.engine.clientsCount > 2 * limits.maxConnections) conn.close()
  })
  io.use(socketAuth(d.channels, d.sessions, new ConnectionLimits(limits)))

  const serving = { subs, regions: d.regions, reader: d.reader, limits, pacer: new DeliveryPacer(ANSWERS_PER_TURN), refusals: new DeliveryPacer(REFUSALS_PER_TURN) }
  io.on('connection', (socket: WallSocket) => {
    const subscriber = serveSocket(socket, serving)
    subscribers.set(socket.id, subscriber)
    socket.on('disconnect', () => {
      subscriber.close()
      subscribers.delete(socket.id)
    })
  })

  const stopTimers = startRealtimeTimers({
    io, store: d.store, sessions: d.sessions, subs, limits,
    push: (tick) => {
      void kpis.run(tick)
      void panels.run(tick)
    },
  })

  return {
    io,
    subscriptions: subs,
    async stop() {
      unwatch()
      stopTimers()
      await tailers.stop()
      await new Promise<void>((resolve) => io.close(() => resolve()))
    },
  }
}
