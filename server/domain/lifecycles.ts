/**
 * Subject state machines of DESIGN §5, as data. apply.lua gets the same
 * tables written into its text when it is loaded (store/lua-header.ts), so
 * the Lua apply and these pure functions can never disagree.
 */
export type Feed = 'case' | 'hotline' | 'grid' | 'service'

export const CASE_TYPES = [
  'reported', 'registered', 'cancelled', 'dispatched', 'returned', 'extended',
  'disposed', 'rework', 'closed', 'urged',
] as const
export const HOTLINE_TYPES = [
  'call', 'received', 'directClosed', 'dispatched', 'returned', 'extended', 'urged',
  'replied', 'reopened', 'closed', 'rated', 'voided',
] as const
export const GRID_TYPES = ['onDuty', 'offDuty', 'position', 'patrol', 'visit', 'alert'] as const
export const SERVICE_TYPES = [
  'accepted', 'forwarded', 'returnedForDocs', 'resumed', 'completed', 'delivered', 'rated', 'withdrawn',
] as const

export type CaseType = (typeof CASE_TYPES)[number]
export type HotlineType = (typeof HOTLINE_TYPES)[number]
export type GridType = (typeof GRID_TYPES)[number]
export type ServiceType = (typeof SERVICE_TYPES)[number]

/**
 * Transition: allowed source states ('' = no subject yet) → target ('=' keeps,
 * '<' returns to the state the subject had before it entered its current one,
 * kept in the subject's `prev`).
 */
export interface Transition { from: readonly string[]; to: string }

const CASE_OPEN = ['REGISTERED', 'DISPATCHED', 'DISPOSED']
export const CASE_LIFECYCLE: Record<CaseType, Transition> = {
  reported: { from: [''], to: 'REPORTED' },
  registered: { from: ['REPORTED'], to: 'REGISTERED' },
  cancelled: { from: ['REPORTED'], to: 'CANCELLED' },
  dispatched: { from: ['REGISTERED'], to: 'DISPATCHED' },
  returned: { from: ['DISPATCHED'], to: 'REGISTERED' },
  extended: { from: CASE_OPEN, to: '=' },
  disposed: { from: ['DISPATCHED'], to: 'DISPOSED' },
  rework: { from: ['DISPOSED'], to: 'DISPATCHED' },
  closed: { from: ['DISPOSED', 'REPORTED'], to: 'CLOSED' },
  urged: { from: ['REPORTED', ...CASE_OPEN], to: '=' },
}

const HOTLINE_OPEN = ['RECEIVED', 'DISPATCHED', 'REPLIED']
export const HOTLINE_LIFECYCLE: Record<Exclude<HotlineType, 'call'>, Transition> = {
  received: { from: [''], to: 'RECEIVED' },
  directClosed: { from: ['RECEIVED'], to: 'CLOSED' },
  dispatched: { from: ['RECEIVED'], to: 'DISPATCHED' },
  returned: { from: ['DISPATCHED'], to: 'RECEIVED' },
  extended: { from: HOTLINE_OPEN, to: '=' },
  urged: { from: HOTLINE_OPEN, to: '=' },
  replied: { from: ['DISPATCHED'], to: 'REPLIED' },
  reopened: { from: ['REPLIED', 'CLOSED'], to: 'DISPATCHED' },
  closed: { from: ['REPLIED'], to: 'CLOSED' },
  rated: { from: [...HOTLINE_OPEN, 'CLOSED'], to: '=' },
  voided: { from: ['RECEIVED'], to: 'VOID' },
}

/** States of an open 代办 errand: counted as 在办, and overdue past the deadline. */
export const SERVICE_OPEN = ['ACCEPTED', 'FORWARDED', 'WAITING'] as const
/** 便民服务代办 (DESIGN §6): an errand taken on for a resident, from 受理 to 送达. */
export const SERVICE_LIFECYCLE: Record<ServiceType, Transition> = {
  accepted: { from: [''], to: 'ACCEPTED' },
  forwarded: { from: ['ACCEPTED'], to: 'FORWARDED' },
  returnedForDocs: { from: ['ACCEPTED', 'FORWARDED'], to: 'WAITING' },
  resumed: { from: ['WAITING'], to: '<' },
  completed: { from: [...SERVICE_OPEN], to: 'COMPLETED' },
  delivered: { from: ['COMPLETED'], to: 'DELIVERED' },
  withdrawn: { from: [...SERVICE_OPEN], to: 'WITHDRAWN' },
  rated: { from: [...SERVICE_OPEN, 'COMPLETED', 'DELIVERED'], to: '=' },
}

/** Types that create a subject: they need a category and a region or location. */
export const INTAKE_TYPES: Record<Feed, string> = { case: 'reported', hotline: 'received', grid: 'onDuty', service: 'accepted' }

/** The lifecycle table of a subject feed (null for grid workers, who have no table). */
export function lifecycleOf(feed: Feed): Record<string, Transition> | null {
  return feed === 'case' ? CASE_LIFECYCLE : feed === 'hotline' ? HOTLINE_LIFECYCLE : feed === 'service' ? SERVICE_LIFECYCLE : null
}

/**
 * Next state of a subject for an event, or null when the event does not fit (out of order).
 * `previous` is the state before the current one (for a '<' target).
 */
export function nextState(feed: Feed, type: string, current: string, previous = ''): string | null {
  const table = lifecycleOf(feed)
  if (!table) return current
  const t = Object.hasOwn(table, type) ? table[type] : undefined
  if (!t) return feed === 'hotline' && type === 'call' ? current : null
  if (!t.from.includes(current)) return null
  return t.to === '=' ? current : t.to === '<' ? previous || null : t.to
}
