// Issue 10 in real Chromium: after a real login, `?next=` cannot send the
// browser to another site (items 8), and the Content-Security-Policy (item 12)
// breaks nothing on the wall: KPI numbers, the maplibre canvas and the ECharts
// panels draw, with no console error and no CSP violation at all.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { launchChromium, measurePng, signIn, watchForeignRequests } from '../support/browser.ts'
import { caseReported, caseStep, hotlineReceived } from '../support/events-factory.ts'
import { ADMIN, freshRedisUrl, post, startTestServer, tokenFor } from '../support/test-server.ts'

let server: Running
let browser: Browser
let origin: string

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  origin = new URL(server.url).origin
  browser = await launchChromium()
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

/** Every console message of type error, every uncaught page error and every CSP violation the page reports, unfiltered. */
async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = []
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`))
  await page.exposeFunction('__reportCsp', (v: string) => problems.push(`csp: ${v}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __reportCsp(v: string): void }).__reportCsp(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  return problems
}

describe('8. the login redirect stays on our origin', () => {
  const HOSTILE = ['/%09/evil.example/x', '//evil.example/x', '/%5Cevil.example/x', 'https://evil.example/x', '/%0a/evil.example', '/%5C%5Cevil.example']

  async function loginWith(next: string) {
    const context = await browser.newContext()
    const page = await context.newPage()
    const foreign = watchForeignRequests(page, origin)
    const problems = await watchProblems(page)
    await page.goto(`${server.url}/login?next=${next}`)
    await page.locator('input[name="username"]').fill(ADMIN.username)
    await page.locator('input[name="password"]').fill(ADMIN.password)
    await page.locator('[data-testid="login-submit"]').click()
    await page.waitForURL((u) => u.pathname !== '/login', { timeout: 15_000 })
    const landed = new URL(page.url())
    await context.close()
    return { landed, foreign, problems }
  }

  it('follows a next that is a path of this site', async () => {
    const { landed, foreign } = await loginWith(encodeURIComponent('/wall?lang=en'))
    expect(landed.origin).toBe(origin)
    expect(`${landed.pathname}${landed.search}`).toBe('/wall?lang=en')
    expect(foreign).toEqual([])
  }, 30_000)

  for (const next of HOSTILE) {
    it(`ignores next=${next} and lands on the user's home`, async () => {
      const { landed, foreign } = await loginWith(next)
      expect(landed.origin).toBe(origin)
      expect(landed.pathname).toBe('/wall') // the admin's home
      expect(foreign).toEqual([])
    }, 30_000)
  }
})

describe('12. the CSP does not break the wall', () => {
  it('draws KPI numbers, the map and the charts with zero console errors and zero CSP violations', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    await signIn(context, server.url, tokenFor(server.url)!)
    const page = await context.newPage()
    const problems = await watchProblems(page)
    const foreign = watchForeignRequests(page, origin)
    const res = await page.goto(`${server.url}/wall`)
    const csp = res?.headers()['content-security-policy'] ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).not.toContain('unsafe')
    await page.locator('[data-testid="wall-map"][data-map-ready="true"]').waitFor({ timeout: 30_000 })

    expect((await post(server.url, [
      caseReported('CSP-1'), caseReported('CSP-2'), caseReported('CSP-3'), caseStep('CSP-1', 'registered'), hotlineReceived('CSP-H1'),
    ])).body.accepted).toBe(5)
    const tile = (key: string) => page.locator(`[data-testid="kpi-${key}"] [data-testid="kpi-value"]`).innerText()
    await expect.poll(async () => Number(await tile('caseReported')), { timeout: 15_000 }).toBe(3)
    await expect.poll(async () => Number(await tile('hotlineReceived')), { timeout: 15_000 }).toBe(1)

    await page.waitForTimeout(1500) // let the map and the charts draw what arrived
    const map = await measurePng(page, await page.locator('[data-testid="wall-map"]').screenshot())
    expect(map.colours).toBeGreaterThan(5)
    expect(map.differingShare).toBeGreaterThan(0.2)
    for (const panel of ['panel-trend', 'panel-categories']) {
      const chart = page.locator(`[data-testid="${panel}"]`)
      expect(await chart.locator('canvas').count(), panel).toBeGreaterThan(0) // ECharts made its canvas
      const drawn = await measurePng(page, await chart.screenshot())
      console.log(`${panel}: ${drawn.colours} colours, ${(drawn.differingShare * 100).toFixed(1)} % drawn`)
      expect(drawn.colours, panel).toBeGreaterThan(5)
    }
    expect(problems).toEqual([])
    expect(foreign).toEqual([])
    await context.close()
  }, 90_000)
})
