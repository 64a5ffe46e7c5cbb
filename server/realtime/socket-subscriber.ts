/**
 * One socket's subscription, one at a time (DESIGN §7): a socket has at most
 * one snapshot read in flight; a newer subscribe supersedes an older one, which
 * is answered SUPERSEDED and, if its read has not started, never reads. A
 * server-side resync (outbox overflow, replay seek) is the same flow without
 * an ack, and never supersedes a client's own subscribe.
 */
import type { Snapshot } from '../domain/protocol.ts'
import type { QueueOptions } from '../store/snapshot-queue.ts'
import { SupersededError } from './realtime-errors.ts'
import type { Outlet, Subscription, Subscriptions } from './subscriptions.ts'

export interface SubscriberDeps {
  subs: Subscriptions
  snapshot: (region: string, since: string | undefined, o: QueueOptions) => Promise<Snapshot>
  join: (region: string) => void
  leave: (region: string) => void
  reset: (snap: Snapshot) => void
  /** Wait for a turn to deliver: answers to many sockets go out a few per event-loop turn. */
  pace: () => Promise<void>
  /** Give up on the socket: the client reconnects and resumes with `since`. */
  disconnect: () => void
}

/** Reads that may be needed to reach past what was sent before items were held (a shared read can be too old). */
const MAX_REREADS = 2

export class SocketSubscriber {
  private gen = 0
  private waiting: AbortController | undefined // the newest request's, until its read has started
  private tail: Promise<void> = Promise.resolve()
  private inFlight = 0 // client subscribes not yet answered
  private current: Subscription | undefined
  private room: string | undefined
  private stale = false // a resync came while a subscribe was in flight: its read may be from before it
  private closed = false

  constructor(private readonly outlet: Outlet, private readonly channel: string, private readonly d: SubscriberDeps) {}

  /** Subscribe the socket to `region`; rejects with SupersededError when a newer subscribe came first. */
  async subscribe(region: string, since?: string): Promise<Snapshot> {
    this.inFlight++
    try {
      return await this.run(region, since)
    } finally {
      this.inFlight--
    }
  }

  /** A fresh snapshot of the current region, sent as `reset`. */
  resync(): void {
    if (!this.current || this.closed) return
    if (this.inFlight > 0) {
      this.stale = true // the subscribe in flight reads again before it answers
      return
    }
    this.run(this.current.region, undefined).then(
      (snap) => this.d.reset(snap),
      (err: unknown) => { if (!(err instanceof SupersededError)) this.d.disconnect() }, // cannot rebuild: the client resubscribes
    )
  }

  close(): void {
    this.closed = true
    this.waiting?.abort(new SupersededError())
    this.d.subs.close(this.outlet.id)
  }

  private async run(region: string, since: string | undefined): Promise<Snapshot> {
    const gen = ++this.gen
    this.waiting?.abort(new SupersededError()) // the older one, if still waiting, never reads
    const ctl = new AbortController()
    this.waiting = ctl
    const previous = this.tail
    let finished!: () => void
    this.tail = new Promise<void>((resolve) => (finished = resolve))
    const superseded = () => gen !== this.gen || this.closed
    try {
      await previous // one read per socket at a time
      if (superseded()) throw new SupersededError()
      if (this.room !== undefined && this.room !== region) this.d.leave(this.room)
      this.room = undefined
      const sub = this.d.subs.open(this.outlet, this.channel, region)
      this.current = sub
      this.stale = false
      let snap = await this.d.snapshot(region, since, { signal: ctl.signal, joinRunning: true })
      for (let reread = 0; reread < MAX_REREADS && (this.stale || !this.d.subs.covers(sub, snap.cursor)); reread++) {
        if (superseded()) throw new SupersededError()
        this.stale = false
        snap = await this.d.snapshot(region, since, { signal: ctl.signal, joinRunning: false })
      }
      await this.d.pace()
      if (superseded()) throw new SupersededError()
      this.d.subs.ready(sub, snap.cursor)
      this.d.join(region) // KPI pushes only after the snapshot, never overwritten by it
      this.room = region
      return snap
    } catch (err) {
      if (!superseded() && !(err instanceof SupersededError)) {
        this.d.subs.close(this.outlet.id)
        this.current = undefined
      }
      throw err
    } finally {
      if (this.waiting === ctl) this.waiting = undefined
      finished()
    }
  }
}
