/**
 * Who watches what: each socket's subscription (channel, region, cursor) and
 * the per-subscription outbox flushed every 100 ms. An item is sent only if it
 * is newer than what the socket already has, so snapshot and live stream
 * never overlap or leave a hole. An outbox is capped: past it the items are
 * dropped and the socket gets a fresh snapshot instead.
 */
import type { AlertUpdate } from '../domain/alerts.ts'
import type { LiveEvent } from '../domain/protocol.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { compareStreamIds as compareSid } from '../domain/stream-id.ts'

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
  cursor: string | null // null while the snapshot is being read: items are held
  outbox: LiveEvent[]
  /** The newest entry dispatched before items were held (or last dropped): a snapshot must reach at least this far. */
  heldFrom: string | undefined
}

export const OUTBOX_CAP = 2_000

export class Subscriptions {
  private readonly bySocket = new Map<string, Subscription>()
  private readonly byRoom = new Map<string, Set<Subscription>>()
  private readonly lastDispatched = new Map<string, string>()

  constructor(private readonly regions: RegionIndex) {}

  /** Start holding events for a socket before its snapshot is read. */
  open(outlet: Outlet, channel: string, region: string): Subscription {
    this.close(outlet.id)
    const sub: Subscription = { outlet, channel, region, cursor: null, outbox: [], heldFrom: this.lastDispatched.get(channel) }
    this.bySocket.set(outlet.id, sub)
    const room = `${channel}|${region}`
    if (!this.byRoom.has(room)) this.byRoom.set(room, new Set())
    this.byRoom.get(room)!.add(sub)
    return sub
  }

  /**
   * Whether a snapshot read at `cursor` joins the held items without a hole: false when
   * it was read (or shared from a read begun) before items the socket did not hold were sent out.
   */
  covers(sub: Subscription, cursor: string): boolean {
    return sub.heldFrom === undefined || compareSid(sub.heldFrom, cursor) <= 0
  }

  /** The snapshot was read at `cursor`: drop held items it already contains. */
  ready(sub: Subscription, cursor: string): void {
    sub.cursor = cursor
    sub.outbox = sub.outbox.filter((e) => compareSid(e.sid, cursor) > 0)
  }

  close(socketId: string): void {
    const sub = this.bySocket.get(socketId)
    if (!sub) return
    this.bySocket.delete(socketId)
    const room = `${sub.channel}|${sub.region}`
    this.byRoom.get(room)?.delete(sub)
    if (this.byRoom.get(room)?.size === 0) this.byRoom.delete(room)
  }

  /** Regions with at least one subscriber on a channel. */
  watched(channel: string): string[] {
    return [...this.byRoom.keys()].filter((r) => r.startsWith(`${channel}|`)).map((r) => r.slice(channel.length + 1))
  }

  /** Put new log entries in the outbox of every subscription whose region contains them. */
  dispatch(channel: string, events: LiveEvent[]): Set<string> {
    const touched = new Set<string>()
    const last = events[events.length - 1]
    if (last) this.lastDispatched.set(channel, last.sid)
    for (const e of events) {
      if (!e.region) continue
      for (const code of this.regions.chain(e.region)) {
        const room = this.byRoom.get(`${channel}|${code}`)
        if (!room) continue
        if (e.applied) touched.add(code)
        for (const sub of room) {
          if (sub.outbox.length >= OUTBOX_CAP) this.drop(sub, last!.sid)
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

  /** Alerts go out at once to every subscription whose region contains them. */
  dispatchAlerts(channel: string, updates: AlertUpdate[]): void {
    for (const u of updates) {
      for (const code of this.regions.chain(u.alert.region)) {
        for (const sub of this.byRoom.get(`${channel}|${code}`) ?? []) sub.outlet.alert(u)
      }
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

  /** Send every ready outbox as one batch (called every ≤100 ms). */
  flush(): void {
    for (const sub of this.bySocket.values()) {
      if (sub.cursor === null || sub.outbox.length === 0 || sub.outlet.overloaded()) continue
      const items = sub.outbox.filter((e) => compareSid(e.sid, sub.cursor!) > 0)
      sub.outbox = []
      if (items.length === 0) continue
      sub.cursor = items[items.length - 1]!.sid
      sub.outlet.send(sub.cursor, items)
    }
  }

  get size(): number {
    return this.bySocket.size
  }
}
