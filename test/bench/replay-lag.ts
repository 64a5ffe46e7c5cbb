// Scheduling lag of a replay channel: a 24-hour simulated recording (~85k
// events at the default rate) is uploaded to POST /api/v1/channels and
// replayed at 100× for its first 2 hours (72 s of wall time); then the log is
// read back. An event's lag is the wall time apply.lua ran (the ms of its log
// entry id, Redis's clock) minus its due wall time (wallBase + (at − base) / speed).
// Prints: exact order kept, mean / p50 / p99 / max lag, events/s, and the time
// to load the recording and to seek back an hour. Stops by itself (cap 5 min).
// Run: npx tsx test/bench/replay-lag.ts [--hours 2] [--speed 100] [--rate 1] [--seed 1]
// The server runs in this process; redis-server is a child of it, stopped by pid.
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import type { ChannelSummary } from '../../server/channels/drill-meta.ts'
import { loadConfig } from '../../server/config.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { start, type Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { emitRow } from './bench-table.ts'

const { values: flags } = parseArgs({ options: { hours: { type: 'string' }, speed: { type: 'string' }, rate: { type: 'string' }, seed: { type: 'string' } } })
const HOURS = Number(flags.hours ?? 2)
const SPEED = Number(flags.speed ?? 100)
const RATE = Number(flags.rate ?? 1)
const SEED = Number(flags.seed ?? 1)
const START = Date.parse('2026-11-20T00:00:00+08:00')
const GIVE_UP_MS = 5 * 60_000
const HOUR = 3_600_000

let redis: RedisProcess | undefined
let server: Running | undefined
let admin: Redis | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'replay',
  giveUpMs: GIVE_UP_MS,
  redisPid: () => redis?.pid,
  stop: async () => {
    admin?.disconnect()
    await server?.stop()
    await redis?.stop() // SIGTERM to its pid
  },
})

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const ADMIN = { username: 'admin', password: 'bench-admin-password' }
let token = '' // channels are a trainer's or admin's: every call carries the admin's session

async function api<T>(method: string, path: string, body?: string, type = 'application/json'): Promise<T> {
  const res = await fetch(`${server!.url}${path}`, { method, headers: { 'content-type': type, authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { body }) })
  const json = (await res.json()) as T
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`)
  return json
}

try {
  if (!(HOURS > 0 && HOURS <= 24) || !(SPEED >= 0.5 && SPEED <= 1000)) throw new Error('--hours must be in (0, 24], --speed in [0.5, 1000]')
  if ((HOURS * HOUR) / SPEED > GIVE_UP_MS - 90_000) throw new Error(`${HOURS} h at ${SPEED}× takes longer than this bench may run`)
  const sim = createSimulation({ ...loadSimConfig(), seed: SEED, rate: RATE, compress: 60, start: START })
  const recording: EventEnvelope[] = sim.next(START + 24 * HOUR - 1)
  const ndjson = recording.map((e) => JSON.stringify(e)).join('\n')
  console.log(`recording: 24 h from ${new Date(START).toISOString()}, ${recording.length} events, ${(ndjson.length / 1_048_576).toFixed(1)} MB NDJSON`)

  redis = await startRedis()
  admin = new Redis(redis.url)
  server = await start(loadConfig({ PORT: '0', REDIS_URL: redis.url, INGEST_KEYS: 'bench', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password }))
  token = (await api<{ token: string }>('POST', '/api/v1/auth/login', JSON.stringify(ADMIN))).token
  console.log(`redis-server pid ${redis.pid}; server on ${server.url} (this process, pid ${process.pid}); node ${process.version}`)

  let t = performance.now()
  const created = await api<ChannelSummary>('POST', `/api/v1/channels?speed=${SPEED}`, ndjson, 'application/x-ndjson')
  const loadMs = performance.now() - t
  const id = created.id
  const meta = await admin.hgetall(keys(id).meta) // the clock as it started: base at wallBase, never rebased until the pause
  const [base, wallBase] = [Number(meta.base), Number(meta.wallBase)]
  console.log(`channel ${id} created in ${(loadMs / 1000).toFixed(1)} s (upload, validate, store ${created.events.total} source events); replaying ${HOURS} h at ${SPEED}× = ${((HOURS * HOUR) / SPEED / 1000).toFixed(0)} s`)

  const until = wallBase + (HOURS * HOUR) / SPEED
  while (Date.now() < until) {
    await sleep(Math.min(10_000, until - Date.now()))
    const c = (await api<{ channels: ChannelSummary[] }>('GET', '/api/v1/channels')).channels[0]!
    console.log(`  channel time ${new Date(c.now).toISOString()}  fed ${c.events.fed}`)
  }
  await api('PATCH', `/api/v1/channels/${id}`, JSON.stringify({ paused: true }))

  const log = (await admin.xrange(keys(id).log, '-', '+')) as [string, string[]][]
  const applied = log.map(([sid, f]) => {
    const e = JSON.parse(f[f.indexOf('e') + 1]!) as { id: string; at: number }
    return { id: e.id, at: e.at, wall: Number(sid.slice(0, sid.indexOf('-'))) }
  })
  const inWindow = applied.filter((x) => x.at <= base + HOURS * HOUR)
  const sourceOrder = [...recording].sort((x, y) => Date.parse(x.at) - Date.parse(y.at)).map((e) => e.id)
  const orderKept = applied.every((x, i) => x.id === sourceOrder[i])
  const lags = inWindow.map((x) => x.wall - (wallBase + (x.at - base) / SPEED)).sort((x, y) => x - y)
  const mean = lags.reduce((s, x) => s + x, 0) / lags.length
  const spanSec = (inWindow[inWindow.length - 1]!.wall - inWindow[0]!.wall) / 1000

  t = performance.now()
  const seek = await api<ChannelSummary>('PATCH', `/api/v1/channels/${id}`, JSON.stringify({ seekTo: base + (HOURS / 2) * HOUR }))
  const seekMs = performance.now() - t

  console.log(`\nreplayed ${HOURS} h of the recording at ${SPEED}×: ${inWindow.length} events applied (log holds ${applied.length})`)
  console.log(`exact order kept:      ${orderKept ? 'yes' : 'NO'} (log order = source order, every event once)`)
  console.log(`scheduling lag (ms):   mean ${mean.toFixed(2)}  p50 ${percentile(lags, 0.5).toFixed(0)}  p99 ${percentile(lags, 0.99).toFixed(0)}  max ${lags[lags.length - 1]!.toFixed(0)}  min ${lags[0]!.toFixed(0)}`)
  console.log(`throughput:            ${(inWindow.length / spanSec).toFixed(0)} events/s applied over ${spanSec.toFixed(1)} s (as the clock dictates, not a maximum)`)
  console.log(`load:                  ${(loadMs / 1000).toFixed(1)} s for ${created.events.total} events (${Math.round(created.events.total / (loadMs / 1000))} events/s)`)
  console.log(`seek back to ${HOURS / 2} h:     ${(seekMs / 1000).toFixed(2)} s to rebuild ${seek.events.fed} events (${Math.round(seek.events.fed / (seekMs / 1000))} events/s)`)
  console.log('(lag: ms of the log entry id — Redis clock when apply.lua ran — minus the due wall time; same machine, same clock)')
  emitRow({ bench: 'replay-lag', figure: `replay lag p50/p99 at ${SPEED}× (${inWindow.length} events)`, value: `${percentile(lags, 0.5).toFixed(0)} / ${percentile(lags, 0.99).toFixed(0)} ms`, target: orderKept ? 'order kept' : 'ORDER BROKEN' })
  emitRow({ bench: 'replay-lag', figure: `seek back ${HOURS / 2} h`, value: `${(seekMs / 1000).toFixed(2)} s for ${seek.events.fed} events` })
  await shutdown(orderKept ? 0 : 1)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
