/**
 * Drill-down reads for the tablet: GET /api/v1/open (open cases and work
 * orders of a region) and GET /api/v1/subjects/:feed/:subject (state and
 * lifecycle history), both within the caller's region scope.
 */
import { Router, type Request } from 'express'
import type { Channels } from '../channels/channels.ts'
import { AppError, BadRequestError, UnknownRegionError } from '../domain/errors.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Store } from '../store/redis-client.ts'
import { readOpen, readSubject, type SubjectFeed } from '../store/read-subjects.ts'

class UnknownSubjectError extends AppError {
  readonly code = 'UNKNOWN_SUBJECT'
  override readonly status = 404
}

/** Throws when the caller may not see this region on this channel. */
export type ScopeGuard = (req: Request, region: string, channel: string) => void

const FEEDS: SubjectFeed[] = ['case', 'hotline']
const feedOf = (v: unknown): SubjectFeed => {
  if (v === 'case' || v === 'hotline') return v
  throw new BadRequestError('feed must be case or hotline')
}

export function subjectsRouter(store: Store, channels: Channels, regions: RegionIndex, guard: ScopeGuard): Router {
  const r = Router()
  r.get('/api/v1/open', async (req, res) => {
    const { region = regions.root.code, feed, channel = 'live', limit = '50' } = req.query
    if (typeof region !== 'string' || !regions.get(region)) throw new UnknownRegionError(String(region))
    const ch = channels.get(String(channel))
    guard(req, region, ch.id)
    const n = Number(limit)
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new BadRequestError('limit must be 1–500')
    res.json(await readOpen(store, ch.id, region, feed === undefined ? FEEDS : [feedOf(feed)], ch.clock.now(), n))
  })
  r.get('/api/v1/subjects/:feed/:subject', async (req, res) => {
    const ch = channels.get(typeof req.query.channel === 'string' ? req.query.channel : undefined)
    const view = await readSubject(store, ch.id, feedOf(req.params.feed), String(req.params.subject))
    if (!view) throw new UnknownSubjectError(`no ${req.params.feed} ${req.params.subject} on channel ${ch.id}`)
    guard(req, view.region, ch.id)
    res.json(view)
  })
  return r
}
