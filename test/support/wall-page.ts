// /wall in a real Chromium page, and what the wall's e2e tests and benchmarks
// read from it through the hooks the wall provides: data-testid, data-state,
// data-*-ready, window.__wallStats().
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { signIn, watchForeignRequests } from './browser.ts'

export interface WallStats { events: number; points: number; workers: number; alerts: number; charts: number }

export interface WallPage {
  page: Page
  context: BrowserContext
  /** Uncaught page errors and console errors, in order. */
  errors: string[]
  /** Requests that left the page's origin. */
  foreign: string[]
  close(): Promise<void>
}

export const PANELS = [
  'panel-trend', 'panel-categories', 'panel-kinds', 'panel-ranking', 'panel-redblack', 'panel-overdue', 'panel-ticker', 'panel-service',
] as const
export const CHART_PANELS = ['panel-trend', 'panel-categories', 'panel-kinds'] as const
const CJK = /[\u3400-\u9fff]/
export const hasCjk = (text: string) => CJK.test(text)

export interface WallOptions {
  width: number
  height: number
  /** Session token to sign in with (tokenFor(server.url)), set as a cookie for `origin`; without one the wall sends the page to /login. */
  token?: string | undefined
  query?: string
}

/** A page of its own (own context, device scale 1) on `${origin}/wall${query}`, signed in when given a token. */
export async function openWall(browser: Browser, origin: string, o: WallOptions): Promise<WallPage> {
  const context = await browser.newContext({ viewport: { width: o.width, height: o.height }, deviceScaleFactor: 1 })
  if (o.token) await signIn(context, origin, o.token)
  const page = await context.newPage()
  const foreign = watchForeignRequests(page, new URL(origin).origin)
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
  await page.goto(`${origin}/wall${o.query ?? ''}`)
  return { page, context, errors, foreign, close: () => context.close() }
}

/** Live, map drawn, every chart panel on the page drawn. */
export async function waitForWall(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: timeoutMs })
  await page.locator('[data-testid="wall-map"][data-map-ready="true"]').waitFor({ timeout: timeoutMs })
  await page.waitForFunction((ids) => ids.every((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`)
    return !el || el.getAttribute('data-chart-ready') === 'true'
  }), [...CHART_PANELS], { timeout: timeoutMs })
}

export const kpiValue = (page: Page, key: string) =>
  page.locator(`[data-testid="kpi-${key}"] [data-testid="kpi-value"]`).innerText()

/** Every KPI tile on the page: key → the figure as shown. */
export function kpiValues(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-testid^="kpi-"]')]
    .filter((el) => el.querySelector('[data-testid="kpi-value"]'))
    .map((el) => [el.getAttribute('data-testid')!.slice(4), (el.querySelector('[data-testid="kpi-value"]') as HTMLElement).innerText.trim()])))
}

/** Stream ids in the ticker, top (newest) first. */
export function tickerSids(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid="ticker"] li[data-sid]')].map((li) => li.getAttribute('data-sid')!))
}

export function wallStats(page: Page): Promise<WallStats | null> {
  return page.evaluate(() => {
    const fn = (window as unknown as { __wallStats?: () => WallStats }).__wallStats
    return fn ? fn() : null
  })
}

/** data-testid of every panel the viewer can see: rendered, not hidden, at least partly inside the viewport. */
export function visiblePanels(page: Page): Promise<string[]> {
  return page.evaluate(() => [...document.querySelectorAll('[data-testid^="panel-"]')]
    .filter((el) => {
      const r = el.getBoundingClientRect()
      const style = getComputedStyle(el)
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && Number(style.opacity) > 0 &&
        r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight
    })
    .map((el) => el.getAttribute('data-testid')!))
}

/** Share of the viewport width covered by the wall's content (panels, map, KPI tiles): 1 means no letterbox. */
export function contentSpan(page: Page): Promise<{ left: number; right: number; share: number }> {
  return page.evaluate(() => {
    const rects = [...document.querySelectorAll('[data-testid^="panel-"], [data-testid="wall-map"], [data-testid^="kpi-"]')]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.height > 0)
    const left = Math.max(0, Math.min(...rects.map((r) => r.left)))
    const right = Math.min(innerWidth, Math.max(...rects.map((r) => r.right)))
    return { left, right, share: (right - left) / innerWidth }
  })
}

export interface TextMeasure {
  text: string
  /** Computed font-size in CSS px, and in device pixels (× devicePixelRatio). */
  fontPx: number
  devicePx: number
  /** Rendered box height in device pixels. */
  boxDevicePx: number
  /** Ancestors (and the element) that scale what they draw: transform, scale or zoom other than none/1. */
  scaledBy: string[]
}

/** How big `selector` is drawn, and whether anything on the way up scales it as a bitmap-like transform. */
export function measureText(page: Page, selector: string): Promise<TextMeasure> {
  return page.locator(selector).first().evaluate((el) => {
    const scaledBy: string[] = []
    for (let n: Element | null = el; n; n = n.parentElement) {
      const s = getComputedStyle(n)
      const name = `${n.tagName.toLowerCase()}${n.className && typeof n.className === 'string' ? `.${n.className.split(' ')[0]}` : ''}`
      if (s.transform !== 'none') scaledBy.push(`${name} transform: ${s.transform}`)
      if (s.scale && s.scale !== 'none') scaledBy.push(`${name} scale: ${s.scale}`)
      const zoom = (s as unknown as { zoom?: string }).zoom
      if (zoom && zoom !== '1' && zoom !== 'normal') scaledBy.push(`${name} zoom: ${zoom}`)
    }
    const fontPx = parseFloat(getComputedStyle(el).fontSize)
    return {
      text: (el as HTMLElement).innerText,
      fontPx,
      devicePx: fontPx * devicePixelRatio,
      boxDevicePx: el.getBoundingClientRect().height * devicePixelRatio,
      scaledBy,
    }
  })
}

/**
 * Record in the page, from now on, every state the connection badge shows and
 * whether the ticker ever holds one stream id twice; read it with readRecording.
 */
export async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const rec = { states: [] as { at: number; state: string; text: string }[], duplicates: [] as string[], shown: [] as string[] }
    ;(window as unknown as { __rec: typeof rec }).__rec = rec
    const seen = new Set<string>()
    const look = () => {
      const badge = document.querySelector('[data-testid="connection"]')
      const state = badge?.getAttribute('data-state') ?? 'missing'
      const last = rec.states[rec.states.length - 1]
      if (!last || last.state !== state) rec.states.push({ at: Date.now(), state, text: (badge as HTMLElement | null)?.innerText.trim() ?? '' })
      const sids = [...document.querySelectorAll('[data-testid="ticker"] li[data-sid]')].map((li) => li.getAttribute('data-sid')!)
      const here = new Set<string>()
      for (const sid of sids) {
        if (here.has(sid)) rec.duplicates.push(sid)
        here.add(sid)
        if (!seen.has(sid)) { seen.add(sid); rec.shown.push(sid) }
      }
    }
    look()
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-sid'] })
  })
}

export interface Recording { states: { at: number; state: string; text: string }[]; duplicates: string[]; shown: string[] }
export const readRecording = (page: Page) => page.evaluate(() => (window as unknown as { __rec: Recording }).__rec)

/** A plain text table, right-aligned, for numbers printed by long tests and benches. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))]
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  return cells.map((r) => r.map((c, i) => c.padStart(widths[i]!)).join('  ')).join('\n')
}

/** Nearest-rank percentile of an ascending array. */
export const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN
