/**
 * The channels this instance serves and their clocks: `live` on wall time,
 * and replay/simulation channels on a ReplayClock. Listeners learn of
 * channels added or removed (log tailers and scanners follow them).
 */
import { ReplayClock, wallClock, type Clock } from '../domain/clock.ts'
import { BadRequestError, UnknownChannelError } from '../domain/errors.ts'
import type { ClockState } from '../domain/protocol.ts'

export interface Channel { id: string; clock: Clock }
type Listener = (channel: Channel) => void | Promise<void>

export const CHANNEL_ID = /^(live|(replay|sim)-[a-z0-9-]{1,40})$/

export class Channels {
  private readonly byId = new Map<string, Channel>()
  private readonly added: Listener[] = []
  private readonly removed: Listener[] = []
  private readonly clockChanged: Listener[] = []
  private readonly resetDone: Listener[] = []
  private readonly seeking: Listener[] = []

  constructor(readonly zone: string) {
    this.byId.set('live', { id: 'live', clock: wallClock(zone) })
  }

  get(id: string | undefined): Channel {
    const c = this.byId.get(id || 'live')
    if (!c) throw new UnknownChannelError(id!)
    return c
  }

  ids(): string[] {
    return [...this.byId.keys()]
  }

  has(id: string): boolean {
    return this.byId.has(id)
  }

  /** Add a replay/simulation channel whose clock starts at `start` and runs at `speed`. */
  async createReplay(id: string, start: number, speed: number): Promise<Channel> {
    if (!CHANNEL_ID.test(id) || id === 'live') throw new BadRequestError(`channel id "${id}" must look like replay-<name> or sim-<name>`)
    if (this.byId.has(id)) throw new BadRequestError(`channel "${id}" exists already`)
    const channel = { id, clock: new ReplayClock(start, speed, this.zone) }
    this.byId.set(id, channel)
    for (const l of this.added) await l(channel)
    return channel
  }

  /**
   * Set a replay channel's clock to a state decided elsewhere (the channel's
   * meta in Redis, shared by every instance); listeners are not told here.
   */
  setReplayClock(id: string, state: { now: number; speed: number; paused: boolean }): void {
    const clock = this.get(id).clock
    if (!(clock instanceof ReplayClock)) throw new BadRequestError(`channel "${id}" runs on wall time`)
    clock.setPaused(state.paused)
    clock.setSpeed(state.speed)
    clock.seek(state.now)
  }

  async remove(id: string): Promise<void> {
    const channel = this.get(id)
    if (id === 'live') throw new BadRequestError('the live channel cannot be removed')
    this.byId.delete(id)
    for (const l of this.removed) await l(channel)
  }

  onAdded(l: Listener): void {
    this.added.push(l)
  }

  onRemoved(l: Listener): void {
    this.removed.push(l)
  }

  /** Screens learn of a paused, resumed or re-speeded clock (`clock` push). */
  onClockChanged(l: Listener): void {
    this.clockChanged.push(l)
  }

  /** Screens must drop what they show and take a fresh snapshot (`reset` push), e.g. after a seek. */
  onReset(l: Listener): void {
    this.resetDone.push(l)
  }

  /**
   * A seek began: the channel's state is being dropped and rebuilt up to the
   * target, and its log refills with the replayed past. Fan-out may pause until `reset`.
   */
  onSeeking(l: Listener): void {
    this.seeking.push(l)
  }

  async notifySeeking(id: string): Promise<void> {
    const c = this.get(id)
    for (const l of this.seeking) await l(c)
  }

  async notifyClockChanged(id: string): Promise<void> {
    const c = this.get(id)
    for (const l of this.clockChanged) await l(c)
  }

  async notifyReset(id: string): Promise<void> {
    const c = this.get(id)
    for (const l of this.resetDone) await l(c)
  }

  clockState(c: Channel): ClockState {
    return { now: c.clock.now(), speed: c.clock.speed, paused: c.clock.paused, zone: c.clock.zone }
  }
}
