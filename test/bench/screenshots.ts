// Pictures of the screens as they are deployed, for the README: a server with
// its own redis-server, a month of realistic city history posted through
// ingest (simulators/history-backfill.ts, as `npm run demo` does) and the same
// city running on live, then PNGs of the wall opened by its display token at
// 1920×1080, 3840×2160 and 7680×2160, and of a leader's tablet (1366×1024,
// the whole scrolling page) at the city, a district and a township.
// Run: npm run screenshots [-- --days 30 --out docs/screenshots]
// Needs a production build: CLIENT_DIR=/tmp/dist-x (default dist/client).
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { loadRegions } from '../../server/config.ts'
import type { Running } from '../../server/main.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { backfillHistory } from '../../simulators/history-backfill.ts'
import { runSimulator } from '../../simulators/post-events.ts'
import { launchChromium, signIn } from '../support/browser.ts'
import { INGEST_KEY, startTestServer, tokenFor } from '../support/test-server.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { waitForWall } from '../support/wall-page.ts'

const { values: flags } = parseArgs({ options: { days: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' } } })
const DAYS = Number(flags.days ?? 30)
const SEED = Number(flags.seed ?? 1)
const ROOT = resolve(import.meta.dirname, '../..')
const OUT = resolve(flags.out ?? join(ROOT, 'docs/screenshots'))
const CLIENT_DIR = resolve(process.env.CLIENT_DIR || join(ROOT, 'dist/client'))
const WALLS = [[1920, 1080], [3840, 2160], [7680, 2160]] as const
const TABLET = { width: 1366, height: 1024 }
/** After the last ready signal: KPI figures glide to their values, the map eases to its frame. */
const SETTLE_MS = 2500

let redis: RedisProcess | undefined
let server: Running | undefined
let browser: Browser | undefined
const live = new AbortController()
let liveDone: Promise<unknown> | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'screenshots',
  giveUpMs: 20 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    live.abort()
    await liveDone?.catch(() => undefined)
    await browser?.close().catch((err: unknown) => console.error('browser close:', err))
    await server?.stop()
    await redis?.stop()
  },
})

/** Console errors and uncaught exceptions of a page: a picture of a broken screen is no picture. */
function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
  return errors
}

async function save(page: Page, name: string, errors: string[], fullPage = false) {
  if (errors.length) throw new Error(`${name}: the page reported errors: ${errors.join(' | ')}`)
  const path = join(OUT, name)
  await page.screenshot({ path, type: 'png', fullPage })
  console.log(`  ${relative(ROOT, path)}  ${(statSync(path).size / 1024).toFixed(0)} KiB`)
}

async function shootWall(width: number, height: number, token: string) {
  const context = await browser!.newContext({ viewport: { width, height }, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${server!.url}/wall?token=${encodeURIComponent(token)}`)
    await waitForWall(page, 120_000)
    await page.locator('[data-testid="ticker"] li[data-sid]').first().waitFor({ timeout: 30_000 })
    await page.waitForTimeout(SETTLE_MS)
    await save(page, `wall-${width}x${height}.png`, errors)
  } finally {
    await context.close()
  }
}

async function shootTablet(region: string, name: string) {
  const context = await browser!.newContext({ viewport: TABLET, deviceScaleFactor: 1, hasTouch: true, isMobile: false })
  try {
    await signIn(context, server!.url, tokenFor(server!.url)!)
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${server!.url}/tablet/${region}`)
    await page.locator('[data-testid="tablet"][data-connection="live"]').waitFor({ timeout: 60_000 })
    await page.locator('[data-testid="wall-map"][data-map-ready="true"]').waitFor({ timeout: 120_000 })
    await page.locator('[data-testid="panel-trend"][data-chart-ready="true"]').waitFor({ timeout: 60_000 })
    await page.locator('[data-testid="open-list"]:not([data-loading])').waitFor({ timeout: 30_000 })
    await page.waitForTimeout(SETTLE_MS)
    // the whole page: a tablet scrolls, and the map and charts sit below the KPIs
    await save(page, `tablet-${name}.png`, errors, true)
  } finally {
    await context.close()
  }
}

try {
  if (!existsSync(join(CLIENT_DIR, 'index.html'))) throw new Error(`no production build in ${CLIENT_DIR}: run npx vite build (or set CLIENT_DIR)`)
  mkdirSync(OUT, { recursive: true })
  // A district and one of its townships, from the regions the server loads (the first of each by code).
  const regions = loadRegions()
  const childrenOf = (code: string) => regions.collection.features.map((f) => f.properties).filter((p) => p.parent === code).sort((a, b) => a.code.localeCompare(b.code))
  const city = regions.root
  const district = childrenOf(city.code).find((d) => d.level === 'district')
  const township = district && childrenOf(district.code).find((t) => t.level === 'township')
  if (!district || !township) throw new Error('the region tree has no district with a township')

  redis = await startRedis()
  server = await startTestServer(redis.url, { DATA_DIR: dataDir, CLIENT_DIR })
  console.log(`redis-server pid ${redis.pid}; server on ${server.url}; client ${CLIENT_DIR}`)
  const now = Date.now()
  const history = await backfillHistory({ url: server.url, key: INGEST_KEY, seed: SEED, days: DAYS, now, log: () => undefined })
  console.log(`history: ${history.events} events over ${history.days} days and today in ${history.elapsedSec.toFixed(1)} s (${history.rejected} rejected)`)
  // the same city runs on in wall time while the pictures are taken: the ticker moves, workers report
  liveDone = runSimulator({
    url: server.url, key: INGEST_KEY, rate: 1, seed: SEED, simulation: history.simulation, batchMs: 1000, signal: live.signal, log: () => undefined,
  })
  const display = await server.sessions.createDisplay({ name: '截图大屏', region: city.code, createdBy: 'screenshots' })
  browser = await launchChromium()

  console.log(`saving to ${relative(ROOT, OUT) || '.'}:`)
  for (const [width, height] of WALLS) await shootWall(width, height, display.token)
  await shootTablet(city.code, 'city')
  await shootTablet(district.code, 'district')
  await shootTablet(township.code, 'township')
  console.log(`tablet levels: ${city.name} ${city.code}, ${district.name} ${district.code}, ${township.name} ${township.code}`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
