/**
 * Follows a channel's event log and alert stream with XREAD BLOCK on its own
 * connection and hands every new entry, in order, to the fan-out. Each server
 * instance runs one per channel; the streams are the only bus between instances.
 */
import type { Redis } from 'ioredis'
import type { AlertUpdate } from '../domain/alerts.ts'
import type { LiveEvent } from '../domain/protocol.ts'
import { isNews, toLiveEvent, type RawEntry } from '../store/log-entry.ts'
import { RecentIds } from './recent-ids.ts'

export interface TailerOptions {
  log: string
  alertLog: string
  onEvents: (events: LiveEvent[]) => void
  onAlerts: (updates: AlertUpdate[]) => void
  blockMs?: number
  count?: number
}

const toAlertUpdate = ([, f]: RawEntry): AlertUpdate => ({
  state: f[f.indexOf('k') + 1] as AlertUpdate['state'],
  alert: JSON.parse(f[f.indexOf('a') + 1]!),
})

export class LogTailer {
  private running = false
  private done: Promise<void> = Promise.resolve()
  // settles at stop(): a loop waiting on Redis lets go (with Redis down, ioredis may never settle a queued XREAD)
  private stopping!: () => void
  private readonly stopped = new Promise<null>((resolve) => (this.stopping = () => resolve(null)))
  private lastAlertId = '0-0'
  // two keys per event (its parked and its applied showing): 40,000 keys cover the last ~20,000 events
  private readonly shown = new RecentIds(40_000)
  lastId = '0-0'

  constructor(private readonly redis: Redis, private readonly o: TailerOptions) {}

  /** Start after the newest entries present now. */
  async start(): Promise<void> {
    const newest = async (key: string) => ((await this.redis.xrevrange(key, '+', '-', 'COUNT', 1)) as RawEntry[])[0]?.[0] ?? '0-0'
    this.lastId = await newest(this.o.log)
    this.lastAlertId = await newest(this.o.alertLog)
    this.running = true
    this.done = this.loop()
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const read = this.redis.xread(
          'COUNT', this.o.count ?? 1000, 'BLOCK', this.o.blockMs ?? 1000,
          'STREAMS', this.o.log, this.o.alertLog, this.lastId, this.lastAlertId,
        ) as Promise<[string, RawEntry[]][] | null>
        const res = await Promise.race([read, this.stopped])
        if (!this.running) break
        for (const [key, entries] of res ?? []) {
          if (entries.length === 0) continue
          const last = entries[entries.length - 1]![0]
          if (key === this.o.log) {
            this.lastId = last
            const events = entries.map((entry) => toLiveEvent(entry)).filter((e, i) => isNews(entries[i]!, e.id, (key) => this.shown.add(key)))
            if (events.length > 0) this.o.onEvents(events)
          } else {
            this.lastAlertId = last
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
    this.redis.disconnect()
    await this.done
  }
}
