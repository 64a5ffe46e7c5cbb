// Frame times of /wall in headless Chromium (SwiftShader) with many points on
// the map and KPIs changing every second: a simulated stream with enough past
// to carry --points located events is posted while the wall is open, then the
// stream goes on at --rate events/s while, for --minutes, long tasks
// (PerformanceObserver 'longtask') and requestAnimationFrame deltas are
// recorded. Prints per minute: long tasks, frame time p50/p95/p99/max.
// Numbers only, no assertions: software GL on a CI machine is not a GPU wall.
// Run: npx tsx test/bench/wall-frames.ts [--minutes 2] [--points 10000] [--rate 20] [--width 1920 --height 1080]
// Needs the production build (npx vite build).
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { launchChromium } from '../support/browser.ts'
import { startEventPump, type EventPump } from '../support/event-pump.ts'
import { startTestServer, tokenFor } from '../support/test-server.ts'
import { formatTable, openWall, percentile, waitForWall, wallStats } from '../support/wall-page.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'

const { values: flags } = parseArgs({
  options: {
    minutes: { type: 'string' }, points: { type: 'string' }, rate: { type: 'string' },
    width: { type: 'string' }, height: { type: 'string' },
  },
})
const MINUTES = Number(flags.minutes ?? 2)
const POINTS = Number(flags.points ?? 10_000)
const RATE = Number(flags.rate ?? 20)
const WIDTH = Number(flags.width ?? 1920)
const HEIGHT = Number(flags.height ?? 1080)
const LOCATED_SHARE = 0.55 // of simulated events carrying a location: ~0.64 measured, kept low so the past holds enough
const GIVE_UP_MS = (MINUTES + 10) * 60_000

let redis: RedisProcess | undefined
let server: Running | undefined
let browser: Browser | undefined
let pump: EventPump | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'frames',
  giveUpMs: GIVE_UP_MS,
  hardStopMs: 15_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    await pump?.stop().catch(() => undefined)
    await browser?.close().catch((err: unknown) => console.error('browser close:', err))
    await server?.stop()
    await redis?.stop()
  },
})

/**
 * Start recording long tasks and frame deltas in the page. A string, not a
 * function: tsx names inner functions with a helper the page does not have.
 */
const RECORDER = `(() => {
  const rec = { frames: [], longTasks: [] }
  window.__frames = rec
  new PerformanceObserver((list) => { for (const e of list.getEntries()) rec.longTasks.push(e.duration) }).observe({ type: 'longtask' })
  let last = performance.now()
  const frame = (t) => { rec.frames.push(t - last); last = t; requestAnimationFrame(frame) }
  requestAnimationFrame(frame)
})()`
const record = (page: Page) => page.evaluate(RECORDER)

/** What was recorded since the last call, and start afresh. */
function drain(page: Page): Promise<{ frames: number[]; longTasks: number[] }> {
  return page.evaluate(() => {
    const rec = (window as unknown as { __frames: { frames: number[]; longTasks: number[] } }).__frames
    const out = { frames: rec.frames, longTasks: rec.longTasks }
    rec.frames = []
    rec.longTasks = []
    return out
  })
}

try {
  if (!existsSync(resolve(import.meta.dirname, '../../dist/client/index.html'))) throw new Error('no production build: run npx vite build first')
  redis = await startRedis()
  // start(loadConfig({ PORT: '0', … })) with an admin to sign the wall in as (the wall needs a session)
  server = await startTestServer(redis.url, { DATA_DIR: dataDir })
  browser = await launchChromium()
  console.log(`redis-server pid ${redis.pid}; server on ${server.url}; chromium ${browser.version()}; node ${process.version}`)
  const wall = await openWall(browser, server.url, { width: WIDTH, height: HEIGHT, token: tokenFor(server.url), query: `?points=${POINTS}` })
  await waitForWall(wall.page)

  // The past goes in at once (batches of 1000) while the wall watches, then the stream runs live.
  const backfillSec = Math.ceil(POINTS / (RATE * LOCATED_SHARE))
  const t0 = performance.now()
  pump = startEventPump({ url: server.url, rate: RATE, seconds: MINUTES * 60 + 120, backfillSec, tickMs: 200, seed: 5 })
  // Until the wall's point count has not moved for 3 s (or, without the hook, a generous 20 s).
  let stats = await wallStats(wall.page)
  if (!stats) await wall.page.waitForTimeout(20_000)
  for (let last = -1, still = 0; stats && still < 3 && performance.now() - t0 < 120_000;) {
    await wall.page.waitForTimeout(1000)
    stats = await wallStats(wall.page)
    still = stats?.points === last ? still + 1 : 0
    last = stats?.points ?? -1
  }
  console.log(`${backfillSec} s of simulated past at ${RATE}/s posted; the wall holds ${JSON.stringify(stats)} ` +
    `after ${((performance.now() - t0) / 1000).toFixed(1)} s` + (stats && stats.points < POINTS ? ` — it keeps at most ${stats.points} points, fewer than the ${POINTS} asked` : ''))
  if (!stats) console.log('window.__wallStats() is missing: the point count the wall keeps is unknown')

  await record(wall.page)
  const rows: (string | number)[][] = []
  const all: number[] = []
  for (let minute = 1; minute <= MINUTES; minute++) {
    await wall.page.waitForTimeout(60_000)
    const { frames, longTasks } = await drain(wall.page)
    const sorted = [...frames].sort((a, b) => a - b)
    all.push(...frames)
    const s = await wallStats(wall.page)
    rows.push([
      minute, frames.length, (frames.length / 60).toFixed(1), longTasks.length, longTasks.reduce((a, b) => a + b, 0).toFixed(0),
      longTasks.length ? Math.max(...longTasks).toFixed(0) : '-',
      percentile(sorted, 0.5).toFixed(1), percentile(sorted, 0.95).toFixed(1), percentile(sorted, 0.99).toFixed(1), (sorted.at(-1) ?? NaN).toFixed(1),
      s ? `${s.events}/${s.points}/${s.workers}` : 'n/a',
    ])
    console.log(`minute ${minute}: ${frames.length} frames, ${longTasks.length} long tasks`)
  }
  const totals = await pump.stop()
  pump = undefined
  const sorted = all.sort((a, b) => a - b)
  console.log(`\n/wall ${WIDTH}×${HEIGHT}, ${RATE} events/s live (${totals.sent} posted in all, ${totals.rejected} rejected):`)
  console.log(formatTable(
    ['minute', 'frames', 'fps', 'long tasks >50ms', 'long ms', 'longest ms', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'events/points/workers'],
    [...rows, ['all', sorted.length, (sorted.length / (MINUTES * 60)).toFixed(1), '', '', '', percentile(sorted, 0.5).toFixed(1),
      percentile(sorted, 0.95).toFixed(1), percentile(sorted, 0.99).toFixed(1), (sorted.at(-1) ?? NaN).toFixed(1), '']],
  ))
  console.log('(frame time: requestAnimationFrame delta; software WebGL (SwiftShader) on this machine\'s CPU)')
  if (wall.errors.length) console.log(`page errors: ${wall.errors.slice(0, 5).join(' | ')}`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
