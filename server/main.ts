/**
 * Start and stop one server instance: Redis (the configured one, or an
 * embedded redis-server with AOF under ./data), HTTP, socket.io.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pathToFileURL } from 'node:url'
import { createApp } from './app.ts'
import { LoginLimiter } from './auth/login-limiter.ts'
import { Sessions } from './auth/sessions.ts'
import { UserDirectory } from './auth/user-directory.ts'
import type { UserRecord } from './domain/users.ts'
import { Alerting } from './alerts/alerting.ts'
import { ChannelReader } from './store/channel-reader.ts'
import { ChannelSweeper } from './channels/upkeep.ts'
import { Channels } from './channels/channels.ts'
import { ReplayChannels } from './channels/drills.ts'
import { loadConfig, type ServerConfig } from './config.ts'
import { startRealtime } from './realtime/gateway.ts'
import { connectStore, type Store } from './store/redis-client.ts'
import { allowSocketOrigins } from './http/origin-check.ts'
import { startRedis, type RedisProcess } from './store/redis-process.ts'
import { describeTopology } from './store/redis-topology.ts'
import { migrateEventLists } from './consistency/migrate-event-lists.ts'
import type { Channel } from './channels/channels.ts'
import { probeRedis } from './metrics/redis-probe.ts'
import { configureLogging, logger } from './ops/logger.ts'

export interface Running {
  url: string
  port: number
  http: Server
  channels: Channels
  store: Store
  sessions: Sessions
  /** The alert rules of this instance (tests feed them what they ingest directly). */
  alerting: Alerting
  stop(): Promise<void>
}

/** Start an instance; `extraUsers` are accounts held in memory only (demo mode). */
export async function start(config: ServerConfig, extraUsers: UserRecord[] = []): Promise<Running> {
  configureLogging({ level: config.ops.logLevel, format: config.ops.logFormat })
  let embedded: RedisProcess | undefined
  let topology = config.redis.topology
  if (!topology) {
    embedded = await startRedis({ dir: config.dataDir, appendonly: true })
    topology = { kind: 'single', url: embedded.url }
    logger.info(`REDIS_URL not set: started embedded redis-server (pid ${embedded.pid}) with AOF in ${config.dataDir}`)
  } else if (topology.kind !== 'single') logger.info(`using ${describeTopology(topology)}`)
  const store = await connectStore(topology, { commandTimeoutMs: config.security.redisCommandTimeoutMs })
  const stopProbe = probeRedis(store)
  const channels = new Channels(config.zone)
  // before anything ingests: subjects stored before event lists get theirs, once per channel
  await migrateLegacySubjects(store, channels.get('live'), config.regions.partitions)
  const reader = new ChannelReader(
    store, channels, config.regions, config.categories.config.satisfactionBasicWeight, config.ranking, config.realtime.snapshots,
    config.categories.config.agentVisitsPerVillagePerWeek,
  )
  const alerting = new Alerting({ store, channels, regions: config.regions, categories: config.categories, config: config.alerts })
  const sweeper = new ChannelSweeper(store, channels, {
    windowMs: config.parkWindowMs, everyMs: config.parkSweepMs, logMaxLen: config.logMaxLen, closedTtlMs: config.closedTtlMs,
    partitions: config.regions.partitions, seenTtlSec: config.seenTtlSec,
    archive: { dir: config.archiveDir, retentionDays: config.logRetentionDays },
    dayCounters: { keepDays: config.dayCountersDays, regions: config.regions },
  })
  const replays = new ReplayChannels({
    store, channels,
    ingest: { store, regions: config.regions, categories: config.categories, onApplied: (c, applied) => alerting.onApplied(c, applied) },
    apply: { zone: config.zone, logMaxLen: config.logMaxLen, seenTtlSec: config.seenTtlSec },
  })
  const users = await UserDirectory.load(config.usersFile, config.admin, (code) => Boolean(config.regions.get(code)))
  for (const u of extraUsers) users.add(u)
  const auth = { users, sessions: new Sessions(store), limiter: new LoginLimiter(store, config.security.login) }
  const { requestTimeoutMs, headersTimeoutMs } = config.security
  // a slow client (slowloris headers or body) is cut after these; Node checks them every connectionsCheckingInterval
  const http = createServer({ requestTimeout: requestTimeoutMs, headersTimeout: headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, headersTimeoutMs) },
    createApp({ config, store, channels, reader, alerting, replays, auth }))
  allowSocketOrigins(http, config.security.allowedOrigins)
  const realtime = await startRealtime(http, { store, channels, regions: config.regions, reader, sessions: auth.sessions, limits: config.realtime })
  await replays.start() // after the gateway and alerting listen: registered channels are added now
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    if (config.host) http.listen(config.port, config.host, resolve)
    else http.listen(config.port, resolve)
  })
  const port = (http.address() as AddressInfo).port
  return {
    url: `http://localhost:${port}`,
    port,
    http,
    channels,
    store,
    sessions: auth.sessions,
    alerting,
    async stop() {
      await replays.stop()
      await alerting.stop()
      sweeper.stop()
      await realtime.stop()
      await new Promise<void>((resolve) => http.close(() => resolve()))
      stopProbe()
      store.disconnect()
      await embedded?.stop()
    },
  }
}

/** The event-list migration of a channel, with its progress in the log (a no-op once done). */
async function migrateLegacySubjects(store: Store, ch: Channel, partitions: readonly string[]): Promise<void> {
  const r = await migrateEventLists(store, {
    channel: ch.id, zone: ch.clock.zone, now: ch.clock.now(), partitions,
    progress: (p) => logger.info({ channel: ch.id, scanned: p.scanned, migrated: p.migrated }, 'event lists of legacy subjects: in progress'),
  })
  if (r.scanned === 0 && r.migrated === 0) return
  for (const m of r.mismatched.slice(0, 20)) logger.warn({ channel: ch.id, subject: m }, 'legacy subject: its synthesised event list derives other fields than stored')
  logger.info({ channel: ch.id, scanned: r.scanned, migrated: r.migrated, fromPath: r.fromPath, mismatched: r.mismatched.length }, 'event lists of legacy subjects: done')
}

/** Run until SIGINT/SIGTERM, then stop everything we started. */
export async function runUntilSignal(config: ServerConfig, banner?: (r: Running) => void | Promise<void>, extraUsers: UserRecord[] = []): Promise<Running> {
  const running = await start(config, extraUsers)
  if (config.ingestKeys.length === 0) logger.warn('INGEST_KEYS is empty: POST /api/v1/events will refuse every request')
  logger.info(`situation room listening on ${running.url}  (wall: ${running.url}/wall)`)
  await banner?.(running)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info(`${signal}: stopping…`)
    await running.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
  return running
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await runUntilSignal(loadConfig())
  } catch (err) {
    logger.fatal(`cannot start: ${(err as Error).message}`)
    process.exit(1)
  }
}
