/** Ingest is for integrators holding a bearer key from INGEST_KEYS; keys are not user logins. */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { RequestHandler } from 'express'
import { UnauthorizedError } from '../domain/errors.ts'

const digest = (s: string) => createHash('sha256').update(s).digest()

export function requireIngestKey(keys: string[]): RequestHandler {
  const known = keys.map(digest)
  return (req, _res, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')
    if (!m) return next(new UnauthorizedError('missing ingest key: send Authorization: Bearer <key>'))
    const d = digest(m[1]!)
    if (!known.some((k) => timingSafeEqual(k, d))) return next(new UnauthorizedError('ingest key not recognised'))
    next()
  }
}
