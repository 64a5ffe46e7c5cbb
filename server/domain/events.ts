/**
 * The public ingest contract of DESIGN §4: the envelope and the attrs each
 * feed and type must carry, validated with zod, with per-item errors.
 */
import { z } from 'zod'
import { CASE_TYPES, GRID_TYPES, HOTLINE_TYPES, INTAKE_TYPES, SERVICE_TYPES, type Feed } from './lifecycles.ts'
import { checkAt, checkAttrs, COUNTED_ATTR_MAX, DEFAULT_EVENT_BOUNDS, type EventBounds } from './event-bounds.ts'
import { SATISFACTIONS, SERVICE_SCOPES } from './counters.ts'
import { compileObject } from './fast-schema.ts'

const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-](\d\d):(\d\d))$/

// validation checks an event's time (and attrs.deadline's) and then converts them: the second call for the same
// text is not parsed again. Two are remembered, so an event with a deadline does not parse its time twice.
let lastParsed: { s: string; ms: number | null } | undefined
let beforeLast: { s: string; ms: number | null } | undefined

/** Epoch ms of an ISO 8601 time with offset, or null when it names no real instant (e.g. Feb 30). */
export function parseInstant(s: string): number | null {
  if (lastParsed?.s === s) return lastParsed.ms
  if (beforeLast?.s === s) return beforeLast.ms
  const ms = parseUncached(s)
  beforeLast = lastParsed
  lastParsed = { s, ms }
  return ms
}

function parseUncached(s: string): number | null {
  const m = ISO.exec(s)
  if (!m) return null
  const [y, mo, d, h, mi, sec] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number) as number[]
  const daysInMonth = new Date(Date.UTC(y!, mo!, 0)).getUTCDate()
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth || h! > 23 || mi! > 59 || sec! > 59) return null
  if (m[9] && (Number(m[9]) > 14 || Number(m[10]) > 59)) return null
  return Date.parse(s)
}

const isoWithOffset = z
  .string()
  .regex(ISO, 'must be ISO 8601 with an offset, e.g. 2026-11-21T09:15:02+08:00')
  .refine((s) => !ISO.test(s) || parseInstant(s) !== null, 'is not a real date and time')

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
const deadline = isoWithOffset.optional()
const count = (max: number) => z.number().nonnegative().max(max)

// Type-specific attrs: each key is accepted only on the types that define it
// (a `kind` on a grid alert is refused); other keys are free extras, held to
// the bounds of event-bounds.ts.
const caseAttrs: Record<string, z.ZodRawShape> = {
  reported: {
    source: z.enum(['inspector', 'grid', 'public', 'hotline', 'video', 'iot']).optional(),
    priority: z.enum(['normal', 'urgent']).optional(),
  },
  registered: { deadline },
  dispatched: { department: z.string().max(100).optional() },
  extended: { deadline: isoWithOffset },
  closed: { outcome: z.enum(['success', 'fail']).optional() },
}

const hotlineAttrs: Record<string, z.ZodRawShape> = {
  call: {
    answered: z.boolean(),
    waitSec: count(COUNTED_ATTR_MAX.callSec).optional(),
    talkSec: count(COUNTED_ATTR_MAX.callSec).optional(),
  },
  received: {
    kind: z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other']),
    channel: z.string().max(40).optional(),
    urgency: z.enum(['normal', 'urgent']).optional(),
    deadline,
    phone: z.string().max(40).optional(),
  },
  dispatched: { department: z.string().max(100).optional() },
  extended: { deadline: isoWithOffset },
  reopened: { deadline },
  rated: {
    contacted: z.boolean().optional(),
    solved: z.boolean().optional(),
    satisfaction: z.enum(SATISFACTIONS),
  },
}

const gridAttrs: Record<string, z.ZodRawShape> = {
  patrol: { durationMin: count(COUNTED_ATTR_MAX.durationMin).optional(), distanceM: count(COUNTED_ATTR_MAX.distanceM).optional() },
  // role agent: a 便民服务 agent's circuit visit (定), counted against the plan besides the visit itself
  visit: { households: count(COUNTED_ATTR_MAX.households).int().optional(), role: z.enum(['grid', 'agent']).optional() },
  alert: {
    source: z.string().max(40).optional(),
    severity: z.enum(['info', 'warning', 'critical']),
    title: z.string().max(200).optional(),
    /** The id of an earlier critical alert event this one clears (its alert resolves). */
    clears: z.string().min(1).max(128).optional(),
  },
}

// 便民服务代办: the item is a code of the service category tree (checked against config at ingest)
const serviceAttrs: Record<string, z.ZodRawShape> = {
  accepted: {
    scope: z.enum(SERVICE_SCOPES),
    item: z.string().min(1).max(64).regex(/^[\w.-]+$/, 'may hold letters, digits and . _ - only'),
    deadline,
  },
  forwarded: { office: z.string().max(100).optional() },
  returnedForDocs: { missing: z.string().max(200).optional() },
  rated: {
    contacted: z.boolean().optional(),
    solved: z.boolean().optional(),
    satisfaction: z.enum(SATISFACTIONS),
  },
}

const TYPES: Record<Feed, readonly string[]> = { case: CASE_TYPES, hotline: HOTLINE_TYPES, grid: GRID_TYPES, service: SERVICE_TYPES }
const SHAPES: Record<Feed, Record<string, z.ZodRawShape>> = { case: caseAttrs, hotline: hotlineAttrs, grid: gridAttrs, service: serviceAttrs }
const ATTRS = Object.fromEntries(Object.entries(SHAPES).map(([feed, byType]) =>
  [feed, Object.fromEntries(Object.entries(byType).map(([type, shape]) => [type, z.looseObject(shape)]))])) as unknown as Record<Feed, Record<string, z.ZodType>>

/** Where each type-specific attr key is defined, to refuse it elsewhere with a pointer to its home. */
const HOMES = new Map<string, string[]>()
for (const [feed, byType] of Object.entries(SHAPES)) {
  for (const [type, shape] of Object.entries(byType)) for (const key of Object.keys(shape)) HOMES.set(key, [...(HOMES.get(key) ?? []), `${feed} ${type}`])
}

function misplacedAttr(feed: Feed, type: string, attrs: Record<string, unknown>): string | null {
  const own = SHAPES[feed][type] ?? {}
  for (const key of Object.keys(attrs)) {
    const homes = HOMES.get(key)
    if (homes && !Object.hasOwn(own, key)) return `attrs.${key}: not an attr of ${feed} ${type} (only of ${homes.join(', ')})`
  }
  return null
}

const code = /^[\w.:-]+$/
const envelope = z.strictObject({
  id: z.string().min(1).max(128).regex(code, 'may hold letters, digits and . _ : - only'),
  feed: z.enum(['case', 'hotline', 'grid', 'service']),
  type: z.string().max(32),
  subject: z.string().min(1).max(128).regex(code, 'may hold letters, digits and . _ : - only'),
  at: isoWithOffset,
  region: z.string().regex(/^\d{6,15}$/, 'must be a region code of 6–15 digits').optional(),
  location: lonLat.optional(),
  category: z.string().min(1).max(64).regex(/^[\w.-]+$/, 'may hold letters, digits and . _ - only').optional(),
  attrs: z.record(z.string(), z.unknown()).optional(),
})

// the fast paths of the schemas above (fast-schema.ts): zod runs only on what they cannot vouch for, and words every error
const HAND_CHECKED = new Map<unknown, (v: unknown) => boolean>([[isoWithOffset, (v) => typeof v === 'string' && parseInstant(v) !== null]])
/** The envelope's fast path: the parsed envelope, or undefined when zod must decide (exported for its test against zod). */
export const fastEnvelope = compileObject(envelope, HAND_CHECKED)
const FAST_ATTRS = Object.fromEntries(Object.entries(ATTRS).map(([feed, byType]) =>
  [feed, new Map(Object.entries(byType).map(([type, schema]) => [type, compileObject(schema, HAND_CHECKED)]))])) as Record<Feed, Map<string, ReturnType<typeof compileObject>>>
/** The attrs schema of a feed and type with its fast path, when the type has one (exported for its test against zod). */
export const attrsSchemaOf = (feed: Feed, type: string) => ATTRS[feed][type] && { schema: ATTRS[feed][type], fast: FAST_ATTRS[feed].get(type) }

export type EventEnvelope = z.infer<typeof envelope>
/** The envelope's schema as published in the OpenAPI document (attrs are checked per feed and type after it). */
export const eventEnvelopeSchema = envelope

/** An event after validation; `at` is epoch milliseconds from here on. */
export interface ValidEvent {
  id: string
  feed: Feed
  type: string
  subject: string
  at: number
  region?: string
  location?: [number, number]
  category?: string
  attrs: Record<string, unknown>
}

export type Validation = { ok: true; event: ValidEvent } | { ok: false; error: string }

const needsPlace = (feed: Feed, type: string) => type === INTAKE_TYPES[feed] || (feed === 'grid' && type !== 'offDuty')

/** What validation needs besides the item: the channel clock's now (for the `at` window) and the bounds. */
export interface ValidationContext { now?: number; bounds?: EventBounds }

const rawAttrs = (raw: unknown): unknown =>
  raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as { attrs?: unknown }).attrs : undefined

/** Validate one raw item against the envelope, its feed/type rules and the bounds; never throws. */
export function validateEvent(raw: unknown, ctx: ValidationContext = {}): Validation {
  const bounds = ctx.bounds ?? DEFAULT_EVENT_BOUNDS
  // bounds first, on the raw attrs: zod must never walk a 10,000-deep object, and drops __proto__ silently
  const a = rawAttrs(raw)
  if (a !== null && typeof a === 'object' && !Array.isArray(a)) {
    const bad = checkAttrs(a as Record<string, unknown>, bounds)
    if (bad) return { ok: false, error: bad }
  }
  let e = fastEnvelope?.(raw) as EventEnvelope | undefined
  if (!e) {
    const env = envelope.safeParse(raw)
    if (!env.success) return { ok: false, error: describe(env.error) }
    e = env.data
  }
  if (!TYPES[e.feed].includes(e.type)) {
    return { ok: false, error: `type: "${e.type}" is not a ${e.feed} event type (${TYPES[e.feed].join(', ')})` }
  }
  const misplaced = misplacedAttr(e.feed, e.type, e.attrs ?? {})
  if (misplaced) return { ok: false, error: misplaced }
  const attrsSchema = ATTRS[e.feed][e.type]
  let data = attrsSchema ? FAST_ATTRS[e.feed].get(e.type)?.(e.attrs ?? {}) : (e.attrs ?? {})
  if (!data) {
    const attrs = attrsSchema!.safeParse(e.attrs ?? {})
    if (!attrs.success) return { ok: false, error: describe(attrs.error, 'attrs') }
    data = attrs.data as Record<string, unknown>
  }
  const intake = e.type === INTAKE_TYPES[e.feed] && e.feed !== 'grid'
  // a service errand's category is its item: the envelope's category may repeat it, never contradict it
  let category = e.category
  if (e.feed === 'service' && intake) {
    if (category && category !== data.item) return { ok: false, error: `category: must equal attrs.item ("${String(data.item)}") on service accepted, or be left out` }
    category = data.item as string
  }
  if (intake && !category) return { ok: false, error: `category: required on ${e.feed} ${e.type}` }
  if (needsPlace(e.feed, e.type) && !e.region && !e.location) {
    return { ok: false, error: `region or location: one is required on ${e.feed} ${e.type}` }
  }
  if (e.feed === 'grid' && e.type === 'position' && !e.location) return { ok: false, error: 'location: required on grid position' }
  if (e.feed === 'grid' && e.type === 'position' && Math.abs(e.location![1]) > GEO_MAX_LAT) {
    return { ok: false, error: `location: a position's latitude must lie within ±${GEO_MAX_LAT} (what Redis GEO can store)` }
  }
  const at = parseInstant(e.at)!
  const badAt = checkAt(at, ctx.now, bounds)
  if (badAt) return { ok: false, error: badAt }
  if (typeof data.deadline === 'string' && Math.abs(parseInstant(data.deadline)! - at) > bounds.pastDays * DAY) {
    return { ok: false, error: `attrs.deadline: must lie within ${bounds.pastDays} days of at` }
  }
  const event: ValidEvent = { id: e.id, feed: e.feed, type: e.type, subject: e.subject, at, attrs: data }
  if (e.region) event.region = e.region
  if (e.location) event.location = e.location
  if (category) event.category = category
  return { ok: true, event }
}

const DAY = 86_400_000
const GEO_MAX_LAT = 85.05112878

function describe(err: z.ZodError, prefix?: string): string {
  return err.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.')
      return path ? `${path}: ${i.message}` : i.message
    })
    .join('; ')
}
