// /wall in real headless Chromium: the map renders (maplibre-gl 5 on
// SwiftShader), KPI tiles show, a number changes after events are posted, and
// no request leaves our origin. Screenshots go to test-artifacts/.
import { writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { artifactPath, launchChromium, measurePng, signedInPage } from '../support/browser.ts'
import { caseReported, caseStep, hotlineReceived } from '../support/events-factory.ts'
import { freshRedisUrl, post, startTestServer, tokenFor } from '../support/test-server.ts'

let server: Running
let browser: Browser
let page: Page
let foreign: string[]
let consoleErrors: string[]

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  browser = await launchChromium()
  ;({ page, foreign, consoleErrors } = await signedInPage(browser, server.url, tokenFor(server.url)!, { width: 1920, height: 1080 }))
}, 60_000)
afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const tileValue = (key: string) => page.locator(`[data-testid="kpi-${key}"] [data-testid="kpi-value"]`).innerText()

it('renders the map and the KPI tiles', async () => {
  await page.goto(`${server.url}/wall`)
  await page.locator('[data-testid="wall-map"][data-map-ready="true"]').waitFor({ timeout: 30_000 })
  for (const key of ['caseReported', 'caseRegistered', 'disposalRate', 'hotlineReceived', 'workersOnDuty']) {
    await expect(page.locator(`[data-testid="kpi-${key}"]`).count()).resolves.toBe(1)
  }
  await expect.poll(() => tileValue('caseReported'), { timeout: 10_000 }).toBe('0')
  const webgl = await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="wall-map"] canvas') as HTMLCanvasElement | null
    if (!canvas) return 'no canvas'
    return canvas.getContext('webgl2') ? 'webgl2' : canvas.getContext('webgl') ? 'webgl' : 'none'
  })
  console.log(`map canvas context here: ${webgl}`)
}, 60_000)

it('changes a number on the wall after events are posted', async () => {
  const before = Number(await tileValue('caseReported'))
  const res = await post(server.url, [
    caseReported('E2E-1'), caseReported('E2E-2'), caseReported('E2E-3'),
    caseStep('E2E-1', 'registered'), hotlineReceived('E2E-H1'),
  ])
  expect(res.body.accepted).toBe(5)
  await expect.poll(async () => Number(await tileValue('caseReported')), { timeout: 10_000 }).toBe(before + 3)
  await expect.poll(async () => Number(await tileValue('hotlineReceived')), { timeout: 10_000 }).toBe(1)
  await expect.poll(() => page.locator('[data-testid="ticker"] li').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5)
}, 30_000)

it('saves a screenshot that is not blank, with the map drawn', async () => {
  await page.waitForTimeout(1500) // let the map draw the new points
  const png = await page.screenshot({ path: artifactPath('wall-1920x1080.png') })
  const whole = await measurePng(page, png)
  expect(whole.width).toBe(1920)
  expect(whole.colours).toBeGreaterThan(50)
  expect(whole.differingShare).toBeGreaterThan(0.05)
  const mapPng = await page.locator('[data-testid="wall-map"]').screenshot({ path: artifactPath('wall-map.png') })
  const map = await measurePng(page, mapPng)
  writeFileSync(artifactPath('wall-measures.json'), JSON.stringify({ whole, map }, null, 2))
  expect(map.colours).toBeGreaterThan(5) // region fills and outlines, not one flat colour
  expect(map.differingShare).toBeGreaterThan(0.2)
})

it('made no request outside our origin and logged no page error', () => {
  expect(foreign).toEqual([])
  expect(consoleErrors).toEqual([])
})
