/**
 * The bodies of the trainer's channel routes, checked with zod: one source
 * (a scenario name or a recording), a speed of 0.5–1000×, times as ISO 8601
 * with offset or epoch ms. Errors name the field and what it must be.
 */
import { z } from 'zod'
import type { ChannelChange } from '../domain/api.ts'
import { BadRequestError } from '../domain/errors.ts'
import { parseInstant } from '../domain/events.ts'
import type { CreateRequest } from '../channels/source-request.ts'

export const MIN_SPEED = 0.5
export const MAX_SPEED = 1000

const speed = z.coerce.number({ error: 'must be a number' })
  .min(MIN_SPEED, `must be between ${MIN_SPEED} and ${MAX_SPEED} (× real time)`)
  .max(MAX_SPEED, `must be between ${MIN_SPEED} and ${MAX_SPEED} (× real time)`)

const instant = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : parseInstant(v)
  if (ms === null || !Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time with offset (2026-11-21T09:00:00+08:00) or epoch ms' })
    return z.NEVER
  }
  return ms
})

const createSchema = z.strictObject({
  scenario: z.string().min(1).max(100).optional(),
  recording: z.string().min(1, 'is empty').optional(),
  name: z.string().min(1).max(100).optional(),
  speed,
  seed: z.coerce.number().int('must be a whole number').optional(),
  start: instant.optional(),
}).refine((b) => (b.scenario === undefined) !== (b.recording === undefined), {
  message: 'give exactly one source: scenario (a name from GET /api/v1/scenarios) or recording (NDJSON of event envelopes)',
})

const changeSchema = z.strictObject({
  paused: z.boolean({ error: 'must be true or false' }).optional(),
  speed: speed.optional(),
  seekTo: instant.optional(),
}).refine((b) => b.paused !== undefined || b.speed !== undefined || b.seekTo !== undefined, {
  message: 'nothing to change: give paused, speed and/or seekTo',
})

function check<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const field = issue.path.length ? `${issue.path.join('.')}: ` : ''
  throw new BadRequestError(`${what}: ${field}${issue.message}`)
}

export const parseCreate = (body: unknown): CreateRequest => check(createSchema, body, 'POST /api/v1/channels')
export const parseChange = (body: unknown): ChannelChange => check(changeSchema, body, 'PATCH /api/v1/channels/:id')
