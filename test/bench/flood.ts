// Floods of the socket side (issue 10): 20 sockets × 500 subscribes, 8
// concurrent city snapshots with the longest alert titles ingest accepts, and
// 1,000 sockets connecting at once. The server runs in a process of its own
// and the load in others (flood-clients.ts), so the figures are the server's:
// /healthz latency p50/p99 (asked one after another from this process) and the
// server's RSS growth (peak and after, over its RSS just before the flood).
// Targets: p99 < 200 ms, RSS growth < 200 MB.
// Run: npm run bench:flood [-- --server-dir /tmp/wt-before]   (another checkout's server, for a before figure)
import { fork } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadRegions } from '../../server/config.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { firstGridOf, largestAccepted, percentile, pollHealth } from '../support/socket-swarm.ts'
import { post, tokenFor } from '../support/test-server.ts'
import { iso } from '../support/events-factory.ts'
import type { FloodOrder, FloodReport } from './flood-clients.ts'

const { values: flags } = parseArgs({ options: { 'server-dir': { type: 'string' }, 'ack-timeout': { type: 'string' } } })
const ACK_TIMEOUT_MS = Number(flags['ack-timeout'] ?? 60_000) // an ack later than this counts as TIMEOUT
const TARGET = { p99Ms: 200, rssMb: 200 }

let redis: RedisProcess | undefined
let server: ServerProcess | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'flood',
  giveUpMs: 20 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    await server?.stop()
    await redis?.stop()
  },
})

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024
/** CPU seconds the process has used (user + system; /proc counts in ticks of 1/100 s). */
const cpuSec = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Run one order in its own client process; its report. */
function clients(order: FloodOrder): Promise<FloodReport> {
  const child = fork(join(import.meta.dirname, 'flood-clients.ts'), [], { execArgv: ['--import', 'tsx'] })
  child.send(order)
  return new Promise((done, fail) => {
    child.once('message', (r) => done(r as FloodReport))
    child.once('exit', (code) => { if (code !== 0) fail(new Error(`flood client exited with ${code}`)) })
  })
}

/** Add up the reports of several client processes. */
function merge(reports: FloodReport[]): FloodReport {
  const sum = (key: 'refused' | 'acks') => {
    const out: Record<string, number> = {}
    for (const r of reports) for (const [k, v] of Object.entries(r[key])) out[k] = (out[k] ?? 0) + v
    return out
  }
  return {
    connected: reports.reduce((n, r) => n + r.connected, 0), refused: sum('refused'), acks: sum('acks'),
    lastWins: reports.reduce((n, r) => n + r.lastWins, 0), ms: Math.max(...reports.map((r) => r.ms)),
  }
}

const rows: string[][] = []

async function flood(name: string, work: () => Promise<FloodReport>) {
  await pause(3_000) // let the previous flood's sockets close and the heap settle
  const pid = server!.pid
  const base = rssMb(pid)
  const cpu0 = cpuSec(pid)
  let peak = base
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb(pid)) }, 50)
  const health = pollHealth(server!.url, 60_000)
  const report = await work()
  const log = await health.stop()
  clearInterval(sampler)
  const after = rssMb(pid)
  const cpu = cpuSec(pid) - cpu0
  const p99 = percentile(log.latenciesMs, 99)
  const ok = p99 < TARGET.p99Ms && peak - base < TARGET.rssMb && log.failures.length === 0
  rows.push([
    name, String(log.answers), String(log.failures.length), percentile(log.latenciesMs, 50).toFixed(1), p99.toFixed(1),
    Math.max(...log.latenciesMs).toFixed(0), base.toFixed(0), (peak - base).toFixed(0), (after - base).toFixed(0), (report.ms / 1000).toFixed(1), cpu.toFixed(2), ok ? 'yes' : 'NO',
  ])
  console.log(`${name}: ${JSON.stringify(report)}${log.failures.length ? `; /healthz failures: ${[...new Set(log.failures)].join(', ')}` : ''}`)
}

/** The longest critical-alert title (3-byte characters) ingest accepts: halve, then bisect. */
async function longestTitle(url: string, region: string): Promise<number> {
  let n = 0
  const accepts = async (chars: number) => (await post(url, [{
    id: `grid-BENCHPROBE${n}-alert`, feed: 'grid', type: 'alert', subject: `BENCHPROBE${n++}`, at: iso(Date.now()), region,
    attrs: { severity: 'critical', source: 'iot', title: '告'.repeat(chars) },
  }])).body.accepted === 1
  return largestAccepted(accepts)
}

try {
  const regions = loadRegions()
  const root = regions.root.code
  const districts = regions.childrenOf(root).map((r) => r.code)
  const gridOf = (code: string): string => firstGridOf(regions, code)
  redis = await startRedis({ dir: dataDir })
  process.env.SOCKET_MAX_PER_ADDRESS = '2000' // every client of the bench comes from 127.0.0.1
  const here = process.cwd()
  if (flags['server-dir']) process.chdir(resolve(flags['server-dir']))
  server = await spawnServer(redis.url, dataDir)
  process.chdir(here)
  const token = tokenFor(server.url)!
  console.log(`server pid ${server.pid} (${flags['server-dir'] ?? 'this checkout'}) on ${server.url}; redis pid ${redis.pid}; node ${process.version}`)
  const common = { url: server.url, token, ackTimeoutMs: ACK_TIMEOUT_MS }

  // warm-up, not measured: the first snapshot of each region and the first refusals compile their code paths
  await clients({ ...common, mode: 'subscribe', sockets: 2, per: 40, regions: [root, ...districts] })

  await flood('20 sockets × 500 subscribes', () => clients({ ...common, mode: 'subscribe', sockets: 20, per: 500, regions: [root, ...districts] }))

  const chars = await longestTitle(server.url, gridOf(districts[0]!))
  for (let n = 0; n < 40; n++) {
    await post(server.url, [{
      id: `grid-BENCHALERT${n}-alert`, feed: 'grid', type: 'alert', subject: `BENCHALERT${n}`, at: iso(Date.now()),
      region: gridOf(districts[n % districts.length]!), attrs: { severity: 'critical', source: 'iot', title: '告'.repeat(chars) },
    }])
  }
  console.log(`40 critical alerts with titles of ${chars} characters (${(chars * 3 / 1024).toFixed(1)} KB) each`)
  await flood('8 city snapshots, maximal alerts', () => clients({ ...common, mode: 'connect', sockets: 8, region: root }))

  await flood('1,000 sockets at once', async () => merge(await Promise.all([0, 1].map(() => clients({ ...common, mode: 'connect', sockets: 500, region: root })))))

  const header = ['flood', 'healthz answers', 'failed', 'p50 ms', 'p99 ms', 'max ms', 'RSS before MB', 'RSS peak +MB', 'RSS after +MB', 'flood s', 'server CPU s', 'on target']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`)
  console.log(`(targets: /healthz p99 < ${TARGET.p99Ms} ms, server RSS growth < ${TARGET.rssMb} MB, no failed /healthz)`)
  console.log(`(load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores: latency figures include waiting for a core)`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
