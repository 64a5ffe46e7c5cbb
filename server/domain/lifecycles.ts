/**
 * Subject state machines of DESIGN §5, as data. apply.lua receives the same
 * tables (serialised by the store) so the Lua apply and these pure functions
 * can never disagree.
 */
export type Feed = 'case' | 'hotline' | 'grid'

export const CASE_TYPES = [
  'reported', 'registered', 'cancelled', 'dispatched', 'returned', 'extended',
  'disposed', 'rework', 'closed', 'urged',
] as const
export const HOTLINE_TYPES = [
  'call', 'received', 'directClosed', 'dispatched', 'returned', 'extended', 'urged',
  'replied', 'reopened', 'closed', 'rated', 'voided',
] as const
export const GRID_TYPES = ['onDuty', 'offDuty', 'position', 'patrol', 'visit', 'alert'] as const

export type CaseType = (typeof CASE_TYPES)[number]
export type HotlineType = (typeof HOTLINE_TYPES)[number]
export type GridType = (typeof GRID_TYPES)[number]

/** Transition: allowed source states ('' = no subject yet, '*' = any non-terminal) → target ('=' keeps). */
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

/** Types that create a subject: they need a category and a region or location. */
export const INTAKE_TYPES: Record<Feed, string> = { case: 'reported', hotline: 'received', grid: 'onDuty' }

/** Next state of a subject for an event, or null when the event does not fit (out of order). */
export function nextState(feed: Feed, type: string, current: string): string | null {
  const table: Record<string, Transition> | null =
    feed === 'case' ? CASE_LIFECYCLE : feed === 'hotline' ? HOTLINE_LIFECYCLE : null
  if (!table) return current
  const t = Object.hasOwn(table, type) ? table[type] : undefined
  if (!t) return feed === 'hotline' && type === 'call' ? current : null
  if (!t.from.includes(current)) return null
  return t.to === '=' ? current : t.to
}
