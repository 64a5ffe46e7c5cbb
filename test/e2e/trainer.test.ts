// /trainer in real headless Chromium: a trainer signs in, starts a drill
// from a scenario at 1000×, copies the wall link, and a wall opened on it
// shows the 演练 banner with the speed and the drill's events, while the live
// wall shows neither. Then pause, inject, speed, seek, a second session from
// a recording, a clear Chinese error, delete, and a lost session sends the
// trainer to /login. Screenshots: trainer.png, wall-drill.png and
// wall-drill-en-3840x1080.png in test-artifacts/.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { artifactPath, launchChromium } from '../support/browser.ts'
import { caseReported } from '../support/events-factory.ts'
import { freshRedisUrl, startTestServer } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'
import { kpiValue, openWall, tickerSids, waitForWall, type WallPage } from '../support/wall-page.ts'

const SCENARIO = 'normal-weekday'
const START_INPUT = '2026-11-20T08:00' // read in Asia/Shanghai: a morning, so the city is busy at once
const START = Date.parse('2026-11-20T08:00:00+08:00')
const PAGE_MS = 90_000
const TRAINER = { username: 'trainer1', password: 'drill-password-1' }

let server: Running
let browser: Browser
let trainerContext: BrowserContext
let trainer: Page
const trainerErrors: string[] = []
/** Refused requests of the trainer page: "400 POST /api/v1/channels". */
const trainerRefusals: string[] = []
let drillWall: WallPage
let liveWall: WallPage
let channel = ''
let wallLink = ''

const card = () => trainer.locator('[data-testid="session-card"]')
const cardNow = async () => Number(await card().locator('[data-testid="session-clock"]').getAttribute('data-now'))
const banner = (p: Page) => p.locator('[data-testid="drill-banner"]')

/** Sign a browser context in through the API: the session cookie then rides along on fetches and sockets. */
async function signIn(context: BrowserContext) {
  const res = await context.request.post(`${server.url}/api/v1/auth/login`, { data: TRAINER })
  expect(res.status()).toBe(200)
}

/** A wall on `query` for a signed-in viewer; without a session the link first lands on /login. */
async function openSignedInWall(size: { width: number; height: number }, query = ''): Promise<WallPage> {
  const wall = await openWall(browser, server.url, { ...size, query })
  await wall.page.waitForURL(/\/login\?next=/, { timeout: 20_000 })
  await signIn(wall.context)
  await wall.page.goto(`${server.url}/wall${query}`)
  return wall
}

/** A KPI figure once it has stopped moving: the same on two reads 1.5 s apart. */
async function settledKpi(page: Page, key: string): Promise<number> {
  let last = Number.NaN
  for (const until = Date.now() + 20_000; Date.now() < until;) {
    const value = Number(await kpiValue(page, key))
    if (value === last) return value
    last = value
    await page.waitForTimeout(1_500)
  }
  throw new Error(`kpi ${key} kept moving (last ${last})`)
}

beforeAll(async () => {
  const usersFile = await writeUsersFile([{ username: TRAINER.username, name: '演练教员', role: 'trainer', password: TRAINER.password }])
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: usersFile })
  browser = await launchChromium()
  trainerContext = await browser.newContext({
    viewport: { width: 1440, height: 1100 }, deviceScaleFactor: 1, permissions: ['clipboard-read', 'clipboard-write'],
  })
  trainer = await trainerContext.newPage()
  trainer.on('pageerror', (e) => trainerErrors.push(`pageerror: ${e.message}`))
  trainer.on('response', (r) => {
    if (r.status() >= 400) trainerRefusals.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`)
  })
  trainer.on('console', (m) => {
    // a refused request is logged by Chromium itself; the page shows its reason, checked below
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) trainerErrors.push(`console: ${m.text()}`)
  })
}, 60_000)

afterAll(async () => {
  await drillWall?.close()
  await liveWall?.close()
  await browser?.close()
  await server?.stop()
})

describe('trainer', () => {
  it('signs in on /login and comes back to /trainer', async () => {
    await trainer.goto(`${server.url}/trainer`)
    await trainer.locator('[data-testid="login-form"]').waitFor({ timeout: 20_000 })
    expect(new URL(trainer.url()).searchParams.get('next')).toBe('/trainer')
    await trainer.locator('[data-testid="login-form"] input[name="username"]').fill(TRAINER.username)
    await trainer.locator('[data-testid="login-form"] input[name="password"]').fill(TRAINER.password)
    await trainer.locator('[data-testid="login-submit"]').click()
    await trainer.waitForURL(`${server.url}/trainer`, { timeout: 20_000 })
  }, PAGE_MS)

  it('lists the scenarios with title, description and duration, and no session yet', async () => {
    const scenario = trainer.locator(`[data-testid="scenario-${SCENARIO}"]`)
    await scenario.waitFor({ timeout: 20_000 })
    await expect(scenario.innerText()).resolves.toMatch(/普通工作日[\s\S]*24 小时[\s\S]*常态运行/)
    await expect(trainer.locator('[data-testid^="scenario-"]').count()).resolves.toBeGreaterThanOrEqual(6)
    await expect(trainer.locator('[data-testid="session-list"]').innerText()).resolves.toContain('暂无演练')
  }, PAGE_MS)

  it('answers a bad recording with a clear Chinese error', async () => {
    await trainer.locator('[data-testid="source-recording"]').click()
    await trainer.locator('[data-testid="recording-input"]').setInputFiles({
      name: 'bad.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from('这不是 JSON\n'),
    })
    await trainer.locator('[data-testid="start-drill"]').click()
    const problem = trainer.locator('[data-testid="trainer-problem"]')
    await problem.waitFor({ timeout: 10_000 })
    await expect(problem.innerText()).resolves.toMatch(/^创建演练失败：请求无效（.+）/)
    await expect(trainer.locator('[data-testid="session-card"]').count()).resolves.toBe(0)
  }, PAGE_MS)

  it('starts a drill from a scenario at 1000× and shows its session card with the clock running at that speed', async () => {
    await trainer.locator('[data-testid="source-scenario"]').click()
    await trainer.locator(`[data-testid="scenario-${SCENARIO}"]`).click()
    await trainer.locator('[data-testid="seed-input"]').fill('7')
    await trainer.locator('[data-testid="start-input"]').fill(START_INPUT)
    await trainer.locator('[data-testid="start-form"] [data-testid="speed-1000"]').click()
    await trainer.locator('[data-testid="start-drill"]').click()
    await card().waitFor({ timeout: 60_000 })
    await expect(trainer.locator('[data-testid="trainer-problem"]').count()).resolves.toBe(0)

    channel = (await card().getAttribute('data-channel'))!
    expect(channel).toMatch(/^sim-[a-z0-9]+$/)
    await expect(card().locator('[data-testid="session-speed"]').innerText()).resolves.toBe('1000×')
    await expect(card().innerText()).resolves.toContain('普通工作日 · 种子 7')

    // channel time starts at the chosen morning and runs ~1000 s per second
    await expect.poll(cardNow, { timeout: 10_000 }).toBeGreaterThan(START)
    const [a, wallA] = [await cardNow(), performance.now()]
    await trainer.waitForTimeout(1_500)
    const [b, wallB] = [await cardNow(), performance.now()]
    const rate = (b - a) / (wallB - wallA)
    expect(rate).toBeGreaterThan(500)
    expect(rate).toBeLessThan(1_500)
    await expect.poll(async () => Number(await card().locator('[data-testid="session-progress"]').getAttribute('data-progress')), { timeout: 10_000 })
      .toBeGreaterThan(0)
    await expect(trainer.locator(`[data-testid="session-${channel}"]`).count()).resolves.toBe(1)
  }, PAGE_MS)

  it('copies the wall link and shows it, with an open-wall link', async () => {
    await card().locator('[data-testid="wall-link-text"][data-ready="true"]').waitFor({ timeout: 10_000 })
    await card().locator('[data-testid="copy-wall-link"]').click()
    const state = card().locator('[data-testid="copy-state"]')
    await state.waitFor({ timeout: 5_000 })
    wallLink = await card().locator('[data-testid="wall-link-text"]').inputValue()
    // the drill's own display token rides in the link (test/e2e/token-wall.test.ts opens it without a login)
    expect(wallLink).toMatch(new RegExp(`^${server.url}/wall\\?channel=${channel}&token=wall_[\\w-]+$`))
    await expect(card().locator('[data-testid="open-wall"]').getAttribute('href')).resolves.toBe(wallLink)
    const how = await state.getAttribute('data-state')
    console.log(`wall link: ${wallLink} (clipboard: ${how})`)
    if (how === 'copied') await expect(trainer.evaluate(() => navigator.clipboard.readText())).resolves.toBe(wallLink)
    else await expect(state.innerText()).resolves.toContain('请手动复制')
    await trainer.screenshot({ path: artifactPath('trainer.png'), fullPage: true })
  }, PAGE_MS)

  it('a wall on the link shows the 演练 banner with time and speed, and the drill\'s events', async () => {
    drillWall = await openSignedInWall({ width: 1920, height: 1080 }, `?channel=${channel}`)
    await waitForWall(drillWall.page, PAGE_MS)
    const b = banner(drillWall.page)
    await b.waitFor({ timeout: 10_000 })
    await expect(b.innerText()).resolves.toMatch(/演练[\s\S]*\d\d:\d\d:\d\d[\s\S]*1000×/)
    await expect(b.getAttribute('data-speed')).resolves.toBe('1000')
    await expect(b.getAttribute('data-paused')).resolves.toBe('false')

    await expect.poll(async () => (await tickerSids(drillWall.page)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(5)
    await expect.poll(async () => Number(await kpiValue(drillWall.page, 'caseReported')), { timeout: 20_000 }).toBeGreaterThan(0)

    // the banner sits above the header and covers no KPI figure
    const overlaps = await drillWall.page.evaluate(() => {
      const r = document.querySelector('[data-testid="drill-banner"]')!.getBoundingClientRect()
      return [...document.querySelectorAll('[data-testid="kpi-value"]')].filter((el) => {
        const k = el.getBoundingClientRect()
        return k.left < r.right && k.right > r.left && k.top < r.bottom && k.bottom > r.top
      }).length
    })
    expect(overlaps).toBe(0)
    const box = (await b.boundingBox())!
    expect(box.y).toBeLessThan(10)
    expect(box.width).toBeGreaterThan(1800)

    // the banner's clock and the header's are one clock: at 1000× a minute passes every 60 ms, yet they agree on every read
    for (let i = 0; i < 8; i++) {
      const [drillTime = '', headerTime = ''] = await drillWall.page.evaluate(() =>
        ['[data-testid="drill-time"]', '[data-testid="wall-clock-time"]'].map((s) => document.querySelector(s)?.textContent?.trim() ?? ''))
      expect(drillTime).toMatch(/^\d\d:\d\d:\d\d$/)
      expect(headerTime.slice(0, 5)).toBe(drillTime.slice(0, 5))
      await drillWall.page.waitForTimeout(170)
    }
    await drillWall.page.waitForTimeout(1_000)
    await drillWall.page.screenshot({ path: artifactPath('wall-drill.png') })
  }, PAGE_MS)

  it('the live wall shows no drill banner and none of the drill\'s events', async () => {
    liveWall = await openSignedInWall({ width: 1920, height: 1080 })
    await waitForWall(liveWall.page, PAGE_MS)
    const drillSids = new Set(await tickerSids(drillWall.page))
    await liveWall.page.waitForTimeout(2_000) // time for any leak to show
    await expect(banner(liveWall.page).count()).resolves.toBe(0)
    const liveSids = await tickerSids(liveWall.page)
    expect(liveSids.filter((sid) => drillSids.has(sid))).toEqual([])
    expect(liveSids).toEqual([]) // nothing was posted to live
    await expect(kpiValue(liveWall.page, 'caseReported')).resolves.toBe('0')
  }, PAGE_MS)

  it('pause reaches the drill wall, an injected incident lands at the channel\'s now, and a speed change reaches the banner', async () => {
    await card().locator('[data-testid="pause-toggle"]').click()
    await expect.poll(() => card().locator('[data-testid="pause-toggle"]').getAttribute('data-paused'), { timeout: 10_000 }).toBe('true')
    await expect.poll(() => banner(drillWall.page).getAttribute('data-paused'), { timeout: 10_000 }).toBe('true')
    await expect(banner(drillWall.page).innerText()).resolves.toContain('已暂停')
    const frozen = await cardNow()
    await trainer.waitForTimeout(600)
    expect(await cardNow()).toBe(frozen)

    const form = card().locator('[data-testid="inject-form"]')
    await form.locator('[data-testid="inject-feed"]').selectOption('case')
    await form.locator('[data-testid="inject-category"]').selectOption('city.sanitation')
    const township = await form.locator('[data-testid="inject-township"] option:not([disabled])').first().getAttribute('value')
    await form.locator('[data-testid="inject-township"]').selectOption(township!)
    await form.locator('[data-testid="inject-priority"]').selectOption('urgent')
    // what was fed before the pause reaches the wall as KPI pushes (≤1/s) and the figure glides there: wait till it rests
    const before = await settledKpi(drillWall.page, 'caseReported')
    await form.locator('[data-testid="inject-submit"]').click()
    await expect.poll(() => form.locator('[data-testid="inject-outcome"]').innerText().catch(() => ''), { timeout: 10_000 }).toContain('已注入')
    // the channel is paused, so the one new report is the injected one
    await expect.poll(async () => Number(await kpiValue(drillWall.page, 'caseReported')), { timeout: 10_000 }).toBe(before + 1)
    const snap = await (await trainerContext.request.get(`${server.url}/api/v1/snapshot?channel=${channel}`)).json() as { events: { id: string; at: number; region: string }[] }
    const injected = snap.events.find((e) => e.id.startsWith('trainer-TRN-C'))
    expect(injected).toBeDefined()
    expect(Math.abs(injected!.at - frozen)).toBeLessThan(5_000)
    expect(injected!.region.startsWith(township!)).toBe(true)

    await card().locator('[data-testid="pause-toggle"]').click()
    await expect.poll(() => banner(drillWall.page).getAttribute('data-paused'), { timeout: 10_000 }).toBe('false')
    await card().locator('[data-testid="speed-100"]').click()
    await card().locator('[data-testid="apply-speed"]').click()
    await expect.poll(() => banner(drillWall.page).getAttribute('data-speed'), { timeout: 10_000 }).toBe('100')
    await expect(banner(drillWall.page).innerText()).resolves.toContain('100×')
    await expect.poll(() => card().locator('[data-testid="session-speed"]').innerText(), { timeout: 5_000 }).toBe('100×')
  }, PAGE_MS)

  it('seek moves the channel clock to the slider\'s time', async () => {
    const target = START + 6 * 3_600_000
    await card().locator('[data-testid="seek-slider"]').evaluate((el, to) => {
      const input = el as HTMLInputElement
      input.value = String(to)
      input.dispatchEvent(new Event('input', { bubbles: true }))
      input.dispatchEvent(new Event('change', { bubbles: true }))
    }, target)
    await expect.poll(async () => {
      const now = await cardNow()
      return now >= target && now < target + 30 * 60_000
    }, { timeout: 60_000 }).toBe(true)
    // the slider is back once the channel is rebuilt at the target
    await expect.poll(() => card().locator('[data-testid="seek-slider"]').isDisabled(), { timeout: 60_000 }).toBe(false)
    // the wall follows: its banner clock shows the new time (in Shanghai, 14:xx)
    await expect.poll(() => drillWall.page.locator('[data-testid="drill-time"]').innerText(), { timeout: 20_000 }).toMatch(/^14:/)
    // a seek keeps the speed: on the card, in the list and on the wall
    await expect(card().locator('[data-testid="session-speed"]').innerText()).resolves.toBe('100×')
    await trainer.waitForTimeout(2_500) // one list refresh
    await expect(card().locator('[data-testid="session-speed"]').innerText()).resolves.toBe('100×')
    await expect(banner(drillWall.page).getAttribute('data-speed')).resolves.toBe('100')
  }, PAGE_MS)

  it('in English on an ultra-wide wall the banner says DRILL, spans the wall and covers no KPI', async () => {
    const wide = await openSignedInWall({ width: 3840, height: 1080 }, `?channel=${channel}&lang=en`)
    try {
      const b = banner(wide.page)
      await expect.poll(() => b.getAttribute('data-speed').catch(() => null), { timeout: 30_000 }).toBe('100')
      await expect(b.innerText()).resolves.toMatch(/DRILL[\s\S]*Drill time[\s\S]*100×/)
      await expect.poll(async () => Number(await kpiValue(wide.page, 'caseReported')), { timeout: 20_000 }).toBeGreaterThan(0)
      const box = (await b.boundingBox())!
      expect(box.width).toBeGreaterThan(3800)
      const covered = await wide.page.evaluate(() => {
        const r = document.querySelector('[data-testid="drill-banner"]')!.getBoundingClientRect()
        return [...document.querySelectorAll('[data-testid="kpi-value"]')].some((el) => el.getBoundingClientRect().top < r.bottom)
      })
      expect(covered).toBe(false)
      await wide.page.waitForTimeout(1_000)
      await wide.page.screenshot({ path: artifactPath('wall-drill-en-3840x1080.png') })
      expect(wide.errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([])
    } finally {
      await wide.close()
    }
  }, PAGE_MS)

  it('lists several sessions; delete asks first and then removes the channel', async () => {
    await trainer.locator('[data-testid="source-recording"]').click()
    const ndjson = [0, 1, 2].map((i) => JSON.stringify(caseReported(`REC-${i}`, START + i * 60_000))).join('\n')
    await trainer.locator('[data-testid="recording-input"]').setInputFiles({ name: 'three-cases.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) })
    await trainer.locator('[data-testid="start-form"] [data-testid="speed-10"]').click()
    await trainer.locator('[data-testid="start-drill"]').click()
    await expect.poll(() => trainer.locator('[data-testid^="session-replay-"]').count(), { timeout: 20_000 }).toBe(1)
    await expect(trainer.locator('[data-testid="session-list"] tbody tr').count()).resolves.toBe(2)
    await expect(card().getAttribute('data-channel')).resolves.toMatch(/^replay-/)
    await expect(card().innerText()).resolves.toContain('three-cases.ndjson')

    await trainer.locator(`[data-testid="session-${channel}"]`).click()
    await expect.poll(() => card().getAttribute('data-channel')).toBe(channel)
    await card().locator('[data-testid="delete-session"]').click()
    await expect(card().innerText()).resolves.toContain('确认删除？')
    await card().locator('[data-testid="cancel-delete"]').click()
    await expect(trainer.locator(`[data-testid="session-${channel}"]`).count()).resolves.toBe(1)
    await card().locator('[data-testid="delete-session"]').click()
    await card().locator('[data-testid="confirm-delete"]').click()
    await expect.poll(() => trainer.locator(`[data-testid="session-${channel}"]`).count(), { timeout: 20_000 }).toBe(0)
    const listed = await (await trainerContext.request.get(`${server.url}/api/v1/channels`)).json() as { channels: { id: string }[] }
    expect(listed.channels.map((c) => c.id)).not.toContain(channel)
    expect(listed.channels).toHaveLength(1)
  }, PAGE_MS)

  it('logged no page error on the trainer or either wall, and the trainer made no request that was refused unexpectedly', () => {
    expect(trainerErrors).toEqual([])
    // Chromium logs every refused request: the login page's signed-out /auth/me (401), the bad recording (400)
    const real = (errors: string[]) => errors.filter((e) => !e.includes('Failed to load resource'))
    expect(real(drillWall.errors)).toEqual([])
    expect(real(liveWall.errors)).toEqual([])
    const expected = new Set(['400 POST /api/v1/channels', '401 GET /api/v1/auth/me'])
    expect(trainerRefusals.filter((r) => !expected.has(r))).toEqual([])
    console.log(`trainer's refused requests: ${trainerRefusals.join(', ')}`)
  })

  it('sends the trainer to /login?next=/trainer when the session ends', async () => {
    const out = await trainerContext.request.post(`${server.url}/api/v1/auth/logout`)
    expect(out.status()).toBe(200)
    await trainer.waitForURL(/\/login\?/, { timeout: 10_000 }) // the next list refresh answers 401
    expect(new URL(trainer.url()).searchParams.get('next')).toBe('/trainer')
    await trainer.locator('[data-testid="login-form"]').waitFor({ timeout: 10_000 })
  }, PAGE_MS)
})
