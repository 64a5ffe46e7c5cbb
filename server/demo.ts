/**
 * The lively demo: the server (with an embedded Redis unless REDIS_URL is
 * set) and the simulator posting all three feeds to it, so the wall fills up
 * within seconds. Prints the ingest key, demo accounts and a wall link.
 */
import { randomBytes } from 'node:crypto'
import { loadConfig } from './config.ts'
import { demoAccounts } from './demo-accounts.ts'
import { runUntilSignal } from './main.ts'
import { runSimulator } from '../simulators/post-events.ts'

const env = { ...process.env }
if (!env.INGEST_KEYS) env.INGEST_KEYS = `demo-${randomBytes(9).toString('base64url')}`
const key = env.INGEST_KEYS.split(',')[0]!.trim()
const rate = Number(env.DEMO_RATE || 40)

try {
  const controller = new AbortController()
  const accounts = await demoAccounts()
  const config = loadConfig(env)
  const running = await runUntilSignal(config, async (r) => {
    const wall = await r.sessions.createDisplay({ name: '演示大屏', region: config.regions.root.code, createdBy: 'demo' })
    console.log(`演示模式 demo: ingest key ${key}`)
    console.log(`  打开大屏 open the wall (display token): ${r.url}/wall?token=${wall.token}`)
    console.log(`  演示账号 demo accounts (log in at ${r.url}/login; passwords change every run):`)
    for (const a of accounts) console.log(`    ${a.record.role.padEnd(9)} ${a.record.username.padEnd(9)} ${a.password}  ${a.record.name}`)
    console.log(`  your own feeds: curl -X POST ${r.url}/api/v1/events -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d @events.json`)
    console.log(`  simulator posting ${rate} events/s; stop with Ctrl-C`)
  }, accounts.map((a) => a.record))
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
