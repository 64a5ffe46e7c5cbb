// The wall's map at 1920×1080 in real Chromium: the region polygons fill the map panel and no two
// visible region names overlap (boxes from the DOM), at the city and after drilling into a district.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import type { WallMapHooks } from '../../client/map/debug-hooks.ts'
import { artifactPath, launchChromium, signedInPage } from '../support/browser.ts'
import { caseReported } from '../support/events-factory.ts'
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

interface Rect { left: number; top: number; right: number; bottom: number; text: string }

/** Boxes of the region names a viewer can see: not hidden by the collision pass, on the map. */
const visibleLabels = (): Promise<Rect[]> => page.evaluate(() =>
  [...document.querySelectorAll<HTMLElement>('[data-testid="wall-map"] .wall-map-label')]
    .filter((el) => getComputedStyle(el).visibility !== 'hidden')
    .map((el) => { const r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, text: el.textContent ?? '' } }))

const overlapping = (labels: Rect[]): string[] => {
  const hits: string[] = []
  labels.forEach((a, i) => labels.slice(i + 1).forEach((b) => {
    if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) hits.push(`${a.text} × ${b.text}`)
  }))
  return hits
}

async function waitForLabels() {
  await page.locator('[data-testid="wall-map"][data-map-ready="true"]').waitFor({ timeout: 30_000 })
  await expect.poll(() => page.evaluate(() => (window as unknown as { __wallMap?: WallMapHooks }).__wallMap?.visibleLabels() ?? 0), { timeout: 15_000 }).toBeGreaterThan(3)
}

it('fills the map panel with the city and shows names that never overlap', async () => {
  await page.goto(`${server.url}/wall`)
  await waitForLabels()
  const labels = await visibleLabels()
  console.log(`city: ${labels.length} visible labels of ${await page.evaluate(() => (window as unknown as { __wallMap?: WallMapHooks }).__wallMap?.labels())}: ${labels.map((l) => l.text).join(' ')}`)
  expect(labels.map((l) => l.text)).toEqual(expect.arrayContaining(['高昌区', '鄯善县', '托克逊县']))
  expect(overlapping(labels)).toEqual([])

  const panel = await page.locator('[data-testid="wall-map"]').boundingBox()
  const extent = await page.evaluate(() => (window as unknown as { __wallMap?: WallMapHooks }).__wallMap?.regionExtent() ?? null)
  expect(panel && extent).toBeTruthy()
  const share = { width: (extent!.right - extent!.left) / panel!.width, height: (extent!.bottom - extent!.top) / panel!.height }
  console.log(`polygons cover ${(share.width * 100).toFixed(0)} % of the map panel's width and ${(share.height * 100).toFixed(0)} % of its height`)
  expect(Math.max(share.width, share.height)).toBeGreaterThanOrEqual(0.8)
  await page.screenshot({ path: artifactPath('map-labels-city-1920x1080.png') })
}, 90_000)

it('slides the alert banner in under the map panel title, not over it', async () => {
  expect((await post(server.url, { ...caseReported('LABELS-U1'), attrs: { source: 'grid', priority: 'urgent' } })).body.accepted).toBe(1)
  const banner = page.locator('[data-testid="alert-banner"][data-alert-type]')
  await banner.first().waitFor({ timeout: 30_000 })
  await page.waitForTimeout(600) // the slide-in transition (450 ms) ends
  const title = await page.locator('.wall-panel:has([data-testid="wall-map"]) .wall-panel__head h2').boundingBox()
  const box = await banner.first().boundingBox()
  expect(title && box).toBeTruthy()
  console.log(`map title bottom ${title!.y + title!.height}, banner top ${box!.y}`)
  expect(box!.y).toBeGreaterThanOrEqual(title!.y + title!.height)
  await page.screenshot({ path: artifactPath('map-labels-banner-1920x1080.png') })
}, 60_000)

it('shows the names of the level below, still without overlaps, after drilling into a district', async () => {
  await page.goto(`${server.url}/wall?region=650402`)
  await waitForLabels()
  // the map flies there; names settle once it has
  await expect.poll(async () => overlapping(await visibleLabels()), { timeout: 10_000 }).toEqual([])
  const labels = await visibleLabels()
  console.log(`高昌区: ${labels.length} visible labels: ${labels.map((l) => l.text).join(' ')}`)
  expect(labels.some((l) => l.text.endsWith('街道') || l.text.endsWith('镇') || l.text.endsWith('乡'))).toBe(true)
  await page.screenshot({ path: artifactPath('map-labels-district-1920x1080.png') })
  expect(foreign).toEqual([])
  expect(consoleErrors).toEqual([])
}, 90_000)
