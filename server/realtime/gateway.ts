/**
 * The socket.io side of an instance: tails every channel's log, fans events
 * out to subscribed regions in ≤100 ms batches and pushes KPIs ≤1/s.
 */
import type { Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import type { ClientToServer, ServerToClient, Snapshot, SubscribeReq } from '../domain/protocol.ts'
import { AppError, BadRequestError, UnknownRegionError } from '../domain/errors.ts'
import type { ChannelReader } from '../channels/channel-reader.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channels } from '../channels/channels.ts'
import { keys } from '../store/keys.ts'
import { blockingConnection, type Store } from '../store/redis-client.ts'
import { KpiPusher } from './kpi-pusher.ts'
import { LogTailer } from './log-tailer.ts'
import { Subscriptions, type Subscription } from './subscriptions.ts'
import { withAck } from './with-ack.ts'

export interface RealtimeDeps { store: Store; channels: Channels; regions: RegionIndex; reader: ChannelReader }
type WallSocket = Socket<ClientToServer, ServerToClient>

const FLUSH_MS = 100
const MAX_WRITE_BUFFER = 200

export async function startRealtime(http: HttpServer, d: RealtimeDeps) {
  const io = new Server<ClientToServer, ServerToClient>(http, { serveClient: false, maxHttpBufferSize: 64 * 1024 })
  const subs = new Subscriptions(d.regions)
  const room = (channel: string, region: string) => `${channel}|${region}`
  const pusher = new KpiPusher({
    store: d.store, channels: d.channels, subscriptions: subs, reader: d.reader,
    emit: (channel, region, update) => io.to(room(channel, region)).volatile.emit('kpis', update),
  })

  const tailers = await Promise.all(
    d.channels.ids().map(async (id) => {
      const t = new LogTailer(blockingConnection(d.store), {
        log: keys(id).log,
        onEvents: (events) => pusher.markDirty(id, subs.dispatch(id, events)),
      })
      await t.start()
      return t
    }),
  )

  const snapshotFor = (channel: string, region: string, since?: string): Promise<Snapshot> =>
    d.reader.snapshot(channel, region, since)

  io.use((socket, next) => {
    try {
      d.channels.get(String(socket.handshake.query.channel ?? 'live'))
      next()
    } catch (err) {
      const refusal = err as Error & { data?: unknown }
      if (err instanceof AppError) refusal.data = { code: err.code }
      next(refusal)
    }
  })

  io.on('connection', (socket: WallSocket) => {
    const channel = String(socket.handshake.query.channel ?? 'live')
    let current: Subscription | undefined
    const outlet = {
      id: socket.id,
      send: (cursor: string, items: Snapshot['events']) => socket.emit('events', { cursor, items }),
      overloaded: () => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length > MAX_WRITE_BUFFER,
      resync: () => {
        const sub = current
        if (!sub) return
        sub.cursor = null
        snapshotFor(channel, sub.region).then(
          (snap) => {
            subs.ready(sub, snap.cursor)
            socket.emit('reset', snap)
          },
          () => socket.disconnect(true), // cannot rebuild: the client reconnects and resubscribes
        )
      },
    }

    socket.on('subscribe', withAck(async (req: SubscribeReq) => {
      if (!req || typeof req.region !== 'string') throw new BadRequestError('subscribe needs { region }')
      if (!d.regions.get(req.region)) throw new UnknownRegionError(req.region) // before leaving the current room
      if (current) void socket.leave(room(channel, current.region))
      current = subs.open(outlet, channel, req.region)
      try {
        const snap = await snapshotFor(channel, req.region, req.since)
        subs.ready(current, snap.cursor)
        void socket.join(room(channel, req.region)) // KPI pushes only after the snapshot, never overwritten by it
        return snap
      } catch (err) {
        subs.close(socket.id)
        current = undefined
        throw err
      }
    }))

    socket.on('disconnect', () => subs.close(socket.id))
  })

  const flushTimer = setInterval(() => subs.flush(), FLUSH_MS)
  const kpiTimer = setInterval(() => void pusher.run(), 1000)

  return {
    io,
    subscriptions: subs,
    async stop() {
      clearInterval(flushTimer)
      clearInterval(kpiTimer)
      await Promise.all(tailers.map((t) => t.stop()))
      await new Promise<void>((resolve) => io.close(() => resolve()))
    },
  }
}
