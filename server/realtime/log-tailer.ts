/**
 * Follows a channel's event logs and alert stream with XREAD BLOCK and hands
 * every new entry, in each log's order, to the fan-out. Each server instance
 * runs one per channel; the streams are the only bus between instances.
 *
 * A channel split into partitions (DESIGN §11) has one log per partition, each
 * in a Cluster slot of its own, and one XREAD may name keys of one slot only:
 * so one loop per partition, each blocking on a connection of its own (a
 * blocked connection serves nobody else). The root partition's loop reads the
 * channel-wide alert stream with its log, in the same XREAD (same slot). With
 * one partition that is one loop on one connection, as before partitions.
 */
import type { Redis } from 'ioredis'
import type { AlertUpdate } from '../domain/alerts.ts'
import type { LiveEvent } from '../domain/protocol.ts'
import { cursorOf } from '../domain/stream-id.ts'
import { isNews, toLiveEvent, type RawEntry } from '../store/log-entry.ts'
import { RecentIds } from './recent-ids.ts'

export interface TailerOptions {
  /** Each partition's log key ('' the root partition, whose loop also reads the alert stream). */
  logs: ReadonlyArray<readonly [partition: string, key: string]>
  alertLog: string
  /** Called with one log's new entries at a time, in that log's order; their sids name the partition. */
  onEvents: (events: LiveEvent[]) => void
  onAlerts: (updates: AlertUpdate[]) => void
  blockMs?: number
  count?: number
}

/** One partition's log as a loop follows it. */
interface Follow {
  partition: string
  key: string
  redis: Redis
  lastId: string
  /** The alert stream's position, on the loop that reads it (the root partition's). */
  alertId: string | undefined
}

const toAlertUpdate = ([, f]: RawEntry): AlertUpdate => ({
  state: f[f.indexOf('k') + 1] as AlertUpdate['state'],
  alert: JSON.parse(f[f.indexOf('a') + 1]!),
})

export class LogTailer {
  private running = false
  private done: Promise<unknown> = Promise.resolve()
  // settles at stop(): a loop waiting on Redis lets go (with Redis down, ioredis may never settle a queued XREAD)
  private stopping!: () => void
  private readonly stopped = new Promise<null>((resolve) => (this.stopping = () => resolve(null)))
  // two keys per event (its parked and its applied showing): 40,000 keys cover the last ~20,000 events
  private readonly shown = new RecentIds(40_000)
  private readonly follows: Follow[]

  /** `connect` gives a blocking connection: one per partition log, disconnected at stop(). */
  constructor(connect: () => Redis, private readonly o: TailerOptions) {
    const withAlerts = o.logs.find(([p]) => p === '') ?? o.logs[0]
    this.follows = o.logs.map(([partition, key]) => ({
      partition,
      key,
      redis: connect(), lastId: '0-0', alertId: partition === withAlerts?.[0] ? '0-0' : undefined,
    }))
  }

  /** Where the tail stands: one position per partition log (a plain stream id with one partition). */
  get lastId(): string {
    return cursorOf(this.follows.map((f) => [f.partition, f.lastId]))
  }

  /** Blocking connections held: one per partition log. */
  get connections(): number {
    return this.follows.length
  }

  /** Start after the newest entries present now. */
  async start(): Promise<void> {
    const newest = async (redis: Redis, key: string) => ((await redis.xrevrange(key, '+', '-', 'COUNT', 1)) as RawEntry[])[0]?.[0] ?? '0-0'
    await Promise.all(this.follows.map(async (f) => {
      f.lastId = await newest(f.redis, f.key)
      if (f.alertId !== undefined) f.alertId = await newest(f.redis, this.o.alertLog)
    }))
    this.running = true
    this.done = Promise.all(this.follows.map((f) => this.loop(f)))
  }

  private async loop(f: Follow): Promise<void> {
    const count = this.o.count ?? 1000
    const blockMs = this.o.blockMs ?? 1000
    while (this.running) {
      try {
        const read = (f.alertId === undefined
          ? f.redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', f.key, f.lastId)
          : f.redis.xread('COUNT', count, 'BLOCK', blockMs, 'STREAMS', f.key, this.o.alertLog, f.lastId, f.alertId)) as Promise<[string, RawEntry[]][] | null>
        const res = await Promise.race([read, this.stopped])
        if (!this.running) break
        for (const [key, entries] of res ?? []) {
          if (entries.length === 0) continue
          const last = entries[entries.length - 1]![0]
          if (key === f.key) {
            f.lastId = last
            const events = entries.map((entry) => toLiveEvent(entry, f.partition)).filter((e, i) => isNews(entries[i]!, e.id, (key) => this.shown.add(key)))
            if (events.length > 0) this.o.onEvents(events)
          } else {
            f.alertId = last
            this.o.onAlerts(entries.map(toAlertUpdate))
          }
        }
      } catch {
        if (!this.running) break
        await Promise.race([new Promise((r) => setTimeout(r, 500)), this.stopped]) // Redis away: retry from the last ids, nothing skipped
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false
    this.stopping()
    for (const f of this.follows) f.redis.disconnect()
    await this.done
  }
}
