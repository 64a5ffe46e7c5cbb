/**
 * The HTTP application (no listen). Public: /healthz, ingest (by ingest key),
 * login and the login page. Everything else needs a session or display token,
 * and region reads are held to the caller's scope on the server.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import express, { type Request } from 'express'
import type { Alerting } from './alerts/alerting.ts'
import { assertInScope, authenticate, principalOf, requireRole, requireUser } from './auth/authenticate.ts'
import type { LoginLimiter } from './auth/login-limiter.ts'
import type { Sessions } from './auth/sessions.ts'
import type { UserDirectory } from './auth/user-directory.ts'
import type { ChannelReader } from './store/channel-reader.ts'
import type { Channels } from './channels/channels.ts'
import type { ReplayChannels } from './channels/drills.ts'
import type { ServerConfig } from './config.ts'
import { alertsRouter } from './http/alerts-router.ts'
import { authRouter } from './http/auth-router.ts'
import { channelsRouter } from './http/channels-router.ts'
import { compressResponses, precompressedAssets } from './http/compress.ts'
import { errorHandler } from './http/error-handler.ts'
import { eventsRouter } from './http/events-router.ts'
import { healthRouter } from './http/health-router.ts'
import { httpMetrics } from './metrics/http-metrics.ts'
import { metricsRouter } from './metrics/metrics-router.ts'
import { requestLog } from './ops/request-log.ts'
import { checkOrigin } from './http/origin-check.ts'
import { securityHeaders } from './http/security-headers.ts'
import { referenceRouter } from './http/reference-router.ts'
import { snapshotRouter } from './http/snapshot-router.ts'
import { exportRouter } from './http/export-router.ts'
import { reportRouter } from './http/report-router.ts'
import { subjectsRouter } from './http/subjects-router.ts'
import { refusedRouter } from './http/refused-router.ts'
import { wallConfigRouter } from './http/wall-config-router.ts'
import { open311Router } from './open311/open311-router.ts'
import { AuditLog } from './audit/audit-log.ts'
import { requestAudit } from './audit/request-audit.ts'
import { auditRouter } from './http/audit-router.ts'
import { openApiRouter } from './http/openapi-router.ts'
import { wallClock } from './domain/clock.ts'
import type { ApplyInput } from './store/apply-event.ts'
import type { Store } from './store/redis-client.ts'

export interface AuthDeps { users: UserDirectory; sessions: Sessions; limiter: LoginLimiter }
export interface AppDeps {
  config: ServerConfig
  store: Store
  channels: Channels
  reader: ChannelReader
  alerting: Alerting
  auth: AuthDeps
  replays?: ReplayChannels
}

const PAGES = /^\/(wall|tablet|trainer|report)(\/|$)|^\/$/

export function createApp({ config, store, channels, reader, alerting, auth, replays }: AppDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(requestLog())
  app.use(httpMetrics())
  app.use(compressResponses())
  const { regions, categories } = config
  const inScope = (req: Request, region: string, channel: string) => assertInScope(principalOf(req), regions, region, channel)

  app.use(securityHeaders(config.wall, config.security.frameAncestors))
  app.use(checkOrigin(config.security.allowedOrigins))
  app.use(healthRouter(store))
  app.use(metricsRouter(config.ops.metricsToken))
  const onApplied = (channel: string, applied: ApplyInput[]) => alerting.onApplied(channel, applied)
  app.use(eventsRouter({ store, regions, categories, onApplied, bounds: config.ingestBounds,
    waitReplicas: { replicas: config.redis.waitReplicas, timeoutMs: config.redis.waitTimeoutMs } }, {
    keys: config.ingestKeys,
    bodyLimit: config.bodyLimit,
    apply: { channel: 'live', zone: config.zone, logMaxLen: config.logMaxLen, seenTtlSec: config.seenTtlSec },
  }))
  app.use(authenticate(auth.sessions))
  const audit = new AuditLog(store, config.auditRetentionDays, wallClock(config.zone).now)
  app.use(requestAudit(audit))
  app.use(openApiRouter())
  app.use(open311Router({ store, regions, categories, onApplied, bounds: config.ingestBounds,
    waitReplicas: { replicas: config.redis.waitReplicas, timeoutMs: config.redis.waitTimeoutMs } }, {
    keys: config.ingestKeys,
    apply: { channel: 'live', zone: config.zone, logMaxLen: config.logMaxLen, seenTtlSec: config.seenTtlSec },
    now: wallClock(config.zone).now,
  }))
  app.use(authRouter({ ...auth, regions, secureCookies: config.secureCookies }))
  app.use('/api', requireUser)
  app.use(auditRouter(audit))
  app.use(referenceRouter(regions, categories))
  app.use(snapshotRouter(reader, inScope))
  const reportDeps = { store, channels, regions, categories, basicWeight: categories.config.satisfactionBasicWeight, ranking: config.ranking }
  app.use(reportRouter(reportDeps, inScope))
  app.use(exportRouter(reportDeps, inScope))
  app.use(subjectsRouter(store, channels, regions, inScope))
  app.use(alertsRouter(store, channels, inScope))
  app.use(refusedRouter(store, channels, regions))
  app.use(wallConfigRouter(config.wall))
  if (replays) {
    app.use(['/api/v1/channels', '/api/v1/scenarios'], requireRole('trainer'))
    app.use(channelsRouter(replays, { bodyLimit: config.bodyLimit, maxItems: config.ingestBounds.maxItems, onDeleted: (id) => auth.sessions.revokeDisplaysOf(id) }))
  }
  app.use('/api', (req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.originalUrl}` } })
  })
  app.get(PAGES, (req, res, next) => {
    if (req.principal) return next()
    // a wall whose ?token= is wrong or revoked gets its page, which says so; a login form would help no one at an unattended screen
    if (req.path === '/wall' && typeof req.query.token === 'string' && req.query.token) return next()
    res.redirect(302, `/login?next=${encodeURIComponent(req.originalUrl)}`)
  })
  serveClient(app, config.clientDir)
  app.use(errorHandler)
  return app
}

/** The built Vue client, with history-mode fallback to index.html for page routes. */
function serveClient(app: express.Express, dir: string) {
  const index = join(dir, 'index.html')
  app.use(precompressedAssets(dir))
  app.use(express.static(dir, { index: false, maxAge: '1h' }))
  app.get(/^\/(?!api\/|socket\.io\/).*/, (_req, res) => {
    if (existsSync(index)) res.set('Cache-Control', 'no-cache').sendFile(index)
    else res.status(503).type('text/plain; charset=utf-8').send('前端尚未构建 / client not built: run `npm run build` first')
  })
}
