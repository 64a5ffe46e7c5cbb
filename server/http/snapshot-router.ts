/** GET /api/v1/snapshot?region=&channel=: the same Snapshot a socket subscription answers. */
import { Router } from 'express'
import { BadRequestError } from '../domain/errors.ts'
import type { ChannelReader } from '../channels/channel-reader.ts'

export function snapshotRouter(reader: ChannelReader, rootRegion: string): Router {
  const r = Router()
  r.get('/api/v1/snapshot', async (req, res) => {
    const { region = rootRegion, channel = 'live' } = req.query
    if (typeof region !== 'string' || typeof channel !== 'string') throw new BadRequestError('region and channel are single values')
    res.json(await reader.snapshot(channel, region || rootRegion))
  })
  return r
}
