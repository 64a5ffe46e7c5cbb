/**
 * The trainer's channels (DESIGN §3): POST /api/v1/channels (a scenario, or a
 * recording as JSON field or as the NDJSON body with ?speed=), GET list,
 * PATCH pause/resume/speed/seek, POST :id/events (inject, stamped with the
 * channel's now), DELETE; and GET /api/v1/scenarios, the names to start from.
 */
import express, { Router, type Request } from 'express'
import { BadRequestError } from '../domain/errors.ts'
import { parseChange, parseCreate } from './channel-requests.ts'
import type { ChannelChange } from '../domain/api.ts'
import type { ReplayChannels } from '../channels/drills.ts'
import { parseBody } from '../ingest/parse-body.ts'

export const RECORDING_LIMIT = '256mb'

const isJson = (req: Request) => /json/i.test(req.get('content-type') ?? '') && !/ndjson|jsonl/i.test(req.get('content-type') ?? '')

/** A JSON body; or an uploaded recording as the body itself, its options in the query. */
function createBody(req: Request): unknown {
  const text = typeof req.body === 'string' ? req.body : ''
  if (!isJson(req)) return { ...req.query, recording: text }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new BadRequestError(`body is not valid JSON (${(err as Error).message}); send { scenario | recording, speed }, or the recording as NDJSON with ?speed=`)
  }
}

function jsonBody(req: Request): unknown {
  try {
    return JSON.parse(typeof req.body === 'string' && req.body !== '' ? req.body : '{}')
  } catch (err) {
    throw new BadRequestError(`body is not valid JSON (${(err as Error).message})`)
  }
}

// one audit entry per PATCH, named by what it changed: drill.pause, drill.resume, drill.speed, drill.seek, or e.g. drill.pause+speed
const changeName = (c: ChannelChange) =>
  [c.paused === true ? 'pause' : c.paused === false ? 'resume' : '', c.speed !== undefined ? 'speed' : '', c.seekTo !== undefined ? 'seek' : ''].filter(Boolean).join('+')

export interface ChannelsRouterOptions {
  bodyLimit: string
  maxItems: number
  /** After a channel is deleted: its display tokens stop working (how many were revoked). */
  onDeleted?: (id: string) => Promise<number>
}

export function channelsRouter(replays: ReplayChannels, o: ChannelsRouterOptions): Router {
  const r = Router()
  const text = (limit: string) => express.text({ type: () => true, limit })

  r.get('/api/v1/scenarios', (_req, res) => {
    res.json({ scenarios: replays.scenarios() })
  })
  r.get('/api/v1/channels', async (_req, res) => {
    res.json({ channels: await replays.list() })
  })
  r.post('/api/v1/channels', text(RECORDING_LIMIT), async (req, res) => {
    const made = await replays.create(parseCreate(createBody(req)))
    await req.audit?.('drill.start', made.id)
    res.status(201).json(made)
  })
  r.patch('/api/v1/channels/:id', text('64kb'), async (req, res) => {
    const change = parseChange(jsonBody(req))
    const changed = await replays.change(req.params.id, change)
    await req.audit?.(`drill.${changeName(change)}`, `${req.params.id} ${JSON.stringify(change)}`)
    res.json(changed)
  })
  r.post('/api/v1/channels/:id/events', text(o.bodyLimit), async (req, res) => {
    const items = parseBody(typeof req.body === 'string' ? req.body : '', req.get('content-type'), o.maxItems)
    const result = await replays.inject(req.params.id, items)
    await req.audit?.('drill.inject', `${req.params.id} ${result.accepted} accepted`)
    res.json(result)
  })
  r.delete('/api/v1/channels/:id', async (req, res) => {
    const removed = await replays.remove(req.params.id)
    const revoked = (await o.onDeleted?.(req.params.id)) ?? 0
    await req.audit?.('drill.delete', revoked > 0 ? `${req.params.id} (${revoked} display tokens revoked)` : req.params.id)
    res.json(removed)
  })
  return r
}
