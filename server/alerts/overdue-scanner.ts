/**
 * The SLA scanner of one channel: overdue is detected when a deadline passes
 * on the channel clock — no event needed. It sleeps until the earliest open
 * deadline (scaled by the clock's speed), raises each overdue alert once
 * (deduplicated in Redis, so any number of instances may scan), and resolves
 * overdue alerts whose subject closed or got a later deadline. With
 * PARTITION_LEVEL (DESIGN §11) every partition has open sets of its own: each
 * is scanned with its own watermark, by pipelines of its own in flight
 * together; the lease stays one per channel, and the alerts channel-wide.
 */
import { overdueAlert, type Alert } from '../domain/alerts.ts'
import { systemTime } from '../domain/clock.ts'
import { groupBy } from '../domain/group-by.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channel } from '../channels/channels.ts'
import { activeAlerts, endAlert, queueRaise, type StillOpen } from '../store/alert-store.ts'
import { alertsRaised, channelKind } from '../metrics/metrics.ts'
import { keys } from '../store/keys.ts'
import type { Store } from '../store/redis-client.ts'
import { placeName } from './region-place.ts'
import { resolveEnded, type AlertLifetimes } from './alert-lifecycle.ts'
import { subjectPartitions } from './subject-partition.ts'

const FEEDS = ['case', 'hotline', 'service'] as const
const MAX_SLEEP_MS = 1000 // new subjects with earlier deadlines and speed changes are noticed within this
const RESOLVE_EVERY_MS = 2000
const BATCH = 1000
/** Meta field of the root partition's watermark (deadlines before it were scanned); partition P's is `overdueScannedTo@P`. */
const WATERMARK = 'overdueScannedTo'

type Feed = (typeof FEEDS)[number]
type Due = { partition: string; feed: Feed; subject: string; deadline: number }
type Armed = { alert: Alert; partition: string; guard: StillOpen }
/** A partition of the channel's keys (DESIGN §11): its open sets are scanned, its subjects read, by pipelines of its own. */
type Part = { partition: string; k: ReturnType<typeof keys>; watermark: string }

export interface ScannerDeps {
  store: Store; channel: Channel; regions: RegionIndex; categories: Categories
  /** Lifetimes of the other alert kinds, resolved on the same round (absent: only overdue alerts are resolved here). */
  lifetimes?: AlertLifetimes
}

/** The replies of a pipeline, a failed command's as undefined. */
const repliesOf = (r: [Error | null, unknown][] | null) => (r ?? []).map(([err, v]) => (err ? undefined : v))

export class OverdueScanner {
  private armed: { deadline: number; alerts: Armed[] } | undefined
  private timer: NodeJS.Timeout | undefined
  private stopped = false
  private lastResolve = 0
  /** Channel-wide keys: meta (the watermarks) and the alerts. */
  private readonly k: ReturnType<typeof keys>
  private readonly parts: Part[]
  private readonly partByName: Map<string, Part>

  constructor(private readonly d: ScannerDeps) {
    this.k = keys(d.channel.id)
    this.parts = d.regions.partitions.map((partition) => ({
      partition, k: keys(d.channel.id, partition), watermark: partition ? `${WATERMARK}@${partition}` : WATERMARK,
    }))
    this.partByName = new Map(this.parts.map((p) => [p.partition, p]))
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
        if (this.armed && this.armed.deadline < now) {
          await this.raise(this.armed.alerts)
          this.armed = undefined
        }
        const more = await this.raiseDue(now)
        if (systemTime() - this.lastResolve > RESOLVE_EVERY_MS) {
          this.lastResolve = systemTime()
          await this.resolveEnded(now)
        }
        const next = await this.nextDeadline(now)
        if (next !== null && clock.wallDelayUntil(next) < MAX_SLEEP_MS) await this.arm(next)
        // wake just after the deadline: overdue means deadline < now
        sleep = more ? 0 : Math.min(MAX_SLEEP_MS, next === null ? Infinity : Math.ceil(clock.wallDelayUntil(next + 1)))
      }
    } catch {
      // Redis away: try again after a while; nothing is lost, the watermark did not move
    }
    this.schedule(sleep)
  }

  /** The root's open set of a feed in a partition: every open subject of the partition (counters of the whole chain are kept there). */
  private openKey(part: Part, feed: Feed): string {
    return part.k.open(feed, this.d.regions.root.code)
  }

  /**
   * Raise alerts for deadlines in [watermark, now) of every partition: three
   * round trips (with one partition), each partition's reads a pipeline of its
   * own, all in flight together; true when a batch was full.
   */
  private async raiseDue(now: number): Promise<boolean> {
    const { store } = this.d
    const marks = await store.hmget(this.k.meta, ...this.parts.map((p) => p.watermark))
    const scans = await Promise.all(this.parts.map(async (part, i) => {
      const from = marks[i] ?? '-inf'
      const ranges = await store
        .pipeline(FEEDS.map((feed) => ['zrangebyscore', this.openKey(part, feed), from, `(${now}`, 'WITHSCORES', 'LIMIT', 0, BATCH]))
        .exec()
      const due: Due[] = []
      let full = false
      let reached = now
      FEEDS.forEach((feed, j) => {
        const flat = (ranges?.[j]?.[1] ?? []) as string[]
        for (let x = 0; x < flat.length; x += 2) due.push({ partition: part.partition, feed, subject: flat[x]!, deadline: Number(flat[x + 1]) })
        if (flat.length === BATCH * 2) {
          full = true
          reached = Math.min(reached, Number(flat[flat.length - 1]))
        }
      })
      return { due, reached, full }
    }))
    await this.raise(await this.build(scans.flatMap((s) => s.due)))
    if (this.stopped) return false // the channel may be gone: never write into a deleted channel's meta
    await store.hset(this.k.meta, Object.fromEntries(this.parts.map((p, i) => [p.watermark, String(scans[i]!.reached)])))
    return scans.some((s) => s.full)
  }

  /** The alerts of subjects due, with what to check when raising them: one pipeline per partition holding some. */
  private async build(due: Due[]): Promise<Armed[]> {
    if (due.length === 0) return []
    const { store, regions, categories, channel } = this.d
    const root = regions.root.code
    const details = new Map<Due, (string | null)[]>()
    await Promise.all([...groupBy(due, (x) => x.partition)].map(async ([partition, items]) => {
      const k = this.partByName.get(partition)!.k
      const replies = repliesOf(await store.pipeline(items.map((x) => ['hmget', k.subject(x.feed, x.subject), 'chain', 'category'])).exec())
      items.forEach((x, i) => details.set(x, (replies[i] ?? []) as (string | null)[]))
    }))
    return due.map((x) => {
      const [chain, category] = details.get(x) ?? []
      const region = chain?.split(',')[0] ?? root
      const alert = overdueAlert({
        ...x, region, place: placeName(regions, region), zone: channel.clock.zone,
        ...(category ? { category, categoryName: categories.name(category) } : {}),
      })
      const part = this.partByName.get(x.partition)!
      return { alert, partition: x.partition, guard: { open: this.openKey(part, x.feed), subject: x.subject, deadline: x.deadline } }
    })
  }

  /**
   * One round trip; each raise checks atomically that its subject is still open
   * with that deadline. An open set of another partition than the root's lies in
   * another slot than the alerts: a Lua call may not touch both on a Cluster, so
   * those are checked just before (one pipeline per partition, together) and a
   * subject closed in between is resolved by the next round.
   */
  private async raise(alerts: Armed[]): Promise<void> {
    if (alerts.length === 0) return
    const elsewhere = alerts.filter((a) => a.partition !== '')
    const gone = new Set<Armed>()
    await Promise.all([...groupBy(elsewhere, (a) => a.partition)].map(async ([, items]) => {
      const scores = repliesOf(await this.d.store.pipeline(items.map((a) => ['zscore', a.guard.open, a.guard.subject])).exec())
      items.forEach((a, i) => { if (scores[i] !== String(a.guard.deadline)) gone.add(a) })
    }))
    const p = this.d.store.pipeline()
    for (const a of alerts) if (!gone.has(a)) queueRaise(p, this.d.channel.id, a.alert, a.partition === '' ? a.guard : undefined)
    const replies = gone.size < alerts.length ? await p.exec() : []
    const raised = replies?.filter(([err, r]) => !err && r === 1).length ?? 0
    if (raised > 0) alertsRaised.inc({ channel: channelKind(this.d.channel.id), type: 'overdue' }, raised)
  }

  /**
   * Prepare the alerts of the next deadline before it passes, so that waking
   * costs one round trip: at 60× a few milliseconds are seconds of channel time.
   */
  private async arm(next: number): Promise<void> {
    if (this.armed?.deadline === next) return
    const found = await Promise.all(this.parts.map(async (part) => {
      const ranges = repliesOf(await this.d.store.pipeline(FEEDS.map((feed) => ['zrangebyscore', this.openKey(part, feed), next, next, 'LIMIT', 0, BATCH])).exec())
      return FEEDS.flatMap((feed, j) => ((ranges[j] ?? []) as string[]).map((subject): Due => ({ partition: part.partition, feed, subject, deadline: next })))
    }))
    this.armed = { deadline: next, alerts: await this.build(found.flat()) }
  }

  /**
   * Overdue alerts end when their subject left the open set or its deadline
   * moved (its open set is in its partition: subjectPartitions); the other kinds by
   * their own rule.
   */
  private async resolveEnded(now: number): Promise<void> {
    const { store, regions, channel } = this.d
    const active = await activeAlerts(store, channel.id)
    if (this.d.lifetimes) await resolveEnded(store, channel.id, active, now, this.d.lifetimes, regions)
    const overdue = active.filter((a) => a.type === 'overdue' && a.subject && (a.feed === 'case' || a.feed === 'hotline' || a.feed === 'service'))
    const ended: Alert[] = []
    const partitions = await subjectPartitions(store, channel.id, regions, overdue.map((a) => ({ feed: a.feed!, subject: a.subject!, region: a.region })))
    const partitionOf = new Map(overdue.map((a, i) => [a, partitions[i]!]))
    await Promise.all([...groupBy(overdue, (a) => partitionOf.get(a)!)].map(async ([partition, items]) => {
      const part = this.partByName.get(partition) ?? this.partByName.get('')!
      const scores = repliesOf(await store.pipeline(items.map((a) => ['zscore', this.openKey(part, a.feed as Feed), a.subject!])).exec())
      items.forEach((a, i) => { if (scores[i] === null || Number(scores[i]) !== a.at) ended.push(a) })
    }))
    for (const a of ended) await endAlert(store, channel.id, a.id, 'resolved')
  }

  /** The earliest deadline at or after now over every partition's open sets. */
  private async nextDeadline(now: number): Promise<number | null> {
    const firsts = await Promise.all(this.parts.map(async (part) =>
      repliesOf(await this.d.store.pipeline(FEEDS.map((feed) => ['zrangebyscore', this.openKey(part, feed), now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1])).exec())))
    let next: number | null = null
    for (const reply of firsts.flat()) {
      const score = (reply as string[] | undefined)?.[1]
      if (score !== undefined && (next === null || Number(score) < next)) next = Number(score)
    }
    return next
  }
}

