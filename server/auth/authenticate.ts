/**
 * Who is asking: a bearer token (scripts, sockets), the session cookie
 * (browsers) or `?token=` (display tokens in a wall's URL). Routes then
 * require a user, a role, or a region within the user's scope.
 */
import type { IncomingHttpHeaders } from 'node:http'
import type { Request, RequestHandler } from 'express'
import { AppError, StoreUnavailableError, UnauthorizedError, UnknownRegionError } from '../domain/errors.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { hasRole, type Principal, type Role } from '../domain/users.ts'
import type { Sessions } from './sessions.ts'

export const SESSION_COOKIE = 'sr_session'

export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN'
  override readonly status = 403
}
export class ForbiddenRegionError extends AppError {
  readonly code = 'FORBIDDEN_REGION'
  override readonly status = 403
  constructor(what: string, scope: string, tail = '') {
    super(`${what} is outside your scope (${scope} and below)${tail ? ` ${tail}` : ''}`)
  }
}

declare module 'express-serve-static-core' {
  interface Request { principal?: Principal | null }
}

/** The token a request or socket handshake carries, if any. */
export function tokenOf(headers: IncomingHttpHeaders, query?: unknown, auth?: unknown): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1]
  if (bearer) return bearer
  const fromAuth = (auth as { token?: unknown } | undefined)?.token
  if (typeof fromAuth === 'string' && fromAuth) return fromAuth
  const cookie = (headers.cookie ?? '').split(';').map((c) => c.trim().split('=')).find(([k]) => k === SESSION_COOKIE)?.[1]
  if (cookie) {
    try {
      return decodeURIComponent(cookie)
    } catch {
      // a malformed cookie (`%E0%A4%A`) is no session at all, not an error: the caller then logs in again
    }
  }
  const q = (query as { token?: unknown } | undefined)?.token
  return typeof q === 'string' && q ? q : undefined
}

/** Resolve the principal of every request (null when anonymous). */
export function authenticate(sessions: Sessions): RequestHandler {
  return async (req, _res, next) => {
    const token = tokenOf(req.headers, req.query)
    try {
      req.principal = token ? await sessions.resolve(token) : null
    } catch (err) {
      throw new StoreUnavailableError(err) // sessions live in Redis: while it is down nobody can be checked
    }
    next()
  }
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthorizedError('log in first: POST /api/v1/auth/login, then send the token as Authorization: Bearer <token>')
  return req.principal
}

export const requireUser: RequestHandler = (req, _res, next) => {
  principalOf(req)
  next()
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const p = principalOf(req)
    if (!hasRole(p, ...roles)) throw new ForbiddenError(`this needs the role ${roles.join(' or ')}; you are ${p.role}`)
    next()
  }
}

/**
 * Refuse a region outside the principal's scope (and a channel other than a
 * display token's own). An unknown region gets the same refusal, so nobody
 * learns which codes exist outside their scope; only a whole-city user
 * (who may see every region anyway) is told that a code is unknown.
 */
export function assertInScope(p: Principal, regions: RegionIndex, region: string, channel = 'live'): void {
  if (!regions.get(region) && p.region === regions.root.code) throw new UnknownRegionError(region)
  if (!regions.within(region, p.region)) throw new ForbiddenRegionError(`region ${region}`, p.region)
  if (p.channel && p.channel !== channel) throw new ForbiddenError(`this display token shows channel ${p.channel} only`)
}
