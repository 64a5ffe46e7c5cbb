/**
 * Configuration from the environment and config/ files, validated at start
 * with messages that say which setting is wrong and how to fix it.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseAlertConfig, type AlertConfig } from './alerts/alert-config.ts'
import { Categories } from './domain/categories.ts'
import { parseConfig } from './domain/parse-config.ts'
import type { WallConfig } from './domain/api.ts'
import { wallConfigFromEnv } from './http/wall-config-router.ts'
import { securityConfigFromEnv, type SecurityConfig } from './http/security-config.ts'
import { realtimeLimitsFromEnv, type RealtimeLimits } from './realtime/realtime-limits.ts'
import { ingestBoundsFromEnv } from './ingest/ingest-limits.ts'
import { opsConfigFromEnv, type OpsConfig } from './ops/ops-config.ts'
import { redisSettingsFromEnv, type RedisSettings } from './store/redis-topology.ts'
import type { EventBounds } from './domain/event-bounds.ts'
import { rankingConfigSchema, type RankingConfig } from './domain/rankings.ts'
import { LEVELS, RegionIndex, type Level, type RegionCollection } from './domain/regions.ts'
import { projectRoot } from './project-root.ts'
import { readJson } from './read-json.ts'

export interface ServerConfig {
  port: number
  /** Listen address; unset: every interface (a wall on another machine can reach it). */
  host: string | undefined
  redisUrl: string | undefined
  /** REDIS_URL / REDIS_CLUSTER_NODES / REDIS_SENTINELS, REDIS_WAIT_REPLICAS (server/store/redis-topology.ts). */
  redis: RedisSettings
  ingestKeys: string[]
  bodyLimit: string
  zone: string
  logMaxLen: number
  seenTtlSec: number
  /** PARK_WINDOW_HOURS (default 24, fractions allowed): how long an out-of-order event waits, channel time, before it is refused. */
  parkWindowMs: number
  /** PARK_SWEEP_SEC (default 60): how often parked events and ended subjects are checked against their windows. */
  parkSweepMs: number
  /** ARCHIVE_DIR (default <DATA_DIR>/archive): each day of a channel's log as <channel>/<yyyy-mm-dd>.ndjson.gz. */
  archiveDir: string
  /** LOG_RETENTION_DAYS (default 35): the log keeps this many days; older ones are trimmed once archived. */
  logRetentionDays: number
  /** CLOSED_TTL_DAYS (default 90, fractions allowed): a closed or terminal subject, its events and seen-ids go after this much channel time. */
  closedTtlMs: number
  /** DAY_COUNTERS_DAYS (default 400, fractions allowed): per-day counters (day hashes, trend, categories, patrolled grids) of older days are deleted; month and year counters are kept. */
  dayCountersDays: number
  dataDir: string
  clientDir: string
  regions: RegionIndex
  categories: Categories
  alerts: AlertConfig
  ranking: RankingConfig
  wall: WallConfig
  usersFile: string
  /** First admin of a fresh install (ADMIN_USER / ADMIN_PASSWORD). */
  admin: { username: string; password: string } | undefined
  secureCookies: boolean
  /** Timeouts, login limits, origins and framing (server/http/security-config.ts). */
  security: SecurityConfig
  /** Socket and snapshot limits (server/realtime/realtime-limits.ts). */
  realtime: RealtimeLimits
  /** Ingest bounds: INGEST_MAX_ITEMS, INGEST_ATTRS_MAX_BYTES… (server/ingest/ingest-limits.ts). */
  ingestBounds: EventBounds
  /** LOG_LEVEL, LOG_FORMAT, METRICS_TOKEN (server/ops/ops-config.ts). */
  ops: OpsConfig
  /** How long audit entries are kept (AUDIT_RETENTION_DAYS, default 180). */
  auditRetentionDays: number
}

const root = projectRoot(import.meta.dirname)

function positiveFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}="${raw}" must be a number > 0 (fractions allowed)`)
  return n
}

/** The 7-day KPIs, yesterday's trend and the surge baseline read the last 8 days' counters: the window holds at least those. */
function dayCountersDaysFrom(env: NodeJS.ProcessEnv): number {
  const days = positiveFrom(env, 'DAY_COUNTERS_DAYS', 400)
  if (days < 8) throw new Error(`DAY_COUNTERS_DAYS="${env.DAY_COUNTERS_DAYS}" must be at least 8: the 7-day KPIs and the surge baseline read the last 8 days`)
  return days
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}="${raw}" must be a whole number ≥ 0`)
  return n
}

/** Load the region GeoJSON: REGIONS_FILE, else the only .geojson in config/regions/. */
export function loadRegions(file?: string, partitionLevel?: Level): RegionIndex {
  const dir = join(root, 'config/regions')
  const found = readdirSync(dir).filter((f) => f.endsWith('.geojson')).sort()
  if (!file && found.length !== 1) {
    throw new Error(found.length === 0
      ? `no region file in ${dir}: import one with npm run regions:import`
      : `several region files in ${dir} (${found.join(', ')}): choose one with REGIONS_FILE=config/regions/<file>`)
  }
  const path = file ? resolve(file) : join(dir, found[0]!)
  let fc: RegionCollection
  try {
    fc = JSON.parse(readFileSync(path, 'utf8')) as RegionCollection
  } catch (err) {
    throw new Error(`cannot read region file ${path}: ${(err as Error).message}`, { cause: err })
  }
  if (fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) throw new Error(`${path} is not a GeoJSON FeatureCollection`)
  const regions = new RegionIndex(fc, partitionLevel)
  if (partitionLevel && regions.partitioned === false && partitionLevel !== regions.root.level) {
    throw new Error(`PARTITION_LEVEL="${partitionLevel}": ${path} has no region at that level`)
  }
  return regions
}

/** PARTITION_LEVEL (DESIGN §11): the level whose regions each get their own hash tag; unset = the root, one partition. */
export function partitionLevelFrom(env: NodeJS.ProcessEnv): Level | undefined {
  const raw = env.PARTITION_LEVEL?.trim()
  if (!raw) return undefined
  if (!(LEVELS as readonly string[]).includes(raw)) throw new Error(`PARTITION_LEVEL="${raw}" must be one of ${LEVELS.join(', ')} (or unset for one partition)`)
  return raw as Level
}

export function loadCategories(path = join(root, 'config/categories.json')): Categories {
  return Categories.parse(readJson(path), path)
}

export function loadAlertConfig(path = join(root, 'config/alerts.json')): AlertConfig {
  return parseAlertConfig(readJson(path), path)
}

export function loadRankingConfig(path = join(root, 'config/ranking.json')): RankingConfig {
  return parseConfig(rankingConfigSchema, readJson(path), path)
}

function adminFrom(env: NodeJS.ProcessEnv): ServerConfig['admin'] {
  if (!env.ADMIN_USER && !env.ADMIN_PASSWORD) return undefined
  if (!env.ADMIN_USER || !env.ADMIN_PASSWORD) throw new Error('set both ADMIN_USER and ADMIN_PASSWORD to provision the first admin')
  return { username: env.ADMIN_USER, password: env.ADMIN_PASSWORD }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = intFrom(env, 'PORT', 3000)
  return {
    port,
    host: env.HOST || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redis: redisSettingsFromEnv(env),
    ingestKeys: (env.INGEST_KEYS ?? '').split(',').map((k) => k.trim()).filter(Boolean),
    bodyLimit: env.BODY_LIMIT || '5mb',
    zone: env.TIME_ZONE || 'Asia/Shanghai',
    logMaxLen: intFrom(env, 'LOG_MAXLEN', 1_000_000),
    // a seen-id lives as long as a closed subject (the subject's own list keeps its ids while it lives)
    seenTtlSec: env.SEEN_TTL_DAYS ? intFrom(env, 'SEEN_TTL_DAYS', 90) * 86_400 : Math.max(1, Math.round(positiveFrom(env, 'CLOSED_TTL_DAYS', 90) * 86_400)),
    closedTtlMs: Math.round(positiveFrom(env, 'CLOSED_TTL_DAYS', 90) * 86_400_000),
    logRetentionDays: positiveFrom(env, 'LOG_RETENTION_DAYS', 35),
    dayCountersDays: dayCountersDaysFrom(env),
    parkWindowMs: Math.round(positiveFrom(env, 'PARK_WINDOW_HOURS', 24) * 3_600_000),
    parkSweepMs: Math.round(positiveFrom(env, 'PARK_SWEEP_SEC', 60) * 1000),
    dataDir: resolve(env.DATA_DIR || join(root, 'data')),
    archiveDir: resolve(env.ARCHIVE_DIR || join(env.DATA_DIR || join(root, 'data'), 'archive')),
    clientDir: resolve(env.CLIENT_DIR || join(root, 'dist/client')),
    regions: loadRegions(env.REGIONS_FILE || undefined, partitionLevelFrom(env)),
    categories: loadCategories(),
    alerts: loadAlertConfig(env.ALERTS_FILE || undefined),
    ranking: loadRankingConfig(),
    wall: wallConfigFromEnv(env),
    usersFile: resolve(env.USERS_FILE || join(root, 'config/users.json')),
    admin: adminFrom(env),
    secureCookies: env.SECURE_COOKIES === '1',
    security: securityConfigFromEnv(env),
    realtime: realtimeLimitsFromEnv(env),
    ingestBounds: ingestBoundsFromEnv(env),
    ops: opsConfigFromEnv(env),
    auditRetentionDays: intFrom(env, 'AUDIT_RETENTION_DAYS', 180) || 180,
  }
}
