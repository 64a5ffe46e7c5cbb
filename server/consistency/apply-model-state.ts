/**
 * The in-memory mirror of what apply.lua writes, keyed exactly like Redis
 * without the channel prefix (`d:<region>:<day>`, `o:case:<region>`, `stats`…),
 * and the Redis-like writes the model is made of.
 */
import type { ValidEvent } from '../domain/events.ts'
import { regionKeys as K } from '../store/keys.ts'

/** Aggregate keys of a channel: counter hashes, deadline zsets and member sets. */
export interface Aggregates {
  /** d: m: y: counters, t: trend buckets, k: intake categories, stats. */
  hashes: Map<string, Map<string, number>>
  /** o:case: / o:hotline: / o:service: subject → deadline ms. */
  zsets: Map<string, Map<string, number>>
  /** p: pending cases, w: on-duty workers, pc: patrolled grids. */
  sets: Map<string, Set<string>>
}

/** A subject hash (`s:<feed>:<subject>`), typed. */
export interface SubjectState {
  state: string
  chain: string[]
  iday?: string
  cday?: string
  deadline?: number
  category?: string
  sla?: string
  priority?: string
  kind?: string
  /** service: local | outside, and the state before WAITING. */
  scope?: string
  prev?: string
  /** service: since when (event time) the errand's clock stands still, waiting for documents (an item that pauses). */
  paused?: number
  /** m.<name> → event time of the first time the milestone was reached. */
  milestones: Map<string, number>
  sat?: string
  solved?: boolean
  contacted?: boolean
  /** Grid workers: time of the duty event in force, of the earliest onDuty, of the position kept. */
  dutyAt?: number
  firstOn?: number
  posAt?: number
}

/** One event in a subject's list (apply.lua's ev: key): what a derivation needs, and whether it is parked now. */
export interface ModelEntry {
  id: string
  t: number
  event: ValidEvent
  /** Region chain of the event, comma separated (used by intake). */
  chain: string
  day: string
  bucket: string
  intake: string
  explicit: number | null
  parked: boolean
  /** Parked again after it had taken effect (apply.lua's r): its log holds an applied entry already, so none when it fits again. */
  reparked?: boolean
  /** service accepted: the item stops its clock while the errand waits for documents (apply.lua's entry q). */
  pauses?: boolean
}

export interface ModelState extends Aggregates {
  seen: Set<string>
  /** Keyed `<feed>:<subject>`, like the s: keys. */
  subjects: Map<string, SubjectState>
  /** Last reported position of workers (the geo set). */
  positions: Map<string, [number, number]>
  /** Each case's, work order's and errand's events in event-time order; a worker's parked offDuty events. Keyed like subjects. */
  lists: Map<string, ModelEntry[]>
}

/** An empty channel. */
export function createModelState(): ModelState {
  return { seen: new Set(), subjects: new Map(), positions: new Map(), lists: new Map(), hashes: new Map(), zsets: new Map(), sets: new Map() }
}

// HINCRBY creates the field even when n is 0, so a zero is kept, never dropped.
export function hincrby(a: Aggregates, key: string, field: string, n: number): void {
  let h = a.hashes.get(key)
  if (!h) a.hashes.set(key, (h = new Map()))
  h.set(field, (h.get(field) ?? 0) + n)
}

export function sadd(a: Aggregates, key: string, member: string): void {
  let s = a.sets.get(key)
  if (!s) a.sets.set(key, (s = new Set()))
  s.add(member)
}

// Redis deletes a set or zset with its last member: so does the model.
export function srem(a: Aggregates, key: string, member: string): void {
  const s = a.sets.get(key)
  if (s?.delete(member) && s.size === 0) a.sets.delete(key)
}

export function zadd(a: Aggregates, key: string, score: number, member: string): void {
  let z = a.zsets.get(key)
  if (!z) a.zsets.set(key, (z = new Map()))
  z.set(member, score)
}

export function zrem(a: Aggregates, key: string, member: string): void {
  const z = a.zsets.get(key)
  if (z?.delete(member) && z.size === 0) a.zsets.delete(key)
}

/** apply.lua's count(): a field of the day hash, its month and its year, up the chain. */
export function count(a: Aggregates, chain: readonly string[], day: string, field: string, n: number): void {
  for (const r of chain) {
    hincrby(a, K.day(r, day), field, n)
    hincrby(a, K.month(r, day.slice(0, 6)), field, n)
    hincrby(a, K.year(r, day.slice(0, 4)), field, n)
  }
}

/** Events parked on arrival so far (the channel's stats hash). */
export const outOfOrderCount = (s: Aggregates): number => s.hashes.get('stats')?.get('outOfOrder') ?? 0

/** Lua truthiness of a decoded JSON value: only nil and false are false (JSON null is cjson.null, truthy). */
export const luaTruthy = (v: unknown): boolean => v !== undefined && v !== false

/** Lua's tonumber() of a string or number: null where Lua gives nil. */
export function luaNumber(v: unknown): number | null {
  if (typeof v === 'number') return v
  if (typeof v !== 'string' || v.trim() === '') return null
  const n = Number(v)
  return Number.isNaN(n) ? null : n
}

/** What apply.lua receives for one event (the store's ApplyInput has this shape). */
export interface ModelInput {
  event: ValidEvent
  /** Region chain of the event, deepest first; [] when it names no place. */
  chain: readonly string[]
  /** The event's place when it is a grid, else ''. */
  grid: string
  /** Case reported: SLA hours; hotline received, service accepted: deadline ms; else ''. */
  intake: string
  /** Service accepted: the item stops its clock while the errand waits for documents (补正). */
  pausesOnDocs?: boolean
}

/** outOfOrder: parked with its subject (it may take effect later); refused: dropped after the park window. */
export type ModelStatus = 'applied' | 'outOfOrder' | 'duplicate' | 'refused'

/** The decision and the log entry's r (region) and c (category) fields; both '' for a duplicate. */
/** unparked: ids of the subject's earlier events that were parked and take effect now, in event-time order (apply.lua logs each as a='u'). */
export interface ModelOutcome { status: ModelStatus; region: string; category: string; unparked?: string[] }

/** Per-event values apply.lua gets as ARGV, and the helpers shared by the feeds. */
export interface StepContext {
  day: string
  bucket: string
  explicitDeadline: number | null
}
