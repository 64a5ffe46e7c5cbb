// HTTP ingest against its ceiling (issue 11): the same kind of simulated
// events posted to POST /api/v1/events of a compiled server process (batches
// of 1,000, two senders) and applied straight from this process with ioredis
// pipelines of apply.lua (EVALSHA; the same prepare() and key/argument
// building, batches of 1,000, two in flight), each into a channel of its own
// on one redis-server. Prints events/s of both and their ratio.
// Run: npx tsx test/bench/ingest-ceiling.ts [--events 30000]
// Profile the server meanwhile: BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (node flags for its process)
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { loadCategories, loadRegions } from '../../server/config.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { prepare } from '../../server/ingest/ingest.ts'
import { applyEvent } from '../../server/store/apply-event.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { buildServer, cpuMs, lanesOf, launch, post, simulate, type BenchServer } from './bench-server.ts'
import { emitRow, formatTable, ratio, type BenchRow } from './bench-table.ts'

const { values: flags } = parseArgs({ options: { events: { type: 'string' } } })
const EVENTS = Number(flags.events ?? 30_000)
const BATCH = 1_000

let redis: RedisProcess | undefined
let server: BenchServer | undefined
let store: Store | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'ingest-ceiling',
  giveUpMs: 4 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    store?.disconnect()
    await server?.stop()
    await redis?.stop()
  },
})

async function overHttp(url: string, events: EventEnvelope[]): Promise<number> {
  const t0 = performance.now()
  await Promise.all(lanesOf(events, 2).map(async (lane) => {
    for (let i = 0; i < lane.length; i += BATCH) await post(url, lane.slice(i, i + BATCH))
  }))
  return events.length / ((performance.now() - t0) / 1000)
}

async function bareEvalsha(s: Store, events: EventEnvelope[], channel: string): Promise<number> {
  const deps = { regions: loadRegions(), categories: loadCategories() }
  const options = { channel, zone: 'Asia/Shanghai', logMaxLen: 1_000_000, seenTtlSec: 400 * 86_400 }
  const t0 = performance.now()
  let applied = 0
  await Promise.all(lanesOf(events, 2).map(async (lane) => {
    for (let i = 0; i < lane.length; i += BATCH) {
      const pipe = s.pipeline()
      for (const raw of lane.slice(i, i + BATCH)) {
        const input = prepare(raw, deps)
        if (typeof input !== 'string') void applyEvent(pipe, input, options)
      }
      const replies = (await pipe.exec()) ?? []
      applied += replies.filter(([err, r]) => !err && Array.isArray(r) && (r[0] === 'applied' || r[0] === 'outOfOrder')).length
    }
  }))
  if (applied < events.length * 0.99) throw new Error(`only ${applied} of ${events.length} events applied by EVALSHA`)
  return events.length / ((performance.now() - t0) / 1000)
}

try {
  redis = await startRedis({ dir: dataDir })
  await buildServer()
  server = await launch([...(process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean), 'dist/server/server/main.js'], redis.url, dataDir)
  store = await connectStore(redis.url)
  console.log(`ingest ceiling: ${EVENTS} events each way; redis-server pid ${redis.pid}; server pid ${server.child.pid}`)
  await overHttp(server.url, simulate(3_000)) // warm-up
  await bareEvalsha(store, simulate(3_000), 'warm')
  const rows: BenchRow[] = []
  const httpEvents = simulate(EVENTS)
  const cpu0 = cpuMs(server.child.pid!)
  const http = await overHttp(server.url, httpEvents)
  const serverUs = ((cpuMs(server.child.pid!) - cpu0) * 1000) / EVENTS
  const admin = new Redis(redis.url)
  const scriptUsec = async () => {
    const line = (await admin.info('commandstats')).split('\r\n').find((l) => l.startsWith('cmdstat_evalsha:')) ?? ''
    return Number(/usec=(\d+)/.exec(line)?.[1] ?? 0)
  }
  const usec0 = await scriptUsec()
  const bare = await bareEvalsha(store, simulate(EVENTS), 'bare')
  const perEvent = ((await scriptUsec()) - usec0) / EVENTS
  admin.disconnect()
  for (const r of [
    { bench: 'ingest', figure: 'HTTP ingest ev/s (batches of 1,000, 2 senders)', value: http.toFixed(0), ceiling: `${bare.toFixed(0)} bare EVALSHA`, ratio: ratio(http, bare), target: '≥ 0.8' },
    { bench: 'ingest', figure: 'HTTP ingest: server CPU per event', value: `${serverUs.toFixed(1)} µs` },
    { bench: 'ingest', figure: 'apply.lua: Redis time per event', value: `${perEvent.toFixed(1)} µs` },
  ]) {
    rows.push(r)
    emitRow(r)
  }
  console.log(`\n${formatTable(rows)}`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
