/**
 * The ioredis connection of a server instance: one Redis, a Redis Cluster or
 * a Sentinel-watched master (redis-topology.ts). Commands fail while Redis is
 * down or hung (a command timeout), so requests answer 503 within seconds
 * instead of hanging; on Cluster and Sentinel a command waits for the new
 * master of a failover (offline queue, retries) up to that same timeout.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis'
import { failCommandsWhenHung } from './hang-timeout.ts'
import { defineScripts } from './lua-scripts.ts'
import type { RedisTopology } from './redis-topology.ts'

/** A connection of a server instance, with every Lua script defined (lua-scripts.ts). */
export type Store = Redis

export interface StoreOptions {
  /** Pending commands fail ("Command timed out") when Redis has sent nothing for this many ms: a SIGSTOPped Redis keeps its socket open. */
  commandTimeoutMs?: number
}

const retryStrategy = (times: number) => Math.min(200 * times, 2000)

// a replica that was master a moment ago answers writes with READONLY: reconnect (to the new master) and resend
const reconnectOnReadonly = (err: Error) => (/^READONLY/.test(err.message) ? 2 : false)

/** ioredis options for a Cluster: MOVED/ASK followed, CLUSTERDOWN and a dead node retried while replicas are promoted. */
const clusterOptions = (password: string | undefined): ClusterOptions => ({
  lazyConnect: true,
  enableOfflineQueue: true,
  retryDelayOnFailover: 200,
  retryDelayOnClusterDown: 300,
  retryDelayOnTryAgain: 100,
  maxRedirections: 16,
  slotsRefreshTimeout: 2000,
  clusterRetryStrategy: retryStrategy,
  redisOptions: { password, connectTimeout: 2000, maxRetriesPerRequest: 2, reconnectOnError: reconnectOnReadonly },
})

/** A client for the topology, not yet connected (lazyConnect). */
export function createRedis(target: string | RedisTopology): Redis {
  const t: RedisTopology = typeof target === 'string' ? { kind: 'single', url: target } : target
  if (t.kind === 'cluster') return new Cluster(t.nodes, clusterOptions(t.password)) as unknown as Redis
  if (t.kind === 'sentinel') {
    const o: RedisOptions = {
      sentinels: t.sentinels, name: t.name, password: t.password, sentinelPassword: t.sentinelPassword, db: t.db,
      lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: 2, retryStrategy, connectTimeout: 2000,
      reconnectOnError: reconnectOnReadonly,
      // no failoverDetector: with it, a kill -9 of the master left clients in status "end" for good (test/integration/redis-failover.test.ts);
      // without it the dead socket closes at once anyway and the reconnect asks the sentinels for the new master
      sentinelRetryStrategy: (times) => Math.min(200 * times, 2000),
    }
    return new Redis(o)
  }
  return new Redis(t.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy })
}

/** True for an ioredis Cluster client (typed as Redis here: commands are the same, connections are not). */
export const isCluster = (r: Redis): boolean => (r as unknown as { isCluster?: boolean }).isCluster === true

/** The connections that answer for keys: every master of a Cluster, else the one server. */
export const masterNodes = (r: Redis): Redis[] => (isCluster(r) ? (r as unknown as Cluster).nodes('master') : [r])

/** Connect with scripts defined; resolves once Redis answers. A string is a REDIS_URL. */
export async function connectStore(target: string | RedisTopology, o: StoreOptions = {}): Promise<Store> {
  const redis = createRedis(target)
  defineScripts(redis)
  redis.on('error', () => {}) // reported through healthz and 503s, not as unhandled errors
  redis.on('node error', () => {}) // Cluster: one node's connection failed (a failover)
  if (o.commandTimeoutMs) {
    const ms = o.commandTimeoutMs
    redis.once('end', failCommandsWhenHung(redis, ms))
    // a Cluster's other masters keep answering while one hangs: watch each node's connection on its own
    if (isCluster(redis)) redis.on('+node', (node: Redis) => node.once('end', failCommandsWhenHung(node, ms)))
  }
  await redis.connect()
  return redis
}

/**
 * A second connection for blocking reads (XREAD BLOCK) that must not stall
 * commands. Not watched for hangs (a duplicate does not copy the wrapper):
 * its BLOCK outlasts any timeout, and a hung Redis only delays the reply,
 * which arrives once Redis runs again.
 */
export function blockingConnection(store: Store): Redis {
  const r = isCluster(store)
    ? ((store as unknown as Cluster).duplicate([], { enableOfflineQueue: true, redisOptions: { ...(store as unknown as Cluster).options.redisOptions, maxRetriesPerRequest: null } }) as unknown as Redis)
    : store.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
  r.on('error', () => {})
  r.on('node error', () => {})
  return r
}

export const isReady = (r: Redis) => r.status === 'ready'

const DOWN = /^(Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries per request|LOADING|MASTERDOWN|READONLY|BUSY |CLUSTERDOWN|TRYAGAIN|MOVED |ASK |Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes is available|Cluster isn't ready|All sentinels are unreachable)/

/** True when an error means Redis cannot answer now (down, hung, loading), not that a command was wrong. */
export function isStoreDown(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'MaxRetriesPerRequestError' || e.name === 'ClusterAllFailedError' || DOWN.test(e.message) || (e as { code?: string }).code === 'ECONNREFUSED') return true
  }
  return false
}
