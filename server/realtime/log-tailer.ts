/**
 * Follows a channel's log with XREAD BLOCK on its own connection and hands
 * every new entry, in order, to the fan-out. Each server instance runs one
 * per channel; the log is the only bus between instances.
 */
import type { Redis } from 'ioredis'
import type { LiveEvent } from '../domain/protocol.ts'
import { toLiveEvent, type RawEntry } from '../store/log-entry.ts'

export interface TailerOptions { log: string; onEvents: (events: LiveEvent[]) => void; blockMs?: number; count?: number }

export class LogTailer {
  private running = false
  private done: Promise<void> = Promise.resolve()
  lastId = '0-0'

  constructor(private readonly redis: Redis, private readonly o: TailerOptions) {}

  /** Start after the newest entry present now. */
  async start(): Promise<void> {
    const last = (await this.redis.xrevrange(this.o.log, '+', '-', 'COUNT', 1)) as RawEntry[]
    this.lastId = last[0]?.[0] ?? '0-0'
    this.running = true
    this.done = this.loop()
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        const res = (await this.redis.xread(
          'COUNT', this.o.count ?? 1000, 'BLOCK', this.o.blockMs ?? 1000, 'STREAMS', this.o.log, this.lastId,
        )) as [string, RawEntry[]][] | null
        const entries = res?.[0]?.[1] ?? []
        if (entries.length === 0) continue
        this.lastId = entries[entries.length - 1]![0]
        this.o.onEvents(entries.map(toLiveEvent))
      } catch {
        if (!this.running) break
        await new Promise((r) => setTimeout(r, 500)) // Redis away: retry from lastId, nothing skipped
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false
    this.redis.disconnect()
    await this.done
  }
}
