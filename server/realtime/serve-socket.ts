/**
 * One connected socket: its outlet (events, alerts, resyncs, and whether it
 * still reads), its SocketSubscriber, and `subscribe` answered within scope
 * and within a token bucket, refusals over the rate sent a batch per turn.
 */
import type { Socket } from 'socket.io'
import { BadRequestError, UnknownRegionError } from '../domain/errors.ts'
import type { ClientToServer, ServerToClient, SubscribeReq } from '../domain/protocol.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Principal } from '../domain/users.ts'
import { assertInScope } from '../auth/authenticate.ts'
import type { ChannelReader } from '../store/channel-reader.ts'
import { fanoutBatches, fanoutDeliveries } from '../metrics/metrics.ts'
import type { DeliveryPacer } from './delivery-pacer.ts'
import type { RealtimeLimits } from './realtime-limits.ts'
import { roomKey } from '../domain/room-key.ts'
import { SocketSubscriber } from './socket-subscriber.ts'
import type { Outlet, Subscriptions } from './subscriptions.ts'
import { TokenBucket } from './token-bucket.ts'
import { withAck } from './with-ack.ts'

export type WallSocket = Socket<ClientToServer, ServerToClient>

const MAX_WRITE_BUFFER = 200

/** Packets written to a socket and not yet taken by its client. */
export const bufferedOf = (socket: WallSocket) => (socket.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length

export interface SubscribeDeps {
  subs: Subscriptions
  regions: RegionIndex
  reader: ChannelReader
  limits: RealtimeLimits
  /** Snapshot answers, a few per turn. */
  pacer: DeliveryPacer
  /** Rate-limit refusals, a batch per turn. */
  refusals: DeliveryPacer
}

/** Serve one socket's subscriptions; the SocketSubscriber it returns is closed when the socket leaves. */
export function serveSocket(socket: WallSocket, d: SubscribeDeps): SocketSubscriber {
  const channel = String(socket.handshake.query.channel ?? 'live')
  const { limits } = d
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
    subs: d.subs,
    snapshot: (region, since, o) => d.reader.snapshot(channel, region, since, o),
    join: (region) => void socket.join(roomKey(channel, region)),
    leave: (region) => void socket.leave(roomKey(channel, region)),
    reset: (snap) => void socket.emit('reset', snap),
    pace: () => d.pacer.turn(),
    disconnect: () => void socket.disconnect(true),
  })

  const answer = withAck(async (req: SubscribeReq) => {
    if (!req || typeof req.region !== 'string') throw new BadRequestError('subscribe needs { region }')
    if (req.since !== undefined && typeof req.since !== 'string') throw new BadRequestError('since is a cursor as sent in events and snapshots, like "1700000000000-0"')
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
    d.refusals.later(() => {
      refusing--
      if (socket.connected) ack({ ok: false, code: 'RATE_LIMITED', message })
    })
  })
  return subscriber
}
