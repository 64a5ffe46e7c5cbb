/**
 * Counter fields of a region's day/month/year hash (DESIGN §6), named once:
 * apply.lua gets these names injected at load time (store/lua-header.ts), and
 * the KPI formulas, the apply model, rules and reports read them from here.
 * A prefix `c.`/`h.`/`s.` counts by the subject's intake (or registration)
 * day, `cf.`/`hf.`/`gf.` by the event's own day.
 */

/** A rating's satisfaction (hotline and 代办 rated events). */
export const SATISFACTIONS = ['satisfied', 'basic', 'unsatisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]

/** Where a 代办 errand is done: its cohort counters are kept per scope. */
export const SERVICE_SCOPES = ['local', 'outside'] as const
export type ServiceScope = (typeof SERVICE_SCOPES)[number]

/** Prefixes of counters whose name ends in a value of the event: the hotline kind, the rating's satisfaction. */
export const COUNTER_FAMILY = { hotlineKind: 'hk.', hotlineRating: 'h.', serviceRating: 's.' } as const
const F = COUNTER_FAMILY
export type HotlineKindCounter = `${typeof COUNTER_FAMILY.hotlineKind}${string}`

export const COUNTER = {
  caseReported: 'c.reported',
  caseReportedRegistered: 'c.reportedRegistered',
  caseRegistered: 'c.registered',
  caseDisposed: 'c.disposed',
  caseDisposedOnTime: 'c.disposedOnTime',
  caseReworked: 'c.reworked',
  caseSelfClosed: 'c.selfClosed',
  caseClosedRegistered: 'c.closedRegistered',
  caseClosedOnTime: 'c.closedOnTime',
  caseDisputeClosed: 'c.disputeClosed',
  caseDisputeSuccess: 'c.disputeSuccess',
  caseClosedFlow: 'cf.closed',
  caseUrgedFlow: 'cf.urged',
  hotlineReceived: 'h.received',
  hotlineClosed: 'h.closed',
  hotlineDirectClosed: 'h.directClosed',
  hotlineClosedOnTime: 'h.closedOnTime',
  hotlineVoided: 'h.voided',
  hotlineRated: 'h.rated',
  hotlineSatisfied: `${F.hotlineRating}satisfied`,
  hotlineBasic: `${F.hotlineRating}basic`,
  hotlineUnsatisfied: `${F.hotlineRating}unsatisfied`,
  hotlineSolved: 'h.solved',
  hotlineContacted: 'h.contacted',
  hotlineClosedFlow: 'hf.closed',
  hotlineUrgedFlow: 'hf.urged',
  calls: 'hf.calls',
  callsAnswered: 'hf.answered',
  patrols: 'gf.patrols',
  visits: 'gf.visits',
  households: 'gf.households',
  agentVisits: 'gf.agentVisits',
  alerts: 'gf.alerts',
  alertsCritical: 'gf.alertsCritical',
  serviceAcceptedLocal: 's.accepted.local',
  serviceAcceptedOutside: 's.accepted.outside',
  serviceCompletedLocal: 's.completed.local',
  serviceCompletedOutside: 's.completed.outside',
  serviceCompletedOnTimeLocal: 's.completedOnTime.local',
  serviceCompletedOnTimeOutside: 's.completedOnTime.outside',
  serviceWithdrawnLocal: 's.withdrawn.local',
  serviceWithdrawnOutside: 's.withdrawn.outside',
  serviceMinutes: 's.minutes',
  serviceRated: 's.rated',
  serviceSatisfied: `${F.serviceRating}satisfied`,
  serviceBasic: `${F.serviceRating}basic`,
  serviceUnsatisfied: `${F.serviceRating}unsatisfied`,
} as const

export type CounterKey = keyof typeof COUNTER
export type CounterName = (typeof COUNTER)[CounterKey] | HotlineKindCounter

/** One period's counters of a region; an absent field is 0. */
export type Counters = Partial<Record<CounterName, number>>

/** The counter of a rating, by feed and satisfaction. */
export const RATING_COUNTER: Record<'hotline' | 'service', Record<Satisfaction, CounterName>> = {
  hotline: { satisfied: COUNTER.hotlineSatisfied, basic: COUNTER.hotlineBasic, unsatisfied: COUNTER.hotlineUnsatisfied },
  service: { satisfied: COUNTER.serviceSatisfied, basic: COUNTER.serviceBasic, unsatisfied: COUNTER.serviceUnsatisfied },
}

/** The 代办 cohort counters of one scope. */
export const SERVICE_COUNTER: Record<ServiceScope, Record<'accepted' | 'completed' | 'completedOnTime' | 'withdrawn', CounterName>> = {
  local: {
    accepted: COUNTER.serviceAcceptedLocal, completed: COUNTER.serviceCompletedLocal,
    completedOnTime: COUNTER.serviceCompletedOnTimeLocal, withdrawn: COUNTER.serviceWithdrawnLocal,
  },
  outside: {
    accepted: COUNTER.serviceAcceptedOutside, completed: COUNTER.serviceCompletedOutside,
    completedOnTime: COUNTER.serviceCompletedOnTimeOutside, withdrawn: COUNTER.serviceWithdrawnOutside,
  },
}

/** The counter of a hotline order's kind (`hk.<kind>`). */
export const hotlineKindCounter = (kind: string): HotlineKindCounter => `${COUNTER_FAMILY.hotlineKind}${kind}`

const NAMES: ReadonlySet<string> = new Set(Object.values(COUNTER))

/** True for a field of a period hash that is a counter. */
export const isCounterName = (field: string): field is CounterName =>
  NAMES.has(field) || field.startsWith(COUNTER_FAMILY.hotlineKind)

/** A period hash as Redis returns it (HGETALL), as counters. */
export function toCounters(h: Record<string, string>): Counters {
  const c: Counters = {}
  // for…in over the reply's own fields: no [key, value] pair allocated per field (9 hashes a region on every KPI push)
  for (const k in h) if (isCounterName(k)) c[k] = Number(h[k])
  return c
}
