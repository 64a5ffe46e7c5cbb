/**
 * Feeds one replay channel from its stored source, on the instance holding
 * the channel's driver lease: each source event whose channel time has come
 * goes through the normal ingest path, in source order, in batches; between
 * events it sleeps until the next one is due (capped, and woken early by a
 * clock change). Seeks are done here too, so they never race the feeding.
 */
import { systemTime } from '../domain/clock.ts'
import { ingest, type IngestResult } from '../ingest/ingest.ts'
import type { DriverDeps } from './driver-deps.ts'
import { rebuildTo } from './driver-seek.ts'
import { metaNow, parseMeta, readMeta, wallDelay, type ReplayMeta } from './drill-meta.ts'
import { readSource, toRawItems, type SourceEntry } from './source-store.ts'
import { keys } from '../store/keys.ts'

export type { DriverDeps }

const FEED_BATCH = 1_000
const READ_AHEAD = 1_000
const MAX_SLEEP_MS = 1_000
const RETRY_MS = 500

export class ReplayDriver {
  private running = true
  private poked = false
  private wake: (() => void) | undefined
  private readonly done: Promise<void>
  private fed: string | null = null // last source id fed, as this driver knows it
  private ahead: SourceEntry[] = [] // source entries after `fed`, read ahead
  private pos = 0
  private atEnd = false
  private unsaved: { fed: string; count: number } | null = null // fed but not yet written to meta
  private rejected = 0
  private lastError = ''

  constructor(readonly id: string, private readonly d: DriverDeps) {
    this.done = this.loop()
  }

  /** Something changed (clock, seek): look again now instead of after the current sleep. */
  poke(): void {
    this.poked = true
    this.wake?.()
  }

  async stop(): Promise<void> {
    this.running = false
    this.poke()
    await this.done
    await this.readMeta().catch(() => {}) // writes what was fed
  }

  private async loop(): Promise<void> {
    while (this.running) {
      this.poked = false
      let sleep: number
      try {
        sleep = await this.step()
        this.lastError = ''
      } catch (err) {
        const message = (err as Error).message
        if (message !== this.lastError) console.error(`replay ${this.id}: ${message}; retrying`)
        this.lastError = message
        sleep = RETRY_MS
      }
      if (sleep > 0 && this.running && !this.poked) await this.nap(sleep)
    }
  }

  /** One turn: rebuild after a seek, or feed what is due; returns how long to sleep (ms). */
  private async step(): Promise<number> {
    const meta = await this.readMeta()
    if (!meta) return RETRY_MS // being deleted: the runtime stops this driver
    if (meta.seeking) {
      await rebuildTo(meta, { ...this.d, isRunning: () => this.running })
      return 0
    }
    if (this.fed !== meta.fed) this.restartFrom(meta.fed)
    if (this.pos === this.ahead.length && !this.atEnd) {
      this.ahead = await readSource(this.d.store, this.id, this.fed!, '+', READ_AHEAD)
      this.pos = 0
      this.atEnd = this.ahead.length < READ_AHEAD // the source never grows
    }
    const now = metaNow(meta, systemTime())
    let n = this.pos
    while (n < this.ahead.length && n - this.pos < FEED_BATCH && this.ahead[n]!.at <= now) n++
    if (n > this.pos) {
      await this.feed(this.ahead.slice(this.pos, n))
      this.pos = n
      return 0
    }
    const next = this.ahead[this.pos]
    return next ? Math.min(MAX_SLEEP_MS, Math.ceil(wallDelay(meta, next.at, systemTime()))) : MAX_SLEEP_MS
  }

  private restartFrom(fed: string): void {
    this.fed = fed
    this.ahead = []
    this.pos = 0
    this.atEnd = false
  }

  private async feed(entries: SourceEntry[]): Promise<void> {
    const result = await ingest(toRawItems(entries), this.d.ingest, { ...this.d.apply, channel: this.id })
    this.noteRejected(result)
    this.fed = entries[entries.length - 1]!.sid
    this.unsaved = { fed: this.fed, count: (this.unsaved?.count ?? 0) + entries.length }
  }

  /**
   * The channel's meta, in the round trip that records how far the source was
   * fed (a driver that dies before refeeds at most one batch: duplicates, ignored).
   */
  private async readMeta(): Promise<ReplayMeta | null> {
    const key = keys(this.id).meta
    const unsaved = this.unsaved
    if (!unsaved) return readMeta(this.d.store, this.id)
    const replies = await this.d.store.multi().hset(key, 'fed', unsaved.fed).hincrby(key, 'fedCount', unsaved.count).hgetall(key).exec()
    const [err, h] = replies?.[2] ?? [new Error('transaction aborted'), null]
    if (err) throw err
    this.unsaved = null
    return parseMeta(this.id, h as Record<string, string>)
  }

  private noteRejected(r: IngestResult): void {
    if (r.rejected.length === 0) return
    if (this.rejected === 0) console.warn(`replay ${this.id}: source event refused by ingest (${r.rejected[0]!.id}: ${r.rejected[0]!.error}); further refusals are counted only`)
    this.rejected += r.rejected.length
  }

  private nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wake = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.wake = done
    })
  }
}
