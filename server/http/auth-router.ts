/**
 * Login, logout, who am I, and display tokens for walls:
 * POST /api/v1/auth/login {username, password} → session (http-only cookie
 * and a bearer token for scripts and sockets); failed logins rate limited.
 */
import { Router, type Request, type Response } from 'express'
import express from 'express'
import type { SessionUser } from '../domain/api.ts'
import { AppError, BadRequestError, UnauthorizedError } from '../domain/errors.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { assertInScope, ForbiddenError, principalOf, requireRole, SESSION_COOKIE, tokenOf } from '../auth/authenticate.ts'
import { verifyPassword } from '../auth/password.ts'
import type { LoginLimiter } from '../auth/login-limiter.ts'
import { SESSION_TTL_SEC, type Sessions } from '../auth/sessions.ts'
import type { UserDirectory } from '../auth/user-directory.ts'

class TooManyAttemptsError extends AppError {
  readonly code = 'TOO_MANY_ATTEMPTS'
  override readonly status = 429
}

// a hash to compare against when the user does not exist, so timing does not reveal who does
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

export interface AuthDeps { users: UserDirectory; sessions: Sessions; limiter: LoginLimiter; regions: RegionIndex; secureCookies: boolean }

export function authRouter(d: AuthDeps): Router {
  const r = Router()
  const json = express.json({ limit: '16kb' })
  // Secure when configured or when the request came over TLS (directly, or via a trusted proxy's X-Forwarded-Proto)
  const setCookie = (req: Request, res: Response, token: string, maxAgeMs: number) =>
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: d.secureCookies || req.secure, maxAge: maxAgeMs, path: '/' })

  r.post('/api/v1/auth/login', json, async (req, res) => {
    const { username, password } = (req.body ?? {}) as { username?: unknown; password?: unknown }
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) {
      throw new BadRequestError('send {"username": "…", "password": "…"}')
    }
    if (username.length > 200 || password.length > 1000) throw new BadRequestError('username or password too long')
    const ip = req.ip ?? ''
    // counted before the password is checked (atomically), so parallel guesses cannot all be evaluated
    const waitMs = await d.limiter.attempt(username, ip)
    if (waitMs > 0) {
      const sec = Math.ceil(waitMs / 1000)
      res.set('Retry-After', String(sec))
      await req.audit?.('login.blocked', username, { who: username, role: '' })
      throw new TooManyAttemptsError(sec < 60 ? `too many failed logins; try again in ${sec} s` : `too many failed logins; try again in ${Math.ceil(sec / 60)} min`)
    }
    const user = d.users.find(username)
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH)
    if (!user || !ok) {
      await d.limiter.failed(username, ip)
      await req.audit?.('login.failed', username, { who: username, role: user?.role ?? '' })
      throw new UnauthorizedError('wrong username or password')
    }
    await d.limiter.succeeded(username, ip)
    const { token, expiresAt } = await d.sessions.create({
      username: user.username, name: user.name, role: user.role, region: user.region ?? d.regions.root.code,
    })
    setCookie(req, res, token, SESSION_TTL_SEC * 1000)
    await req.audit?.('login', user.username, { who: user.username, role: user.role })
    const signedIn: SessionUser = { username: user.username, name: user.name, role: user.role, region: user.region ?? d.regions.root.code }
    res.json({ token, expiresAt, user: signedIn })
  })

  r.post('/api/v1/auth/logout', async (req, res) => {
    const p = req.principal
    const token = tokenOf(req.headers)
    if (p?.kind === 'session' && token) {
      await d.sessions.end(token)
      await req.audit?.('logout', p.username)
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' }).json({ ok: true })
  })

  r.get('/api/v1/auth/me', (req, res) => {
    const p = principalOf(req)
    const me: SessionUser = { username: p.username, name: p.name, role: p.role, region: p.region, kind: p.kind, channel: p.channel ?? null }
    res.json(me)
  })

  // admins make any display token; trainers make them for a drill channel, so a drill wall runs unattended
  r.post('/api/v1/auth/display-tokens', requireRole('admin', 'trainer'), json, async (req, res) => {
    const admin = principalOf(req)
    const { name, region = d.regions.root.code, channel } = (req.body ?? {}) as { name?: unknown; region?: unknown; channel?: unknown }
    if (typeof name !== 'string' || !name || typeof region !== 'string' || (channel !== undefined && typeof channel !== 'string')) {
      throw new BadRequestError('send {"name": "大屏名称", "region"?: "<code>", "channel"?: "<id>"}')
    }
    if (!d.regions.get(region)) throw new BadRequestError(`unknown region ${region}`)
    if (admin.role === 'trainer' && (!channel || channel === 'live')) throw new ForbiddenError('trainers make display tokens for a drill channel only: send "channel"')
    assertInScope(admin, d.regions, region)
    const made = await d.sessions.createDisplay({ name, region, channel, createdBy: admin.username })
    await req.audit?.('display-token.create', `${name} (${region}${channel ? ` ${channel}` : ''})`)
    res.status(201).json(made)
  })
  r.get('/api/v1/auth/display-tokens', requireRole('admin'), async (_req, res) => {
    res.json(await d.sessions.displays())
  })
  r.delete('/api/v1/auth/display-tokens/:id', requireRole('admin'), async (req, res) => {
    if (!(await d.sessions.revokeDisplay(String(req.params.id)))) throw new BadRequestError(`no display token ${req.params.id}`)
    await req.audit?.('display-token.revoke', String(req.params.id))
    res.json({ revoked: req.params.id })
  })
  return r
}
