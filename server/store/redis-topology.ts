/**
 * Which Redis a server talks to (DESIGN §11): one server (REDIS_URL), a Redis
 * Cluster (REDIS_CLUSTER_NODES seeds) or a master watched by Sentinels
 * (REDIS_SENTINELS + REDIS_SENTINEL_NAME); none of them: the embedded
 * redis-server. Read from the environment with errors that say what to fix.
 */

export interface HostPort { host: string; port: number }

export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; nodes: HostPort[]; password?: string }
  | { kind: 'sentinel'; sentinels: HostPort[]; name: string; password?: string; sentinelPassword?: string; db?: number }

export interface RedisSettings {
  /** undefined: start the embedded redis-server. */
  topology: RedisTopology | undefined
  /** REDIS_WAIT_REPLICAS: ingest acknowledges only once this many replicas hold the batch (WAIT); 0: as soon as the master has it. */
  waitReplicas: number
  /** REDIS_WAIT_TIMEOUT_MS: how long ingest waits for them before answering 503. */
  waitTimeoutMs: number
}

function hostPorts(name: string, raw: string): HostPort[] {
  const list = raw.split(',').map((s) => s.trim()).filter(Boolean)
  if (list.length === 0) throw new Error(`${name} is empty: list host:port pairs separated by commas, e.g. 10.0.0.1:7000,10.0.0.2:7000`)
  return list.map((item) => {
    const m = /^(\[[0-9a-fA-F:]+\]|[^:\s]+):(\d{1,5})$/.exec(item)
    const port = Number(m?.[2])
    if (!m || port < 1 || port > 65_535) throw new Error(`${name} entry "${item}" is not host:port (e.g. 10.0.0.1:7000)`)
    return { host: m[1]!.replace(/^\[|\]$/g, ''), port }
  })
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}="${raw}" must be a whole number ≥ ${min}`)
  return n
}

/** Read REDIS_URL / REDIS_CLUSTER_NODES / REDIS_SENTINELS (+ REDIS_SENTINEL_NAME) and the WAIT settings. */
export function redisSettingsFromEnv(env: NodeJS.ProcessEnv): RedisSettings {
  const given = (['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'] as const).filter((n) => env[n]?.trim())
  if (given.length > 1) {
    throw new Error(`${given.join(' and ')} are both set: choose one Redis — REDIS_URL (one server), REDIS_CLUSTER_NODES (a Redis Cluster) or REDIS_SENTINELS with REDIS_SENTINEL_NAME (Sentinel)`)
  }
  if (env.REDIS_SENTINEL_NAME?.trim() && given[0] !== 'REDIS_SENTINELS') {
    throw new Error('REDIS_SENTINEL_NAME is set without REDIS_SENTINELS: list the sentinels (host:port,…) or unset the name')
  }
  const password = env.REDIS_PASSWORD || undefined
  if (password && given[0] === 'REDIS_URL') throw new Error('REDIS_PASSWORD is for REDIS_CLUSTER_NODES and REDIS_SENTINELS; with REDIS_URL put the password in the URL (redis://:password@host:port)')
  let topology: RedisTopology | undefined
  if (given[0] === 'REDIS_URL') {
    const url = env.REDIS_URL!.trim()
    if (!/^rediss?:\/\//.test(url)) throw new Error(`REDIS_URL="${url}" must start with redis:// or rediss:// (e.g. redis://127.0.0.1:6379)`)
    topology = { kind: 'single', url }
  } else if (given[0] === 'REDIS_CLUSTER_NODES') {
    topology = { kind: 'cluster', nodes: hostPorts('REDIS_CLUSTER_NODES', env.REDIS_CLUSTER_NODES!), password }
  } else if (given[0] === 'REDIS_SENTINELS') {
    const name = env.REDIS_SENTINEL_NAME?.trim()
    if (!name) throw new Error('REDIS_SENTINELS is set without REDIS_SENTINEL_NAME: name the master the sentinels watch (e.g. REDIS_SENTINEL_NAME=situation-room)')
    topology = {
      kind: 'sentinel', sentinels: hostPorts('REDIS_SENTINELS', env.REDIS_SENTINELS!), name, password,
      sentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined, db: wholeNumber(env, 'REDIS_DB', 0, 0),
    }
  }
  if (env.REDIS_DB && topology?.kind !== 'sentinel') throw new Error('REDIS_DB is for REDIS_SENTINELS (with REDIS_URL put the database in the URL; a Cluster has only database 0)')
  const waitReplicas = wholeNumber(env, 'REDIS_WAIT_REPLICAS', 0, 0)
  if (waitReplicas > 0 && !topology) throw new Error('REDIS_WAIT_REPLICAS needs a Redis with replicas (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS); the embedded redis-server has none')
  const waitTimeoutMs = wholeNumber(env, 'REDIS_WAIT_TIMEOUT_MS', 1000, 1)
  // WAIT blocks the shared connection: nothing answers meanwhile, so the command timeout (server/store/hang-timeout.ts) would cut it first
  const commandTimeoutMs = wholeNumber(env, 'REDIS_COMMAND_TIMEOUT_MS', 1500, 1)
  if (waitReplicas > 0 && waitTimeoutMs >= commandTimeoutMs) {
    throw new Error(`REDIS_WAIT_TIMEOUT_MS (${waitTimeoutMs}) must be below REDIS_COMMAND_TIMEOUT_MS (${commandTimeoutMs}): the connection answers nothing while it waits`)
  }
  return { topology, waitReplicas, waitTimeoutMs }
}

/** One line for logs and banners: which Redis, without passwords. */
export function describeTopology(t: RedisTopology): string {
  const list = (l: HostPort[]) => l.map((n) => `${n.host}:${n.port}`).join(',')
  if (t.kind === 'single') return `Redis ${t.url.replace(/\/\/[^@/]*@/, '//***@')}`
  if (t.kind === 'cluster') return `Redis Cluster (seeds ${list(t.nodes)})`
  return `Redis master "${t.name}" via Sentinel ${list(t.sentinels)}`
}
