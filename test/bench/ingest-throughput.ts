// Ingest throughput of POST /api/v1/events: simulated events at batch sizes
// 1, 100, 1000 and 1 or 4 requests in flight, against a server and a
// redis-server of its own. Prints events/s, request latency and Redis memory.
// Run: npx tsx test/bench/ingest-throughput.ts [--events 100000] [--single 10000]
// The server runs in this process: client and server share one event loop.
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { loadConfig } from '../../server/config.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { start, type Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'

const { values: flags } = parseArgs({ options: { events: { type: 'string' }, single: { type: 'string' } } })
const EVENTS = Number(flags.events ?? 100_000)
const SINGLE = Number(flags.single ?? 10_000) // batch size 1 costs one request per event: fewer keep the run short
const BATCH_SIZES = [1, 100, 1000]
const CONCURRENCY = [1, 4]
const GIVE_UP_MS = 15 * 60_000
const KEY = 'bench-ingest-key'

let redis: RedisProcess | undefined
let server: Running | undefined
let admin: Redis | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'ingest',
  giveUpMs: GIVE_UP_MS,
  redisPid: () => redis?.pid,
  stop: async () => {
    admin?.disconnect()
    await server?.stop()
    await redis?.stop()
  },
})

/** `count` simulated events of all three feeds; each seed gives its own ids. */
function simulate(count: number, seed: number): EventEnvelope[] {
  const begin = Date.now() - 3_600_000
  const sim = createSimulation({ ...loadSimConfig(), seed, rate: 500, start: begin })
  const out: EventEnvelope[] = []
  for (let t = begin; out.length < count; t += 1_000) out.push(...sim.next(t))
  return out.slice(0, count)
}

/** Split into `lanes` by subject, so each lane (posted in order) keeps every subject's events in order. */
function laneBodies(events: EventEnvelope[], lanes: number, batch: number): string[][] {
  const byLane: EventEnvelope[][] = Array.from({ length: lanes }, () => [])
  for (const e of events) {
    let h = 0
    for (const ch of `${e.feed}/${e.subject}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0
    byLane[Math.abs(h) % lanes]!.push(e)
  }
  return byLane.map((lane) => {
    const bodies: string[] = []
    for (let i = 0; i < lane.length; i += batch) bodies.push(JSON.stringify(batch === 1 ? lane[i] : lane.slice(i, i + batch)))
    return bodies
  })
}

interface RunResult { seconds: number; latencies: number[]; accepted: number; outOfOrder: number; rejected: number }

async function post(url: string, lanes: string[][]): Promise<RunResult> {
  const r: RunResult = { seconds: 0, latencies: [], accepted: 0, outOfOrder: 0, rejected: 0 }
  const t0 = performance.now()
  await Promise.all(lanes.map(async (bodies) => {
    for (const body of bodies) {
      const t = performance.now()
      const res = await fetch(`${url}/api/v1/events`, {
        method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body,
      })
      const reply = (await res.json()) as { accepted: number; outOfOrder: number; rejected: unknown[] }
      r.latencies.push(performance.now() - t)
      if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${JSON.stringify(reply).slice(0, 300)}`)
      r.accepted += reply.accepted
      r.outOfOrder += reply.outOfOrder
      r.rejected += reply.rejected.length
    }
  }))
  r.seconds = (performance.now() - t0) / 1000
  return r
}

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN

async function info(section: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const line of (await admin!.info(section)).split('\r\n')) {
    const i = line.indexOf(':')
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1)
  }
  return out
}
const redisCpu = async () => {
  const c = await info('cpu')
  return Number(c.used_cpu_user) + Number(c.used_cpu_sys)
}
const mb = (bytes: number | null) => `${((bytes ?? 0) / 1_048_576).toFixed(1)} MB`
const cpuSec = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6

try {
  redis = await startRedis()
  admin = new Redis(redis.url)
  server = await start(loadConfig({ PORT: '0', REDIS_URL: redis.url, INGEST_KEYS: KEY, DATA_DIR: dataDir, BODY_LIMIT: '20mb', LOG_LEVEL: 'warn' }))
  console.log(`redis-server pid ${redis.pid} on ${redis.port}; server on ${server.url}; node ${process.version}`)
  await post(server.url, laneBodies(simulate(2_000, 999), 1, 100)) // warm-up: script load, JIT

  const header = ['batch', 'in flight', 'events', 'requests', 'seconds', 'events/s', 'p50 ms', 'p99 ms',
    'outOfOrder', 'rejected', 'node µs/ev', 'redis µs/ev', 'used_memory']
  const rows: string[][] = []
  let seed = 1
  for (const batch of BATCH_SIZES) {
    for (const inFlight of CONCURRENCY) {
      const count = batch === 1 ? Math.min(SINGLE, EVENTS) : EVENTS
      const lanes = laneBodies(simulate(count, seed++), inFlight, batch)
      const before = { node: process.cpuUsage(), redis: await redisCpu() }
      const r = await post(server.url, lanes)
      const nodeCpu = cpuSec(process.cpuUsage(before.node))
      const redisUsed = (await redisCpu()) - before.redis
      const sorted = r.latencies.sort((a, b) => a - b)
      rows.push([
        String(batch), String(inFlight), String(count), String(sorted.length), r.seconds.toFixed(1),
        String(Math.round(count / r.seconds)), percentile(sorted, 0.5).toFixed(1), percentile(sorted, 0.99).toFixed(1),
        String(r.outOfOrder), String(r.rejected), (nodeCpu / count * 1e6).toFixed(0), (redisUsed / count * 1e6).toFixed(0),
        (await info('memory')).used_memory_human!,
      ])
      console.log(`batch ${batch} × ${inFlight} in flight: ${Math.round(count / r.seconds)} events/s`)
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ')
  console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`)
  console.log('(node µs/ev: CPU of this process — client and server — per event; redis µs/ev: redis-server CPU per event)')

  const mem = await info('memory')
  const total = rows.reduce((n, row) => n + Number(row[2]), 2_000)
  const dbsize = await admin.dbsize()
  console.log(`\nRedis after ${total} events: used_memory ${mem.used_memory} (${mem.used_memory_human}), ` +
    `${(Number(mem.used_memory) / total).toFixed(0)} B/event, peak ${mem.used_memory_peak_human}, ${dbsize} keys, ` +
    `log length ${await admin.xlen('sr:{live}:log')} using ${mb(await admin.memory('USAGE', 'sr:{live}:log', 'SAMPLES', 0))}`)
  const stats = Object.entries(await info('commandstats'))
    .map(([k, v]) => ({ cmd: k.replace('cmdstat_', ''), calls: Number(/calls=(\d+)/.exec(v)?.[1]), usec: Number(/usec=(\d+)/.exec(v)?.[1]) }))
    .sort((a, b) => b.usec - a.usec)
    .slice(0, 8)
  console.log('Redis time by command (scripts include the commands they call):')
  for (const s of stats) console.log(`  ${s.cmd.padEnd(10)} ${String(s.calls).padStart(10)} calls  ${(s.usec / 1e6).toFixed(1)} s  ${(s.usec / s.calls).toFixed(2)} µs/call`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
