// Real headless Chromium (Debian's /usr/bin/chromium) through playwright-core,
// with software WebGL for the map. Never downloads a browser.
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'

export const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts')

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
    ],
  })
}

/** Every request a page makes whose origin is not ours (data: and blob: stay on the machine). */
export function watchForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = []
  page.on('request', (req) => {
    const url = req.url()
    if (url.startsWith('data:') || url.startsWith('blob:')) return
    if (new URL(url).origin !== origin) foreign.push(url)
  })
  return foreign
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true })
  return join(ARTIFACTS, name)
}

/**
 * How much a PNG shows, measured in the page itself (no image library needed):
 * distinct colours on a coarse grid and the share of pixels unlike the corner.
 */
export async function measurePng(page: Page, png: Buffer) {
  return page.evaluate(async (b64) => {
    const img = new Image()
    img.src = `data:image/png;base64,${b64}`
    await img.decode()
    const c = document.createElement('canvas')
    c.width = img.width
    c.height = img.height
    const ctx = c.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const { data } = ctx.getImageData(0, 0, c.width, c.height)
    const colours = new Set<number>()
    let differing = 0
    let samples = 0
    const [r0, g0, b0] = [data[0]!, data[1]!, data[2]!]
    for (let y = 0; y < c.height; y += 4) {
      for (let x = 0; x < c.width; x += 4) {
        const i = (y * c.width + x) * 4
        const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!]
        colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3))
        if (Math.abs(r - r0) + Math.abs(g - g0) + Math.abs(b - b0) > 30) differing++
        samples++
      }
    }
    return { width: c.width, height: c.height, colours: colours.size, differingShare: differing / samples }
  }, png.toString('base64'))
}

/** Give a browser context the session cookie of a user on our server, as logging in would. */
export async function signIn(context: import('playwright-core').BrowserContext, serverUrl: string, token: string): Promise<void> {
  await context.addCookies([{ name: 'sr_session', value: token, url: serverUrl, httpOnly: true, sameSite: 'Strict' }])
}

export interface WatchedPage { page: Page; foreign: string[]; consoleErrors: string[] }

/** A signed-in page at `viewport` that records every console error, page error and request leaving our origin (none filtered). */
export async function signedInPage(browser: Browser, serverUrl: string, token: string, viewport: { width: number; height: number }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport })
  await signIn(context, serverUrl, token)
  const page = await context.newPage()
  const consoleErrors: string[] = []
  const foreign = watchForeignRequests(page, new URL(serverUrl).origin)
  page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))
  page.on('pageerror', (e) => consoleErrors.push(String(e)))
  return { page, foreign, consoleErrors }
}
