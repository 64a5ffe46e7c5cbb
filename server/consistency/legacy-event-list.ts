/**
 * The event list of a subject stored before subjects kept one (apply.lua
 * before the ev: lists): synthesised from its hash and its old history list
 * (h:<feed>:<subject>, the last 100 steps as {type, at, applied}). apply.lua
 * derives a subject from its list before and after each new event and writes
 * only the difference, so the list must derive the hash as stored — state,
 * deadline, intake and registration days, milestones, rating — and the next
 * step then moves each counter exactly once. Counters are not touched here.
 * Ids are synthetic (`legacy:<feed>:<subject>:<n>`): old ids were never kept.
 */
import { bucketOfDay, dayKey } from '../domain/clock.ts'
import type { ValidEvent } from '../domain/events.ts'
import { CASE_LIFECYCLE, HOTLINE_LIFECYCLE, SERVICE_LIFECYCLE, type Transition } from '../domain/lifecycles.ts'

export type LegacyFeed = 'case' | 'hotline' | 'service'
export interface LegacyStep { type: string; at: number; applied: boolean }
/** One entry of an ev: list as apply.lua keeps it. */
export interface ListEntry { id: string; t: number; e: string; c: string; d: string; b: string; i: string; x?: number }
export interface LegacyList { events: ValidEvent[]; entries: ListEntry[]; intake: string; fromHistory: boolean }

const TABLES: Record<LegacyFeed, Record<string, Transition>> = { case: CASE_LIFECYCLE, hotline: HOTLINE_LIFECYCLE, service: SERVICE_LIFECYCLE }
const INTAKE: Record<LegacyFeed, string> = { case: 'reported', hotline: 'received', service: 'accepted' }
/** Steps that set the deadline: the last of them takes the stored one. */
const SETS_DEADLINE: Record<LegacyFeed, string[]> = { case: ['registered', 'extended'], hotline: ['received', 'extended', 'reopened'], service: ['accepted'] }
/** A path to each state when no usable history is left (trimmed to 100 steps, or missing). */
const PATHS: Record<LegacyFeed, Record<string, string[]>> = {
  case: {
    REPORTED: ['reported'], REGISTERED: ['reported', 'registered'], DISPATCHED: ['reported', 'registered', 'dispatched'],
    DISPOSED: ['reported', 'registered', 'dispatched', 'disposed'], CLOSED: ['reported', 'registered', 'dispatched', 'disposed', 'closed'],
    CANCELLED: ['reported', 'cancelled'],
  },
  hotline: {
    RECEIVED: ['received'], DISPATCHED: ['received', 'dispatched'], REPLIED: ['received', 'dispatched', 'replied'],
    CLOSED: ['received', 'dispatched', 'replied', 'closed'], VOID: ['received', 'voided'],
  },
  service: {
    ACCEPTED: ['accepted'], FORWARDED: ['accepted', 'forwarded'], WAITING: ['accepted', 'returnedForDocs'],
    COMPLETED: ['accepted', 'completed'], DELIVERED: ['accepted', 'completed', 'delivered'], WITHDRAWN: ['accepted', 'withdrawn'],
  },
}
/** The milestone whose stored time a step of the fallback path takes. */
const MILESTONE_OF: Record<string, string> = { disposed: 'disposed', rework: 'reworked', closed: 'closed', directClosed: 'closed', completed: 'completed', accepted: 'accepted' }

/** Whether the steps walk the lifecycle from nothing to `state`. */
function walks(feed: LegacyFeed, types: string[], state: string): boolean {
  let s = ''
  let prev = ''
  for (const type of types) {
    const t = TABLES[feed][type]
    if (!t || !t.from.includes(s)) return false
    if (t.to === '<') s = prev
    else if (t.to !== '=') {
      if (type === 'returnedForDocs') prev = s
      s = t.to
    }
  }
  return s === state
}

/** Noon UTC of a day key: inside that calendar day in every zone within ±11 h. */
const noonOf = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)), 12)

/** The steps (type, at) the list is made of: the history when it walks to the stored state, else a path to it. */
function stepsOf(feed: LegacyFeed, h: Record<string, string>, history: LegacyStep[], zone: string): { steps: { type: string; at: number }[]; fromHistory: boolean } {
  const applied = history.filter((s) => s.applied)
  const types = applied.map((s) => s.type)
  if (types[0] === INTAKE[feed] && walks(feed, types, h.state ?? '')) return { steps: applied, fromHistory: true }
  let path = PATHS[feed][h.state ?? ''] ?? []
  if (feed === 'case' && h.state === 'CLOSED' && !h.cday) path = ['reported', 'closed'] // 自行处置
  if (feed === 'service' && h.state === 'WAITING' && h.prev === 'FORWARDED') path = ['accepted', 'forwarded', 'returnedForDocs']
  // from no later than any time known (milestones, what history is left), inside the intake day
  const known = [...Object.keys(h).filter((f) => f.startsWith('m.')).map((f) => Number(h[f])), ...history.map((s) => s.at)].filter((t) => Number.isFinite(t) && t > 0)
  let at = Math.min(noonOf(h.iday ?? '19700101'), ...known)
  const steps = path.map((type) => {
    const m = Number(h[`m.${MILESTONE_OF[type] ?? ''}`])
    if (type === 'registered' && h.cday && dayKey(at, zone) < h.cday) at = Math.max(at, noonOf(h.cday))
    if (Number.isFinite(m) && m > 0) at = type === INTAKE[feed] ? m : Math.max(at, m)
    return { type, at }
  })
  return { steps, fromHistory: false }
}

/** The event list (and the events, for a check against the model) that derives the stored hash `h`. */
export function legacyEventList(feed: LegacyFeed, subject: string, h: Record<string, string>, history: LegacyStep[], zone: string): LegacyList {
  const { steps, fromHistory } = stepsOf(feed, h, history, zone)
  const deadline = h.deadline ? Number(h.deadline) : undefined
  const lastSetter = steps.map((s) => s.type).findLastIndex((t) => SETS_DEADLINE[feed].includes(t))
  const chain = h.chain ?? ''
  const events: ValidEvent[] = []
  const entries: ListEntry[] = []
  let intake = ''
  steps.forEach((s, n) => {
    const attrs: Record<string, unknown> = {}
    const e: ValidEvent = { id: `legacy:${feed}:${subject}:${n + 1}`, feed, type: s.type, subject, at: s.at, attrs }
    let i = ''
    // the deadline in force now is the stored one; an extension before the last one keeps it too (its own is not known)
    const explicit = deadline !== undefined && (n === lastSetter || s.type === 'extended') && !(n === 0 && feed !== 'case')
    if (explicit) attrs.deadline = new Date(deadline).toISOString()
    if (s.type === INTAKE[feed]) {
      if (h.category) e.category = h.category
      if (feed === 'case') {
        attrs.priority = h.priority ?? 'normal'
        i = h.sla ?? '0'
      } else {
        // hotline received / service accepted: the intake deadline (the SLA a reopen takes is counted from it)
        i = String(deadline ?? s.at)
        if (feed === 'hotline') attrs.kind = h.kind ?? 'other'
        else attrs.scope = h.scope ?? 'local'
      }
      intake = i
    }
    if (s.type === 'rated') Object.assign(attrs, { satisfaction: h.sat ?? 'satisfied', solved: h.solved === '1', contacted: h.contacted === '1' })
    events.push(e)
    // the day of the step; the intake and registration days as stored (they key the cohort counters)
    const d = s.type === INTAKE[feed] && h.iday ? h.iday : s.type === 'registered' && h.cday ? h.cday : dayKey(s.at, zone)
    entries.push({
      id: e.id, t: s.at, e: JSON.stringify(e), c: chain, d, b: String(bucketOfDay(s.at, zone)), i,
      ...(explicit ? { x: deadline } : {}),
    })
  })
  // a rating is the latest: one at the end carries it when the history held none
  if (h.sat && !steps.some((s) => s.type === 'rated')) {
    const at = steps.at(-1)?.at ?? noonOf(h.iday ?? '19700101')
    const e: ValidEvent = {
      id: `legacy:${feed}:${subject}:${steps.length + 1}`, feed, type: 'rated', subject, at,
      attrs: { satisfaction: h.sat, solved: h.solved === '1', contacted: h.contacted === '1' },
    }
    events.push(e)
    entries.push({ id: e.id, t: at, e: JSON.stringify(e), c: chain, d: dayKey(at, zone), b: String(bucketOfDay(at, zone)), i: '' })
  }
  return { events, entries, intake, fromHistory }
}
