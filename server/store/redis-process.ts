/**
 * Starts and stops a redis-server child process: the embedded store when no
 * REDIS_URL is configured, and the real Redis of the test run.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'

export interface RedisProcess { url: string; port: number; pid: number; stop(): Promise<void> }

/** A TCP port that was free a moment ago on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
  })
}

export interface RedisOptions {
  port?: number
  dir?: string
  appendonly?: boolean
  /** Extra redis-server arguments (cluster or replica settings), after ours. */
  args?: string[]
  /** A config file to start from (a sentinel must have one it can rewrite). */
  configFile?: string
  /** The log line that says it is ready (default: "Ready to accept connections"). */
  ready?: RegExp
}

/** Spawn redis-server bound to loopback and resolve once it accepts connections. */
/**
 * A redis-server on `opts.port`, or on a free port: a port another process took between
 * freePort() and redis-server's bind (two test runs side by side) is tried again with another.
 */
export async function startRedis(opts: RedisOptions = {}): Promise<RedisProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisOn(opts.port ?? (await freePort()), opts)
    } catch (err) {
      if (opts.port !== undefined || attempt >= 5 || !/Address already in use/i.test((err as Error).message)) throw err
    }
  }
}

async function startRedisOn(port: number, opts: RedisOptions): Promise<RedisProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--protected-mode', 'yes']
  if (opts.dir) {
    mkdirSync(opts.dir, { recursive: true })
    args.push('--dir', opts.dir)
  }
  args.push('--appendonly', opts.appendonly ? 'yes' : 'no', '--appendfsync', 'everysec')
  if (opts.configFile) args.unshift(opts.configFile)
  args.push(...(opts.args ?? []))
  const readyLine = opts.ready ?? /Ready to accept connections/
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const ready = new Promise<void>((resolve, reject) => {
    let log = ''
    const onData = (b: Buffer) => {
      log += b.toString()
      if (readyLine.test(log)) resolve()
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('error', (err) =>
      reject(new Error(`could not start redis-server (${err.message}); install it with: apt-get install -y redis-server`)),
    )
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it was ready:\n${log.slice(-2000)}`)))
  })
  const timeout = setTimeout(() => child.kill('SIGKILL'), 15_000)
  try {
    await ready
  } finally {
    clearTimeout(timeout)
  }
  child.stdout!.resume()
  child.stderr!.resume()
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve() // already gone (a test killed it)
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
