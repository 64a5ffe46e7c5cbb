/**
 * The ingest pipeline: validate every item, resolve its region, then apply
 * the valid ones in order in one Redis round trip. Items are independent:
 * a bad one is listed with its reason while the others land.
 */
import { validateEvent, type ValidationContext, type ValidEvent } from '../domain/events.ts'
import type { EventBounds } from '../domain/event-bounds.ts'
import { StoreUnavailableError } from '../domain/errors.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { ApplyInput, ApplyOptions } from '../store/apply-event.ts'
import { isReady, type Store } from '../store/redis-client.ts'
import { applySeconds, channelKind, ingestTally } from '../metrics/metrics.ts'
import { logger } from '../ops/logger.ts'
import type { IngestResult } from '../domain/api.ts'
import type { RawItem } from './parse-body.ts'
import { PartialBatchError, ReplicaWaitError, type Unconfirmed } from './partial-batch-error.ts'
import { resolveRegion } from './resolve-region.ts'
import { rememberRoutes, routeSubjects, type Routing } from './subject-routes.ts'
import { forgetHeld } from './held-steps.ts'
import { systemTime } from '../domain/clock.ts'
import { applyByPartition } from './apply-by-partition.ts'

export type { IngestResult, Rejection } from '../domain/api.ts'

export interface IngestDeps {
  store: Store
  regions: RegionIndex
  categories: Categories
  /** Rules to run on what a batch applied (alerts), before the sender gets its answer. */
  onApplied?: (channel: string, applied: ApplyInput[]) => Promise<void>
  /** Bounds of DESIGN §4 (defaults: DEFAULT_EVENT_BOUNDS). */
  bounds?: EventBounds
  /** REDIS_WAIT_REPLICAS: acknowledge only once this many replicas hold the batch (WAIT), else 503. */
  waitReplicas?: { replicas: number; timeoutMs: number }
}

/** Where and when a batch lands: the apply options, and the channel clock for the `at` window when there is one. */
export interface IngestOptions extends ApplyOptions { now?: () => number }

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Validate and prepare one item for apply.lua; a string is the reason it is rejected. */
export function prepare(raw: unknown, deps: Pick<IngestDeps, 'regions' | 'categories'>, ctx: ValidationContext = {}): ApplyInput | string {
  const v = validateEvent(raw, ctx)
  if (!v.ok) return v.error
  const e = v.event
  if (e.category) {
    const bad = categoryError(e.feed, e.category, deps.categories)
    if (bad) return bad
  }
  const place = resolveRegion(e, deps.regions)
  if (!place.ok) return place.error
  const chain = place.chain.length || !(e.feed === 'hotline' && e.type === 'call') ? place.chain : [deps.regions.root.code]
  const grid = chain[0] && deps.regions.get(chain[0])?.level === 'grid' ? chain[0] : ''
  const partition = deps.regions.partitionOf(chain[0])
  const input: ApplyInput = { event: e, chain, grid, intake: intakeArg(e, deps.categories) }
  if (pausesOnDocs(e, deps.categories)) input.pausesOnDocs = true
  if (partition) input.partition = partition
  return input
}

// a grid event may name a category (an alert about a case category, say) but only a known one: it is shown on the wall
function categoryError(feed: ValidEvent['feed'], code: string, categories: Categories): string | null {
  if (feed === 'service') {
    return categories.check('service', code) && `attrs.item: "${code}" is not a service item (see GET /api/v1/categories)`
  }
  if (feed !== 'grid') return categories.check(feed, code)
  if (!categories.check('case', code) || !categories.check('hotline', code)) return null
  return `category: "${code}" is not a known category (see GET /api/v1/categories)`
}

/** apply.lua's intake argument: case reported → SLA hours; hotline received and service accepted → deadline ms. */
export function intakeArg(e: ValidEvent, categories: Categories): string {
  if (e.feed === 'service' && e.type === 'accepted') {
    return String(e.at + categories.serviceLimitDays(e.attrs.item as string, e.attrs.scope as string) * DAY)
  }
  if (e.feed === 'case' && e.type === 'reported') return String(categories.caseSlaHours(e.category!, e.attrs.priority as string))
  if (e.feed === 'hotline' && e.type === 'received') {
    return String(e.at + categories.hotlineSlaHours(e.attrs.kind as string, e.attrs.urgency as string) * HOUR)
  }
  return ''
}

/** apply.lua's pause argument: set on a service accepted whose item stops its clock during 补正 (absent otherwise). */
export function pausesArg(e: ValidEvent, categories: Categories): { pausesOnDocs?: true } {
  return pausesOnDocs(e, categories) ? { pausesOnDocs: true } : {}
}

const pausesOnDocs = (e: ValidEvent, categories: Categories): boolean =>
  e.feed === 'service' && e.type === 'accepted' && categories.servicePausesOnDocs(e.attrs.item as string)

const idOf = (raw: unknown) =>
  raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null

// Redis refused to run the script at all (busy, loading, out of memory…), or a Cluster node sent it on
// (MOVED/ASK: ioredis follows a redirect only when every reply of a pipeline is the same one, and the
// pipeline's WAIT answers otherwise, e.g. on a replica just promoted): the event was not applied
const NOT_RUN = /^(BUSY|LOADING|MASTERDOWN|READONLY|CLUSTERDOWN|TRYAGAIN|OOM|NOSCRIPT|NOREPLICAS|MOVED|ASK)\b/

/** The batch's steps that were held (outOfOrder, or unconfirmed when the hold was not written) or held before (duplicates). */
function settleHeld(r: Routing, ready: (ApplyInput & { index: number })[], failed: boolean, result: IngestResult, unconfirmed: Unconfirmed[], tally: ReturnType<typeof ingestTally>) {
  const indexOf = new Map(ready.map((input) => [input as ApplyInput, input.index]))
  for (const input of r.hold) {
    if (failed) {
      unconfirmed.push({ index: indexOf.get(input)!, id: input.event.id, applied: null })
      continue
    }
    result.accepted++
    result.outOfOrder++
    tally.add(input.event.feed, 'outOfOrder')
  }
  for (const input of r.heldBefore) {
    result.duplicates++
    tally.add(input.event.feed, 'duplicate')
  }
}

/**
 * Validate, resolve and apply a batch. Throws StoreUnavailableError when Redis
 * is down before anything was sent, PartialBatchError when it went away while
 * the batch was applied (with exact counts of what is known to have landed).
 */
export async function ingest(items: RawItem[], deps: IngestDeps, options: IngestOptions): Promise<IngestResult> {
  const result: IngestResult = { accepted: 0, duplicates: 0, outOfOrder: 0, rejected: [] }
  const ready: (ApplyInput & { index: number })[] = []
  const ctx: ValidationContext = { bounds: deps.bounds, now: options.now?.() }
  const tally = ingestTally(options.channel)
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!
    const prepared = item.ok ? prepare(item.value, deps, ctx) : item.error
    if (typeof prepared === 'string') {
      result.rejected.push({ index, id: item.ok ? idOf(item.value) : null, error: prepared })
      tally.add(item.ok ? (item.value as { feed?: unknown } | null)?.feed : undefined, 'rejected')
    } else {
      const input = prepared as ApplyInput & { index: number } // prepare() built it for this batch alone: no copy
      input.index = index
      ready.push(input)
    }
  }
  if (ready.length === 0) {
    tally.flush()
    return result
  }
  if (!isReady(deps.store)) throw new StoreUnavailableError()
  const wait = deps.waitReplicas?.replicas ? deps.waitReplicas : undefined
  const timer = applySeconds.startTimer({ channel: channelKind(options.channel) })
  // with partitions: each subject's steps go to its partition; steps with none yet are held, steps held before released
  let apply = ready
  let routing: Routing | undefined
  let routed: Promise<unknown> = Promise.resolve()
  if (deps.regions.partitioned) {
    routing = await routeSubjects(deps.store, options.channel, ready).catch((err: unknown) => { throw new StoreUnavailableError(err) })
    const aside = new Set<ApplyInput>([...routing.hold, ...routing.heldBefore])
    apply = ready.filter((input) => !aside.has(input))
    routed = rememberRoutes(deps.store, options.channel, routing, options.seenTtlSec, ctx.now ?? systemTime())
  }
  const release = routing?.release ?? []
  const { replies, waited } = await applyByPartition(deps.store, [...apply, ...release], { ...options, parkedAt: ctx.now }, wait)
  let holdFailed = false
  await routed.catch(() => { holdFailed = true }) // a route not remembered is remembered by the subject's next step; a hold not written is unconfirmed
  timer()
  const applied: ApplyInput[] = []
  const unconfirmed: Unconfirmed[] = []
  for (let i = 0; i < apply.length; i++) {
    const input = apply[i]!
    const [err, reply] = replies[i]!
    const { index, event } = input
    if (err?.name === 'ReplyError' && NOT_RUN.test(err.message)) {
      unconfirmed.push({ index, id: event.id, applied: false })
    } else if (err?.name === 'ReplyError') {
      // a script error is a bug of ours, not of the sender: log it, and tell the sender only that it was not applied
      logger.error({ eventId: event.id, err: err.message }, 'apply.lua failed')
      result.rejected.push({ index, id: event.id, error: 'internal error while applying; the event was not applied (see the server log)' })
      tally.add(event.feed, 'rejected')
    } else if (err) {
      unconfirmed.push({ index, id: event.id, applied: null }) // the connection went away: it may or may not have landed
    } else {
      const [status, detail] = reply as [string, string]
      if (status === 'duplicate') result.duplicates++
      else if (status === 'invalid') result.rejected.push({ index, id: event.id, error: detail })
      else {
        result.accepted++
        if (status === 'outOfOrder') result.outOfOrder++
        else applied.push(input)
      }
      tally.add(event.feed, status === 'duplicate' || status === 'outOfOrder' ? status : status === 'invalid' ? 'rejected' : 'accepted')
    }
  }
  if (routing) settleHeld(routing, ready, holdFailed, result, unconfirmed, tally)
  const released = release.filter((_, j) => !replies[apply.length + j]![0])
  for (const [j, input] of release.entries()) if ((replies[apply.length + j]![1] as [string])?.[0] === 'applied') applied.push(input)
  await forgetHeld(deps.store, options.channel, released).catch(() => {}) // still held: the next step or the sweep finds them applied (duplicates)
  result.rejected.sort((a, b) => a.index - b.index)
  tally.flush() // unconfirmed events are not counted: the sender resends them
  if (wait && unconfirmed.length === 0) {
    const short = waited.find(([err, reached]) => err || Number(reached) < wait.replicas)
    if (short) {
      if (applied.length > 0) await deps.onApplied?.(options.channel, applied).catch(() => {})
      const [err, reached] = short
      throw new ReplicaWaitError(result, ready.map(({ index, event }) => ({ index, id: event.id, applied: null })), wait.replicas, err ? err.message : Number(reached))
    }
  }
  if (unconfirmed.length > 0) {
    // the alerts of what did land are still raised, if Redis lets us; the resend answers those as duplicates
    if (applied.length > 0) await deps.onApplied?.(options.channel, applied).catch(() => {})
    throw new PartialBatchError(result, unconfirmed)
  }
  if (applied.length > 0) await deps.onApplied?.(options.channel, applied)
  return result
}
