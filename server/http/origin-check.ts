/**
 * Cross-site request forgery guard (DESIGN §12): a browser that sends our
 * cookie from another site's page says so in `Origin` (or `Referer`), so every
 * state-changing request and every socket.io handshake from a page of a
 * foreign origin is refused. Our own origin (the request's Host) and
 * ALLOWED_ORIGINS pass; requests without either header come from scripts,
 * not from browsers, and pass too (they still need a token).
 */
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http'
import type { RequestHandler } from 'express'
import { SESSION_COOKIE } from '../auth/authenticate.ts'
import { AppError } from '../domain/errors.ts'

export class CrossOriginError extends AppError {
  readonly code = 'CROSS_ORIGIN'
  override readonly status = 403
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The origin a browser says the request comes from: `Origin`, else the `Referer`'s; undefined for non-browser clients. */
function claimedOrigin(headers: IncomingHttpHeaders): string | undefined {
  const origin = headers.origin
  if (origin) return origin
  const referer = headers.referer
  if (!referer) return undefined
  try {
    return new URL(referer).origin
  } catch {
    return 'null'
  }
}

/** Whether a request may act on our behalf: no claimed origin, our own host, or one of `allowed`. */
export function originAllowed(headers: IncomingHttpHeaders, allowed: readonly string[]): boolean {
  const claimed = claimedOrigin(headers)
  if (claimed === undefined) return true
  let url: URL
  try {
    url = new URL(claimed) // "null" (sandboxed frames, file:, some redirects) throws: refused
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  return url.host === headers.host || allowed.includes(url.origin)
}

const SESSION = new RegExp(`(?:^|;)\\s*${SESSION_COOKIE}=`)

/**
 * Refuse POST/PUT/PATCH/DELETE from a foreign page when it would act with the
 * browser's session cookie, and a foreign login form (login CSRF). Requests
 * that authenticate by key or bearer token (ingest, Open311, scripts) cannot
 * be forged by a page and are left to their own checks.
 */
export function checkOrigin(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method) || req.path === '/api/v1/events') return next()
    if (!SESSION.test(req.headers.cookie ?? '') && req.path !== '/api/v1/auth/login') return next()
    if (originAllowed(req.headers, allowed)) return next()
    throw new CrossOriginError(`cross-origin ${req.method} refused: ${claimedOrigin(req.headers)} is not this server's origin nor in ALLOWED_ORIGINS`)
  }
}

const socketOrigins = new WeakMap<Server, readonly string[]>()

/** The ALLOWED_ORIGINS of the socket.io server attached to `http`. */
export function allowSocketOrigins(http: Server, allowed: readonly string[]): void {
  socketOrigins.set(http, allowed)
}

/** socket.io's `allowRequest`: the handshake (polling or websocket) must come from an allowed origin. */
export function socketOriginGuard(http: Server) {
  return (req: IncomingMessage, done: (err: string | null | undefined, ok: boolean) => void): void => {
    const ok = originAllowed(req.headers, socketOrigins.get(http) ?? [])
    done(ok ? null : 'cross-origin socket refused: not this server\'s origin nor in ALLOWED_ORIGINS', ok)
  }
}
