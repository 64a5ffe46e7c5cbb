/**
 * The lively demo: the server (with an embedded Redis unless REDIS_URL is
 * set) and the simulator posting all three feeds to it, so the wall fills up
 * within seconds. Prints the ingest key it uses.
 */
import { randomBytes } from 'node:crypto'
import { loadConfig } from './config.ts'
import { runUntilSignal } from './main.ts'
import { runSimulator } from '../simulators/post-events.ts'

const env = { ...process.env }
if (!env.INGEST_KEYS) env.INGEST_KEYS = `demo-${randomBytes(9).toString('base64url')}`
const key = env.INGEST_KEYS.split(',')[0]!.trim()
const rate = Number(env.DEMO_RATE || 40)

try {
  const controller = new AbortController()
  const running = await runUntilSignal(loadConfig(env), (r) => {
    console.log(`演示模式 demo: ingest key ${key}`)
    console.log(`  打开大屏 open the wall: ${r.url}/wall`)
    console.log(`  your own feeds: curl -X POST ${r.url}/api/v1/events -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d @events.json`)
    console.log(`  simulator posting ${rate} events/s; stop with Ctrl-C`)
  })
  process.once('SIGINT', () => controller.abort())
  process.once('SIGTERM', () => controller.abort())
  void runSimulator({
    url: running.url, key, rate, seed: Number(env.DEMO_SEED || 1), signal: controller.signal, backfillSec: 180, maxBacklog: 50_000,
  })
    .catch((err: unknown) => console.error(`simulator stopped: ${(err as Error).message}`))
} catch (err) {
  console.error(`cannot start the demo: ${(err as Error).message}`)
  process.exit(1)
}
