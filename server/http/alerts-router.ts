/**
 * POST /api/v1/alerts/:id/ack?channel=: an operator acknowledges an alert; it
 * leaves the active list of every screen (pushed as `alert` with state acknowledged).
 */
import { Router } from 'express'
import type { Channels } from '../channels/channels.ts'
import { AppError } from '../domain/errors.ts'
import { endAlert } from '../store/alert-store.ts'
import type { Store } from '../store/redis-client.ts'

class UnknownAlertError extends AppError {
  readonly code = 'UNKNOWN_ALERT'
  override readonly status = 404
}

export function alertsRouter(store: Store, channels: Channels): Router {
  const r = Router()
  r.post('/api/v1/alerts/:id/ack', async (req, res) => {
    const channel = channels.get(typeof req.query.channel === 'string' ? req.query.channel : undefined)
    const alert = await endAlert(store, channel.id, req.params.id, 'acknowledged')
    if (!alert) throw new UnknownAlertError(`no active alert "${req.params.id}" on channel ${channel.id} (already acknowledged or resolved?)`)
    res.json({ acknowledged: alert })
  })
  return r
}
