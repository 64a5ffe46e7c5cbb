/**
 * GET /api/v1/refused?channel=&limit=: events still out of order after the
 * park window, refused and listed for the operator with the reason (DESIGN §5).
 */
import { Router } from 'express'
import { requireRole } from '../auth/authenticate.ts'
import type { Channels } from '../channels/channels.ts'
import type { RefusedList } from '../domain/api.ts'
import { BadRequestError } from '../domain/errors.ts'
import { readRefused, REFUSED_KEPT } from '../store/parked-events.ts'
import type { PartitionMap } from '../store/partition-reads.ts'
import type { Store } from '../store/redis-client.ts'

export function refusedRouter(store: Store, channels: Channels, regions: PartitionMap): Router {
  const r = Router()
  r.get('/api/v1/refused', requireRole('operator'), async (req, res) => {
    const ch = channels.get(typeof req.query.channel === 'string' ? req.query.channel : undefined)
    const limit = req.query.limit === undefined ? 200 : Number(req.query.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > REFUSED_KEPT) throw new BadRequestError(`limit must be 1–${REFUSED_KEPT}`)
    const body: RefusedList = { channel: ch.id, ...(await readRefused(store, ch.id, limit, regions)) }
    res.json(body)
  })
  return r
}
