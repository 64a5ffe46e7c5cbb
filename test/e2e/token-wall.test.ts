// Walls as they are deployed: a fresh browser with NO cookie opens the link
// `npm run demo` prints (/wall?token=<display token>) and runs on that token
// alone — KPI numbers, the map's polygons, ticker rows, a reload after a power
// cut — and the trainer's copied drill link opens the same way with the 演练
// banner. A wrong token, and a revoked one (at load and on a running wall),
// show 令牌无效或已吊销 instead of spinners.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { artifactPath, launchChromium, measurePng } from '../support/browser.ts'
import { caseReported, caseStep, hotlineReceived } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'
import { kpiValue, tickerSids, waitForWall } from '../support/wall-page.ts'

const PAGE_MS = 90_000
const TRAINER = { username: 'trainer1', password: 'drill-password-1' }
const REFUSED = '令牌无效或已吊销'

let server: Running
let browser: Browser
const opened: BrowserContext[] = []

interface TokenWall {
  page: Page
  context: BrowserContext
  /** Page errors and console errors, unfiltered. */
  errors: string[]
  /** "401 GET /api/v1/regions": every answer that refused the wall. */
  refusals: string[]
}

/** A fresh context without any cookie, on `url`. */
async function openNoCookie(url: string, size = { width: 1920, height: 1080 }): Promise<TokenWall> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 })
  opened.push(context)
  expect(await context.cookies()).toEqual([])
  const page = await context.newPage()
  const errors: string[] = []
  const refusals: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
  page.on('response', (r) => {
    if (r.status() === 401 || r.status() === 403) refusals.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`)
  })
  await page.goto(url)
  return { page, context, errors, refusals }
}

/** Make a display token the way an admin does (POST /api/v1/auth/display-tokens), for the whole city like the demo's. */
async function makeDisplayToken(name: string): Promise<{ token: string; id: string }> {
  const res = await apiFetch(`${server.url}/api/v1/auth/display-tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { token: string; id: string }
}

const refusedNotice = (p: Page) => p.locator('[data-testid="token-refused"]')

beforeAll(async () => {
  const usersFile = await writeUsersFile([{ username: TRAINER.username, name: '演练教员', role: 'trainer', password: TRAINER.password }])
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: usersFile })
  browser = await launchChromium()
}, 60_000)

afterAll(async () => {
  for (const c of opened) await c.close().catch(() => undefined)
  await browser?.close()
  await server?.stop()
})

describe('a wall on its display token alone', () => {
  let demo: { token: string; id: string }
  let wall: TokenWall

  it('opens the demo-style link without a cookie: KPI numbers, the map\'s polygons, ticker rows', async () => {
    demo = await makeDisplayToken('演示大屏')
    expect(demo.token).toMatch(/^wall_/)
    const before = await post(server.url, [caseReported('TW-1'), caseReported('TW-2'), caseStep('TW-1', 'registered'), hotlineReceived('TW-H1')])
    expect(before.body.accepted).toBe(4)

    wall = await openNoCookie(`${server.url}/wall?token=${demo.token}`)
    await waitForWall(wall.page, PAGE_MS)
    expect(new URL(wall.page.url()).pathname).toBe('/wall') // not sent to /login
    await expect.poll(async () => Number(await kpiValue(wall.page, 'caseReported')), { timeout: 20_000 }).toBe(2)
    await expect.poll(async () => Number(await kpiValue(wall.page, 'hotlineReceived')), { timeout: 20_000 }).toBe(1)

    // new events reach the running wall's ticker and numbers
    const after = await post(server.url, [caseReported('TW-3'), caseReported('TW-4'), hotlineReceived('TW-H2')])
    expect(after.body.accepted).toBe(3)
    await expect.poll(async () => Number(await kpiValue(wall.page, 'caseReported')), { timeout: 20_000 }).toBe(4)
    await expect.poll(async () => (await tickerSids(wall.page)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(7)

    // region fills and outlines drawn on the map canvas, not one flat colour
    await wall.page.waitForTimeout(1_000) // let the map draw the new points before the picture
    const map = await measurePng(wall.page, await wall.page.locator('[data-testid="wall-map"]').screenshot({ path: artifactPath('token-wall-map.png') }))
    expect(map.colours).toBeGreaterThan(5)
    expect(map.differingShare).toBeGreaterThan(0.2)
    await wall.page.screenshot({ path: artifactPath('token-wall-1920x1080.png') })

    await expect(refusedNotice(wall.page).count()).resolves.toBe(0)
    expect(await wall.context.cookies()).toEqual([])
    expect(wall.refusals).toEqual([])
    expect(wall.errors).toEqual([])
  }, PAGE_MS)

  it('comes back by itself after a reload (a power cut) on the same link', async () => {
    await wall.page.reload()
    await waitForWall(wall.page, PAGE_MS)
    await expect.poll(async () => Number(await kpiValue(wall.page, 'caseReported')), { timeout: 20_000 }).toBe(4)
    expect(new URL(wall.page.url()).searchParams.get('token')).toBe(demo.token)
    expect(wall.refusals).toEqual([])
    expect(wall.errors).toEqual([])
  }, PAGE_MS)

  it('shows 令牌无效或已吊销 on the running wall once its token is revoked', async () => {
    const res = await apiFetch(`${server.url}/api/v1/auth/display-tokens/${demo.id}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    // the server re-checks open sockets every 10 s and closes this one; the wall reconnects and is refused
    await refusedNotice(wall.page).waitFor({ timeout: 40_000 })
    await expect(refusedNotice(wall.page).innerText()).resolves.toContain(REFUSED)
    await wall.page.screenshot({ path: artifactPath('token-wall-revoked.png') })
  }, PAGE_MS)

  it('shows 令牌无效或已吊销 when a revoked token opens a wall', async () => {
    const revoked = await openNoCookie(`${server.url}/wall?token=${demo.token}`)
    await refusedNotice(revoked.page).waitFor({ timeout: 30_000 })
    await expect(refusedNotice(revoked.page).innerText()).resolves.toContain(REFUSED)
    expect(new URL(revoked.page.url()).pathname).toBe('/wall')
    expect(revoked.refusals.length).toBeGreaterThan(0) // it was the server's answer, not a guess
    expect(revoked.refusals.every((r) => r.startsWith('401 '))).toBe(true)
  }, PAGE_MS)

  it('shows the message for a made-up token too, in English with ?lang=en', async () => {
    const wrong = await openNoCookie(`${server.url}/wall?token=wall_made_up_token&lang=en`)
    await refusedNotice(wrong.page).waitFor({ timeout: 30_000 })
    await expect(refusedNotice(wrong.page).innerText()).resolves.toContain('Display token invalid or revoked')
  }, PAGE_MS)
})

describe('the trainer\'s drill link', () => {
  it('opens on a wall without a login and shows the 演练 banner', async () => {
    const trainerContext = await browser.newContext({ viewport: { width: 1440, height: 1100 } })
    opened.push(trainerContext)
    expect((await trainerContext.request.post(`${server.url}/api/v1/auth/login`, { data: TRAINER })).status()).toBe(200)
    const trainer = await trainerContext.newPage()
    await trainer.goto(`${server.url}/trainer`)
    await trainer.locator('[data-testid="source-scenario"]').click()
    await trainer.locator('[data-testid="scenario-normal-weekday"]').click()
    await trainer.locator('[data-testid="start-form"] [data-testid="speed-1000"]').click()
    await trainer.locator('[data-testid="start-drill"]').click()
    const card = trainer.locator('[data-testid="session-card"]')
    await card.waitFor({ timeout: 60_000 })
    const channel = (await card.getAttribute('data-channel'))!
    const field = card.locator('[data-testid="wall-link-text"][data-ready="true"]')
    await field.waitFor({ timeout: 20_000 })
    const link = await field.inputValue()
    expect(new URL(link).searchParams.get('channel')).toBe(channel)
    expect(new URL(link).searchParams.get('token')).toMatch(/^wall_/)

    const drill = await openNoCookie(link)
    await waitForWall(drill.page, PAGE_MS)
    const banner = drill.page.locator('[data-testid="drill-banner"]')
    await banner.waitFor({ timeout: 20_000 })
    await expect(banner.innerText()).resolves.toContain('演练')
    await expect.poll(async () => (await tickerSids(drill.page)).length, { timeout: 30_000 }).toBeGreaterThan(0)
    await drill.page.screenshot({ path: artifactPath('token-wall-drill.png') })
    expect(await drill.context.cookies()).toEqual([])
    expect(drill.refusals).toEqual([])
    expect(drill.errors).toEqual([])
  }, 2 * PAGE_MS)
})
