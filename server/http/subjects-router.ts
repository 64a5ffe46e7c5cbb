/**
 * Drill-down reads for the tablet: GET /api/v1/open (open cases, work
 * orders or 代办 errands of a region) and GET /api/v1/subjects/:feed/:subject (state and
 * lifecycle history), both within the caller's region scope.
 */
import { Router, type Request } from 'express'
import { ForbiddenRegionError, principalOf } from '../auth/authenticate.ts'
import type { Channels } from '../channels/channels.ts'
import { AppError, BadRequestError, UnknownRegionError } from '../domain/errors.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Store } from '../store/redis-client.ts'
import type { SubjectFeed } from '../domain/api.ts'
import { readOpen, readSubject } from '../store/read-subjects.ts'

class UnknownSubjectError extends AppError {
  readonly code = 'UNKNOWN_SUBJECT'
  override readonly status = 404
}

/** Throws when the caller may not see this region on this channel. */
export type ScopeGuard = (req: Request, region: string, channel: string) => void

// without ?feed= the list holds cases and work orders; 代办 errands are asked for by name (feed=service)
const FEEDS: SubjectFeed[] = ['case', 'hotline']
const feedOf = (v: unknown): SubjectFeed => {
  if (v === 'case' || v === 'hotline' || v === 'service') return v
  throw new BadRequestError('feed must be case, hotline or service')
}

export function subjectsRouter(store: Store, channels: Channels, regions: RegionIndex, guard: ScopeGuard): Router {
  const r = Router()
  r.get('/api/v1/open', async (req, res) => {
    const { region = regions.root.code, feed, channel = 'live', limit = '50' } = req.query
    if (typeof region !== 'string') throw new BadRequestError('region is a single value')
    const ch = channels.get(String(channel))
    guard(req, region, ch.id) // before any existence check: outside one's scope, unknown and existing look alike
    if (!regions.get(region)) throw new UnknownRegionError(region)
    const n = Number(limit)
    if (!Number.isInteger(n) || n < 1 || n > 500) throw new BadRequestError('limit must be 1–500')
    res.json(await readOpen(store, ch.id, region, feed === undefined ? FEEDS : [feedOf(feed)], ch.clock.now(), n, regions))
  })
  r.get('/api/v1/subjects/:feed/:subject', async (req, res) => {
    const ch = channels.get(typeof req.query.channel === 'string' ? req.query.channel : undefined)
    const view = await readSubject(store, ch.id, feedOf(req.params.feed), String(req.params.subject), regions)
    // one answer for "does not exist" and "exists outside your scope", naming no region, so existence does not leak;
    // a whole-city user sees everything anyway and is told plainly that it does not exist
    const p = principalOf(req)
    const what = `${req.params.feed} ${req.params.subject}`
    const hidden = () => p.region === regions.root.code
      ? new UnknownSubjectError(`no ${what} on channel ${ch.id}`)
      : new ForbiddenRegionError(what, p.region, 'or does not exist')
    if (!view) throw hidden()
    try {
      guard(req, view.region, ch.id)
    } catch (err) {
      if (err instanceof AppError && err.code === 'FORBIDDEN_REGION') throw hidden()
      throw err
    }
    res.json(view)
  })
  return r
}
