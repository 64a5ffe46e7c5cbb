/** GET /api/v1/snapshot?region=&channel=: the same Snapshot a socket subscription answers, within the caller's scope. */
import { Router } from 'express'
import { principalOf } from '../auth/authenticate.ts'
import { BadRequestError } from '../domain/errors.ts'
import type { ChannelReader } from '../store/channel-reader.ts'
import type { ScopeGuard } from './subjects-router.ts'

export function snapshotRouter(reader: ChannelReader, inScope: ScopeGuard): Router {
  const r = Router()
  r.get('/api/v1/snapshot', async (req, res) => {
    const { region = principalOf(req).region, channel = 'live' } = req.query
    if (typeof region !== 'string' || typeof channel !== 'string') throw new BadRequestError('region and channel are single values')
    const code = region || principalOf(req).region
    inScope(req, code, channel)
    res.json(await reader.snapshot(channel, code))
  })
  return r
}
