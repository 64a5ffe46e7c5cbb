// 便民代办 in real headless Chromium: the wall's panel (counts, on-time rate,
// open and overdue now, the most overdue errands) at 1920×1080 beside the
// panels it shares a column with, and the tablet at a township listing its
// open errands, one of which opens its lifecycle (waiting for documents
// included), and an errand whose item stops its clock during 补正 shown as
// 补正中（停表） with its time left frozen, never overdue. Screenshots go to test-artifacts/.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { artifactPath, launchChromium, signedInPage, signIn } from '../support/browser.ts'
import { iso } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer, tokenFor } from '../support/test-server.ts'

const TOWNSHIP = '650402003' // 葡萄沟街道
const GRID_A = '650402003001001' // 光明社区第1网格
const GRID_B = '650402003002003'
const HOUR = 3_600_000
const DAY = 24 * HOUR
const t0 = Date.now()

let n = 0
const errand = (type: string, subject: string, at: number, attrs: Record<string, unknown> = {}, region?: string) =>
  ({ id: `e2e-${subject}-${type}-${++n}`, feed: 'service', type, subject, at: iso(at), attrs, ...(region ? { region } : {}) })
const accepted = (subject: string, at: number, scope: string, item: string, grid: string, attrs: Record<string, unknown> = {}) =>
  errand('accepted', subject, at, { scope, item, ...attrs }, grid)

/**
 * The last hours: a certificate past its explicit deadline, a forwarded errand waiting for documents and resumed
 * (不动产登记 stops its clock: the hour it waited moves its deadline), one done on time, one open; and from ten days
 * ago (outside 7d) a 残疾人证 errand waiting for documents since its second day, its 7 days long over: not overdue.
 */
const SEED = [
  accepted('SV-LATE', t0 - 5 * HOUR, 'local', 'svc.civil.certificate', GRID_A, { deadline: iso(t0 - 2 * HOUR) }),
  accepted('SV-WAIT', t0 - 4 * HOUR, 'outside', 'svc.estate.register', GRID_B),
  errand('forwarded', 'SV-WAIT', t0 - 3 * HOUR, { office: '县不动产登记中心' }),
  errand('returnedForDocs', 'SV-WAIT', t0 - 2 * HOUR, { missing: '房屋权属证明' }),
  errand('resumed', 'SV-WAIT', t0 - HOUR),
  accepted('SV-DONE', t0 - 3 * HOUR, 'local', 'svc.social.card', GRID_A),
  errand('completed', 'SV-DONE', t0 - HOUR),
  accepted('SV-OPEN', t0 - HOUR, 'local', 'svc.agri.subsidy', GRID_B, { deadline: iso(t0 + 6 * DAY) }),
  accepted('SV-DOCS', t0 - 10 * DAY, 'local', 'svc.disability.card', GRID_A),
  errand('returnedForDocs', 'SV-DOCS', t0 - 9 * DAY, { missing: '残疾评定表' }),
  { id: 'e2e-agent-visit', feed: 'grid', type: 'visit', subject: 'AG650402003001', at: iso(t0 - HOUR), region: GRID_A, attrs: { role: 'agent', households: 3 } },
]

let server: Running
let browser: Browser

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  const res = await post(server.url, SEED)
  expect(res.body).toMatchObject({ accepted: SEED.length, rejected: [] })
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

it('shows the 便民代办 panel on the wall: counts, on-time rate, open and overdue, the overdue errand by name', async () => {
  const { page, foreign, consoleErrors } = await signedInPage(browser, server.url, tokenFor(server.url)!, { width: 1920, height: 1080 })
  await page.goto(`${server.url}/wall?period=7d`) // the seed is of the last hours: in 7d whatever the hour of the day
  const panel = page.locator('[data-testid="panel-service"]')
  await panel.waitFor({ timeout: 30_000 })
  const stat = (kpi: string, period = 'today') => panel.locator(`[data-testid="service-stat"][data-kpi="${kpi}"][data-period="${period}"] [data-testid="service-stat-value"]`).innerText()
  await expect.poll(() => stat('serviceAccepted', '7d'), { timeout: 15_000 }).toBe('4')
  expect(await stat('onTimeServiceCompleteRate', '7d')).toBe('25.0%') // one of four done by its limit
  expect(await stat('serviceOpen')).toBe('4') // the errand waiting with its clock stopped is open, not overdue
  expect(await stat('serviceOverdue')).toBe('1')
  await expect(panel.locator('[data-testid="service-split"]').innerText()).resolves.toBe('本镇 3 · 外出 1')
  const row = panel.locator('[data-testid="service-overdue-row"]')
  await expect.poll(() => row.count()).toBe(1)
  expect(await row.getAttribute('data-subject')).toBe('SV-LATE')
  await expect(row.innerText()).resolves.toMatch(/证明开具[\s\S]*超期/)
  // a fixed panel in the left column: the charts above and below it keep a usable height, nothing spills off the wall
  const box = (id: string) => page.locator(`[data-testid="${id}"]`).boundingBox()
  const [trend, service, categories] = await Promise.all([box('panel-trend'), box('panel-service'), box('panel-categories')])
  console.log(`wall 1920×1080: trend ${trend?.height.toFixed(0)} px, 便民代办 ${service?.height.toFixed(0)} px, categories ${categories?.height.toFixed(0)} px high`)
  expect(service!.y).toBeGreaterThan(trend!.y + trend!.height - 1)
  expect(categories!.y).toBeGreaterThan(service!.y + service!.height - 1)
  expect(categories!.y + categories!.height).toBeLessThanOrEqual(1080)
  expect(Math.min(trend!.height, categories!.height)).toBeGreaterThan(150)
  await panel.screenshot({ path: artifactPath('wall-service-panel.png') })
  await page.screenshot({ path: artifactPath('wall-service-1920x1080.png') })
  expect(foreign).toEqual([])
  expect(consoleErrors).toEqual([])
  await page.context().close()
}, 60_000)

it('lists a township\'s open errands on the tablet and opens one\'s lifecycle', async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 1024 }, hasTouch: true, isMobile: true })
  await signIn(context, server.url, tokenFor(server.url)!)
  const page = await context.newPage()
  await page.goto(`${server.url}/tablet/${TOWNSHIP}`)
  const list = page.locator('[data-testid="tablet-errands"]')
  await list.locator('[data-testid="errand-item"]').first().waitFor({ timeout: 30_000 })
  const items = () => list.locator('[data-testid="errand-item"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-subject')}:${e.getAttribute('data-state')}:${e.getAttribute('data-overdue')}`))
  await expect.poll(items, { timeout: 10_000 }).toEqual(['SV-LATE:ACCEPTED:true', 'SV-OPEN:ACCEPTED:false', 'SV-WAIT:FORWARDED:false', 'SV-DOCS:WAITING:false'])
  // 补正中（停表）: six of its seven days left when the clock stopped, and so they stay; the deadline moves while it waits
  const docs = list.locator('[data-testid="errand-item"][data-subject="SV-DOCS"]')
  expect(await docs.getAttribute('data-paused')).toBe('true')
  await expect(docs.locator('[data-testid="errand-state"]').innerText()).resolves.toBe('补正中（停表）')
  await expect(docs.innerText()).resolves.toContain('剩余 6天0小时（停表）')
  await expect(docs.locator('[data-testid="errand-deadline"]').innerText()).resolves.toBe('时限 顺延中')
  // resumed after an hour of 补正: its deadline is an hour later than 30 days from 受理
  const shanghai = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(5, 16).replace('T', ' ')
  await expect(list.locator('[data-testid="errand-item"][data-subject="SV-WAIT"] [data-testid="errand-deadline"]').innerText())
    .resolves.toBe(`时限 ${shanghai(t0 - 4 * HOUR + 30 * DAY + HOUR)}`)
  await page.locator('[data-testid="period-switch"][data-period="7d"]').tap()
  await expect.poll(() => list.locator('[data-kpi="serviceAccepted"] dd').innerText()).toBe('4件')
  await expect(list.locator('[data-kpi="onTimeServiceCompleteRate"] dd').innerText()).resolves.toBe('25.0%')
  await expect(list.innerText()).resolves.toContain('不动产登记')
  // the township's case list stays a list of cases and work orders
  await expect(page.locator('[data-testid="open-item"][data-feed="service"]').count()).resolves.toBe(0)

  await list.locator('[data-testid="errand-item"][data-subject="SV-WAIT"]').tap()
  const sheet = page.locator('[data-testid="history-sheet"][data-subject="SV-WAIT"]')
  await sheet.waitFor({ timeout: 10_000 })
  await expect.poll(() => sheet.locator('[data-testid="history-item"]').count(), { timeout: 10_000 }).toBe(4)
  const steps = await sheet.locator('[data-testid="history-item"]').allInnerTexts()
  expect(steps.map((s) => s.match(/受理|转办|补正|补齐续办/)?.[0])).toEqual(['受理', '转办', '补正', '补齐续办'])
  await expect(sheet.locator('[data-testid="history-state"]').innerText()).resolves.toBe('已转办')
  await page.screenshot({ path: artifactPath('tablet-township-errands-1366x1024.png') })
  expect(new URL(page.url()).searchParams.get('subject')).toBe('service:SV-WAIT')
  await page.goBack()
  await sheet.waitFor({ state: 'detached', timeout: 10_000 })
  await docs.tap()
  const paused = page.locator('[data-testid="history-sheet"][data-subject="SV-DOCS"]')
  await paused.waitFor({ timeout: 10_000 })
  await expect.poll(() => paused.locator('[data-testid="history-state"]').innerText(), { timeout: 10_000 }).toBe('补正中（停表）')
  await expect(paused.locator('[data-testid="history-deadline"]').innerText()).resolves.toBe('顺延中 · 剩余 6天0小时（停表）')
  await page.screenshot({ path: artifactPath('tablet-township-errand-paused-1366x1024.png') })
  await context.close()
}, 60_000)

it('shows the same panel on a wall that runs on a display token alone (no cookie)', async () => {
  const created = await apiFetch(`${server.url}/api/v1/auth/display-tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '代办大屏', region: '650400' }),
  })
  expect(created.status).toBe(201)
  const { token } = (await created.json()) as { token: string }
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`) })
  await page.goto(`${server.url}/wall?period=7d&token=${token}`)
  const panel = page.locator('[data-testid="panel-service"]')
  await panel.waitFor({ timeout: 30_000 })
  await expect.poll(() => panel.locator('[data-testid="service-stat"][data-kpi="serviceAccepted"][data-period="7d"] [data-testid="service-stat-value"]').innerText(), { timeout: 15_000 }).toBe('4')
  expect(await context.cookies()).toEqual([])
  expect(problems).toEqual([])
  await context.close()
}, 60_000)
