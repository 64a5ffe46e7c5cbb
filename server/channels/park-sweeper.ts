/**
 * Refuses, on a timer, the events of every channel that are still parked
 * after the park window (PARK_WINDOW_HOURS of channel time, DESIGN §5).
 * park-sweep.lua takes each event out atomically, so every instance may run
 * this: an event is refused once.
 */
import { logger } from '../ops/logger.ts'
import { sweepParked } from '../store/parked-events.ts'
import type { Store } from '../store/redis-client.ts'
import type { Channel, Channels } from './channels.ts'

export interface ParkSweeperOptions { windowMs: number; everyMs: number; logMaxLen: number }

export class ParkSweeper {
  private readonly timers = new Map<string, NodeJS.Timeout>()

  constructor(private readonly store: Store, channels: Channels, private readonly o: ParkSweeperOptions) {
    for (const id of channels.ids()) this.follow(channels.get(id))
    channels.onAdded((ch) => this.follow(ch))
    channels.onRemoved((ch) => this.unfollow(ch.id))
  }

  /** Refuse what is due on one channel now; returns how many were refused. */
  async sweep(ch: Channel): Promise<number> {
    let total = 0
    for (;;) {
      const n = await sweepParked(this.store, { channel: ch.id, now: ch.clock.now(), windowMs: this.o.windowMs, logMaxLen: this.o.logMaxLen })
      total += n
      if (n < 500) return total
    }
  }

  stop(): void {
    for (const id of [...this.timers.keys()]) this.unfollow(id)
  }

  private follow(ch: Channel): void {
    const timer = setInterval(() => {
      if (this.store.status !== 'ready') return
      this.sweep(ch).catch((err: Error) => logger.warn({ channel: ch.id, err: err.message }, 'park sweep failed; next time again'))
    }, this.o.everyMs)
    timer.unref()
    this.timers.set(ch.id, timer)
  }

  private unfollow(id: string): void {
    clearInterval(this.timers.get(id))
    this.timers.delete(id)
  }
}
