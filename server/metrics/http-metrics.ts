/**
 * RED metrics of the HTTP API: requests, errors (by status class) and
 * duration, labelled by the route pattern that answered, never the raw URL,
 * so ids and query strings cannot grow the label set without bound.
 */
import type { Request, RequestHandler } from 'express'
import { httpRequests, httpSeconds } from './metrics.ts'

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** The pattern of the route that answered: "/api/v1/subjects/:feed/:id"; "(page)" for a regex route, "(other)" when no route did (static files, 404s). */
export function routeLabel(req: Pick<Request, 'route' | 'baseUrl' | 'path'>): string {
  const path: unknown = req.route?.path
  if (typeof path === 'string') return (req.baseUrl ?? '') + path
  if (Array.isArray(path)) {
    const hit = path.find((p) => p === req.path)
    return (req.baseUrl ?? '') + (typeof hit === 'string' ? hit : path.filter((p) => typeof p === 'string').join('|'))
  }
  return path ? '(page)' : '(other)'
}

export function httpMetrics(): RequestHandler {
  return (req, res, next) => {
    const end = httpSeconds.startTimer()
    res.once('close', () => { // also when the client went away before the answer ended
      const method = METHODS.has(req.method) ? req.method : 'OTHER'
      const route = routeLabel(req)
      end({ method, route })
      httpRequests.inc({ method, route, status: `${Math.floor(res.statusCode / 100)}xx` })
    })
    next()
  }
}
