/**
 * The socket.io side of an instance: tails every channel's log and alert
 * stream, fans events out to subscribed regions in ≤100 ms batches, alerts at
 * once, and pushes KPIs ≤1/s. Channels added or removed at run time are followed.
 * What one client can make it hold is bounded (realtime-limits.ts).
 */
import type { Server as HttpServer } from 'node:http'
import { Server, type Socket } from 'socket.io'
import type { ClientToServer, ServerToClient, SubscribeReq } from '../domain/protocol.ts'
import { AppError, BadRequestError, UnauthorizedError, UnknownRegionError } from '../domain/errors.ts'
import type { Principal } from '../domain/users.ts'
import { assertInScope, ForbiddenError, tokenOf } from '../auth/authenticate.ts'
import { socketOriginGuard } from '../http/origin-check.ts'
import type { Sessions } from '../auth/sessions.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { ChannelReader } from '../store/channel-reader.ts'
import type { Channel, Channels } from '../channels/channels.ts'
import { keys } from '../store/keys.ts'
import { blockingConnection, type Store } from '../store/redis-client.ts'
import { RegionPusher } from './region-pusher.ts'
import { LogTailer } from './log-tailer.ts'
import { Subscriptions, type Broadcaster, type Outlet } from './subscriptions.ts'
import { withAck } from './with-ack.ts'
import { ConnectionLimits, clientAddress } from './connection-limits.ts'
import { REALTIME_LIMITS, type RealtimeLimits } from './realtime-limits.ts'
import { SocketSubscriber } from './socket-subscriber.ts'
import { TokenBucket } from './token-bucket.ts'
import { DeliveryPacer } from './delivery-pacer.ts'
import { fanoutBatches, fanoutDeliveries, observeFanoutLag, watchSockets } from '../metrics/metrics.ts'

export interface RealtimeDeps {
  store: Store
  channels: Channels
  regions: RegionIndex
  reader: ChannelReader
  /** When given, every socket must authenticate and may subscribe only within its scope. */
  sessions?: Sessions
  limits?: RealtimeLimits
}
type WallSocket = Socket<ClientToServer, ServerToClient>

const FLUSH_MS = 100
const MAX_WRITE_BUFFER = 200
const ANSWERS_PER_TURN = 16
const REFUSALS_PER_TURN = 200
const REVALIDATE_MS = 10_000
const room = (channel: string, region: string) => `${channel}|${region}`
/** The sockets of a room that are caught up: they get its events batch, encoded once. */
const liveRoom = (channel: string, region: string) => `${channel}|${region}#live`
const bufferedOf = (socket: WallSocket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length

export async function startRealtime(http: HttpServer, d: RealtimeDeps) {
  const io = new Server<ClientToServer, ServerToClient>(http, { serveClient: false, maxHttpBufferSize: 64 * 1024, allowRequest: socketOriginGuard(http) })
  const broadcaster: Broadcaster = {
    send: (channel, region, cursor, items, members) => {
      io.to(liveRoom(channel, region)).emit('events', { cursor, items })
      fanoutBatches.inc({ path: 'room' })
      fanoutDeliveries.inc({ path: 'room' }, items.length * members.size)
    },
    join: (sub) => void io.sockets.sockets.get(sub.outlet.id)?.join(liveRoom(sub.channel, sub.region)),
    leave: (sub) => void io.sockets.sockets.get(sub.outlet.id)?.leave(liveRoom(sub.channel, sub.region)),
  }
  const subs = new Subscriptions(d.regions, broadcaster)
  const limits = d.limits ?? REALTIME_LIMITS
  const connections = new ConnectionLimits(limits)
  const subscribers = new Map<string, SocketSubscriber>()
  const pacer = new DeliveryPacer(ANSWERS_PER_TURN)
  const refusals = new DeliveryPacer(REFUSALS_PER_TURN)
  const kpis = new RegionPusher(d.channels, subs, {
    read: (channel, regions) => d.reader.kpis(channel, regions),
    emit: (channel, region, values) => io.to(room(channel, region)).volatile.emit('kpis', { region, values }),
    everyTicks: 1,
    fullEveryTicks: 10,
  })
  const panels = new RegionPusher(d.channels, subs, {
    read: (channel, regions) => d.reader.panels(channel, regions),
    emit: (channel, region, p) => io.to(room(channel, region)).volatile.emit('panels', { region, ...p }),
    everyTicks: 5,
    fullEveryTicks: 30,
  })
  const tailers = new Map<string, LogTailer>()
  const unwatch = watchSockets({
    sockets: () => io.engine.clientsCount,
    rooms: () => {
      let n = 0 // region rooms only: every socket also sits in a room of its own id
      for (const name of io.of('/').adapter.rooms.keys()) if (name.includes('|') && !name.endsWith('#live')) n++
      return n
    },
  })

  const follow = async (ch: Channel) => {
    const k = keys(ch.id)
    const t = new LogTailer(blockingConnection(d.store), {
      log: k.log,
      alertLog: k.alertLog,
      onEvents: (events) => {
        observeFanoutLag(ch.id, events[0]!.sid)
        const touched = subs.dispatch(ch.id, events)
        kpis.markDirty(ch.id, touched)
        panels.markDirty(ch.id, touched)
      },
      onAlerts: (updates) => subs.dispatchAlerts(ch.id, updates),
    })
    tailers.set(ch.id, t)
    await t.start()
    subs.position(ch.id, t.lastId)
  }
  const unfollow = async (ch: Channel) => {
    for (const outlet of subs.closeChannel(ch.id)) io.sockets.sockets.get(outlet.id)?.disconnect(true)
    await tailers.get(ch.id)?.stop()
    tailers.delete(ch.id)
  }
  await Promise.all(d.channels.ids().map((id) => follow(d.channels.get(id))))
  d.channels.onAdded(follow)
  d.channels.onRemoved(unfollow)
  d.channels.onClockChanged((ch) => {
    const state = d.channels.clockState(ch)
    for (const sub of subs.ofChannel(ch.id)) io.sockets.sockets.get(sub.outlet.id)?.emit('clock', state)
  })
  // a seek rebuilds the channel's log: stop tailing while it does, so screens are not sent the replayed past
  d.channels.onSeeking(async (ch) => {
    await tailers.get(ch.id)?.stop()
    tailers.delete(ch.id)
  })
  d.channels.onReset(async (ch) => {
    if (!tailers.has(ch.id)) await follow(ch) // from the rebuilt log's newest entry
    for (const sub of subs.ofChannel(ch.id)) subscribers.get(sub.outlet.id)?.resync() // a fresh snapshot as `reset`
  })

  // raw engine.io connections that never join a namespace are not counted below: a backstop for a swarm of them
  io.engine.on('connection', (conn: { close(): void }) => {
    if (io.engine.clientsCount > 2 * limits.maxConnections) conn.close()
  })
  io.use(async (socket, next) => {
    let release: (() => void) | undefined
    try {
      release = connections.admit(clientAddress(socket.handshake.address, socket.handshake.headers))
      socket.conn.once('close', release) // also when the handshake fails or the client leaves before `connection`
      const channel = String(socket.handshake.query.channel ?? 'live')
      d.channels.get(channel)
      if (d.sessions) {
        const { headers, query, auth } = socket.handshake
        const token = tokenOf(headers, query, auth)
        const principal = await d.sessions.resolve(token)
        if (!principal) throw new UnauthorizedError('log in first: connect with auth: { token }')
        if (principal.channel && principal.channel !== channel) throw new ForbiddenError(`this display token shows channel ${principal.channel} only`)
        socket.data.principal = principal
        socket.data.token = token
      }
      next()
    } catch (err) {
      release?.()
      const refusal = err as Error & { data?: unknown }
      if (err instanceof AppError) refusal.data = { code: err.code }
      next(refusal)
    }
  })

  io.on('connection', (socket: WallSocket) => {
    const channel = String(socket.handshake.query.channel ?? 'live')
    const bucket = new TokenBucket(limits.subscribePerMin, limits.subscribeBurst)
    const rateLimit = `more than ${limits.subscribePerMin} subscribes a minute (${limits.subscribeBurst} at once) on this socket`
    let refusing = 0 // refusals waiting to be sent
    const outlet: Outlet = {
      id: socket.id,
      send: (cursor, items) => {
        socket.emit('events', { cursor, items })
        fanoutBatches.inc({ path: 'socket' })
        fanoutDeliveries.inc({ path: 'socket' }, items.length)
      },
      alert: (update) => void socket.emit('alert', update),
      overloaded: () => bufferedOf(socket) > MAX_WRITE_BUFFER,
      resync: () => {
        // a socket too slow for its outbox and still not writing gets no snapshot on top: it reconnects and resumes
        if (outlet.overloaded()) socket.disconnect(true)
        else subscriber.resync()
      },
    }
    const subscriber = new SocketSubscriber(outlet, channel, {
      subs,
      snapshot: (region, since, o) => d.reader.snapshot(channel, region, since, o),
      join: (region) => void socket.join(room(channel, region)),
      leave: (region) => void socket.leave(room(channel, region)),
      reset: (snap) => void socket.emit('reset', snap),
      pace: () => pacer.turn(),
      disconnect: () => void socket.disconnect(true),
    })
    subscribers.set(socket.id, subscriber)

    const answer = withAck(async (req: SubscribeReq) => {
      if (!req || typeof req.region !== 'string') throw new BadRequestError('subscribe needs { region }')
      if (req.since !== undefined && typeof req.since !== 'string') throw new BadRequestError('since is a stream id like "1700000000000-0"')
      if (!d.regions.get(req.region)) throw new UnknownRegionError(req.region) // the current subscription stays
      const principal = socket.data.principal as Principal | undefined
      if (principal) assertInScope(principal, d.regions, req.region, channel)
      return subscriber.subscribe(req.region, req.since)
    })
    socket.on('subscribe', (req, ack) => {
      if (typeof ack !== 'function') return // a client that wants no answer gets none, and costs nothing
      const token = bucket.take()
      if (token.ok) return answer(req, ack)
      // a flood of refusals must cost next to nothing now: no Error, no promise, sent a batch per turn;
      // a client that keeps sending faster than it is answered is let go
      if (refusing >= limits.maxBuffered) return void socket.disconnect(true)
      refusing++
      const message = `${rateLimit}; retry in ${Math.ceil(token.retryInMs / 1000)} s`
      refusals.later(() => {
        refusing--
        if (socket.connected) ack({ ok: false, code: 'RATE_LIMITED', message })
      })
    })

    socket.on('disconnect', () => {
      subscriber.close()
      subscribers.delete(socket.id)
    })
  })

  const flushTimer = setInterval(() => {
    subs.flush()
    // whatever fills a socket's write buffer (acks, alerts, clock), a client that stops reading is let go
    for (const socket of io.sockets.sockets.values()) if (bufferedOf(socket) > limits.maxBuffered) socket.disconnect(true)
  }, FLUSH_MS)
  // logout and revocation reach open sockets too: each token is checked again every 10 s
  const recheckTimer = setInterval(() => {
    if (!d.sessions || d.store.status !== 'ready') return
    for (const socket of io.sockets.sockets.values()) {
      const token = socket.data.token as string | undefined
      if (!token) continue
      void d.sessions.resolve(token).then((p) => {
        if (!p) socket.disconnect(true)
      }, () => {})
    }
  }, REVALIDATE_MS)
  let tick = 0
  const pushTimer = setInterval(() => {
    tick++
    if (d.store.status !== 'ready') return
    void kpis.run(tick)
    void panels.run(tick)
  }, 1000)

  return {
    io,
    subscriptions: subs,
    async stop() {
      unwatch()
      clearInterval(flushTimer)
      clearInterval(pushTimer)
      clearInterval(recheckTimer)
      await Promise.all([...tailers.values()].map((t) => t.stop()))
      await new Promise<void>((resolve) => io.close(() => resolve()))
    },
  }
}
