// What the benchmarks of `npm run bench` share: a redis-server of their own,
// a server process started and timed to its first healthy answer, its CPU and
// RSS read from /proc, and simulated events posted through the ingest API.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'

export const KEY = 'bench-ingest-key'
export const ADMIN = { username: 'admin', password: 'bench-admin-password' }
const CLK_TCK_MS = 10 // /proc/<pid>/stat counts in 1/100 s on Linux

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** CPU time (user + system) of a process so far, ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // from field 3 (state) on
  return (Number(f[11]) + Number(f[12])) * CLK_TCK_MS // utime + stime
}
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface BenchServer { child: ChildProcess; url: string; startMs: number; token: string; stop(): Promise<void> }

/** Start a server process (`args` after node) on `redisUrl` and time it to the first 200 from /healthz; logs in as admin. */
export async function launch(args: string[], redisUrl: string, dataDir: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const port = await freePort()
  const t0 = performance.now()
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env, PORT: String(port), REDIS_URL: redisUrl, INGEST_KEYS: KEY, DATA_DIR: dataDir, LOG_LEVEL: 'warn',
      ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, BODY_LIMIT: '20mb', ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const url = `http://localhost:${port}`
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server ${args.join(' ')} exited with ${child.exitCode}`)
    if (await fetch(`${url}/healthz`).then((r) => r.status === 200, () => false)) break
    await sleep(20)
  }
  const startMs = performance.now() - t0
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })
  const { token } = (await res.json()) as { token: string }
  const stop = () => new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
  return { child, url, startMs, token, stop }
}

/** Compile the server if a source changed (build/build-server.mjs). */
export async function buildServer(): Promise<void> {
  const build = spawn(process.execPath, ['build/build-server.mjs'], { stdio: 'inherit' })
  const code = await new Promise((resolve) => build.once('exit', resolve))
  if (code !== 0) throw new Error('server build failed')
}

let simSeed = 1
/** `count` simulated events of all three feeds, fresh ids each call. */
export function simulate(count: number): EventEnvelope[] {
  const begin = Date.now() - 3_600_000
  const sim = createSimulation({ ...loadSimConfig(), seed: simSeed++, rate: 500, start: begin })
  const out: EventEnvelope[] = []
  for (let t = begin; out.length < count; t += 1_000) out.push(...sim.next(t))
  return out.slice(0, count)
}

/** POST a batch to ingest; how many events landed (accepted, out of order included). */
export async function post(url: string, events: EventEnvelope[]): Promise<number> {
  const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(events) })
  const reply = (await res.json()) as { accepted: number; outOfOrder: number }
  if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${JSON.stringify(reply).slice(0, 200)}`)
  return reply.accepted + reply.outOfOrder
}

/** Events split by subject into `n` lanes: each lane posted in order keeps every subject in order. */
export function lanesOf(events: EventEnvelope[], n: number): EventEnvelope[][] {
  const lanes: EventEnvelope[][] = Array.from({ length: n }, () => [])
  for (const e of events) {
    let h = 0
    for (const ch of `${e.feed}/${e.subject}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0
    lanes[Math.abs(h) % n]!.push(e)
  }
  return lanes
}
