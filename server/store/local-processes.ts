/**
 * The redis-server processes of a local topology (local-topology.ts): started
 * and restarted with the same settings, stopped by PID; and small probes to
 * wait for a state Redis reports.
 */
import { Redis } from 'ioredis'
import { freePort, startRedis, type RedisOptions, type RedisProcess } from './redis-process.ts'
import { systemTime } from '../domain/clock.ts'

/** The processes of a topology and how each was started, so one can be started again. */
export class Processes {
  readonly running = new Map<number, RedisProcess>()
  private readonly how = new Map<number, RedisOptions & { port: number }>()

  async start(o: RedisOptions & { port: number }): Promise<RedisProcess> {
    const p = await startRedis(o)
    this.how.set(o.port, o)
    this.running.set(o.port, p)
    return p
  }

  restart = async (port: number): Promise<RedisProcess> => {
    const o = this.how.get(port)
    if (!o) throw new Error(`no redis-server of this topology on port ${port}`)
    await this.running.get(port)?.stop()
    return this.start(o)
  }

  stop = async (): Promise<void> => {
    await Promise.all([...this.running.values()].map((n) => n.stop()))
  }
}

/** `n` distinct loopback ports that were free a moment ago. */
export async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>()
  while (out.size < n) out.add(await freePort())
  return [...out]
}

/** Poll `check` every 100 ms until it returns true, or fail saying what was awaited. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = systemTime() + timeoutMs
  let last = ''
  for (;;) {
    try {
      if (await check()) return
    } catch (err) {
      last = ` (${(err as Error).message})`
    }
    if (systemTime() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** One short-lived connection to a local redis-server for a probe. */
export async function ask<T>(port: number, f: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  r.on('error', () => {})
  try {
    await r.connect()
    return await f(r)
  } finally {
    r.disconnect()
  }
}

/** A `name:value` field of INFO or CLUSTER INFO text. */
export const field = (text: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(text)?.[1]?.trim()
