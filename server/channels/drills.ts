/**
 * The trainer's replay channels (DESIGN §3), for any instance to serve:
 * create from a scenario or a recording, list, pause/resume/speed/seek,
 * inject events at the channel's now, delete. State lives in Redis (registry,
 * meta, source); ReplayRuntime makes every instance follow it.
 */
import { randomBytes } from 'node:crypto'
import { systemTime } from '../domain/clock.ts'
import { AppError, BadRequestError, UnknownChannelError } from '../domain/errors.ts'
import type { ChannelChange, InjectResult } from '../domain/api.ts'
import { ingest, type IngestDeps } from '../ingest/ingest.ts'
import type { RawItem } from '../ingest/parse-body.ts'
import type { ApplyOptions } from '../store/apply-event.ts'
import type { Store } from '../store/redis-client.ts'
import type { Channels } from './channels.ts'
import { unlinkChannelKeys } from './drop-keys.ts'
import { LEASE_TTL_MS } from './driver-lease.ts'
import { initialMeta, parseMeta, readMeta, summarize, type ChannelSummary, type ReplayMeta } from './drill-meta.ts'
import { ReplayRuntime } from './driver-runtime.ts'
import { storeSource } from './source-store.ts'
import { requestedSource, type CreateRequest } from './source-request.ts'
import { scenarioList } from './source-scenario.ts'
import { globalKeys, keys } from '../store/keys.ts'

export class ChannelBusyError extends AppError {
  readonly code = 'BAD_REQUEST'
  override readonly status = 409
}

const SEEK_WAIT_MS = 120_000

export class ReplayChannels {
  readonly runtime: ReplayRuntime

  constructor(private readonly d: { store: Store; channels: Channels; ingest: IngestDeps; apply: Omit<ApplyOptions, 'channel'> }) {
    this.runtime = new ReplayRuntime(d)
  }

  start(): Promise<void> {
    return this.runtime.start()
  }

  stop(): Promise<void> {
    return this.runtime.stop()
  }

  scenarios() {
    return scenarioList()
  }

  async create(req: CreateRequest): Promise<ChannelSummary> {
    const { store } = this.d
    const id = `${req.scenario ? 'sim' : 'replay'}-${randomBytes(5).toString('hex')}`
    const { source, events, start } = requestedSource(req, this.d.ingest, this.d.channels.zone)
    const created = systemTime()
    try {
      const stored = await storeSource(store, id, events)
      if (stored.total === 0) throw new BadRequestError(`scenario "${req.scenario}" made no events from ${iso(start)}`)
      const span = { spanStart: Math.min(start, stored.first!), spanEnd: Math.max(start, stored.last!) }
      // the clock stands still until every instance serves the channel and its driver runs
      const meta = { ...initialMeta({ source, created, ...span, total: stored.total, base: start, wallBase: systemTime(), speed: req.speed }), paused: '1' }
      await store.hset(keys(id).meta, meta)
      await store.hset(globalKeys.channelRegistry, id, String(created))
      await this.runtime.announce(id, true)
      await this.runtime.scripts.clock(keys(id).meta, systemTime(), { op: 'set', paused: false })
      await this.runtime.announce(id)
    } catch (err) {
      await store.hdel(globalKeys.channelRegistry, id).catch(() => {})
      await unlinkChannelKeys(store, id).catch(() => {})
      throw err
    }
    return this.summary(id)
  }

  async list(): Promise<ChannelSummary[]> {
    const ids = await this.d.store.hkeys(globalKeys.channelRegistry)
    // one command each, not a pipeline: each channel's meta sits in the slot of its own {id} on a Redis Cluster
    const hashes = await Promise.all(ids.map((id) => this.d.store.hgetall(keys(id).meta)))
    const wall = systemTime()
    return ids
      .map((id, i) => parseMeta(id, hashes[i] ?? {}))
      .filter((m): m is ReplayMeta => m !== null)
      .map((m) => summarize(m, wall))
      .sort((a, b) => a.created - b.created)
  }

  /** Pause, resume, change speed, seek; a seek answers once the channel is rebuilt at the target. */
  async change(id: string, req: ChannelChange): Promise<ChannelSummary> {
    const meta = await this.registered(id)
    const metaKey = keys(id).meta
    const wall = systemTime()
    if (req.seekTo !== undefined) {
      if (req.seekTo < meta.spanStart || req.seekTo > meta.spanEnd) {
        throw new BadRequestError(`seekTo must lie within the source, ${iso(meta.spanStart)} … ${iso(meta.spanEnd)} (${meta.spanStart} … ${meta.spanEnd} ms)`)
      }
      const r = await this.runtime.scripts.clock(metaKey, wall, { op: 'seek', to: req.seekTo, paused: req.paused, speed: req.speed })
      if (r.status !== 'ok') throw new UnknownChannelError(id)
      await this.runtime.announce(id)
      await this.untilBuilt(id, Number(r.meta.epoch))
    } else {
      const r = await this.runtime.scripts.clock(metaKey, wall, { op: 'set', paused: req.paused, speed: req.speed })
      if (r.status !== 'ok') throw new UnknownChannelError(id)
      await this.runtime.announce(id)
    }
    return this.summary(id)
  }

  /** Ingest events into a replay channel, each stamped with the channel's now. */
  async inject(id: string, items: RawItem[]): Promise<InjectResult> {
    if (id === 'live') throw new BadRequestError('events for the live channel go to POST /api/v1/events')
    const channel = this.d.channels.get(id)
    if (this.runtime.managed(id) && (await readMeta(this.d.store, id))?.seeking) {
      throw new ChannelBusyError(`channel ${id} is being rebuilt after a seek; try again in a moment`)
    }
    const at = Math.round(channel.clock.now())
    const stamp = new Date(at).toISOString()
    const stamped = items.map((item): RawItem =>
      item.ok && item.value && typeof item.value === 'object' && !Array.isArray(item.value) ? { ok: true, value: { ...item.value, at: stamp } } : item)
    return { ...(await ingest(stamped, this.d.ingest, { ...this.d.apply, channel: id })), at }
  }

  /** Delete a channel everywhere and free every key of it; resolves once they are freed. */
  async remove(id: string): Promise<{ id: string; deleted: true }> {
    await this.registered(id)
    await this.d.store.hdel(globalKeys.channelRegistry, id)
    await this.runtime.announce(id) // every instance stops driving and serving it; this one frees its keys
    const lease = keys(id).driver
    for (const until = systemTime() + LEASE_TTL_MS + 1_000; (await this.d.store.exists(lease)) && systemTime() < until;) {
      await new Promise((r) => setTimeout(r, 50)) // another instance was driving: wait until it let go
    }
    await unlinkChannelKeys(this.d.store, id)
    return { id, deleted: true }
  }

  private async summary(id: string): Promise<ChannelSummary> {
    const meta = await readMeta(this.d.store, id)
    if (!meta) throw new UnknownChannelError(id)
    return summarize(meta, systemTime())
  }

  private async registered(id: string): Promise<ReplayMeta> {
    if (id === 'live') throw new BadRequestError('the live channel runs on wall time: it cannot be paused, seeked or deleted')
    const [registered, meta] = await Promise.all([this.d.store.hexists(globalKeys.channelRegistry, id), readMeta(this.d.store, id)])
    if (!registered || !meta) throw new UnknownChannelError(id)
    return meta
  }

  private async untilBuilt(id: string, epoch: number): Promise<void> {
    const until = systemTime() + SEEK_WAIT_MS
    while (systemTime() < until) {
      const built = await this.d.store.hget(keys(id).meta, 'builtEpoch')
      if (built === null || Number(built) >= epoch) break
      await new Promise((r) => setTimeout(r, 20))
    }
    await this.runtime.announce(id) // screens here are reset before the caller hears back
  }
}

const iso = (ms: number) => new Date(ms).toISOString()
