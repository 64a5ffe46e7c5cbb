/**
 * GET /metrics in the Prometheus text format. With METRICS_TOKEN set, only a
 * scraper sending `Authorization: Bearer <token>` is answered (also from
 * loopback); without it, only a client on this machine is: req.ip, so a
 * reverse proxy on loopback forwarding an outside client does not open it.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { Router } from 'express'
import { ForbiddenError } from '../auth/authenticate.ts'
import { UnauthorizedError } from '../domain/errors.ts'
import { registry } from './metrics.ts'

const digest = (s: string) => createHash('sha256').update(s).digest()

/** 127.0.0.0/8, ::1, and the IPv4-mapped loopback range. */
export const isLoopback = (ip: string | undefined): boolean =>
  !!ip && (ip === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(ip))

export function metricsRouter(token: string | undefined): Router {
  const r = Router()
  const expected = token ? digest(token) : undefined
  r.get('/metrics', async (req, res, next) => {
    if (expected) {
      const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')
      if (!m) return next(new UnauthorizedError('send Authorization: Bearer <METRICS_TOKEN>'))
      if (!timingSafeEqual(digest(m[1]!), expected)) return next(new ForbiddenError('metrics token not recognised'))
    } else if (!isLoopback(req.ip)) {
      return next(new ForbiddenError('metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere'))
    }
    try {
      const text = await registry.metrics()
      res.set('Cache-Control', 'no-store').type(registry.contentType).send(text)
    } catch (err) {
      next(err)
    }
  })
  return r
}
