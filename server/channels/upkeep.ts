/**
 * The timed upkeep of every channel, in channel time: refuses the events still
 * parked after the park window (PARK_WINDOW_HOURS, DESIGN §5) and expires the
 * subjects ended more than CLOSED_TTL_DAYS ago (DESIGN §8). Both scripts take
 * each item out atomically, so every instance may run this. Under a lease,
 * one instance archives and trims the log and deletes the per-day counters
 * older than DAY_COUNTERS_DAYS. With PARTITION_LEVEL (DESIGN §11) each
 * partition has its parked index, ended subjects and day counters: every
 * partition is swept, each Lua call touching one, the partitions together;
 * and the steps held for want of a partition (server/ingest/held-steps.ts)
 * are applied once their subject's partition is known, or refused after the
 * park window.
 */
import { logger } from '../ops/logger.ts'
import { randomUUID } from 'node:crypto'
import { expireClosed } from '../store/closed-expiry.ts'
import { dayCounterPartitions, expireDayCounters, type PartitionRegions } from '../store/day-counter-expiry.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { keys } from '../store/keys.ts'
import { archiveAndTrim } from './log-archive.ts'
import { sweepParked } from '../store/parked-events.ts'
import { sweepHeld } from '../ingest/held-steps.ts'
import type { Store } from '../store/redis-client.ts'
import type { Channel, Channels } from './channels.ts'

export interface ChannelSweeperOptions {
  windowMs: number; everyMs: number; logMaxLen: number; closedTtlMs: number
  /** The partitions of every channel's keys (RegionIndex.partitions); absent: one, the root partition. */
  partitions?: readonly string[]
  /** SEEN_TTL of apply.lua, for the held steps applied here (only with partitions: none are held without). */
  seenTtlSec?: number
  /** Log archive and retention; absent: the log is only capped by LOG_MAXLEN. */
  archive?: { dir: string; retentionDays: number }
  /** Per-day counter retention; absent: day counters are kept forever. */
  dayCounters?: { keepDays: number; regions: RegionIndex }
}

export class ChannelSweeper {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private readonly me = randomUUID()
  private regionCodes: string[] | undefined
  private dayCounterParts: PartitionRegions[] | undefined

  constructor(private readonly store: Store, channels: Channels, private readonly o: ChannelSweeperOptions) {
    for (const id of channels.ids()) this.follow(channels.get(id))
    channels.onAdded((ch) => this.follow(ch))
    channels.onRemoved((ch) => this.unfollow(ch.id))
  }

  /** Refuse the parked events and expire the ended subjects that are due on one channel now. */
  async sweep(ch: Channel): Promise<{ refused: number; expired: number; counterDays: number; heldApplied: number }> {
    const out = { refused: 0, expired: 0, counterDays: 0, heldApplied: 0 }
    const partitions = this.o.partitions ?? ['']
    // held steps first: applied in their partition now, one may be parked there (and swept below when due)
    if (partitions.length > 1) {
      const held = await sweepHeld(this.store, {
        channel: ch.id, zone: ch.clock.zone, logMaxLen: this.o.logMaxLen, seenTtlSec: this.o.seenTtlSec ?? Math.round(this.o.closedTtlMs / 1000),
        now: ch.clock.now(), parkedAt: ch.clock.now(), windowMs: this.o.windowMs,
      })
      out.heldApplied = held.applied
      out.refused += held.refused
    }
    // each partition's own loops, the partitions in flight together
    const counts = await Promise.all(partitions.map(async (partition) => {
      let refused = 0
      let expired = 0
      for (let n = 500; n === 500;) {
        n = await sweepParked(this.store, { channel: ch.id, partition, now: ch.clock.now(), windowMs: this.o.windowMs, logMaxLen: this.o.logMaxLen })
        refused += n
      }
      for (let n = 500; n === 500;) {
        n = await expireClosed(this.store, { channel: ch.id, partition, now: ch.clock.now(), ttlMs: this.o.closedTtlMs })
        expired += n
      }
      return { refused, expired }
    }))
    for (const c of counts) {
      out.refused += c.refused
      out.expired += c.expired
    }
    const a = this.o.archive
    const c = this.o.dayCounters
    // one instance archives a channel at a time: two would write its days twice
    if ((a || c) && (await this.store.set(keys(ch.id).archiveLease, this.me, 'PX', Math.max(60_000, 5 * this.o.everyMs), 'NX')) === 'OK') {
      try {
        if (a) await archiveAndTrim(this.store, { channel: ch.id, dir: a.dir, zone: ch.clock.zone, now: ch.clock.now(), retentionDays: a.retentionDays, partitions: this.o.partitions })
        if (c) out.counterDays = await this.expireDayCounters(ch, c)
      } finally {
        await this.store.del(keys(ch.id).archiveLease)
      }
    }
    return out
  }

  /** A bounded run of the day-counter retention (a few days' keys per run), logged when it deleted something. */
  private async expireDayCounters(ch: Channel, c: NonNullable<ChannelSweeperOptions['dayCounters']>): Promise<number> {
    if (!this.regionCodes) this.regionCodes = c.regions.collection.features.map((f) => f.properties.code)
    if (!this.dayCounterParts && c.regions.partitioned) this.dayCounterParts = dayCounterPartitions(c.regions)
    const r = await expireDayCounters(this.store, {
      channel: ch.id, regions: this.regionCodes, ...(this.dayCounterParts ? { partitions: this.dayCounterParts } : {}), root: c.regions.root.code, zone: ch.clock.zone, now: ch.clock.now(), keepDays: c.keepDays,
    })
    if (r.days.length > 0) {
      logger.info({ channel: ch.id, days: `${r.days[0]}–${r.days.at(-1)}`, keys: r.keys, keptFrom: r.from }, 'day counters past DAY_COUNTERS_DAYS deleted')
    }
    return r.days.length
  }

  stop(): void {
    for (const id of [...this.timers.keys()]) this.unfollow(id)
  }

  private follow(ch: Channel): void {
    const timer = setInterval(() => {
      if (this.store.status !== 'ready') return
      this.sweep(ch).catch((err: Error) => logger.warn({ channel: ch.id, err: err.message }, 'channel sweep failed; next time again'))
    }, this.o.everyMs)
    timer.unref()
    this.timers.set(ch.id, timer)
  }

  private unfollow(id: string): void {
    clearInterval(this.timers.get(id))
    this.timers.delete(id)
  }
}
