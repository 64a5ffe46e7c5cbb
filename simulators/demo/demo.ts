/**
 * The demo: the server (with an embedded Redis in a fresh data directory
 * unless REDIS_URL or DATA_DIR is set), a month of realistic history posted
 * through the ingest API before going live, then the same city running on in
 * wall time. Prints the ingest key, demo accounts and a wall link.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../../server/config.ts'
import { demoAccounts } from './demo-accounts.ts'
import { runUntilSignal } from '../../server/main.ts'
import { backfillHistory } from '../history-backfill.ts'
import { runSimulator } from '../post-events.ts'
import type { Simulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'

const env = { ...process.env }
if (!env.INGEST_KEYS) env.INGEST_KEYS = `demo-${randomBytes(9).toString('base64url')}`
// logs for a person at a terminal; one line per request would scroll the links below away, so warnings and errors only
env.LOG_FORMAT ||= 'pretty'
env.LOG_LEVEL ||= 'warn'
// A fresh Redis per run (last run's month would otherwise be counted twice), removed on exit.
if (!env.REDIS_URL && !env.DATA_DIR) {
  const dir = mkdtempSync(join(tmpdir(), 'situation-room-demo-'))
  env.DATA_DIR = dir
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
}
const key = env.INGEST_KEYS.split(',')[0]!.trim()
const extraRate = Number(env.DEMO_RATE || 0)
const historyDays = Number(env.DEMO_HISTORY_DAYS ?? 30)
// the links must be out within a minute of `npm run demo`, its client build included: older days give way first
const historyBudgetSec = Number(env.DEMO_HISTORY_BUDGET_SEC || 38)
const seed = Number(env.DEMO_SEED || 1)
const quiet = (line: string) => { if (!line.startsWith('已发送')) console.log(line) }

try {
  const controller = new AbortController()
  const accounts = await demoAccounts()
  const config = loadConfig(env)
  const simConfig = loadSimConfig()
  let city: Simulation | undefined
  const running = await runUntilSignal(config, async (r) => {
    const h = await backfillHistory({
      url: r.url, key, seed, days: historyDays, now: Date.now(), config: simConfig, signal: controller.signal, budgetSec: historyBudgetSec,
    })
    city = h.simulation
    console.log(`历史数据 history: ${h.events.toLocaleString('en-US')} events over ${h.days} days and today in ${h.elapsedSec.toFixed(1)} s (${Math.round(h.perSec).toLocaleString('en-US')} ev/s)`)
    const wall = await r.sessions.createDisplay({ name: '演示大屏', region: config.regions.root.code, createdBy: 'demo' })
    console.log(`演示模式 demo: ingest key ${key}  (ready ${process.uptime().toFixed(1)} s after start; data in ${config.dataDir})`)
    console.log(`  打开大屏 open the wall (display token): ${r.url}/wall?token=${wall.token}`)
    console.log(`  演示账号 demo accounts (log in at ${r.url}/login; passwords change every run):`)
    for (const a of accounts) console.log(`    ${a.record.role.padEnd(9)} ${a.record.username.padEnd(9)} ${a.password}  ${a.record.name}`)
    console.log(`  your own feeds: curl -X POST ${r.url}/api/v1/events -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d @events.json`)
    console.log(`  the city runs on live in real time${extraRate > 0 ? `, plus ${extraRate} extra events/s` : ''}; stop with Ctrl-C`)
  }, accounts.map((a) => a.record))
  process.once('SIGINT', () => controller.abort())
  process.once('SIGTERM', () => controller.abort())
  const stopped = (err: unknown) => console.error(`simulator stopped: ${(err as Error).message}`)
  void runSimulator({ url: running.url, key, rate: 1, seed, signal: controller.signal, simulation: city, batchMs: 1000, log: quiet, maxBacklog: 50_000 })
    .catch(stopped)
  // A busier wall on demand: a rate-mode load on top of the city (its volumes are not a real city's).
  if (extraRate > 0) {
    void runSimulator({ url: running.url, key, rate: extraRate, seed: seed + 1, signal: controller.signal, config: simConfig, maxBacklog: 50_000, log: quiet })
      .catch(stopped)
  }
} catch (err) {
  console.error(`cannot start the demo: ${(err as Error).message}`)
  process.exit(1)
}
