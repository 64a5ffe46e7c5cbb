/**
 * The event a trainer injects, as an ingest envelope (DESIGN §4) without
 * `at`: the server stamps it with the channel's now. Only steps that start
 * something new are offered, so an injected event always applies.
 */
import type { Feed } from '@domain/lifecycles.ts'

export const INJECT_TYPES: Record<Feed, readonly string[]> = {
  case: ['reported'],
  hotline: ['received'],
  grid: ['alert', 'patrol', 'visit'],
  service: ['accepted'],
}
export const PRIORITIES = ['normal', 'urgent'] as const
export const KINDS = ['complaint', 'help', 'consult', 'report', 'suggestion', 'praise', 'other'] as const
export const SEVERITIES = ['critical', 'warning', 'info'] as const

export interface InjectForm {
  feed: Feed
  type: string
  category: string
  region: string
  priority: (typeof PRIORITIES)[number]
  kind: (typeof KINDS)[number]
  severity: (typeof SEVERITIES)[number]
}

/** Does the step need a category (the intake of a case or a work order)? */
export const needsCategory = (f: Pick<InjectForm, 'feed'>) => f.feed !== 'grid'

/** A short random tag for ids; crypto.randomUUID needs https, getRandomValues does not. */
export function randomTag(): string {
  return [...crypto.getRandomValues(new Uint8Array(5))].map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase()
}

const SUBJECT_PREFIX: Record<Feed, string> = { case: 'TRN-C', hotline: 'TRN-H', grid: 'TRN-W', service: 'TRN-S' }

export function injectEnvelope(f: InjectForm, tag = randomTag()) {
  const subject = `${SUBJECT_PREFIX[f.feed]}${tag}`
  const base = { id: `trainer-${subject}-${f.type}`, feed: f.feed, type: f.type, subject, region: f.region }
  if (f.feed === 'case') return { ...base, category: f.category, attrs: { source: 'public', priority: f.priority } }
  if (f.feed === 'hotline') return { ...base, category: f.category, attrs: { kind: f.kind, urgency: f.priority } }
  if (f.feed === 'service') return { ...base, attrs: { scope: 'local', item: f.category } }
  if (f.type === 'alert') return { ...base, attrs: { source: 'trainer', severity: f.severity } }
  if (f.type === 'visit') return { ...base, attrs: { households: 1 } }
  return { ...base, attrs: {} }
}
