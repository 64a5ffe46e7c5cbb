/**
 * Who watches what: each socket's subscription (channel, region, cursor) and
 * the rooms they form. Fan-out encodes once per room (DESIGN §7): a socket
 * that is caught up sits in its room's live set and gets the room's batch,
 * serialised once and broadcast every 100 ms; a socket that is behind (a fresh
 * or resumed snapshot, a slow reader) has an outbox of its own, flushed with
 * only what is newer than its cursor, until it has caught up and joins the
 * live set. So snapshot and live stream never overlap or leave a hole. Every
 * buffer is capped: past it the items are dropped and the socket gets a fresh
 * snapshot instead.
 *
 * Cursors are those of stream-id.ts: with partitions (DESIGN §11) one position
 * per partition log, each log's batches arriving in its own order but the logs
 * interleaved; with one partition a plain stream id, compared as before.
 */
import type { AlertUpdate } from '../domain/alerts.ts'
import type { LiveEvent } from '../domain/protocol.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { advanceCursor, compareStreamIds, cursorCovers, cursorCoversAll, cursorPositions, newestStreamId, partitionOfSid, streamIdOf } from '../domain/stream-id.ts'

export interface Outlet {
  id: string
  send(cursor: string, items: LiveEvent[]): void
  alert(update: AlertUpdate): void
  overloaded(): boolean
  resync(): void
}

export interface Subscription {
  outlet: Outlet
  channel: string
  region: string
  cursor: string | null // null while the snapshot is being read: items are held; one position per partition
  outbox: LiveEvent[]
  /** Where the tail stood (every partition) before items were held (or last dropped): a snapshot must reach at least this far. */
  heldFrom: string | undefined
  /** Caught up: gets the room's broadcast, holds no outbox of its own. */
  live: boolean
}

/** Sends a room's batch to its live members, encoded once; join/leave keep its member list. */
export interface Broadcaster {
  send(channel: string, region: string, cursor: string, items: LiveEvent[], members: ReadonlySet<Subscription>): void
  join(sub: Subscription): void
  leave(sub: Subscription): void
  /** A flush has sent every room's batch (metrics count them once a flush, not once a room). */
  flushed?(): void
  /** An alert to the subscriptions whose regions contain it (the socket.io one encodes it once for all). */
  alert(update: AlertUpdate, to: readonly Subscription[]): void
}

interface Room {
  channel: string
  region: string
  live: Set<Subscription>
  behind: Set<Subscription>
  pending: LiveEvent[] // dispatched since the last flush, for the live set
  cursor: string | undefined // the last batch broadcast, advanced by the sids of each
}

export const OUTBOX_CAP = 2_000

/** Without a socket.io server (unit tests): each live member is sent the same batch, each subscription the alert. */
const sendEach: Broadcaster = {
  send: (_c, _r, cursor, items, members) => { for (const sub of members) sub.outlet.send(cursor, items) },
  alert: (u, to) => { for (const sub of to) sub.outlet.alert(u) },
  join: () => {},
  leave: () => {},
}

/** Items a cursor does not cover yet; a cursor of several partitions is read once for the whole list. */
function notCovered(items: LiveEvent[], cursor: string): LiveEvent[] {
  if (cursor.indexOf(',') < 0) return items.filter((e) => !cursorCovers(cursor, e.sid))
  const at = cursorPositions(cursor)
  return items.filter((e) => {
    const pos = at.get(partitionOfSid(e.sid))
    return pos === undefined || compareStreamIds(streamIdOf(e.sid), pos) > 0
  })
}

const sidsOf = function* (items: LiveEvent[]) {
  for (const e of items) yield e.sid
}

export class Subscriptions {
  private readonly bySocket = new Map<string, Subscription>()
  /** Per channel, the rooms by region: the fan-out looks rooms up by (channel, code) without building a key per event and level. */
  private readonly byChannel = new Map<string, Map<string, Room>>()
  /** Per channel, where the tail stands: the merged positions of every partition log dispatched. */
  private readonly lastDispatched = new Map<string, string>()

  constructor(private readonly regions: RegionIndex, private readonly broadcaster: Broadcaster = sendEach) {}

  /**
   * `cursor` moved past a batch. One partition: the batch's last sid, as before partitions (the hot
   * path of the fan-out, allocation-free); several: each partition's position moved by its own sids.
   */
  private advance(cursor: string | null | undefined, items: LiveEvent[]): string {
    const last = items[items.length - 1]!.sid
    if (!this.regions.partitioned) return last
    return advanceCursor(cursor ?? null, sidsOf(items))!
  }

  /** Start holding events for a socket before its snapshot is read. */
  open(outlet: Outlet, channel: string, region: string): Subscription {
    this.close(outlet.id)
    const sub: Subscription = { outlet, channel, region, cursor: null, outbox: [], heldFrom: this.lastDispatched.get(channel), live: false }
    this.bySocket.set(outlet.id, sub)
    let rooms = this.byChannel.get(channel)
    if (!rooms) this.byChannel.set(channel, (rooms = new Map()))
    let room = rooms.get(region)
    if (!room) rooms.set(region, (room = { channel, region, live: new Set(), behind: new Set(), pending: [], cursor: undefined }))
    room.behind.add(sub)
    return sub
  }

  /** The channel's tail starts (or restarts) after `cursor` (every partition): nothing up to it will be dispatched. */
  position(channel: string, cursor: string): void {
    this.lastDispatched.set(channel, cursor)
  }

  /**
   * Whether a snapshot read at `cursor` joins the held items without a hole: false when
   * it was read (or shared from a read begun) before items the socket did not hold were sent out.
   */
  covers(sub: Subscription, cursor: string): boolean {
    return sub.heldFrom === undefined || cursorCoversAll(cursor, sub.heldFrom)
  }

  /** The snapshot was read at `cursor`: drop held items it already contains. */
  ready(sub: Subscription, cursor: string): void {
    sub.cursor = cursor
    sub.outbox = notCovered(sub.outbox, cursor)
  }

  close(socketId: string): void {
    const sub = this.bySocket.get(socketId)
    if (!sub) return
    this.bySocket.delete(socketId)
    const rooms = this.byChannel.get(sub.channel)
    const room = rooms?.get(sub.region)
    if (!rooms || !room) return
    if (sub.live) this.broadcaster.leave(sub)
    sub.live = false
    room.live.delete(sub)
    room.behind.delete(sub)
    if (room.live.size + room.behind.size > 0) return
    rooms.delete(sub.region)
    if (rooms.size === 0) this.byChannel.delete(sub.channel)
  }

  /** Regions with at least one subscriber on a channel, and how many sockets watch each. */
  watchers(channel: string): Map<string, number> {
    const out = new Map<string, number>()
    for (const [region, room] of this.byChannel.get(channel) ?? []) out.set(region, room.live.size + room.behind.size)
    return out
  }

  /** Put new log entries in the batch of every room whose region contains them, and in the outbox of every socket behind. */
  dispatch(channel: string, events: LiveEvent[]): Set<string> {
    const touched = new Set<string>()
    if (events.length === 0) return touched
    const upTo = this.advance(this.lastDispatched.get(channel), events)
    this.lastDispatched.set(channel, upTo)
    const rooms = this.byChannel.get(channel)
    if (!rooms) return touched
    for (const e of events) {
      if (!e.region) continue
      for (const code of this.regions.chain(e.region)) {
        const room = rooms.get(code)
        if (!room) continue
        if (e.applied) touched.add(code)
        if (room.live.size > 0) {
          if (room.pending.length >= OUTBOX_CAP) this.dropRoom(room, upTo)
          else room.pending.push(e)
        }
        for (const sub of room.behind) {
          if (sub.outbox.length >= OUTBOX_CAP) this.drop(sub, upTo)
          else sub.outbox.push(e)
        }
      }
    }
    return touched
  }

  /** Too far behind: forget what is held; the socket gets a snapshot reaching past `upTo` instead. */
  private drop(sub: Subscription, upTo: string): void {
    sub.outbox = []
    sub.heldFrom = upTo
    if (sub.cursor === null) return // a snapshot is on its way; covers() makes it read again when it is too old
    sub.cursor = null
    sub.outlet.resync()
  }

  /** A room's batch past the cap: every live member falls behind and gets a fresh snapshot. */
  private dropRoom(room: Room, upTo: string): void {
    room.pending = []
    for (const sub of room.live) {
      this.demote(room, sub, [])
      this.drop(sub, upTo)
    }
  }

  /** A live member that cannot take the broadcast now keeps `items` in an outbox of its own. */
  private demote(room: Room, sub: Subscription, items: LiveEvent[]): void {
    room.live.delete(sub)
    room.behind.add(sub)
    sub.live = false
    this.broadcaster.leave(sub)
    sub.cursor = newestStreamId(sub.cursor, room.cursor ?? null)
    sub.outbox = items.slice()
  }

  /** Alerts go out at once to every subscription whose region contains them. */
  dispatchAlerts(channel: string, updates: AlertUpdate[]): void {
    const rooms = this.byChannel.get(channel)
    if (!rooms) return
    for (const u of updates) {
      const to: Subscription[] = []
      for (const code of this.regions.chain(u.alert.region)) {
        const room = rooms.get(code)
        if (!room) continue
        for (const sub of room.live) to.push(sub)
        for (const sub of room.behind) to.push(sub)
      }
      if (to.length > 0) this.broadcaster.alert(u, to)
    }
  }

  /** Every subscription of a channel. */
  ofChannel(channel: string): Subscription[] {
    return [...this.bySocket.values()].filter((s) => s.channel === channel)
  }

  /** Drop every subscription of a channel that is going away. */
  closeChannel(channel: string): Outlet[] {
    const gone = [...this.bySocket.values()].filter((s) => s.channel === channel)
    for (const s of gone) this.close(s.outlet.id)
    this.lastDispatched.delete(channel)
    return gone.map((s) => s.outlet)
  }

  /**
   * Every ≤100 ms: each room's batch goes out once to its live set; then each socket
   * behind is sent what it lacks and, once it holds everything dispatched, joins the live set.
   */
  flush(): void {
    for (const rooms of this.byChannel.values()) for (const room of rooms.values()) {
      if (room.pending.length > 0) {
        const items = room.pending
        room.pending = []
        for (const sub of room.live) if (sub.outlet.overloaded()) this.demote(room, sub, items)
        if (room.live.size > 0) {
          room.cursor = this.advance(room.cursor, items)
          this.broadcaster.send(room.channel, room.region, room.cursor, items, room.live)
        }
      }
      for (const sub of room.behind) this.catchUp(room, sub)
    }
    this.broadcaster.flushed?.()
  }

  private catchUp(room: Room, sub: Subscription): void {
    if (sub.cursor === null || sub.outlet.overloaded()) return
    if (sub.outbox.length > 0) {
      const items = notCovered(sub.outbox, sub.cursor)
      sub.outbox = []
      if (items.length > 0) {
        sub.cursor = this.advance(sub.cursor, items)
        sub.outlet.send(sub.cursor, items)
      }
    }
    // a snapshot newer than what the tail has handed over yet (in any partition) stays behind: the broadcast would repeat what it holds
    const dispatched = this.lastDispatched.get(sub.channel)
    if (dispatched === undefined || !cursorCoversAll(dispatched, sub.cursor)) return
    room.behind.delete(sub)
    room.live.add(sub)
    sub.live = true
    this.broadcaster.join(sub)
  }

  get size(): number {
    return this.bySocket.size
  }
}
