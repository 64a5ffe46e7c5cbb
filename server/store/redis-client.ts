/**
 * The ioredis connection of a server instance. Commands fail fast while Redis
 * is down (no offline queue), so ingest can answer 503 instead of hanging.
 */
import { readFileSync } from 'node:fs'
import { Redis } from 'ioredis'

const lua = (name: string) => readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8')
const SCRIPTS = { applyEvent: [4, lua('apply')], raiseAlert: [5, lua('raise-alert')], endAlert: [3, lua('end-alert')] } as const

export type Store = Redis & {
  applyEvent(log: string, seen: string, subject: string, stats: string, ...argv: string[]): Promise<[string, string]>
  raiseAlert(seen: string, active: string, byId: string, stream: string, open: string, ...argv: string[]): Promise<0 | 1>
  endAlert(active: string, byId: string, stream: string, ...argv: string[]): Promise<string | null>
}

/** Connect with scripts defined; resolves once Redis answers. */
export async function connectStore(url: string): Promise<Store> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  }) as Store
  for (const [name, [numberOfKeys, source]] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys, lua: source })
  redis.on('error', () => {}) // reported through healthz and 503s, not as unhandled errors
  await redis.connect()
  return redis
}

/** A second connection for blocking reads (XREAD BLOCK) that must not stall commands. */
export function blockingConnection(store: Store): Redis {
  const r = store.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
  r.on('error', () => {})
  return r
}

export const isReady = (r: Redis) => r.status === 'ready'
