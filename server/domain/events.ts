/**
 * The public ingest contract of DESIGN §4: the envelope and the attrs each
 * feed and type must carry, validated with zod, with per-item errors.
 */
import { z } from 'zod'
import { CASE_TYPES, GRID_TYPES, HOTLINE_TYPES, INTAKE_TYPES, type Feed } from './lifecycles.ts'

const ISO = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?(Z|[+-](\d\d):(\d\d))$/

/** Epoch ms of an ISO 8601 time with offset, or null when it names no real instant (e.g. Feb 30). */
export function parseInstant(s: string): number | null {
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

const caseAttrs: Record<string, z.ZodType> = {
  reported: z.looseObject({
    source: z.enum(['inspector', 'grid', 'public', 'hotline', 'video', 'iot']).optional(),
    priority: z.enum(['normal', 'urgent']).optional(),
  }),
  registered: z.looseObject({ deadline }),
  dispatched: z.looseObject({ department: z.string().max(100).optional() }),
  extended: z.looseObject({ deadline: isoWithOffset }),
  closed: z.looseObject({ outcome: z.enum(['success', 'fail']).optional() }),
}

const hotlineAttrs: Record<string, z.ZodType> = {
  call: z.looseObject({
    answered: z.boolean(),
    waitSec: z.number().nonnegative().optional(),
    talkSec: z.number().nonnegative().optional(),
  }),
  received: z.looseObject({
    kind: z.enum(['consult', 'help', 'complaint', 'report', 'suggestion', 'praise', 'other']),
    channel: z.string().max(40).optional(),
    urgency: z.enum(['normal', 'urgent']).optional(),
    deadline,
    phone: z.string().max(40).optional(),
  }),
  dispatched: z.looseObject({ department: z.string().max(100).optional() }),
  extended: z.looseObject({ deadline: isoWithOffset }),
  rated: z.looseObject({
    contacted: z.boolean().optional(),
    solved: z.boolean().optional(),
    satisfaction: z.enum(['satisfied', 'basic', 'unsatisfied']),
  }),
}

const gridAttrs: Record<string, z.ZodType> = {
  patrol: z.looseObject({ durationMin: z.number().nonnegative().optional(), distanceM: z.number().nonnegative().optional() }),
  visit: z.looseObject({ households: z.number().int().nonnegative().optional() }),
  alert: z.looseObject({ source: z.string().max(40).optional(), severity: z.enum(['info', 'warning', 'critical']) }),
}

const TYPES: Record<Feed, readonly string[]> = { case: CASE_TYPES, hotline: HOTLINE_TYPES, grid: GRID_TYPES }
const ATTRS: Record<Feed, Record<string, z.ZodType>> = { case: caseAttrs, hotline: hotlineAttrs, grid: gridAttrs }

const envelope = z.strictObject({
  id: z.string().min(1).max(128).regex(/^[\w.:\-]+$/, 'may hold letters, digits and . _ : - only'),
  feed: z.enum(['case', 'hotline', 'grid']),
  type: z.string(),
  subject: z.string().min(1).max(128).regex(/^[\w.:\-]+$/, 'may hold letters, digits and . _ : - only'),
  at: isoWithOffset,
  region: z.string().regex(/^\d{6,15}$/, 'must be a region code of 6–15 digits').optional(),
  location: lonLat.optional(),
  category: z.string().min(1).max(64).optional(),
  attrs: z.record(z.string(), z.unknown()).optional(),
})

export type EventEnvelope = z.infer<typeof envelope>

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

/** Validate one raw item against the envelope and its feed/type rules; never throws. */
export function validateEvent(raw: unknown): Validation {
  const env = envelope.safeParse(raw)
  if (!env.success) return { ok: false, error: describe(env.error) }
  const e = env.data
  if (!TYPES[e.feed].includes(e.type)) {
    return { ok: false, error: `type: "${e.type}" is not a ${e.feed} event type (${TYPES[e.feed].join(', ')})` }
  }
  const attrsSchema = ATTRS[e.feed][e.type]
  const attrs = attrsSchema ? attrsSchema.safeParse(e.attrs ?? {}) : { success: true as const, data: e.attrs ?? {} }
  if (!attrs.success) return { ok: false, error: describe(attrs.error, 'attrs') }
  const intake = e.type === INTAKE_TYPES[e.feed] && e.feed !== 'grid'
  if (intake && !e.category) return { ok: false, error: `category: required on ${e.feed} ${e.type}` }
  if (needsPlace(e.feed, e.type) && !e.region && !e.location) {
    return { ok: false, error: `region or location: one is required on ${e.feed} ${e.type}` }
  }
  if (e.feed === 'grid' && e.type === 'position' && !e.location) return { ok: false, error: 'location: required on grid position' }
  const event: ValidEvent = {
    id: e.id, feed: e.feed, type: e.type, subject: e.subject, at: parseInstant(e.at)!,
    attrs: attrs.data as Record<string, unknown>,
  }
  if (e.region) event.region = e.region
  if (e.location) event.location = e.location
  if (e.category) event.category = e.category
  return { ok: true, event }
}

function describe(err: z.ZodError, prefix?: string): string {
  return err.issues
    .map((i) => {
      const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.')
      return path ? `${path}: ${i.message}` : i.message
    })
    .join('; ')
}
