// The 日报 in real headless Chromium: a township's week report renders with
// every chart drawn as SVG, prints to an A4 PDF, reads in English with
// ?lang=en and opens on a display token; no console error, none filtered.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { artifactPath, launchChromium, watchForeignRequests } from '../support/browser.ts'
import { caseReported, caseStep, hotlineReceived, iso } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer, tokenFor } from '../support/test-server.ts'
import { writeFileSync } from 'node:fs'

const TOWNSHIP = '650402003' // 葡萄沟街道
const GRIDS = ['650402003001001', '650402003002003', '650402003004002']
const DAY = 86_400_000
const HOUR = 3_600_000
// The seeded day: today, or yesterday in the first hour after Shanghai midnight,
// when the half hour of events before now would straddle two days.
const sinceMidnight = (Date.now() + 8 * HOUR) % DAY
const t0 = sinceMidnight >= HOUR ? Date.now() - 5 * 60_000 : Date.now() - sinceMidnight - HOUR
const today = new Date(t0 + 8 * HOUR).toISOString().slice(0, 10)

let server: Running
let browser: Browser
const problems: string[] = []
const foreign: string[][] = []
let reportedThisWeek = 0

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  const events: Record<string, unknown>[] = []
  for (let k = 0; k < 10; k++) {
    GRIDS.forEach((grid, g) => {
      const id = `RE-${k}-${g}`
      const at = t0 - k * DAY - g * 60_000
      events.push(caseReported(id, at, grid, g === 1 ? 'city.facilities' : 'city.sanitation'))
      events.push(caseStep(id, 'registered', at + 1000, { deadline: iso(k < 2 ? at - HOUR : at + 3 * DAY) }), caseStep(id, 'dispatched', at + 2000))
      if ((k + g) % 2 === 0) events.push(caseStep(id, 'disposed', at + 3000))
      if (k <= 6) reportedThisWeek++
    })
    events.push(hotlineReceived(`RE-H${k}`, t0 - k * DAY - 30 * 60_000, GRIDS[2]))
  }
  events.push({ ...caseReported('RE-URGENT', t0 - 10 * 60_000, GRIDS[0]), attrs: { source: 'grid', priority: 'urgent' } })
  reportedThisWeek++
  const res = await post(server.url, events)
  expect(res.body.rejected).toEqual([])
  browser = await launchChromium()
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function open(path: string, session = true): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1200 } })
  if (session) await context.addCookies([{ name: 'sr_session', value: tokenFor(server.url)!, url: server.url }])
  const page = await context.newPage()
  foreign.push(watchForeignRequests(page, new URL(server.url).origin))
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`))
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`) })
  await page.goto(`${server.url}${path}`)
  await page.locator('.report[data-state="ready"]').waitFor({ timeout: 60_000 })
  return page
}

/** Drawn marks of every chart: paths with a d and rects with a size. */
const chartMarks = (page: Page) => page.locator('figure.report-chart').evaluateAll((figs) => figs.map((f) => ({
  rendered: f.getAttribute('data-rendered'),
  paths: [...f.querySelectorAll('svg path')].filter((p) => (p.getAttribute('d') ?? '').length > 10).length,
  rects: [...f.querySelectorAll('svg rect')].filter((r) => Number(r.getAttribute('width')) > 0 && Number(r.getAttribute('height')) > 0).length,
  texts: [...f.querySelectorAll('svg text')].map((t) => t.textContent).join(' '),
})))

it('renders a township\'s week report with every chart drawn and prints it to A4', async () => {
  const page = await open(`/report/${TOWNSHIP}?period=week&date=${today}`)
  expect(await page.locator('h1').textContent()).toBe('葡萄沟街道 周报')
  expect(await page.locator('[data-kpi="caseReported"] td').first().textContent()).toBe(String(reportedThisWeek))
  const charts = await chartMarks(page)
  expect(charts).toHaveLength(2)
  for (const c of charts) {
    expect(c.rendered).toBe('true')
    expect(c.paths + c.rects).toBeGreaterThan(3)
  }
  expect(charts[0]!.paths).toBeGreaterThanOrEqual(7 + 2) // a bar per day at least (zrender draws bars as paths), and the axes
  expect(charts[1]!.texts).toContain('环境卫生')
  const flags = await page.locator('.ranking-table [data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag')))
  expect(flags.length).toBeGreaterThanOrEqual(3)
  for (const f of flags) expect(['red', 'yellow', 'black']).toContain(f)
  expect(await page.locator('[data-list="overdue"] tbody tr').count()).toBeGreaterThanOrEqual(3)
  expect(await page.locator('[data-list="alerts"] tbody tr').count()).toBeGreaterThanOrEqual(1)
  expect(await page.locator('.report__print').textContent()).toBe('打印 / 导出PDF')
  expect(await page.locator('[data-export="kpis"]').getAttribute('href')).toBe(`/api/v1/export/kpis.csv?region=${TOWNSHIP}&period=week&date=${today}`)

  await page.emulateMedia({ media: 'print' })
  expect(await page.locator('.report__toolbar').isVisible()).toBe(false)
  await page.screenshot({ path: artifactPath('report-township-week.png'), fullPage: true })
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true })
  writeFileSync(artifactPath('report-township-week.pdf'), pdf)
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  expect(pdf.length).toBeGreaterThan(30_000)
  const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []
  expect(pages.length).toBeGreaterThanOrEqual(4) // a page break between sections
  await page.context().close()
  expect(problems).toEqual([])
  expect(foreign.flat()).toEqual([])
}, 120_000)

it('reads a day report in English and opens on a display token without a session', async () => {
  const created = await apiFetch(`${server.url}/api/v1/auth/display-tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '葡萄沟报告屏', region: TOWNSHIP }),
  })
  expect(created.status).toBe(201)
  const { token } = (await created.json()) as { token: string }
  const page = await open(`/report/${TOWNSHIP}?lang=en&date=${today}&token=${token}`, false)
  expect(await page.locator('h1').textContent()).toBe('葡萄沟街道 Daily report')
  const charts = await chartMarks(page)
  for (const c of charts) expect(c.paths + c.rects).toBeGreaterThan(3)
  expect(await page.locator('[data-export="open"]').getAttribute('href')).toBe(`/api/v1/export/open.csv?region=${TOWNSHIP}&token=${token}`)
  const csv = await page.evaluate(async (href) => {
    const res = await fetch(href)
    const bytes = new Uint8Array(await res.arrayBuffer())
    return { status: res.status, bom: [...bytes.slice(0, 3)], head: new TextDecoder().decode(bytes).slice(0, 40) }
  }, (await page.locator('[data-export="overdue"]').getAttribute('href'))!)
  expect(csv.status).toBe(200)
  expect(csv.bom).toEqual([0xef, 0xbb, 0xbf])
  expect(csv.head.startsWith('类型,编号')).toBe(true)
  await page.context().close()
  expect(problems).toEqual([])
}, 120_000)
