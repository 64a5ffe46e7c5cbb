/**
 * The channels this instance serves and their clocks. Only `live` exists for
 * now (wall time); replay channels plug in here with their own clock.
 */
import { wallClock, type Clock } from '../domain/clock.ts'
import { UnknownChannelError } from '../domain/errors.ts'
import type { ClockState } from '../domain/protocol.ts'

export interface Channel { id: string; clock: Clock; speed: number; paused: boolean }

export class Channels {
  private readonly byId = new Map<string, Channel>()

  constructor(zone: string) {
    this.byId.set('live', { id: 'live', clock: wallClock(zone), speed: 1, paused: false })
  }

  get(id: string | undefined): Channel {
    const c = this.byId.get(id || 'live')
    if (!c) throw new UnknownChannelError(id!)
    return c
  }

  ids(): string[] {
    return [...this.byId.keys()]
  }

  clockState(c: Channel): ClockState {
    return { now: c.clock.now(), speed: c.speed, paused: c.paused, zone: c.clock.zone }
  }
}
