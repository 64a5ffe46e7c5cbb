/**
 * GET /livez: the process answers. GET /readyz (and its alias /healthz): 200
 * when Redis answers, 503 otherwise — also when Redis hangs, within
 * REDIS_COMMAND_TIMEOUT_MS.
 */
import { Router } from 'express'
import type { Redis } from 'ioredis'

export function healthRouter(store: Redis): Router {
  const r = Router()
  r.get('/livez', (_req, res) => {
    res.json({ ok: true })
  })
  r.get(['/healthz', '/readyz'], async (_req, res) => {
    try {
      if (store.status !== 'ready') throw new Error(store.status)
      await store.ping()
      res.json({ ok: true, redis: 'up' })
    } catch (err) {
      res.status(503).json({ ok: false, redis: 'down', detail: (err as Error).message })
    }
  })
  return r
}
