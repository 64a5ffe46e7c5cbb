// The wall in English (?lang=en) at 1920×1080 and 3840×1080: category names
// and alert texts are English, and no English text is cut inside a word — no
// element holding Latin text is narrower than what it holds (clipped or
// ellipsised), nor shorter (a clamped last line). Screenshots go to
// test-artifacts/wall-en-*.png.
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { artifactPath, launchChromium } from '../support/browser.ts'
import { caseReported, caseStep, GRID, iso, now } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'
import { waitForWall } from '../support/wall-page.ts'

const PAGE_MS = 90_000
type Tree = { code: string; en?: string; children: { code: string; en?: string }[] }[]
const config = JSON.parse(readFileSync(new URL('../../config/categories.json', import.meta.url), 'utf8')) as { case: Tree; hotline: Tree }
/** Every leaf of both trees: each gets an overdue item, so every English name is on the wall at once. */
const CASE_LEAVES = config.case.flatMap((g) => g.children)
const HOTLINE_LEAVES = config.hotline.flatMap((g) => g.children)

let server: Running
let browser: Browser
let token = ''

/** Every element whose own text has Latin words and does not fit its box: [testid or class, text, how]. */
function cutLatinText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim()
      if (!/[A-Za-z]{3,}/.test(own) || el.clientWidth === 0) continue
      const s = getComputedStyle(el)
      if (s.visibility === 'hidden' || s.display === 'none') continue
      const name = el.closest('[data-testid]')?.getAttribute('data-testid') ?? el.className
      if (el.scrollWidth > el.clientWidth + 1) found.push(`${name} <${el.tagName.toLowerCase()}.${el.className}>: "${own}" is ${el.scrollWidth}px in ${el.clientWidth}px`)
      else if (s.overflowY !== 'visible' && el.scrollHeight > el.clientHeight + 1) found.push(`${name} <${el.tagName.toLowerCase()}.${el.className}>: "${own}" clamped to ${el.clientHeight}px of ${el.scrollHeight}px`)
    }
    return found
  })
}

const TRAINER = { username: 'trainer1', password: 'drill-password-1' }

beforeAll(async () => {
  const usersFile = await writeUsersFile([{ username: TRAINER.username, name: '演练教员', role: 'trainer', password: TRAINER.password }])
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: usersFile })
  browser = await launchChromium()
  const res = await apiFetch(`${server.url}/api/v1/auth/display-tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'English wall' }),
  })
  token = ((await res.json()) as { token: string }).token
  const t = now()
  // all overdue at once: the overdue panel, the ticker and the alert log show every English name
  const events = [
    ...CASE_LEAVES.flatMap(({ code }, i) => [
      caseReported(`EN-${i}`, t - 90_000, GRID, code), caseStep(`EN-${i}`, 'registered', t - 80_000, { deadline: iso(t - 60_000) }),
    ]),
    ...HOTLINE_LEAVES.map(({ code }, i) => ({
      id: `hl-EN-H${i}-received`, feed: 'hotline', type: 'received', subject: `EN-H${i}`, at: iso(t - 30_000), region: GRID, category: code,
      attrs: { kind: 'complaint', deadline: iso(t - 20_000) },
    })),
    // an urgent case and a critical IoT alert: two alerts open when the wall loads
    { ...caseReported('EN-URGENT', t - 20_000), id: 'case-EN-URGENT-reported', attrs: { source: 'grid', priority: 'urgent' } },
    {
      id: 'grid-EN-IOT-alert', feed: 'grid', type: 'alert', subject: 'W-EN-1', at: iso(t - 5_000), region: GRID,
      attrs: { source: 'iot', severity: 'critical', title: 'Smoke detector in the basement of the community centre' },
    },
  ]
  const r = await post(server.url, events)
  expect(r.body.rejected).toEqual([])
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('the wall in English', () => {
  it('sends category names in English with the categories', async () => {
    const res = await fetch(`${server.url}/api/v1/categories`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { case: { code: string; en?: string; children: { code: string; en?: string }[] }[] }
    expect(body.case.find((g) => g.code === 'city')?.children.find((c) => c.code === 'city.sanitation')?.en).toBe('Sanitation')
  })

  for (const size of [{ width: 1920, height: 1080 }, { width: 3840, height: 1080 }]) {
    it(`shows English names and alert texts, no word cut, at ${size.width}×${size.height}`, async () => {
      const context = await browser.newContext({ viewport: size, deviceScaleFactor: 1 })
      const page = await context.newPage()
      const errors: string[] = []
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
      try {
        await page.goto(`${server.url}/wall?token=${token}&lang=en`)
        await waitForWall(page, PAGE_MS)
        const ticker = page.locator('[data-testid="ticker"]')
        await expect.poll(() => ticker.innerText(), { timeout: 20_000 }).toContain('Sanitation')
        const overdue = page.locator('[data-testid="panel-overdue"]')
        // the snapshot lists the top 20 overdue items
        await expect.poll(async () => Number(await overdue.getAttribute('data-total')), { timeout: 30_000 }).toBe(20)
        const names = await overdue.locator('.overdue__what').allTextContents()
        const english = new Set([...CASE_LEAVES, ...HOTLINE_LEAVES].map((c) => c.en))
        expect(names.filter((n) => !english.has(n))).toEqual([])
        if (size.width > 1920) {
          // the alert log holds the two alerts open at load, in English
          const log = page.locator('[data-testid="panel-alert-history"]')
          await expect.poll(() => log.innerText(), { timeout: 20_000 }).toContain('Urgent case EN-URGENT (Sanitation) reported')
          await expect(log.innerText()).resolves.toContain('IoT critical alert: Smoke detector')
        }
        await page.waitForTimeout(1_000) // charts finish their 600 ms update animation
        await page.screenshot({ path: artifactPath(`wall-en-${size.width}x${size.height}.png`) })
        expect(await cutLatinText(page)).toEqual([])
        expect(errors).toEqual([])
      } finally {
        await context.close()
      }
    }, PAGE_MS)
  }

  it('the trainer page in English, with a drill and its wall link, cuts no word either', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 1024 }, deviceScaleFactor: 1 })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
    try {
      expect((await context.request.post(`${server.url}/api/v1/auth/login`, { data: TRAINER })).status()).toBe(200)
      await page.goto(`${server.url}/trainer?lang=en`)
      await page.locator('[data-testid="source-scenario"]').click()
      await page.locator('[data-testid="scenario-normal-weekday"]').click()
      await page.locator('[data-testid="start-drill"]').click()
      await page.locator('[data-testid="session-card"] [data-testid="wall-link-text"][data-ready="true"]').waitFor({ timeout: 60_000 })
      await expect(page.locator('[data-testid="inject-category"]').innerText()).resolves.toContain('Sanitation')
      await page.screenshot({ path: artifactPath('trainer-en-1366x1024.png'), fullPage: true })
      expect(await cutLatinText(page)).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await context.close()
    }
  }, PAGE_MS)
})
