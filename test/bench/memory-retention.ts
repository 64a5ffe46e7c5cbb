// Redis memory over many simulated days of a 吐鲁番-sized city (volumes of
// config/simulation.json, realistic mode), with retention (DESIGN §8): each
// simulated day is ingested through prepare + apply.lua into a redis-server of
// its own, then the channel upkeep runs at the day's end in channel time
// (parked events refused, ended subjects expired, per-day counters of days
// past their window deleted). Time is compressed by --scale: CLOSED_TTL_DAYS
// and the seen-id TTL become 90 × scale days, DAY_COUNTERS_DAYS 400 × scale,
// the log keeps 35 × scale days of events (LOG_MAXLEN sized from the first
// day, as the archiver's day trim cannot run on wall-clock stream ids in minutes).
// Prints used_memory per simulated day, then bytes/event and the steady state
// projected for 30,000 events a day with the default windows.
// Run: npm run bench:memory -- [--days 24] [--scale 0.1]   (24 days: about three minutes on 2 cores;
// the flat part needs more days than the 40-day day-counter window: --days 400 --scale 0.1, ~40 min)
import { parseArgs } from 'node:util'
import { loadCategories, loadRegions } from '../../server/config.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { expireClosed } from '../../server/store/closed-expiry.ts'
import { expireDayCounters } from '../../server/store/day-counter-expiry.ts'
import { keys } from '../../server/store/keys.ts'
import { sweepParked } from '../../server/store/parked-events.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'

const { values: flags } = parseArgs({ options: { days: { type: 'string' }, scale: { type: 'string' } } })
const DAYS = Number(flags.days ?? 24)
const SCALE = Number(flags.scale ?? 0.1)
const DAY = 86_400_000
const ZONE = 'Asia/Shanghai'
const CHANNEL = 'live'
const CLOSED_TTL_DAYS = 90
const LOG_RETENTION_DAYS = 35
const DAY_COUNTERS_DAYS = 400
const PARK_WINDOW_MS = 24 * 3_600_000
const TARGET_PER_DAY = 30_000
const START = Date.parse('2025-01-01T00:00:00+08:00')

let redis: RedisProcess | undefined
let store: Store | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'memory',
  giveUpMs: Math.max(15, DAYS) * 60_000, // a minute a simulated day at most
  redisPid: () => redis?.pid,
  stop: async () => {
    store?.disconnect()
    await redis?.stop()
  },
})

const usedMemory = async (s: Store) => Number(/used_memory:(\d+)/.exec(await s.info('memory'))![1])
// ids no subject's event list holds (grid events, duty included, and calls): only their seen TTL ends them
const isFlow = (e: EventEnvelope) => e.feed === 'grid' || (e.feed === 'hotline' && e.type === 'call')

async function main() {
  if (!(DAYS >= 2) || !(SCALE > 0 && SCALE <= 1)) throw new Error('--days must be ≥ 2 and --scale within (0, 1]')
  redis = await startRedis({ dir: dataDir, appendonly: false })
  store = await connectStore(redis.url)
  const regions = loadRegions()
  const categories = loadCategories()
  const sim = createSimulation({ ...loadSimConfig(), mode: 'realistic', seed: 20_261_129, start: START })
  const closedTtlMs = CLOSED_TTL_DAYS * SCALE * DAY
  const seenDays = Math.max(1, Math.round(CLOSED_TTL_DAYS * SCALE))
  const regionCodes = regions.collection.features.map((f) => f.properties.code)
  const flowIds: string[][] = [] // per day: ids whose seen mark only a TTL ends (emulated in channel time)
  const base = await usedMemory(store)
  let logMaxLen = 0
  const rows: { day: number; events: number; used: number }[] = []
  console.log(`memory: ${DAYS} simulated days from ${new Date(START).toISOString().slice(0, 10)}, scale ${SCALE}: closed TTL and seen-ids ${CLOSED_TTL_DAYS * SCALE} d, day counters ${DAY_COUNTERS_DAYS * SCALE} d, log ${LOG_RETENTION_DAYS * SCALE} d; empty Redis ${(base / 1e6).toFixed(2)} MB`)
  console.log('day  events   used_memory MB   log entries   subjects   seen-ids   day keys gone   s')
  for (let d = 0; d < DAYS; d++) {
    const t0 = performance.now()
    const end = START + (d + 1) * DAY
    const events = sim.next(end - 1)
    if (d === 0) logMaxLen = Math.round(events.length * LOG_RETENTION_DAYS * SCALE)
    for (let i = 0; i < events.length; i += 5000) {
      const items = events.slice(i, i + 5000).map((value) => ({ ok: true as const, value }))
      await ingest(items, { store, regions, categories }, { channel: CHANNEL, zone: ZONE, logMaxLen, seenTtlSec: 400 * 86_400, now: () => end })
    }
    flowIds.push(events.filter(isFlow).map((e) => e.id))
    // the day's upkeep, in channel time
    await sweepParked(store, { channel: CHANNEL, now: end, windowMs: PARK_WINDOW_MS, logMaxLen, limit: 100_000 })
    await expireClosed(store, { channel: CHANNEL, now: end, ttlMs: closedTtlMs, limit: 1_000_000 })
    const gone = await expireDayCounters(store, {
      channel: CHANNEL, regions: regionCodes, root: regions.root.code, zone: ZONE, now: end, keepDays: DAY_COUNTERS_DAYS * SCALE,
    })
    const old = flowIds[d - seenDays]
    if (old) for (let i = 0; i < old.length; i += 5000) await store.del(...old.slice(i, i + 5000).map((id) => keys(CHANNEL).seen(id)))
    const used = await usedMemory(store)
    // counting keys scans the whole keyspace: every 10th day only
    const counted = (d + 1) % 10 === 0 || d === DAYS - 1
    const [logLen, subjects, seen] = await Promise.all([
      store.xlen(keys(CHANNEL).log),
      counted ? countKeys(store, `${keys(CHANNEL).prefix}s:*`) : '',
      counted ? countKeys(store, `${keys(CHANNEL).prefix}seen:*`) : '',
    ])
    rows.push({ day: d + 1, events: events.length, used })
    const secs = ((performance.now() - t0) / 1000).toFixed(1)
    console.log(`${String(d + 1).padStart(3)}  ${String(events.length).padStart(6)}   ${(used / 1e6).toFixed(2).padStart(14)}   ${String(logLen).padStart(11)}   ${String(subjects).padStart(8)}   ${String(seen).padStart(8)}   ${String(gone.keys).padStart(13)}   ${secs}`)
  }
  const kinds = await breakdown(store)
  console.log('memory: by key kind at the end: ' + kinds.map(([kind, bytes, count]) => `${kind} ${(bytes / 1e6).toFixed(1)} MB (${count} keys)`).join(', '))
  // per-day counter keys (day hashes, trend, categories, patrolled grids) are held for the day-counter window,
  // the rest (subjects, histories, seen-ids, log) for the closed TTL and log window: each scales differently
  const dayCounterBytes = kinds.filter(([kind]) => kind === 'day counters').reduce((n, [, bytes]) => n + bytes, 0)
  // month and year counters (and patrolled grids of a month or year) are kept for ever: they grow by the calendar, not by events
  const keptBytes = kinds.filter(([kind]) => ['m', 'y', 'pc'].includes(kind)).reduce((n, [, bytes]) => n + bytes, 0)
  const window = Math.ceil(Math.max(CLOSED_TTL_DAYS, DAY_COUNTERS_DAYS) * SCALE) + 2
  const steady = rows.filter((r) => r.day > window)
  if (steady.length < 2) {
    console.log(`memory: run more than ${window + 2} days to see the steady state`)
    return
  }
  const mean = steady.reduce((s, r) => s + r.used, 0) / steady.length
  const min = Math.min(...steady.map((r) => r.used))
  const max = Math.max(...steady.map((r) => r.used))
  const spread = Math.max(max - mean, mean - min) / mean
  const perDay = rows.reduce((s, r) => s + r.events, 0) / rows.length
  const rest = max - base - dayCounterBytes - keptBytes
  const held = perDay * CLOSED_TTL_DAYS * SCALE
  // the rest scales with events a day and the windows; day counters with the day-counter window (per region, not per event)
  const projected = base + rest * (TARGET_PER_DAY / perDay) / SCALE + dayCounterBytes / SCALE + keptBytes
  console.log(`memory: past day ${window} (${steady.length} days) used_memory min ${(min / 1e6).toFixed(1)} MB, max ${(max / 1e6).toFixed(1)} MB, mean ${(mean / 1e6).toFixed(1)} MB ± ${(spread * 100).toFixed(1)} % (${spread <= 0.1 ? 'flat' : 'NOT flat'})`)
  console.log(`memory: ${perDay.toFixed(0)} events a day; ${(rest / held).toFixed(0)} bytes per event held (subjects, histories, seen-ids, log over the ${CLOSED_TTL_DAYS * SCALE}-day closed TTL); day counters ${(dayCounterBytes / 1e6).toFixed(1)} MB for ${DAY_COUNTERS_DAYS * SCALE} days (${(dayCounterBytes / (DAY_COUNTERS_DAYS * SCALE) / 1e3).toFixed(0)} kB a day)`)
  console.log(`memory: projected steady state for ${TARGET_PER_DAY.toLocaleString('en')} events a day with the defaults (closed TTL ${CLOSED_TTL_DAYS} d, day counters ${DAY_COUNTERS_DAYS} d, log ${LOG_RETENTION_DAYS} d): ${(projected / 1e9).toFixed(2)} GB, of which month and year counters ${(keptBytes / 1e6).toFixed(1)} MB after ${DAYS} days (they grow by the calendar month)`)
}

/** Bytes by key kind (the first segment after the channel prefix), largest first. */
async function breakdown(s: Store): Promise<[string, number, number][]> {
  const prefix = keys(CHANNEL).prefix
  const by = new Map<string, [number, number]>()
  let cursor = '0'
  do {
    const [next, page] = await s.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 5000)
    cursor = next
    const sizes = (await s.pipeline(page.map((key) => ['memory', 'usage', key])).exec()) ?? []
    page.forEach((key, i) => {
      const rest = key.slice(prefix.length)
      const kind = /^(d|t|k|pc):[^:]+:\d{8}$/.test(rest) ? 'day counters' : rest.split(':', 1)[0]!
      const [bytes, count] = by.get(kind) ?? [0, 0]
      by.set(kind, [bytes + Number(sizes[i]?.[1] ?? 0), count + 1])
    })
  } while (cursor !== '0')
  return [...by].map(([kind, [bytes, count]]) => [kind, bytes, count] as [string, number, number]).sort((a, b) => b[1] - a[1])
}

async function countKeys(s: Store, pattern: string): Promise<number> {
  let cursor = '0'
  let n = 0
  do {
    const [next, page] = await s.scan(cursor, 'MATCH', pattern, 'COUNT', 10_000)
    cursor = next
    n += page.length
  } while (cursor !== '0')
  return n
}

main().then(() => shutdown(0), (err: unknown) => {
  console.error(err)
  void shutdown(1)
})
