/**
 * Case, hotline and service subjects in the apply model, step for step as in apply.lua:
 * a subject is derived from its own events in event-time order (events that
 * do not fit are parked and retried after each later step); a new event is
 * inserted at its time and only the difference of the two derivations is
 * written, so arrival order never changes the result.
 */
import {
  hincrby, luaNumber, luaTruthy, sadd, srem, zadd, zrem,
  type ModelEntry, type ModelInput, type ModelOutcome, type ModelState, type StepContext, type SubjectState,
} from './apply-model-state.ts'
import { lifecycleOf, SERVICE_OPEN, type Transition } from '../domain/lifecycles.ts'
import { COUNTER as C, COUNTER_FAMILY as CF, hotlineKindCounter } from '../domain/counters.ts'
import { CLOCK_STOPPED, serviceStep, type DeriveContext } from './apply-model-service.ts'
import { regionKeys as K } from '../store/keys.ts'

const HOUR = 3_600_000
const CASE_OPEN = new Set(['REGISTERED', 'DISPATCHED', 'DISPOSED'])
const HOTLINE_OPEN = new Set(['RECEIVED', 'DISPATCHED', 'REPLIED'])
const OPEN: Record<SubjectFeed, ReadonlySet<string>> = { case: CASE_OPEN, hotline: HOTLINE_OPEN, service: new Set(SERVICE_OPEN) }
type SubjectFeed = 'case' | 'hotline' | 'service'

/** What one derivation of a subject adds: counters, open-set scores, pending sets, the subject, which entries applied. */
interface Derived {
  h: Map<string, Map<string, number>>
  z: Map<string, number>
  s: Set<string>
  sub: SubjectState | null
  ok: boolean[]
}

/** Insert at its event time, after every entry of the same or an earlier time. */
export function insertByTime<T extends { t: number }>(list: T[], entry: T): void {
  let pos = list.length
  while (pos > 0 && list[pos - 1]!.t > entry.t) pos--
  list.splice(pos, 0, entry)
}

/** Apply a case, hotline (non-call) or service event: it takes effect, or is parked until its predecessors arrive. */
export function applySubjectEvent(s: ModelState, input: ModelInput, x: StepContext): ModelOutcome {
  const e = input.event
  const feed: SubjectFeed = e.feed === 'case' || e.feed === 'service' ? e.feed : 'hotline'
  const key = `${feed}:${e.subject}`
  const list = s.lists.get(key) ?? []
  const before = derive(feed, list)
  const entry: ModelEntry = {
    id: e.id, t: e.at, event: e, chain: input.chain.join(','), day: x.day, bucket: x.bucket,
    intake: input.intake, explicit: x.explicitDeadline, parked: false, ...(input.pausesOnDocs ? { pauses: true } : {}),
  }
  insertByTime(list, entry)
  s.lists.set(key, list)
  const after = derive(feed, list)
  writeDifference(s, e.subject, before, after)
  if (after.sub) s.subjects.set(key, after.sub)
  else s.subjects.delete(key)
  const unparked = list.filter((en, i) => en !== entry && en.parked && !en.reparked && after.ok[i]).map((en) => en.id)
  list.forEach((en, i) => {
    if (after.ok[i]) delete en.reparked
    else if (!en.parked && en !== entry) en.reparked = true
    en.parked = !after.ok[i]
  })
  const region = after.sub?.chain[0] ?? input.chain[0] ?? ''
  const category = after.sub?.category ?? ''
  const out: ModelOutcome = { status: entry.parked ? 'outOfOrder' : 'applied', region, category, ...(unparked.length > 0 ? { unparked } : {}) }
  if (entry.parked) hincrby(s, 'stats', 'outOfOrder', 1)
  return out
}

/** A parked event refused after the park window: it leaves its subject's list and changes nothing else. */
export function dropParked(s: ModelState, feed: string, subject: string, id: string): boolean {
  const key = `${feed}:${subject}`
  const list = s.lists.get(key)
  const i = list?.findIndex((en) => en.id === id && en.parked) ?? -1
  if (!list || i < 0) return false
  list.splice(i, 1)
  if (list.length === 0) s.lists.delete(key)
  hincrby(s, 'stats', 'refused', 1)
  return true
}

function writeDifference(s: ModelState, subject: string, before: Derived, after: Derived): void {
  for (const [key, fields] of after.h) {
    const old = before.h.get(key)
    for (const [field, n] of fields) {
      const was = old?.get(field)
      const d = n - (was ?? 0)
      if (d !== 0 || was === undefined) hincrby(s, key, field, d)
    }
  }
  for (const [key, fields] of before.h) {
    const now = after.h.get(key)
    for (const [field, n] of fields) if (now?.get(field) === undefined && n !== 0) hincrby(s, key, field, -n)
  }
  for (const [key, score] of after.z) if (before.z.get(key) !== score) zadd(s, key, score, subject)
  for (const key of before.z.keys()) if (!after.z.has(key)) zrem(s, key, subject)
  for (const key of after.s) if (!before.s.has(key)) sadd(s, key, subject)
  for (const key of before.s) if (!after.s.has(key)) srem(s, key, subject)
}

function derive(feed: SubjectFeed, entries: readonly ModelEntry[]): Derived {
  const table: Record<string, Transition> = lifecycleOf(feed)!
  const W: Derived = { h: new Map(), z: new Map(), s: new Set(), sub: null, ok: entries.map(() => false) }
  const add = (key: string, field: string, n: number) => {
    let h = W.h.get(key)
    if (!h) W.h.set(key, (h = new Map()))
    h.set(field, (h.get(field) ?? 0) + n)
  }
  const sub: SubjectState = { state: '', chain: [], milestones: new Map() }
  const cnt = (d: string, field: string, n: number) => {
    for (const r of sub.chain) {
      add(K.day(r, d), field, n)
      add(K.month(r, d.slice(0, 6)), field, n)
      add(K.year(r, d.slice(0, 4)), field, n)
    }
  }
  const marks = (en: ModelEntry, category: string) => {
    for (const r of sub.chain) {
      add(K.trend(r, en.day), en.bucket, 1)
      add(K.categories(r, en.day), category, 1)
    }
  }
  const milestone = (name: string, t: number) => {
    if (sub.milestones.has(name)) return false
    sub.milestones.set(name, t)
    return true
  }
  let slaMs = 0
  const ctx: DeriveContext = { sub, cnt, milestone, errand: { pauses: false } }

  const step = (en: ModelEntry): boolean => {
    const e = en.event
    const t = Object.hasOwn(table, e.type) ? table[e.type] : undefined
    if (!t || !t.from.includes(sub.state)) return false
    const a = e.attrs
    const when = en.t
    const onTime = sub.deadline !== undefined && when <= sub.deadline
    if (feed === 'service') serviceStep(ctx, en, onTime, t.to)
    else if (feed === 'case') {
      switch (e.type) {
        case 'reported':
          sub.chain = en.chain.split(',').filter(Boolean)
          Object.assign(sub, { iday: en.day, category: e.category, sla: en.intake, priority: (a.priority as string | undefined) ?? 'normal' })
          cnt(en.day, C.caseReported, 1)
          marks(en, e.category ?? '')
          break
        case 'registered':
          sub.cday = en.day
          sub.deadline = en.explicit ?? when + (luaNumber(sub.sla) ?? 0) * HOUR
          cnt(sub.iday!, C.caseReportedRegistered, 1)
          cnt(en.day, C.caseRegistered, 1)
          break
        case 'extended':
          sub.deadline = en.explicit ?? undefined
          break
        case 'disposed':
          if (milestone('disposed', when)) {
            cnt(sub.cday!, C.caseDisposed, 1)
            if (onTime) cnt(sub.cday!, C.caseDisposedOnTime, 1)
          }
          break
        case 'rework':
          if (milestone('reworked', when)) cnt(sub.cday!, C.caseReworked, 1)
          break
        case 'closed':
          cnt(en.day, C.caseClosedFlow, 1)
          if (sub.state === 'REPORTED') cnt(sub.iday!, C.caseSelfClosed, 1)
          else {
            cnt(sub.cday!, C.caseClosedRegistered, 1)
            if (onTime) cnt(sub.cday!, C.caseClosedOnTime, 1)
          }
          if ((sub.category ?? '').startsWith('dispute.')) {
            // self-closed disputes were never registered: they count in their reporting day
            cnt(sub.cday ?? sub.iday!, C.caseDisputeClosed, 1)
            if (a.outcome === 'success') cnt(sub.cday ?? sub.iday!, C.caseDisputeSuccess, 1)
          }
          break
        case 'urged':
          cnt(en.day, C.caseUrgedFlow, 1)
          break
      }
    } else {
      switch (e.type) {
        case 'received': {
          sub.chain = en.chain.split(',').filter(Boolean)
          const intake = luaNumber(en.intake)
          slaMs = intake !== null ? intake - when : 0
          Object.assign(sub, { iday: en.day, category: e.category, kind: a.kind as string })
          sub.deadline = en.explicit ?? intake ?? undefined
          cnt(en.day, C.hotlineReceived, 1)
          cnt(en.day, hotlineKindCounter(a.kind as string), 1)
          marks(en, e.category ?? '')
          break
        }
        case 'extended':
          sub.deadline = en.explicit ?? undefined
          break
        case 'directClosed':
        case 'closed':
          cnt(en.day, C.hotlineClosedFlow, 1)
          if (milestone('closed', when)) {
            cnt(sub.iday!, C.hotlineClosed, 1)
            if (e.type === 'directClosed') cnt(sub.iday!, C.hotlineDirectClosed, 1)
            if (onTime) cnt(sub.iday!, C.hotlineClosedOnTime, 1)
          }
          break
        case 'reopened':
          // a reopened order is due again: its own deadline, else the SLA from the reopen time
          sub.deadline = en.explicit ?? when + slaMs
          break
        case 'urged':
          cnt(en.day, C.hotlineUrgedFlow, 1)
          break
        case 'voided':
          // a voided order leaves the received cohort (and its kind)
          cnt(sub.iday!, C.hotlineVoided, 1)
          cnt(sub.iday!, C.hotlineReceived, -1)
          cnt(sub.iday!, hotlineKindCounter(String(sub.kind)), -1)
          break
        case 'rated':
          Object.assign(sub, { sat: a.satisfaction as string, solved: luaTruthy(a.solved), contacted: luaTruthy(a.contacted) })
          break
      }
    }
    // '<': service resumed goes back to the state before WAITING
    if (t.to === '<') sub.state = sub.prev ?? sub.state
    else if (t.to !== '=') sub.state = t.to
    return true
  }

  const waiting: number[] = []
  entries.forEach((en, i) => {
    if (!step(en)) return void waiting.push(i)
    W.ok[i] = true
    // every step may let parked ones fit: retry them, earliest first, until none does
    for (let again = true; again;) {
      again = false
      for (const [j, k] of waiting.entries()) {
        if (step(entries[k]!)) {
          W.ok[k] = true
          waiting.splice(j, 1)
          again = true
          break
        }
      }
    }
  })
  if (sub.sat !== undefined && feed === 'service') {
    // as 12345: an errand's satisfaction is its latest rating (by event time), counted once
    cnt(sub.iday!, C.serviceRated, 1)
    cnt(sub.iday!, `${CF.serviceRating}${sub.sat}`, 1)
  } else if (sub.sat !== undefined) {
    // a subject's satisfaction is its latest rating (by event time): counted once
    cnt(sub.iday!, C.hotlineRated, 1)
    cnt(sub.iday!, `${CF.hotlineRating}${sub.sat}`, 1)
    if (sub.solved) cnt(sub.iday!, C.hotlineSolved, 1)
    if (sub.contacted) cnt(sub.iday!, C.hotlineContacted, 1)
  }
  if (OPEN[feed].has(sub.state) && sub.deadline !== undefined) {
    const score = sub.paused !== undefined ? CLOCK_STOPPED : sub.deadline // service: a stopped clock is never due
    for (const r of sub.chain) W.z.set(K.open(feed, r), score)
  }
  if (sub.state === 'REPORTED') for (const r of sub.chain) W.s.add(K.pending(r))
  W.sub = sub.state === '' ? null : sub
  return W
}
