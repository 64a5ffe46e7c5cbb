/**
 * One log line per HTTP request (pino-http), with a request id taken from the
 * caller's X-Request-Id (so a proxy's id follows the request) or made here,
 * and sent back in X-Request-Id. Probes and scrapes are not logged: they
 * would drown the rest.
 */
import { randomUUID } from 'node:crypto'
import type { RequestHandler } from 'express'
import { pinoHttp } from 'pino-http'
import { logger } from './logger.ts'

// an id that cannot carry a forged log line or grow without bound
const SAFE_ID = /^[\w.:-]{1,64}$/
const QUIET = /^\/(livez|readyz|healthz|metrics)(\?|$)/

export function requestLog(): RequestHandler {
  return pinoHttp({
    logger,
    genReqId(req, res) {
      const given = req.headers['x-request-id']
      const id = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID()
      res.setHeader('X-Request-Id', id)
      return id
    },
    // a client's mistake is not the server's problem; 503 is Redis away, said once by its own warnings too
    customLogLevel: (_req, res, err) => (res.statusCode === 503 ? 'warn' : err || res.statusCode >= 500 ? 'error' : 'info'),
    autoLogging: { ignore: (req) => QUIET.test(req.url ?? '') },
    // what an operator reads a request by; all headers each time (the CSP alone is 300 bytes) would bury it
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string; headers?: Record<string, string> }) => ({
        id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress, userAgent: req.headers?.['user-agent'],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  }) as unknown as RequestHandler
}
