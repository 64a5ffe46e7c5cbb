// How soon a freshly opened /wall shows something, in headless Chromium
// (SwiftShader) against a real server with its own redis-server and a city's
// worth of events: per run a new browser context (cold cache, no cookies but
// the session), then the time from navigation start to the first KPI figure,
// to the map's region polygons drawn (data-map-ready) and to every chart
// drawn (data-chart-ready), and the bytes that crossed the wire for it
// (compressed, as Chromium counts them: headers and bodies of every HTTP
// response; the socket.io websocket frames are not in it).
// Then the same page is reloaded (warm cache, as a wall after a power cut): its
// time to the first KPI figure and its bytes. Prints p50 and max per size.
// Numbers only, no assertions.
// Run: npm run bench:first-paint [-- --runs 5 --sizes 1920x1080,7680x2160 --backfill 900 --auth token --waterfall]
// Needs a production build: CLIENT_DIR=/tmp/dist-x (default dist/client). To compare
// builds on a busy machine, `--clients /tmp/dist-a,/tmp/dist-b` serves each from a
// server of its own on the same Redis and takes their runs in turn.
import { existsSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { launchChromium, signIn } from '../support/browser.ts'
import { postBackfill } from '../support/event-pump.ts'
import { startTestServer, tokenFor } from '../support/test-server.ts'
import { CHART_PANELS, formatTable, percentile } from '../support/wall-page.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string' }, sizes: { type: 'string' }, backfill: { type: 'string' }, rate: { type: 'string' },
    waterfall: { type: 'boolean' }, auth: { type: 'string' }, clients: { type: 'string' },
  },
})
const RUNS = Number(flags.runs ?? 5)
const SIZES = (flags.sizes ?? '1920x1080,7680x2160').split(',').map((s) => s.split('x').map(Number) as [number, number])
const BACKFILL_SEC = Number(flags.backfill ?? 900)
const RATE = Number(flags.rate ?? 10)
/** 'cookie': an admin's session cookie; 'token': a display token in the URL, as a deployed wall opens. */
const AUTH = flags.auth ?? 'cookie'
const RUN_TIMEOUT_MS = 90_000
const CLIENT_DIRS = (flags.clients ?? process.env.CLIENT_DIR ?? join(import.meta.dirname, '../../dist/client')).split(',').map((d) => resolve(d))

let redis: RedisProcess | undefined
const servers: Running[] = []
let browser: Browser | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'first-paint',
  giveUpMs: 30 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    await browser?.close().catch((err: unknown) => console.error('browser close:', err))
    for (const s of servers) await s.stop()
    await redis?.stop()
  },
})

/**
 * Installed before any page script: notes (performance.now(), ms since
 * navigation start) when each milestone first holds. A string, not a
 * function: tsx names inner functions with a helper the page does not have.
 */
const MILESTONES = `(() => {
  const marks = {}
  window.__firstPaint = marks
  const charts = ${JSON.stringify(CHART_PANELS)}
  const look = () => {
    if (!marks.kpi && [...document.querySelectorAll('[data-testid="kpi-value"]')].some((el) => /\\d/.test(el.textContent || ''))) marks.kpi = performance.now()
    if (!marks.map && document.querySelector('[data-testid="wall-map"][data-map-ready="true"]')) marks.map = performance.now()
    if (!marks.charts && charts.every((id) => document.querySelector('[data-testid="' + id + '"][data-chart-ready="true"]'))) marks.charts = performance.now()
  }
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
})()`

interface Run { kpi: number; map: number; charts: number; bytes: number; requests: number; waterfall: string[]; reloadKpi: number; reloadBytes: number }

type Marks = Record<'kpi' | 'map' | 'charts', number | undefined>
const marksOf = (page: Page) => page.evaluate(() => (window as unknown as { __firstPaint: Marks }).__firstPaint)

async function oneRun(server: Running, width: number, height: number, query: string): Promise<Run> {
  const context = await browser!.newContext({ viewport: { width, height }, deviceScaleFactor: 1 })
  try {
    if (AUTH === 'cookie') await signIn(context, server.url, tokenFor(server.url)!)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
    await page.addInitScript(MILESTONES)
    const net = await wireCounter(page)
    const drawn = () => page.waitForFunction(() => {
      const m = (window as unknown as { __firstPaint: Record<string, number> }).__firstPaint
      return m.kpi && m.map && m.charts
    }, undefined, { timeout: RUN_TIMEOUT_MS, polling: 100 }).catch(async (err: Error) => {
      throw new Error(`${width}×${height}: the wall did not finish drawing (${err.message.split('\n')[0]}); errors: ${errors.join(' | ') || 'none'}`)
    })
    await page.goto(`${server.url}/wall${query}`)
    await drawn()
    const marks = await marksOf(page)
    const first = net.totals()
    // the same screen reloaded (a wall after a power cut): hashed assets from cache, regions by ETag
    await page.reload()
    await drawn()
    const again = await marksOf(page)
    if (errors.length) console.log(`  page errors: ${errors.slice(0, 3).join(' | ')}`)
    return { kpi: marks.kpi!, map: marks.map!, charts: marks.charts!, ...first, reloadKpi: again.kpi!, reloadBytes: net.totals().bytes - first.bytes }
  } finally {
    await context.close()
  }
}

/** Counts every HTTP response's bytes on the wire through the DevTools protocol (encodedDataLength). */
async function wireCounter(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  const started = new Map<string, { url: string; at: number }>()
  const lines: string[] = []
  let bytes = 0
  let requests = 0
  let t0 = 0
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!t0) t0 = e.timestamp
    started.set(e.requestId, { url: e.request.url, at: e.timestamp })
  })
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength
    requests++
    const s = started.get(e.requestId)
    if (s) {
      const path = new URL(s.url).pathname
      lines.push(`${((s.at - t0) * 1000).toFixed(0).padStart(6)} → ${((e.timestamp - t0) * 1000).toFixed(0).padStart(6)} ms ${(e.encodedDataLength / 1024).toFixed(1).padStart(8)} KiB  ${path}`)
    }
  })
  return { totals: () => ({ bytes, requests, waterfall: [...lines] }) }
}

const ms = (v: number) => `${(v / 1000).toFixed(2)} s`
const kib = (v: number) => `${(v / 1024).toFixed(0)} KiB`

try {
  for (const dir of CLIENT_DIRS) {
    if (!existsSync(join(dir, 'index.html'))) throw new Error(`no production build in ${dir}: run npx vite build (or set CLIENT_DIR)`)
  }
  redis = await startRedis()
  for (const dir of CLIENT_DIRS) servers.push(await startTestServer(redis.url, { DATA_DIR: dataDir, CLIENT_DIR: dir }))
  browser = await launchChromium()
  console.log(`redis-server pid ${redis.pid}; ${servers.map((s, i) => `${s.url} serves ${CLIENT_DIRS[i]}`).join('; ')}; chromium ${browser.version()}; node ${process.version}`)
  const t0 = performance.now()
  const totals = await postBackfill(servers[0]!.url, { rate: RATE, seconds: BACKFILL_SEC })
  console.log(`${totals.sent} events (${BACKFILL_SEC} s of simulated city at ${RATE}/s) posted in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  let query = ''
  if (AUTH === 'token') {
    const display = await servers[0]!.sessions.createDisplay({ name: 'bench', region: '650400', createdBy: 'bench' })
    query = `?token=${encodeURIComponent(display.token)}`
  }

  const rows: (string | number)[][] = []
  const label = (i: number) => (CLIENT_DIRS.length > 1 ? ` ${basename(CLIENT_DIRS[i]!)}` : '')
  for (const [width, height] of SIZES) {
    const runs: Run[][] = servers.map(() => [])
    for (let i = 0; i < RUNS; i++) {
      for (const [v, server] of servers.entries()) {
        const run = await oneRun(server, width, height, query)
        runs[v]!.push(run)
        console.log(`${width}×${height}${label(v)} run ${i + 1}: KPI ${ms(run.kpi)}, map ${ms(run.map)}, charts ${ms(run.charts)}, ${kib(run.bytes)} in ${run.requests} responses; reloaded: KPI ${ms(run.reloadKpi)}, ${kib(run.reloadBytes)}`)
        if (flags.waterfall) console.log(run.waterfall.map((l) => `    ${l}`).join('\n'))
      }
    }
    for (const [v, list] of runs.entries()) {
      const stat = (pick: (r: Run) => number, fmt: (v: number) => string) => {
        const sorted = list.map(pick).sort((a, b) => a - b)
        return [fmt(percentile(sorted, 0.5)), fmt(sorted.at(-1)!)]
      }
      rows.push([
        `${width}×${height}${label(v)}`, ...stat((r) => r.kpi, ms), ...stat((r) => r.map, ms), ...stat((r) => r.charts, ms), ...stat((r) => r.bytes, kib),
        stat((r) => r.reloadKpi, ms)[0]!, stat((r) => r.reloadBytes, kib)[0]!,
      ])
    }
  }
  console.log(`\n/wall first paint, ${RUNS} runs per size, fresh browser context each (cold cache), auth by ${AUTH}:`)
  console.log(formatTable(
    ['size', 'KPI p50', 'KPI max', 'map p50', 'map max', 'charts p50', 'charts max', 'bytes p50', 'bytes max', 'reload KPI p50', 'reload bytes p50'],
    rows,
  ))
  console.log('(time from navigation start; headless Chromium with SwiftShader on this machine; bytes: HTTP responses as transferred, compressed; reload: the same context reloaded, its cache warm)')
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
