/**
 * POST /api/v1/alerts/:id/ack?channel=: an operator acknowledges an alert; it
 * leaves the active list of every screen (pushed as `alert` with state acknowledged).
 */
import { Router, type Request } from 'express'
import type { Channels } from '../channels/channels.ts'
import { AppError } from '../domain/errors.ts'
import { endAlert } from '../store/alert-store.ts'
import { keys } from '../store/keys.ts'
import { ForbiddenError, principalOf } from '../auth/authenticate.ts'
import type { Alert } from '../domain/alerts.ts'
import { hasRole } from '../domain/users.ts'
import type { ScopeGuard } from './subjects-router.ts'
import type { Store } from '../store/redis-client.ts'

class UnknownAlertError extends AppError {
  readonly code = 'UNKNOWN_ALERT'
  override readonly status = 404
}

export function alertsRouter(store: Store, channels: Channels, inScope: ScopeGuard): Router {
  const r = Router()
  const inScopeOf = (req: Request, region: string, channel: string) => {
    try {
      inScope(req, region, channel)
      return true
    } catch (err) {
      if (err instanceof AppError && err.code === 'FORBIDDEN_REGION') return false
      throw err
    }
  }
  r.post('/api/v1/alerts/:id/ack', async (req, res) => {
    const channel = channels.get(typeof req.query.channel === 'string' ? req.query.channel : undefined)
    const p = principalOf(req)
    if (!hasRole(p, 'operator', 'leader')) throw new ForbiddenError('acknowledging alerts needs the role operator or leader')
    const found = await store.hget(keys(channel.id).alertsById, req.params.id)
    // an alert outside the caller's scope is answered like one that does not exist: its region is not named
    const active = found && inScopeOf(req, (JSON.parse(found) as Alert).region, channel.id) ? found : null
    const alert = active ? await endAlert(store, channel.id, req.params.id, 'acknowledged') : null
    if (!alert) throw new UnknownAlertError(`no active alert "${req.params.id}" on channel ${channel.id} (already acknowledged or resolved?)`)
    await req.audit?.('alert.ack', `${channel.id} ${req.params.id}`)
    res.json({ acknowledged: alert })
  })
  return r
}
