/**
 * The SLA scanner of one channel: overdue is detected when a deadline passes
 * on the channel clock — no event needed. It sleeps until the earliest open
 * deadline (scaled by the clock's speed), raises each overdue alert once
 * (deduplicated in Redis, so any number of instances may scan), and resolves
 * overdue alerts whose subject closed or got a later deadline.
 */
import { overdueAlert } from '../domain/alerts.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel } from '../channels/channels.ts'
import { activeAlerts, endAlert, raiseAlert } from '../store/alert-store.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'
import { placeName } from './region-place.ts'

const FEEDS = ['case', 'hotline'] as const
const MAX_SLEEP_MS = 1000 // new subjects with earlier deadlines and speed changes are noticed within this
const RESOLVE_EVERY_MS = 2000
const BATCH = 1000

export interface ScannerDeps { store: Store; channel: Channel; regions: RegionIndex; categories: Categories }

export class OverdueScanner {
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private lastResolve = 0
  private readonly k: ReturnType<typeof keys>

  constructor(private readonly d: ScannerDeps) {
    this.k = keys(d.channel.id)
  }

  start(): void {
    this.schedule(0)
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private schedule(ms: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => void this.tick(), ms)
  }

  private async tick(): Promise<void> {
    let sleep = MAX_SLEEP_MS
    try {
      if (this.d.store.status === 'ready') {
        const clock = this.d.channel.clock
        const now = clock.now()
        const more = await this.raiseDue(now)
        if (Date.now() - this.lastResolve > RESOLVE_EVERY_MS) {
          this.lastResolve = Date.now()
          await this.resolveEnded()
        }
        const next = await this.nextDeadline(now)
        sleep = more ? 0 : Math.min(MAX_SLEEP_MS, next === null ? Infinity : clock.wallDelayUntil(next) + 1)
      }
    } catch {
      // Redis away: try again after a while; nothing is lost, the watermark did not move
    }
    this.schedule(sleep)
  }

  /** Raise alerts for deadlines in [watermark, now); true when a batch was full. */
  private async raiseDue(now: number): Promise<boolean> {
    const { store, regions } = this.d
    const root = regions.root.code
    const from = (await store.hget(this.k.meta, 'overdueScannedTo')) ?? '-inf'
    let full = false
    let reached = now
    for (const feed of FEEDS) {
      const due = await store.zrangebyscore(this.k.open(feed, root), from, `(${now}`, 'WITHSCORES', 'LIMIT', 0, BATCH)
      if (due.length === BATCH * 2) {
        full = true
        reached = Math.min(reached, Number(due[due.length - 1]))
      }
      for (let i = 0; i < due.length; i += 2) await this.raiseOne(feed, due[i]!, Number(due[i + 1]))
    }
    await store.hset(this.k.meta, 'overdueScannedTo', String(reached))
    return full
  }

  private async raiseOne(feed: 'case' | 'hotline', subject: string, deadline: number): Promise<void> {
    const { store, regions, categories, channel } = this.d
    const [chain, category] = await store.hmget(this.k.subject(feed, subject), 'chain', 'category')
    const region = chain?.split(',')[0] ?? regions.root.code
    const alert = overdueAlert({
      feed, subject, deadline, region, place: placeName(regions, region), zone: channel.clock.zone,
      ...(category ? { category, categoryName: categories.name(category) } : {}),
    })
    await raiseAlert(store, channel.id, alert)
  }

  /** Overdue alerts end when their subject left the open set or its deadline moved. */
  private async resolveEnded(): Promise<void> {
    const { store, regions, channel } = this.d
    const root = regions.root.code
    for (const a of await activeAlerts(store, channel.id)) {
      if (a.type !== 'overdue' || !a.subject || (a.feed !== 'case' && a.feed !== 'hotline')) continue
      const score = await store.zscore(this.k.open(a.feed, root), a.subject)
      if (score === null || Number(score) !== a.at) await endAlert(store, channel.id, a.id, 'resolved')
    }
  }

  private async nextDeadline(now: number): Promise<number | null> {
    const root = this.d.regions.root.code
    let next: number | null = null
    for (const feed of FEEDS) {
      const [, score] = await this.d.store.zrangebyscore(this.k.open(feed, root), now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
      if (score !== undefined && (next === null || Number(score) < next)) next = Number(score)
    }
    return next
  }
}
