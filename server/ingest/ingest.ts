/**
 * The ingest pipeline: validate every item, resolve its region, then apply
 * the valid ones in order in one Redis round trip. Items are independent:
 * a bad one is listed with its reason while the others land.
 */
import { validateEvent, type ValidEvent } from '../domain/events.ts'
import { StoreUnavailableError } from '../domain/errors.ts'
import type { Categories } from '../domain/categories.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { applyEvent, type ApplyInput, type ApplyOptions } from '../store/apply-event.ts'
import { isReady, type Store } from '../store/redis-client.ts'
import type { RawItem } from './parse-body.ts'
import { resolveRegion } from './resolve-region.ts'

export interface Rejection { index: number; id: string | null; error: string }
export interface IngestResult { accepted: number; duplicates: number; outOfOrder: number; rejected: Rejection[] }

export interface IngestDeps {
  store: Store
  regions: RegionIndex
  categories: Categories
  /** Rules to run on what a batch applied (alerts), before the sender gets its answer. */
  onApplied?: (channel: string, applied: ApplyInput[]) => Promise<void>
}

const HOUR = 3_600_000

/** Validate and prepare one item for apply.lua; a string is the reason it is rejected. */
export function prepare(raw: unknown, deps: Pick<IngestDeps, 'regions' | 'categories'>): ApplyInput | string {
  const v = validateEvent(raw)
  if (!v.ok) return v.error
  const e = v.event
  if (e.category && e.feed !== 'grid') {
    const bad = deps.categories.check(e.feed, e.category)
    if (bad) return bad
  }
  const place = resolveRegion(e, deps.regions)
  if (!place.ok) return place.error
  const chain = place.chain.length || !(e.feed === 'hotline' && e.type === 'call') ? place.chain : [deps.regions.root.code]
  const grid = chain[0] && deps.regions.get(chain[0])?.level === 'grid' ? chain[0] : ''
  return { event: e, chain, grid, intake: intakeArg(e, deps.categories) }
}

/** apply.lua's intake argument: case reported → SLA hours; hotline received → deadline ms. */
export function intakeArg(e: ValidEvent, categories: Categories): string {
  if (e.feed === 'case' && e.type === 'reported') return String(categories.caseSlaHours(e.category!, e.attrs.priority as string))
  if (e.feed === 'hotline' && e.type === 'received') {
    return String(e.at + categories.hotlineSlaHours(e.attrs.kind as string, e.attrs.urgency as string) * HOUR)
  }
  return ''
}

const idOf = (raw: unknown) =>
  raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null

export async function ingest(items: RawItem[], deps: IngestDeps, options: ApplyOptions): Promise<IngestResult> {
  const result: IngestResult = { accepted: 0, duplicates: 0, outOfOrder: 0, rejected: [] }
  const ready: (ApplyInput & { index: number })[] = []
  items.forEach((item, index) => {
    const prepared = item.ok ? prepare(item.value, deps) : item.error
    if (typeof prepared === 'string') result.rejected.push({ index, id: item.ok ? idOf(item.value) : null, error: prepared })
    else ready.push({ ...prepared, index })
  })
  if (ready.length === 0) return result
  if (!isReady(deps.store)) throw new StoreUnavailableError()
  const pipe = deps.store.pipeline() as unknown as Store
  for (const input of ready) void applyEvent(pipe, input, options)
  let replies: [Error | null, unknown][] | null
  try {
    replies = await (pipe as unknown as { exec(): Promise<[Error | null, unknown][] | null> }).exec()
  } catch (err) {
    throw new StoreUnavailableError(err)
  }
  const applied: ApplyInput[] = []
  for (const [i, [err, reply]] of (replies ?? []).entries()) {
    if (err?.name === 'ReplyError') {
      // a script error is a bug of ours, not of the sender: say so for this item and go on
      console.error(`apply.lua failed on ${ready[i]!.event.id}:`, err.message)
      result.rejected.push({ index: ready[i]!.index, id: ready[i]!.event.id, error: `internal error while applying: ${err.message}` })
      continue
    }
    if (err) throw new StoreUnavailableError(err) // the sender retries the batch; ids make that safe
    const [status] = reply as [string, string]
    if (status === 'duplicate') result.duplicates++
    else {
      result.accepted++
      if (status === 'outOfOrder') result.outOfOrder++
      else applied.push(ready[i]!)
    }
  }
  if (applied.length > 0) await deps.onApplied?.(options.channel, applied)
  result.rejected.sort((a, b) => a.index - b.index)
  return result
}
