/** GET /healthz: 200 when Redis answers, 503 otherwise. */
import { Router } from 'express'
import type { Redis } from 'ioredis'

export function healthRouter(store: Redis): Router {
  const r = Router()
  r.get('/healthz', async (_req, res) => {
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
