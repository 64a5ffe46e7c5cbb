/**
 * The ioredis connection of a server instance. Commands fail fast while Redis
 * is down (no offline queue) or hung (a command timeout), so requests answer
 * 503 within seconds instead of hanging.
 */
import { readFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { failCommandsWhenHung } from './hang-timeout.ts'

const lua = (name: string) => readFileSync(new URL(`./scripts/${name}.lua`, import.meta.url), 'utf8')
const SCRIPTS = { applyEvent: [6, lua('apply')], raiseAlert: [5, lua('raise-alert')], endAlert: [3, lua('end-alert')], parkSweep: [4, lua('park-sweep')], expireClosed: [2, lua('expire-closed')] } as const

export type Store = Redis & {
  applyEvent(log: string, seen: string, subject: string, stats: string, events: string, parked: string, ...argv: string[]): Promise<[string, string]>
  raiseAlert(seen: string, active: string, byId: string, stream: string, open: string, ...argv: string[]): Promise<0 | 1>
  endAlert(active: string, byId: string, stream: string, ...argv: string[]): Promise<string | null>
  parkSweep(parked: string, log: string, refused: string, stats: string, ...argv: string[]): Promise<number>
  expireClosed(ended: string, parked: string, ...argv: string[]): Promise<number>
}

export interface StoreOptions {
  /** Pending commands fail ("Command timed out") when Redis has sent nothing for this many ms: a SIGSTOPped Redis keeps its socket open. */
  commandTimeoutMs?: number
}

/** Connect with scripts defined; resolves once Redis answers. */
export async function connectStore(url: string, o: StoreOptions = {}): Promise<Store> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(200 * times, 2000),
  }) as Store
  for (const [name, [numberOfKeys, source]] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys, lua: source })
  redis.on('error', () => {}) // reported through healthz and 503s, not as unhandled errors
  if (o.commandTimeoutMs) redis.once('end', failCommandsWhenHung(redis, o.commandTimeoutMs))
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
  const r = store.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null })
  r.on('error', () => {})
  return r
}

export const isReady = (r: Redis) => r.status === 'ready'

const DOWN = /^(Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries per request|LOADING|MASTERDOWN|READONLY|BUSY |CLUSTERDOWN|TRYAGAIN)/

/** True when an error means Redis cannot answer now (down, hung, loading), not that a command was wrong. */
export function isStoreDown(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.name === 'MaxRetriesPerRequestError' || DOWN.test(e.message) || (e as { code?: string }).code === 'ECONNREFUSED') return true
  }
  return false
}
