/**
 * An independent recount of the KPIs of DESIGN §6 from the events exactly as
 * they were sent, for tests that compare it with what the server serves.
 * Written from the DESIGN text, not from the server: it does not use
 * apply.lua, the apply model, the store, server/domain/kpis.ts or the server's
 * lifecycle tables (§5 is written out again below). Only the region tree
 * (RegionIndex: chains and point lookup, passed in) and config/categories.json
 * (SLAs, the weight of a 'basic' rating) are shared with the server, as contracts.
 *
 * Style: first the facts of each subject — its own events (first occurrence of
 * an id) walked in event-time order through the lifecycle table; a step that
 * does not fit the state reached so far waits (parked) and is tried again after
 * every later step (DESIGN §5); note when each milestone was first reached and
 * whether that was by the deadline in force at that moment. So the facts do not
 * depend on arrival order. Arrival order only decides which events the server
 * answers as `outOfOrder` (parked when they arrived): the walk is repeated over
 * what had arrived so far. Then each KPI of a region and period is a
 * filter-and-count over the facts.
 *
 * The 便民服务代办 feed (DESIGN §6) is recounted with a table of its own
 * written here from the DESIGN text (SERVICE_STEPS), not the server's. Issue 16's
 * 补正 pause is recounted from its words: an item that says it pauses
 * (`pausesOnDocs` in categories.json) stops its errand's clock from
 * `returnedForDocs` until the errand leaves WAITING; then its deadline is later
 * by the time waited (event times), and while it waits it is not overdue.
 *
 * Where DESIGN leaves a choice open, the behaviour of
 * server/store/lua/apply.lua was read and is followed here; each such
 * place is marked "apply.lua:".
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { RegionIndex } from '../../server/domain/regions.ts'

/**
 * DESIGN §5, written out: type → [states it may follow, state it leads to ('=' keeps the state;
 * 'BACK' goes back to where the subject was before it started waiting, told by the walk's `apply`)].
 */
type Table = Record<string, [from: string[], to: string]>
const CASE_OPEN = ['REGISTERED', 'DISPATCHED', 'DISPOSED']
const CASE_STEPS: Table = {
  reported: [[''], 'REPORTED'], registered: [['REPORTED'], 'REGISTERED'], cancelled: [['REPORTED'], 'CANCELLED'],
  dispatched: [['REGISTERED'], 'DISPATCHED'], returned: [['DISPATCHED'], 'REGISTERED'], extended: [CASE_OPEN, '='],
  disposed: [['DISPATCHED'], 'DISPOSED'], rework: [['DISPOSED'], 'DISPATCHED'], closed: [['DISPOSED', 'REPORTED'], 'CLOSED'],
  urged: [['REPORTED', ...CASE_OPEN], '='],
}
const ORDER_OPEN = ['RECEIVED', 'DISPATCHED', 'REPLIED']
const ORDER_STEPS: Table = {
  received: [[''], 'RECEIVED'], directClosed: [['RECEIVED'], 'CLOSED'], dispatched: [['RECEIVED'], 'DISPATCHED'],
  returned: [['DISPATCHED'], 'RECEIVED'], extended: [ORDER_OPEN, '='], urged: [ORDER_OPEN, '='],
  replied: [['DISPATCHED'], 'REPLIED'], reopened: [['REPLIED', 'CLOSED'], 'DISPATCHED'], closed: [['REPLIED'], 'CLOSED'],
  rated: [[...ORDER_OPEN, 'CLOSED'], '='], voided: [['RECEIVED'], 'VOID'],
}
/**
 * 便民服务代办 as DESIGN §6 words it: 受理 creates the errand; 转办 from ACCEPTED; 补正
 * from ACCEPTED or FORWARDED waits for the resident; resumed goes BACK to where
 * it waited from; 办结 from any open state; 送达 after 办结; 撤回 from any open state;
 * 回访 from anything but WITHDRAWN, state unchanged.
 */
const ERRAND_OPEN = ['ACCEPTED', 'FORWARDED', 'WAITING']
const SERVICE_STEPS: Table = {
  accepted: [[''], 'ACCEPTED'], forwarded: [['ACCEPTED'], 'FORWARDED'], returnedForDocs: [['ACCEPTED', 'FORWARDED'], 'WAITING'],
  resumed: [['WAITING'], 'BACK'], completed: [ERRAND_OPEN, 'COMPLETED'], delivered: [['COMPLETED'], 'DELIVERED'],
  withdrawn: [ERRAND_OPEN, 'WITHDRAWN'], rated: [[...ERRAND_OPEN, 'COMPLETED', 'DELIVERED'], '='],
}

/**
 * Walk one subject's events in event-time order (equal times: as given), parking a step that does
 * not fit and trying the parked ones again after each step that did; `apply` sees each step taken,
 * with the state before it (and names the state a 'BACK' step leads to). Returns the events left parked.
 */
function walk<E extends { at: string; type: string }>(
  events: readonly E[], table: Table, apply: (e: E, from: string) => string | undefined | void,
): E[] {
  const byTime = events.map((e, i) => ({ e, i, t: Date.parse(e.at) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e)
  let state = ''
  const take = (e: E): boolean => {
    const rule = Object.hasOwn(table, e.type) ? table[e.type] : undefined
    if (!rule || !rule[0].includes(state)) return false
    const back = apply(e, state)
    if (rule[1] === 'BACK') state = back ?? state
    else if (rule[1] !== '=') state = rule[1]
    return true
  }
  const waiting: E[] = []
  for (const e of byTime) {
    if (!take(e)) { waiting.push(e); continue }
    for (let k = 0; k < waiting.length;) {
      if (take(waiting[k]!)) { waiting.splice(k, 1); k = 0 } else k++
    }
  }
  return waiting
}

export type RecountPeriod = 'today' | '7d' | 'month' | 'year'
export type KpiRow = Record<string, number | null>

/** Every KPI key of DESIGN §6 (plus `calls`, the denominator of answerRate, which the wire carries too). */
export const RECOUNT_KEYS = [
  'caseReported', 'caseRegistered', 'registerRate', 'disposalRate', 'onTimeDisposalRate', 'closeRate',
  'onTimeCloseRate', 'reworkRate', 'caseClosedFlow', 'hotlineClosedFlow', 'caseOpen', 'caseOverdue', 'casePending',
  'mediationSuccessRate', 'hotlineReceived', 'calls', 'answerRate', 'directCloseRate', 'hotlineCloseRate',
  'onTimeHotlineCloseRate', 'satisfactionRate', 'solveRate', 'responseRate', 'hotlineOpen', 'hotlineOverdue',
  'workersOnDuty', 'patrols', 'visits', 'households', 'patrolCoverage', 'alerts', 'alertsCritical',
  'serviceAccepted', 'serviceAcceptedLocal', 'serviceAcceptedOutside', 'serviceCompleteRate', 'onTimeServiceCompleteRate',
  'onTimeServiceCompleteRateLocal', 'onTimeServiceCompleteRateOutside', 'serviceOpen', 'serviceOverdue', 'serviceAvgHours',
  'serviceSatisfactionRate', 'agentVisits', 'agentVisitRate',
] as const

const HOUR = 3_600_000
const DAY = 86_400_000
// Asia/Shanghai has kept +08:00 without daylight saving since 1991: a fixed shift gives the calendar day.
const SHANGHAI = 8 * HOUR

/** yyyy-mm-dd of an instant in Asia/Shanghai. */
export const shanghaiDay = (ms: number): string => new Date(ms + SHANGHAI).toISOString().slice(0, 10)

interface CategoryFile {
  satisfactionBasicWeight?: number
  case: { code: string; children: { code: string; sla?: { normal: number; urgent: number } }[] }[]
  hotlineSla: Record<string, { normal: number; urgent: number }>
  service?: { code: string; children: { code: string; limitDays?: number; pausesOnDocs?: boolean }[] }[]
  serviceLimitDays?: { local: number; outside: number }
  agentVisitsPerVillagePerWeek?: number
}

/** What the recount knows of a case (数字城管 / 网格事件). */
export interface CaseFacts {
  subject: string
  chain: readonly string[] // intake region, deepest first
  dispute: boolean
  reportedAt: number
  registeredAt?: number
  disposedAt?: number // first time DISPOSED was reached
  disposedByDeadline: boolean
  reworked: boolean
  closedAt?: number
  closedFrom?: 'REPORTED' | 'DISPOSED'
  closedByDeadline: boolean
  outcome?: unknown
  state: string // after the last applied event
  deadline?: number // in force after the last applied event
}

/** What the recount knows of a 12345 work order. */
export interface OrderFacts {
  subject: string
  chain: readonly string[]
  receivedAt: number
  deadline: number
  firstClose?: { at: number; direct: boolean; byDeadline: boolean }
  closeTimes: number[] // every applied close (办结 and 直接办结): the flow count
  rating?: { satisfaction: unknown; solved: boolean; contacted: boolean } // the latest
  state: string
}

/** What the recount knows of a 代办 errand. */
export interface ErrandFacts {
  subject: string
  chain: readonly string[]
  acceptedAt: number
  scope: 'local' | 'outside'
  deadline: number // in force: moved later by every finished wait of an item that pauses
  pauses: boolean // the item stops the clock while the errand waits for documents
  waitingSince?: number // the clock stands still since then (a pausing item in WAITING)
  completedAt?: number
  completedByDeadline: boolean
  withdrawn: boolean
  satisfaction?: unknown // the latest rating
  state: string
}

interface WorkerFacts { subject: string; on: boolean; chain: readonly string[] }
interface CallFact { chain: readonly string[]; at: number; answered: boolean }
interface GridFlow { chain: readonly string[]; at: number; type: 'patrol' | 'visit' | 'alert'; households: number; critical: boolean; grid: string | null; agent: boolean }

export interface RecountTotals {
  /** Items that are not a replayed id: the server's `accepted` (parked ones included). */
  accepted: number
  duplicates: number
  /** Events parked when they arrived (the server's `outOfOrder`), whether or not they took effect later. */
  outOfOrder: number
  /** Events still parked after everything arrived: refused once the park window passes. */
  parked: EventEnvelope[]
  parkedByType: Record<string, number>
}

export interface Recount {
  totals: RecountTotals
  cases: CaseFacts[]
  orders: OrderFacts[]
  errands: ErrandFacts[]
  /** KPI values of a region for a period, at the channel instant `now` (also decides which days the period holds). */
  kpis(region: string, period: RecountPeriod, now: number): KpiRow
}

export interface RecountOptions {
  regions: RegionIndex
  /** Path of categories.json; default config/categories.json of this repository. */
  categoriesFile?: string
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den)
const parseTime = (v: unknown): number | undefined => (typeof v === 'string' ? Date.parse(v) : undefined)

/** Recount from the events in the exact order they were sent. */
export function recount(arrival: readonly EventEnvelope[], o: RecountOptions): Recount {
  const categories = JSON.parse(
    readFileSync(o.categoriesFile ?? resolve(import.meta.dirname, '../../config/categories.json'), 'utf8'),
  ) as CategoryFile
  const caseSla = new Map<string, { normal: number; urgent: number }>()
  for (const group of categories.case) for (const c of group.children) if (c.sla) caseSla.set(c.code, c.sla)
  const hotlineSla = (kind: unknown) => categories.hotlineSla[String(kind)] ?? categories.hotlineSla.other ?? { normal: 72, urgent: 24 }
  const basicWeight = categories.satisfactionBasicWeight ?? 0.9
  // 限: an item's own limit in days, else 7 days for an errand done in the township and 30 for one that needs an outside office
  const itemLimit = new Map<string, number | undefined>()
  const itemPauses = new Set<string>()
  for (const group of categories.service ?? []) {
    for (const c of group.children) {
      itemLimit.set(c.code, c.limitDays)
      if (c.pausesOnDocs === true) itemPauses.add(c.code)
    }
  }
  const scopeLimit = categories.serviceLimitDays ?? { local: 7, outside: 30 }
  const plannedPerVillageWeek = categories.agentVisitsPerVillagePerWeek ?? 1
  const regions = o.regions
  const root = regions.root.code

  // The region an event names: the deepest region containing its location, else its region code (DESIGN §4).
  const placeOf = (e: EventEnvelope): string | null => {
    if (e.location) {
      const hit = regions.locate(e.location[0], e.location[1])
      if (hit) return hit.code
    }
    return e.region ?? null
  }
  const chainOf = (code: string | null): readonly string[] => (code ? regions.chain(code) : [])

  // 1. Idempotency: only the first occurrence of an id exists; the rest are duplicates.
  const seen = new Set<string>()
  const unique: EventEnvelope[] = []
  for (const e of arrival) {
    if (seen.has(e.id)) continue
    seen.add(e.id)
    unique.push(e)
  }
  const totals: RecountTotals = { accepted: unique.length, duplicates: arrival.length - unique.length, outOfOrder: 0, parked: [], parkedByType: {} }

  // 2. Each subject's own events, in arrival order.
  const calls: CallFact[] = []
  const bySubject = new Map<string, EventEnvelope[]>()
  for (const e of unique) {
    if (e.feed === 'hotline' && e.type === 'call') {
      // calls have no subject state: a flow by call day. apply.lua: a call that names no place counts at the city (root).
      const place = placeOf(e)
      calls.push({ chain: place ? chainOf(place) : [root], at: Date.parse(e.at), answered: e.attrs?.answered === true })
      continue
    }
    const key = `${e.feed}\u0000${e.subject}`
    const list = bySubject.get(key)
    if (list) list.push(e)
    else bySubject.set(key, [e])
  }

  const cases: CaseFacts[] = []
  const orders: OrderFacts[] = []
  const errands: ErrandFacts[] = []
  const workers: WorkerFacts[] = []
  const flows: GridFlow[] = []

  /** The facts of a case from all its events; `left` gets the events still parked. */
  const caseFacts = (events: readonly EventEnvelope[]): { facts?: CaseFacts; left: EventEnvelope[] } => {
    let c: CaseFacts | undefined
    let slaHours = 0
    const left = walk(events, CASE_STEPS, (e, from) => {
      const at = Date.parse(e.at)
      const attrs = e.attrs ?? {}
      if (e.type === 'reported') {
        c = {
          subject: e.subject, chain: chainOf(placeOf(e)), dispute: (e.category ?? '').startsWith('dispute.'),
          reportedAt: at, disposedByDeadline: false, reworked: false, closedByDeadline: false, state: '',
        }
        const sla = caseSla.get(e.category ?? '')
        if (!sla) throw new Error(`recount: no SLA for case category ${e.category}`)
        slaHours = attrs.priority === 'urgent' ? sla.urgent : sla.normal
      }
      const f = c!
      switch (e.type) {
        case 'registered':
          f.registeredAt = at
          f.deadline = parseTime(attrs.deadline) ?? at + slaHours * HOUR
          break
        case 'extended':
          f.deadline = parseTime(attrs.deadline)
          break
        case 'disposed':
          if (f.disposedAt === undefined) {
            f.disposedAt = at
            f.disposedByDeadline = f.deadline !== undefined && at <= f.deadline
          }
          break
        case 'rework':
          f.reworked = true
          break
        case 'closed':
          // CLOSED is terminal for a case, so this happens at most once per subject
          f.closedAt = at
          f.closedFrom = from === 'REPORTED' ? 'REPORTED' : 'DISPOSED'
          f.closedByDeadline = from !== 'REPORTED' && f.deadline !== undefined && at <= f.deadline
          f.outcome = attrs.outcome
          break
      }
      const rule = CASE_STEPS[e.type]!
      f.state = rule[1] === '=' ? from : rule[1]
    })
    return { facts: c, left }
  }

  /** The facts of a 12345 work order from all its events; `left` gets the events still parked. */
  const orderFacts = (events: readonly EventEnvelope[]): { facts?: OrderFacts; left: EventEnvelope[] } => {
    let h: OrderFacts | undefined
    let slaMs = 0
    let ratedAt = -Infinity
    const left = walk(events, ORDER_STEPS, (e, from) => {
      const at = Date.parse(e.at)
      const attrs = e.attrs ?? {}
      if (e.type === 'received') {
        const sla = hotlineSla(attrs.kind)
        slaMs = (attrs.urgency === 'urgent' ? sla.urgent : sla.normal) * HOUR
        h = { subject: e.subject, chain: chainOf(placeOf(e)), receivedAt: at, deadline: parseTime(attrs.deadline) ?? at + slaMs, closeTimes: [], state: '' }
      }
      const f = h!
      switch (e.type) {
        case 'extended':
          f.deadline = parseTime(attrs.deadline)!
          break
        case 'reopened':
          // DESIGN §5: a reopened order takes a new deadline, its own or the SLA from the reopen time
          f.deadline = parseTime(attrs.deadline) ?? at + slaMs
          break
        case 'directClosed':
        case 'closed':
          f.closeTimes.push(at)
          // the closed milestone counts once: the first close. apply.lua: directCloseRate counts orders
          // whose FIRST close was 直接办结 (a later directClosed after a reopen and a return does not count).
          f.firstClose ??= { at, direct: e.type === 'directClosed', byDeadline: at <= f.deadline }
          break
        case 'rated':
          // DESIGN: satisfaction is the latest rating, by event time
          if (at >= ratedAt) {
            ratedAt = at
            f.rating = { satisfaction: attrs.satisfaction, solved: attrs.solved === true, contacted: attrs.contacted === true }
          }
          break
      }
      const rule = ORDER_STEPS[e.type]!
      f.state = rule[1] === '=' ? from : rule[1]
    })
    return { facts: h, left }
  }

  /** The facts of a 代办 errand from all its events; `left` gets the events still parked. */
  const errandFacts = (events: readonly EventEnvelope[]): { facts?: ErrandFacts; left: EventEnvelope[] } => {
    let x: ErrandFacts | undefined
    let waitedFrom = ''
    let ratedAt = -Infinity
    const left = walk(events, SERVICE_STEPS, (e, from) => {
      const at = Date.parse(e.at)
      const attrs = e.attrs ?? {}
      if (e.type === 'accepted') {
        const scope = attrs.scope === 'outside' ? 'outside' : 'local'
        const days = itemLimit.get(String(attrs.item)) ?? scopeLimit[scope]
        x = {
          subject: e.subject, chain: chainOf(placeOf(e)), acceptedAt: at, scope,
          deadline: parseTime(attrs.deadline) ?? at + days * DAY, pauses: itemPauses.has(String(attrs.item)),
          completedByDeadline: false, withdrawn: false, state: '',
        }
      }
      const f = x!
      let next = SERVICE_STEPS[e.type]![1]
      // issue 16: leaving WAITING (resumed, completed, withdrawn) starts a stopped clock again, the deadline
      // later by the time it stood still; a step out of WAITING is judged against the moved deadline
      if (f.waitingSince !== undefined && next !== '=') {
        f.deadline += at - f.waitingSince
        f.waitingSince = undefined
      }
      switch (e.type) {
        case 'completed':
          // COMPLETED is never left for an open state: once per errand
          f.completedAt = at
          f.completedByDeadline = at <= f.deadline
          break
        case 'withdrawn':
          f.withdrawn = true
          break
        case 'rated':
          // as 12345: the latest rating by event time
          if (at >= ratedAt) {
            ratedAt = at
            f.satisfaction = attrs.satisfaction
          }
          break
        case 'returnedForDocs':
          waitedFrom = from
          if (f.pauses) f.waitingSince = at
          break
        case 'resumed':
          next = waitedFrom
          break
      }
      f.state = next === '=' ? from : next
      return next
    })
    return { facts: x, left }
  }

  /**
   * A grid worker: DESIGN §6, on duty when the latest onDuty/offDuty (by event time) is onDuty, counted
   * where that onDuty was. DESIGN §5: an offDuty with no onDuty before it waits (parked).
   * apply.lua: equal times go to the later arrival; position changes no KPI; patrol, visit and alert
   * count at the event's OWN place whatever the duty state; only a patrol whose place is a grid covers it.
   */
  const workerFacts = (events: readonly EventEnvelope[]): { facts?: WorkerFacts; left: EventEnvelope[] } => {
    const duty = events.filter((e) => e.type === 'onDuty' || e.type === 'offDuty')
    const firstOn = Math.min(...duty.filter((e) => e.type === 'onDuty').map((e) => Date.parse(e.at)))
    const left = duty.filter((e) => e.type === 'offDuty' && !(Date.parse(e.at) >= firstOn))
    const taking = duty.filter((e) => !left.includes(e))
    let latest: EventEnvelope | undefined
    for (const e of taking) if (!latest || Date.parse(e.at) >= Date.parse(latest.at)) latest = e
    if (!duty.some((e) => e.type === 'onDuty')) return { left }
    const lastOn = taking.filter((e) => e.type === 'onDuty').reduce((a, e) => (Date.parse(e.at) >= Date.parse(a.at) ? e : a))
    return { facts: { subject: duty[0]!.subject, on: latest?.type === 'onDuty', chain: latest?.type === 'onDuty' ? chainOf(placeOf(lastOn)) : [] }, left }
  }

  const factsOf = (events: readonly EventEnvelope[]) => {
    const feed = events[0]!.feed
    return feed === 'case' ? caseFacts(events) : feed === 'hotline' ? orderFacts(events) : feed === 'service' ? errandFacts(events) : workerFacts(events)
  }

  for (const events of bySubject.values()) {
    // outOfOrder as the server answers it: the event was parked when it arrived
    for (let k = 0; k < events.length; k++) {
      const e = events[k]!
      if (e.feed === 'grid' && e.type !== 'offDuty') continue
      if (factsOf(events.slice(0, k + 1)).left.includes(e)) totals.outOfOrder++
    }
    const { facts, left } = factsOf(events)
    for (const e of left) {
      totals.parked.push(e)
      const k = `${e.feed}.${e.type}`
      totals.parkedByType[k] = (totals.parkedByType[k] ?? 0) + 1
    }
    const feed = events[0]!.feed
    if (feed === 'case' && facts) cases.push(facts as CaseFacts)
    else if (feed === 'hotline' && facts) orders.push(facts as OrderFacts)
    else if (feed === 'service' && facts) errands.push(facts as ErrandFacts)
    else if (feed === 'grid') {
      if (facts) workers.push(facts as WorkerFacts)
      for (const e of events) {
        if (e.type !== 'patrol' && e.type !== 'visit' && e.type !== 'alert') continue
        const place = placeOf(e)
        const households = Number(e.attrs?.households)
        flows.push({
          chain: chainOf(place), at: Date.parse(e.at), type: e.type,
          households: e.type === 'visit' && Number.isFinite(households) ? households : 0,
          critical: e.type === 'alert' && e.attrs?.severity === 'critical',
          grid: place && regions.get(place)?.level === 'grid' ? place : null,
          agent: e.type === 'visit' && e.attrs?.role === 'agent', // 巡回代办 (定) of a service agent
        })
      }
    }
  }

  // 3. Index the facts by every region of their chain (a parent holds its children's and its own).
  const index = <T extends { chain: readonly string[] }>(items: T[]) => {
    const m = new Map<string, T[]>()
    for (const it of items) for (const r of it.chain) (m.get(r) ?? m.set(r, []).get(r)!).push(it)
    return m
  }
  const casesIn = index(cases)
  const ordersIn = index(orders)
  const callsIn = index(calls)
  const flowsIn = index(flows)
  const workersIn = index(workers)
  const errandsIn = index(errands)
  const gridsIn = new Map<string, number>()
  const villagesIn = new Map<string, number>()
  for (const f of regions.collection.features) {
    const tally = f.properties.level === 'grid' ? gridsIn : f.properties.level === 'village' ? villagesIn : null
    if (tally) for (const r of regions.chain(f.properties.code)) tally.set(r, (tally.get(r) ?? 0) + 1)
  }
  /** Days a period holds at `now`, for the visit plan: 1, 7, the month so far, the year so far. */
  const daysOf = (period: RecountPeriod, now: number): number => {
    if (period === 'today') return 1
    if (period === '7d') return 7
    const today = shanghaiDay(now)
    const first = Date.parse(`${period === 'month' ? today.slice(0, 8) + '01' : today.slice(0, 5) + '01-01'}T00:00:00Z`)
    return Math.round((Date.parse(`${today}T00:00:00Z`) - first) / DAY) + 1
  }

  /** Which Shanghai days a period holds at `now`: today; today and the 6 days before; the month; the year. */
  const periodTest = (period: RecountPeriod, now: number): ((ms: number | undefined) => boolean) => {
    const today = shanghaiDay(now)
    if (period === 'today') return (ms) => ms !== undefined && shanghaiDay(ms) === today
    if (period === '7d') {
      const days = new Set(Array.from({ length: 7 }, (_, i) => shanghaiDay(now - i * DAY)))
      return (ms) => ms !== undefined && days.has(shanghaiDay(ms))
    }
    const prefix = period === 'month' ? today.slice(0, 7) : today.slice(0, 4)
    return (ms) => ms !== undefined && shanghaiDay(ms).startsWith(prefix)
  }

  function kpis(region: string, period: RecountPeriod, now: number): KpiRow {
    const inP = periodTest(period, now)
    const cs = casesIn.get(region) ?? []
    const os = ordersIn.get(region) ?? []
    const cl = callsIn.get(region) ?? []
    const fl = flowsIn.get(region) ?? []
    const es = errandsIn.get(region) ?? []
    const count = <T>(xs: T[], p: (x: T) => boolean) => xs.reduce((n, x) => (p(x) ? n + 1 : n), 0)

    // cases: 上报数/立案率 by report day; registered, disposed, closed, rework by registration day
    const reported = cs.filter((c) => inP(c.reportedAt))
    const registered = cs.filter((c) => inP(c.registeredAt))
    const disposed = registered.filter((c) => c.disposedAt !== undefined)
    const closedAfterRegistration = registered.filter((c) => c.closedFrom === 'DISPOSED')
    // disputes: cohort of the registration day; apply.lua: one closed from REPORTED (自行处置) on its report day
    const disputesClosed = cs.filter((c) => c.dispute && c.closedAt !== undefined && inP(c.registeredAt ?? c.reportedAt))

    // hotline: everything of an order by its received day; closes as a flow by close day
    // DESIGN §5: a voided order leaves the received denominator
    const received = os.filter((h) => inP(h.receivedAt) && h.state !== 'VOID')
    const closed = received.filter((h) => h.firstClose)
    const rated = received.filter((h) => h.rating)
    const periodCalls = cl.filter((c) => inP(c.at))

    const pf = fl.filter((f) => inP(f.at))
    const patrolled = new Set(pf.filter((f) => f.type === 'patrol' && f.grid !== null).map((f) => f.grid))

    // now-counts at the channel instant
    const caseOpen = cs.filter((c) => c.state === 'REGISTERED' || c.state === 'DISPATCHED' || c.state === 'DISPOSED')
    const hotlineOpen = os.filter((h) => h.state === 'RECEIVED' || h.state === 'DISPATCHED' || h.state === 'REPLIED')

    // 代办: everything by the accepted day; withdrawn errands leave the denominators
    const accepted = es.filter((x) => inP(x.acceptedAt))
    const kept = (scope?: string) => accepted.filter((x) => !x.withdrawn && (!scope || x.scope === scope))
    const done = accepted.filter((x) => x.completedAt !== undefined)
    const ratedErrands = accepted.filter((x) => x.satisfaction !== undefined)
    const errandsOpen = es.filter((x) => ERRAND_OPEN.includes(x.state))
    const minutes = done.reduce((n, x) => n + Math.floor((x.completedAt! - x.acceptedAt) / 60_000), 0)
    const plan = ((villagesIn.get(region) ?? 0) * plannedPerVillageWeek * daysOf(period, now)) / 7
    const agentVisits = count(pf, (f) => f.agent)

    return {
      serviceAccepted: accepted.length,
      serviceAcceptedLocal: count(accepted, (x) => x.scope === 'local'),
      serviceAcceptedOutside: count(accepted, (x) => x.scope === 'outside'),
      serviceCompleteRate: ratio(done.length, kept().length),
      onTimeServiceCompleteRate: ratio(count(done, (x) => x.completedByDeadline), kept().length),
      onTimeServiceCompleteRateLocal: ratio(count(done, (x) => x.completedByDeadline && x.scope === 'local'), kept('local').length),
      onTimeServiceCompleteRateOutside: ratio(count(done, (x) => x.completedByDeadline && x.scope === 'outside'), kept('outside').length),
      serviceOpen: errandsOpen.length,
      serviceOverdue: count(errandsOpen, (x) => x.waitingSince === undefined && x.deadline < now), // a stopped clock is never overdue
      serviceAvgHours: ratio(minutes / 60, done.length),
      serviceSatisfactionRate: ratio(
        count(ratedErrands, (x) => x.satisfaction === 'satisfied') + basicWeight * count(ratedErrands, (x) => x.satisfaction === 'basic'),
        ratedErrands.length,
      ),
      agentVisits,
      agentVisitRate: ratio(agentVisits, plan),
      caseReported: reported.length,
      caseRegistered: registered.length,
      registerRate: ratio(count(reported, (c) => c.registeredAt !== undefined), reported.length),
      disposalRate: ratio(disposed.length, registered.length),
      onTimeDisposalRate: ratio(count(disposed, (c) => c.disposedByDeadline), registered.length),
      closeRate: ratio(closedAfterRegistration.length, registered.length),
      onTimeCloseRate: ratio(count(closedAfterRegistration, (c) => c.closedByDeadline), registered.length),
      reworkRate: ratio(count(disposed, (c) => c.reworked), disposed.length),
      caseClosedFlow: count(cs, (c) => inP(c.closedAt)),
      hotlineClosedFlow: os.reduce((n, h) => n + count(h.closeTimes, (t) => inP(t)), 0),
      caseOpen: caseOpen.length,
      caseOverdue: count(caseOpen, (c) => c.deadline !== undefined && c.deadline < now),
      casePending: count(cs, (c) => c.state === 'REPORTED'),
      mediationSuccessRate: ratio(count(disputesClosed, (c) => c.outcome === 'success'), disputesClosed.length),
      hotlineReceived: received.length,
      calls: periodCalls.length,
      answerRate: ratio(count(periodCalls, (c) => c.answered), periodCalls.length),
      directCloseRate: ratio(count(closed, (h) => h.firstClose!.direct), received.length),
      hotlineCloseRate: ratio(closed.length, received.length),
      onTimeHotlineCloseRate: ratio(count(closed, (h) => h.firstClose!.byDeadline), received.length),
      satisfactionRate: ratio(
        count(rated, (h) => h.rating!.satisfaction === 'satisfied') + basicWeight * count(rated, (h) => h.rating!.satisfaction === 'basic'),
        rated.length,
      ),
      solveRate: ratio(count(rated, (h) => h.rating!.solved), rated.length),
      responseRate: ratio(count(rated, (h) => h.rating!.contacted), rated.length),
      hotlineOpen: hotlineOpen.length,
      hotlineOverdue: count(hotlineOpen, (h) => h.deadline < now),
      workersOnDuty: count(workersIn.get(region) ?? [], (w) => w.on),
      patrols: count(pf, (f) => f.type === 'patrol'),
      visits: count(pf, (f) => f.type === 'visit'),
      households: pf.reduce((n, f) => n + f.households, 0),
      patrolCoverage: ratio(patrolled.size, gridsIn.get(region) ?? 0),
      alerts: count(pf, (f) => f.type === 'alert'),
      alertsCritical: count(pf, (f) => f.critical),
    }
  }

  return { totals, cases, orders, errands, kpis }
}
