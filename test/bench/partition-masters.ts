// PARTITION_LEVEL=city on 1 master vs 3 masters (DESIGN §11, issue 12): the
// same events of a province (test/support/province-tree.ts: 新疆 → 吐鲁番市,
// 哈密市, spread over every grid of both cities) posted to POST /api/v1/events
// of a compiled server process (batches of 1,000, two senders) on a Redis
// Cluster of 1 master, then on a fresh Cluster of 3 masters (no replicas).
// Each setup runs twice, alternating, on fresh Clusters; the best run is its figure.
// Prints events/s of both, their ratio, and which master serves each partition.
// A benchmark: it prints, it asserts no timing.
// Run: npx tsx test/bench/partition-masters.ts [--events 12000] [--runs 2]
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { keys } from '../../server/store/keys.ts'
import { ask } from '../../server/store/local-processes.ts'
import { startLocalCluster, type LocalTopology } from '../../server/store/local-topology.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { provinceEvents } from '../support/province-events.ts'
import { CITIES, provinceTree, writeProvinceTree } from '../support/province-tree.ts'
import { buildServer, KEY, lanesOf, launch, type BenchServer } from './bench-server.ts'
import { emitRow, formatTable, ratio, type BenchRow } from './bench-table.ts'

const { values: flags } = parseArgs({ options: { events: { type: 'string' }, runs: { type: 'string' } } })
const EVENTS = Number(flags.events ?? 12_000)
/** Each setup runs this often, alternating (1, 3, 1, 3 masters), each time on a fresh Cluster: the best of them is the figure (other processes share the cores). */
const RUNS = Number(flags.runs ?? 2)
const BATCH = 1_000
const SENDERS = 2

let topology: LocalTopology | undefined
let server: BenchServer | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'partition-masters',
  giveUpMs: 3 * 60_000,
  redisPid: () => undefined, // several redis-servers: stop() kills each by its pid when stopping them hangs
  stop: stopRunning,
})

/** Resolves true when `p` settles within `ms`, false when it does not. */
const within = (p: Promise<unknown>, ms: number) => Promise.race([p.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))])
const kill = (pid: number | undefined) => { try { if (pid) process.kill(pid, 'SIGKILL') } catch { /* already gone */ } }

/** Stop the server and the cluster of this round, each by its pid when stopping hangs (4 s each: inside the lifecycle's hard stop). */
async function stopRunning(): Promise<void> {
  const [s, t] = [server, topology]
  server = undefined
  topology = undefined
  if (s && !(await within(s.stop(), 4_000))) kill(s.child.pid)
  if (t && !(await within(t.stop(), 4_000))) for (const n of t.nodes) kill(n.pid)
}

const tree = provinceTree()
const base = Date.now() - 10 * 60_000
const perRound = provinceEvents({ tree, base, spanDays: 2, idPrefix: 'count' }).length
/** `count` events of every feed over the province's grids, ids of their own (`prefix`), the same for the same prefix. */
function stream(prefix: string, count: number): EventEnvelope[] {
  return provinceEvents({ tree, base, spanDays: 2, rounds: Math.ceil(count / perRound), idPrefix: prefix, seed: 7 }).slice(0, count) as EventEnvelope[]
}

interface Tally { accepted: number; outOfOrder: number; duplicates: number; rejected: number; resent: number }

/** POST a batch as a real sender does: a 503 (nothing or part applied) is sent again, whole, up to 5 times. */
async function postBatch(url: string, batch: EventEnvelope[], tally: Tally): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(batch) })
    const reply = (await res.json()) as { accepted: number; outOfOrder: number; duplicates: number; rejected: { error: string }[] }
    if (res.status === 503 && attempt < 5) {
      tally.resent++
      continue
    }
    if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${JSON.stringify(reply).slice(0, 300)}`)
    tally.accepted += reply.accepted
    tally.outOfOrder += reply.outOfOrder
    tally.duplicates += reply.duplicates
    tally.rejected += reply.rejected.length
    if (reply.rejected.length > 0 && tally.rejected === reply.rejected.length) console.log(`rejected, e.g.: ${reply.rejected[0]!.error}`)
    return
  }
}

async function postAll(url: string, events: EventEnvelope[]): Promise<{ perSec: number; tally: Tally }> {
  const tally: Tally = { accepted: 0, outOfOrder: 0, duplicates: 0, rejected: 0, resent: 0 }
  const t0 = performance.now()
  await Promise.all(lanesOf(events, SENDERS).map(async (lane) => {
    for (let i = 0; i < lane.length; i += BATCH) await postBatch(url, lane.slice(i, i + BATCH), tally)
  }))
  return { perSec: events.length / ((performance.now() - t0) / 1000), tally }
}

/** Which master (port) serves each partition's log: root, then each city. */
async function mastersOf(t: LocalTopology): Promise<string> {
  return ask(t.nodes[0]!.port, async (r) => {
    const shards = await r.cluster('SLOTS')
    const out: string[] = []
    for (const [name, partition] of [['root', ''], ...CITIES.map((x) => [x, x])] as [string, string][]) {
      const slot = Number(await r.cluster('KEYSLOT', keys('live', partition).log))
      const owner = shards.find(([from, to]) => slot >= from && slot <= to)![2]!
      out.push(`${name} slot ${slot} → :${owner[1]}`)
    }
    return out.join(', ')
  })
}

try {
  await buildServer()
  const regionsFile = writeProvinceTree(dataDir)
  const events = stream('run', EVENTS)
  const perCity = CITIES.map((c) => `${c} ${events.filter((e) => e.region?.startsWith(c.slice(0, 4))).length}`).join(', ')
  console.log(`partition masters: ${events.length} events (with a region: ${perCity}; later steps name none), batches of ${BATCH}, ${SENDERS} senders, PARTITION_LEVEL=city`)
  const figures: Record<number, number> = { 1: 0, 3: 0 }
  for (let run = 1; run <= RUNS; run++) for (const masters of [1, 3]) {
    topology = await startLocalCluster({ dir: join(dataDir, `cluster-${masters}-${run}`), masters, replicasPerMaster: 0, appendonly: false })
    server = await launch(['dist/server/server/main.js'], 'redis://unused', join(dataDir, `server-${masters}-${run}`), {
      REDIS_URL: '', ...topology.env, REGIONS_FILE: regionsFile, PARTITION_LEVEL: 'city', LOG_LEVEL: 'error',
    })
    await postAll(server.url, stream(`warm${masters}-`, 3_000)) // warm-up: scripts loaded, JIT warm
    const { perSec, tally } = await postAll(server.url, events)
    figures[masters] = Math.max(figures[masters]!, perSec)
    console.log(`run ${run}, ${masters} master(s): ${perSec.toFixed(0)} ev/s; of ${events.length}: ${tally.accepted} accepted (${tally.outOfOrder} of them parked out of order), ${tally.duplicates} duplicates, ${tally.rejected} rejected, ${tally.resent} batches sent again after a 503; redis-server pids ${topology.nodes.map((n) => n.pid).join(' ')}, server pid ${server.child.pid}; ${await mastersOf(topology)}`)
    await stopRunning()
  }
  const rows: BenchRow[] = [
    { bench: 'partitions', figure: `HTTP ingest ev/s, PARTITION_LEVEL=city, Cluster of 1 master (best of ${RUNS})`, value: figures[1]!.toFixed(0) },
    { bench: 'partitions', figure: `HTTP ingest ev/s, PARTITION_LEVEL=city, Cluster of 3 masters (best of ${RUNS})`, value: figures[3]!.toFixed(0), ceiling: `${figures[1]!.toFixed(0)} on 1 master`, ratio: ratio(figures[3]!, figures[1]!) },
  ]
  for (const r of rows) emitRow(r)
  console.log(`\n${formatTable(rows)}`)
  console.log(`load average (1/5/15 min) ${loadavg().map((n) => n.toFixed(2)).join(' ')} on ${cpus().length} cores: other processes share them`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
