/** GET /api/v1/snapshot?region=&channel=: the same Snapshot a socket subscription answers. */
import { Router } from 'express'
import type { Redis } from 'ioredis'
import { BadRequestError, StoreUnavailableError, UnknownRegionError } from '../domain/errors.ts'
import type { RegionIndex } from '../domain/regions.ts'
import type { Channels } from '../channels/channels.ts'
import { readSnapshot } from '../store/read-snapshot.ts'

export function snapshotRouter(store: Redis, channels: Channels, regions: RegionIndex, basicWeight: number): Router {
  const r = Router()
  r.get('/api/v1/snapshot', async (req, res) => {
    const region = typeof req.query.region === 'string' && req.query.region ? req.query.region : regions.root.code
    if (typeof req.query.region !== 'undefined' && typeof req.query.region !== 'string') throw new BadRequestError('region must be one code')
    if (!regions.get(region)) throw new UnknownRegionError(region)
    const ch = channels.get(typeof req.query.channel === 'string' ? req.query.channel : undefined)
    if (store.status !== 'ready') throw new StoreUnavailableError()
    const now = ch.clock.now()
    res.json(await readSnapshot(store, {
      channel: ch.id, region, now, zone: ch.clock.zone, basicWeight, clock: channels.clockState(ch), regions,
    }))
  })
  return r
}
