// Fan-out and the server around it (issue 11): one compiled server process
// against a redis-server of this bench, screens in separate processes
// (fanout-clients.ts, 500 lean socket.io clients each, all on the city room),
// at 0, 100, 1,000 and 2,000 sockets, and 2,000 sockets as a city deploys them
// ("mix": DEPLOYED_MIX screens on the city, on each district, township and village,
// the rest on one grid each, so an event reaches about 100 of them, not 2,000):
//   - ingest paced at --rate ev/s for --seconds: achieved rate, ingest→socket p50/p95/p99
//     (stream id time to arrival), server CPU per delivery (CPU above the run without
//     sockets, over events × sockets delivered), against the same batches broadcast by a
//     bare socket.io server to a room of as many sockets (bare-broadcast.ts);
//   - ingest as fast as two senders go for --max-seconds: rate, against the rate with no sockets;
// then snapshot p50/p95 per region level, start time to /healthz (compiled vs tsx),
// and RSS idle and under the largest load.
// Run: npx tsx test/bench/fanout.ts [--levels 0,100,1000,2000,mix] [--rate 1000] [--seconds 5] [--max-seconds 4]
// Profile the server meanwhile: BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (node flags for its process)
import { fork, type ChildProcess } from 'node:child_process'
import { parseArgs } from 'node:util'
import { loadRegions } from '../../server/config.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { buildServer, cpuMs, lanesOf, launch, post, rssMb, simulate, sleep, type BenchServer } from './bench-server.ts'
import { emitRow, formatTable, percentile, ratio, type BenchRow } from './bench-table.ts'
import type { ClientOrder } from './fanout-clients.ts'

const { values: flags } = parseArgs({ options: { levels: { type: 'string' }, rate: { type: 'string' }, seconds: { type: 'string' }, 'max-seconds': { type: 'string' } } })
const LEVEL_FLAGS = (flags.levels ?? '0,100,1000,2000,mix').split(',')
const LEVELS = LEVEL_FLAGS.filter((l) => l !== 'mix').map(Number)
/** Screens per region of each level in the deployed mix: the command centres' walls and desks, village tablets; the rest on grids. */
const DEPLOYED_MIX = { total: 2000, city: 40, district: 40, township: 20, village: 2 } as const
const RATE = Number(flags.rate ?? 1000)
const SECONDS = Number(flags.seconds ?? 5)
const MAX_SECONDS = Number(flags['max-seconds'] ?? 4)
const PER_CHILD = 500
const ROOT = '650400'
const LEVEL_REGIONS: [string, string][] = [['city', ROOT], ['district', '650402'], ['township', '650402001'], ['village', '650402001001'], ['grid', '650402001001001']]

let redis: RedisProcess | undefined
const children = new Set<ChildProcess>()
const servers = new Set<BenchServer>()
const { dataDir, shutdown } = benchLifecycle({
  name: 'fanout',
  giveUpMs: 6 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    for (const c of children) c.kill('SIGTERM')
    await Promise.all([...servers].map((s) => s.stop()))
    await redis?.stop()
  },
})
const rows: BenchRow[] = []
/** CPU time of this process (the senders), ms. */
const selfCpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const row = (r: Omit<BenchRow, 'bench'>) => {
  const full = { bench: 'fanout', ...r }
  rows.push(full)
  emitRow(full)
}
/** One sender, on schedule: whatever is due at `rate` goes out in the next POST (≤ 1,000). */
async function paced(url: string, rate: number, seconds: number): Promise<number> {
  const events = simulate(Math.ceil(rate * seconds))
  const t0 = performance.now()
  let sent = 0
  while (sent < events.length) {
    const due = Math.min(events.length, Math.floor(((performance.now() - t0) / 1000) * rate))
    if (due <= sent) { await sleep(10); continue }
    const n = Math.min(due - sent, 1000)
    await post(url, events.slice(sent, sent + n))
    sent += n
  }
  return sent / ((performance.now() - t0) / 1000)
}

/** Two senders (events split by subject, so each subject stays in order) as fast as answered, for `seconds`. */
async function flat(url: string, seconds: number): Promise<number> {
  const lanes = lanesOf(simulate(20_000 * seconds), 2)
  const t0 = performance.now()
  const until = t0 + seconds * 1000
  let done = 0
  await Promise.all(lanes.map(async (lane) => {
    for (let i = 0; i < lane.length && performance.now() < until; i += 500) {
      done += await post(url, lane.slice(i, i + 500)).catch((err: Error) => {
        console.error(`  a POST failed (${err.message}${err.cause ? `: ${(err.cause as Error).message}` : ''}); this lane stops`)
        i = lane.length
        return 0
      })
    }
  }))
  return done / ((performance.now() - t0) / 1000)
}

async function deliveries(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text()
  let n = 0
  for (const m of text.matchAll(/^situation_fanout_deliveries_total\{[^}]*\} (\S+)$/gm)) n += Number(m[1])
  return n
}

/** Forked screen processes of `total` sockets, told and answered by IPC. */
async function screens(total: number, order: Omit<Extract<ClientOrder, { cmd: 'open' }>, 'sockets' | 'cmd'>) {
  const procs: ChildProcess[] = []
  const ask = <T>(c: ChildProcess, m: ClientOrder) => new Promise<T>((resolve) => { c.once('message', (r) => resolve(r as T)); c.send(m) })
  let opened = 0
  let refused = 0
  for (let from = 0; from < total; from += PER_CHILD) {
    const c = fork(new URL('./fanout-clients.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] })
    children.add(c)
    procs.push(c)
    const sockets = Math.min(PER_CHILD, total - from)
    const r = await ask<{ opened: number; refused: number }>(c, { cmd: 'open', ...order, regions: order.regions?.slice(from, from + sockets), sockets })
    opened += r.opened
    refused += r.refused
  }
  return {
    opened, refused,
    /** CPU time of the screen processes so far, ms. */
    cpu: () => procs.reduce((n, c) => n + cpuMs(c.pid!), 0),
    mark: () => Promise.all(procs.map((c) => ask(c, { cmd: 'mark' }))),
    report: async () => {
      const all = await Promise.all(procs.map((c) => ask<{ events: number; samples: number[] }>(c, { cmd: 'report' })))
      return all.flatMap((r) => r.samples).sort((a, b) => a - b)
    },
    close: () => { for (const c of procs) { c.send({ cmd: 'close' }); children.delete(c) } },
  }
}

/** One region per screen of the deployed mix (DEPLOYED_MIX), in the order the regions are listed. */
function deployedMix(): string[] {
  const byLevel = new Map<string, string[]>()
  for (const r of loadRegions().collection.features.map((f) => f.properties)) byLevel.set(r.level, [...(byLevel.get(r.level) ?? []), r.code])
  const out: string[] = []
  for (const level of ['city', 'district', 'township', 'village'] as const) {
    for (const code of byLevel.get(level) ?? []) out.push(...Array<string>(DEPLOYED_MIX[level]).fill(code))
  }
  const grids = byLevel.get('grid') ?? []
  if (out.length > DEPLOYED_MIX.total || grids.length < DEPLOYED_MIX.total - out.length) throw new Error(`the region tree does not fit a mix of ${DEPLOYED_MIX.total} screens`)
  return [...out, ...grids.slice(0, DEPLOYED_MIX.total - out.length)]
}

/**
 * The bare ceiling: the same batches broadcast by socket.io alone to a room of `n` sockets,
 * or, for the deployed mix (`regions`), each event to the rooms of its grid's chain; µs of CPU per delivery.
 */
async function bareBroadcast(n: number, regions?: string[]): Promise<number> {
  const bare = fork(new URL('./bare-broadcast.ts', import.meta.url), [], { execArgv: ['--import', 'tsx'] })
  children.add(bare)
  const { url } = await new Promise<{ url: string }>((resolve) => bare.once('message', (m) => resolve(m as { url: string })))
  const s = await screens(n, { url, regions })
  await sleep(500)
  const index = loadRegions()
  const chains = regions && index.collection.features.filter((f) => f.properties.level === 'grid').map((f) => [...index.chain(f.properties.code)])
  const r = await new Promise<{ cpuMs: number; deliveries: number }>((resolve) => {
    bare.once('message', (m) => resolve(m as { cpuMs: number; deliveries: number }))
    bare.send({ cmd: 'broadcast', seconds: SECONDS, perBatch: Math.round(RATE / 10), chains })
  })
  s.close()
  bare.send({ cmd: 'close' })
  children.delete(bare)
  return (r.cpuMs * 1000) / r.deliveries
}

try {
  redis = await startRedis({ dir: dataDir })
  console.log(`fanout bench: redis-server pid ${redis.pid}; levels ${LEVELS.join(', ')} sockets; ${RATE} ev/s for ${SECONDS} s; node ${process.version}`)
  await buildServer()
  const env = { SOCKET_MAX_PER_ADDRESS: '5000' }
  const tsxServer = await launch(['--import', 'tsx', 'server/main.ts'], redis.url, dataDir, env)
  await tsxServer.stop()
  const server = await launch([...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean), 'dist/server/server/main.js'], redis.url, dataDir, env)
  servers.add(server)
  const pid = server.child.pid!
  row({ figure: 'start → /healthz 200 (compiled)', value: `${server.startMs.toFixed(0)} ms`, ceiling: `${tsxServer.startMs.toFixed(0)} ms under tsx`, ratio: ratio(server.startMs, tsxServer.startMs) })
  await paced(server.url, RATE, 2) // warm-up: scripts loaded, JIT, so the run without sockets is not the slowest
  await sleep(1_000)
  const idleRss = rssMb(pid)

  // server CPU of the same paced ingest without sockets, just before each level (the machine is shared: the nearest run is the baseline)
  const pacedCpu = async () => {
    const cpu0 = cpuMs(pid)
    await paced(server.url, RATE, SECONDS)
    await sleep(600)
    return cpuMs(pid) - cpu0
  }
  const baseCpu0 = { server: cpuMs(pid), redis: cpuMs(redis.pid), senders: selfCpuMs(), at: performance.now() }
  const baseFlat = await flat(server.url, MAX_SECONDS)
  const baseMs = performance.now() - baseCpu0.at
  console.log(`0 sockets, flat out: cores busy (of 2) — server ${((cpuMs(pid) - baseCpu0.server) / baseMs).toFixed(2)}, redis-server ${((cpuMs(redis.pid) - baseCpu0.redis) / baseMs).toFixed(2)}, senders ${((selfCpuMs() - baseCpu0.senders) / baseMs).toFixed(2)}`)
  row({ figure: '0 sockets: ingest ev/s, 2 senders flat out', value: baseFlat.toFixed(0) })
  let loadRss = idleRss
  const fanned: { label: string; base: number; cpu: number; delivered: number; bare: number }[] = []
  const runs = LEVELS.filter((l) => l > 0).map((n) => ({ n, label: `${n} sockets`, regions: undefined as string[] | undefined }))
  if (LEVEL_FLAGS.includes('mix')) runs.push({ n: DEPLOYED_MIX.total, label: `${DEPLOYED_MIX.total} sockets, deployed mix`, regions: deployedMix() })
  const largest = Math.max(...runs.map((r) => r.n))
  for (const { n, label, regions } of runs) {
    const base = await pacedCpu()
    const s = await screens(n, { url: server.url, token: server.token, region: ROOT, regions })
    console.log(`${label}: ${s.opened} subscribed (${regions ? `${new Set(regions).size} regions, city ${DEPLOYED_MIX.city}, each district ${DEPLOYED_MIX.district}, township ${DEPLOYED_MIX.township}, village ${DEPLOYED_MIX.village}, the rest one a grid` : 'all to the city'}), ${s.refused} refused`)
    await sleep(1_500)
    await s.mark()
    const screensCpu0 = s.cpu()
    const t0 = performance.now()
    const cpu0 = cpuMs(pid)
    const d0 = await deliveries(server.url)
    const rate = await paced(server.url, RATE, SECONDS)
    if (n === largest && !regions) loadRss = rssMb(pid)
    await sleep(600) // the last batches flushed and read
    const cpu = cpuMs(pid) - cpu0
    const screensCpu = s.cpu() - screensCpu0
    const wallMs = performance.now() - t0
    const delivered = (await deliveries(server.url)) - d0
    const lat = await s.report()
    const flatCpu0 = { screens: s.cpu(), server: cpuMs(pid), redis: cpuMs(redis!.pid), senders: selfCpuMs(), at: performance.now() }
    const flatRate = await flat(server.url, MAX_SECONDS)
    const flatMs = performance.now() - flatCpu0.at
    const cores = (ms: number) => (ms / flatMs).toFixed(2)
    console.log(`  flat out: cores busy (of 2) — screen processes ${cores(s.cpu() - flatCpu0.screens)}, server ${cores(cpuMs(pid) - flatCpu0.server)}, redis-server ${cores(cpuMs(redis!.pid) - flatCpu0.redis)}, senders ${cores(selfCpuMs() - flatCpu0.senders)}`)
    s.close()
    await sleep(500)
    const bare = await bareBroadcast(n, regions)
    fanned.push({ label, base, cpu, delivered, bare })
    const target = n === DEPLOYED_MIX.total
    row({ figure: `${label}: paced ingest ev/s`, value: rate.toFixed(0), ceiling: `${RATE} asked`, ratio: ratio(rate, RATE) })
    row({ figure: `${label}: ingest ev/s, 2 senders flat out`, value: flatRate.toFixed(0), ceiling: `${baseFlat.toFixed(0)} with 0 sockets`, ratio: ratio(flatRate, baseFlat), target: target ? '≥ 0.9' : undefined })
    row({ figure: `${label}: ingest→socket p50/p95/p99`, value: `${percentile(lat, 0.5)} / ${percentile(lat, 0.95)} / ${percentile(lat, 0.99)} ms`, target: target ? 'p99 ≤ 250 ms' : undefined })
    console.log(`  ${delivered} deliveries (${(delivered / (rate * SECONDS)).toFixed(0)} an event) in ${(wallMs / 1000).toFixed(1)} s: server CPU ${cpu} ms (${base} ms without sockets just before), screen processes ${screensCpu} ms; ${lat.length} latency samples`)
  }
  for (const f of fanned) {
    const perDelivery = ((f.cpu - f.base) * 1000) / f.delivered
    row({ figure: `${f.label}: server CPU µs per delivery`, value: perDelivery.toFixed(3), ceiling: `${f.bare.toFixed(3)} bare socket.io, same rooms`, ratio: ratio(perDelivery, f.bare), target: '≤ 2' })
  }

  for (const [level, code] of LEVEL_REGIONS) {
    const ms: number[] = []
    for (let i = 0; i < 20; i++) {
      const t = performance.now()
      const res = await fetch(`${server.url}/api/v1/snapshot?region=${code}`, { headers: { authorization: `Bearer ${server.token}` } })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`snapshot of ${code} answered ${res.status}`)
      ms.push(performance.now() - t)
    }
    ms.sort((a, b) => a - b)
    row({ figure: `snapshot p50/p95: ${level}`, value: `${percentile(ms, 0.5).toFixed(1)} / ${percentile(ms, 0.95).toFixed(1)} ms` })
  }
  row({ figure: 'server RSS idle / under the largest load', value: `${idleRss.toFixed(0)} / ${loadRss.toFixed(0)} MB` })
  await server.stop()
  console.log(`\n${formatTable(rows)}`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
