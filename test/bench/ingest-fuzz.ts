// The long fuzz run of issue 10: ≥ 100,000 seeded hostile payloads against a
// server and a redis-server of its own; prints the same counts the fuzz test
// asserts (5xx, refusals without a reason, leaks, stored events that break the
// contract, recount differences, /healthz failures) and the rate.
// Run: npm run bench:fuzz -- [--payloads 100000] [--seed 20261129] [--concurrency 8]
// The server runs in this process: client and server share one event loop.
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { contractBreaks, runFuzz } from '../support/fuzz-run.ts'
import { startTestServer } from '../support/test-server.ts'

const { values: flags } = parseArgs({ options: { payloads: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' } } })
const PAYLOADS = Number(flags.payloads ?? 100_000)
const SEED = Number(flags.seed ?? 20261129)
const CONCURRENCY = Number(flags.concurrency ?? 8)
const MAX_ITEMS = 200

let redis: RedisProcess | undefined
let server: Running | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'fuzz',
  giveUpMs: 30 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    await server?.stop()
    await redis?.stop()
  },
})

try {
  redis = await startRedis()
  server = await startTestServer(redis.url, { DATA_DIR: dataDir, INGEST_MAX_ITEMS: String(MAX_ITEMS) })
  const rss0 = process.memoryUsage().rss
  const t0 = performance.now()
  const c = await runFuzz({
    url: server.url, seed: SEED, count: PAYLOADS, concurrency: CONCURRENCY, maxItems: MAX_ITEMS, now: Date.now(),
    onProgress: (n) => { if (n % 10_000 === 0) console.error(`… ${n} payloads`) },
  })
  const seconds = (performance.now() - t0) / 1000
  const stored = await contractBreaks(redis.url)
  const admin = new Redis(redis.url)
  const report = await checkConsistency(admin, { channel: 'live', zone: 'Asia/Shanghai', regions: loadRegions(), categories: loadCategories() })
  admin.disconnect()
  const rows: [string, string | number][] = [
    ['payloads (seed)', `${c.payloads} (${SEED})`],
    ['time, rate', `${seconds.toFixed(1)} s, ${Math.round(c.payloads / seconds)} payloads/s, ${CONCURRENCY} in flight`],
    ['answers by status', JSON.stringify(c.byStatus)],
    ['5xx answers', c.serverErrors],
    ['4xx without code/message', c.errorsWithoutReason],
    ['rejected items without reason', c.itemsWithoutReason],
    ['answers leaking internals', c.leaks],
    ['items accepted / duplicates / outOfOrder / rejected', `${c.accepted} / ${c.duplicates} / ${c.outOfOrder} / ${c.rejected}`],
    ['stored log entries', stored.entries],
    ['stored events breaking the contract', stored.breaks.length],
    ['recount differences (check:consistency)', report.differences.length],
    ['/healthz polls / failures', `${c.healthzPolls} / ${c.healthzFailures}`],
    ['process RSS growth', `${Math.round((process.memoryUsage().rss - rss0) / 1_048_576)} MB`],
  ]
  console.log(`\ningest fuzz benchmark\n${rows.map(([k, v]) => `  ${k.padEnd(52)} ${v}`).join('\n')}`)
  for (const e of [...c.examples, ...stored.breaks.slice(0, 5)]) console.log(`  ! ${e}`)
  const clean = c.serverErrors + c.errorsWithoutReason + c.itemsWithoutReason + c.leaks + stored.breaks.length + report.differences.length + c.healthzFailures === 0
  await shutdown(clean ? 0 : 1)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
