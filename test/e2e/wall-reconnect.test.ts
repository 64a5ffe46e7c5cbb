// A wall that loses its connection mid-stream catches up without a duplicate
// or a hole: it ends showing exactly what a wall that never dropped shows.
//
// How the drop is made: the dropping page reaches the server through a
// loopback TCP proxy that the test cuts (every open connection destroyed,
// new ones refused for CUT_MS), so the server sees its socket close as on a
// real network failure and the browser's socket.io client goes through its
// own reconnect. DevTools' offline emulation (Network.emulateNetworkConditions)
// is not used: in Chromium 156 it leaves an open WebSocket alone (measured:
// the wall stayed "live" for 20 s offline), so it would test nothing.
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { launchChromium } from '../support/browser.ts'
import { startEventPump } from '../support/event-pump.ts'
import { freshRedisUrl, startTestServer, tokenFor } from '../support/test-server.ts'
import {
  kpiValues, openWall, readRecording, startRecording, tickerSids, waitForWall, type WallPage,
} from '../support/wall-page.ts'

// At 3 events/s (about 4 in flow) the ticker's 50 rows hold the last ~12 s: the stream stops 1 s
// after the wall is back, so the rows compared at the end reach back over the whole drop.
const RATE = 3
const CUT_AT_MS = 8_000
const CUT_MS = 3_000
const STOP_AFTER_LIVE_MS = 1_000
const STREAM_BOUND_SEC = 60

interface CutProxy { url: string; cut(ms: number): Promise<void>; close(): Promise<void> }

/** A loopback TCP proxy to `port` whose connections can be cut for a while. */
function cutProxy(port: number): Promise<CutProxy> {
  const open = new Set<Socket>()
  let refusing = false
  const srv: Server = createServer((client) => {
    if (refusing) return void client.destroy()
    const upstream = tcpConnect(port, '127.0.0.1')
    const end = () => {
      client.destroy()
      upstream.destroy()
      open.delete(client)
      open.delete(upstream)
    }
    for (const s of [client, upstream]) {
      open.add(s)
      s.on('error', end)
      s.on('close', end)
    }
    client.pipe(upstream).pipe(client)
  })
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
    async cut(ms) {
      refusing = true
      for (const s of open) s.destroy()
      await new Promise((r) => setTimeout(r, ms))
      refusing = false
    },
    close: () => new Promise<void>((done) => {
      for (const s of open) s.destroy()
      srv.close(() => done())
    }),
  })))
}

let server: Running
let proxy: CutProxy
let browser: Browser
let dropping: WallPage
let steady: WallPage

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
  proxy = await cutProxy(server.port)
  browser = await launchChromium()
  const token = tokenFor(server.url)
  dropping = await openWall(browser, proxy.url, { width: 1920, height: 1080, token })
  steady = await openWall(browser, server.url, { width: 1920, height: 1080, token })
  await Promise.all([waitForWall(dropping.page), waitForWall(steady.page)])
  await Promise.all([startRecording(dropping.page), startRecording(steady.page)])
}, 90_000)
afterAll(async () => {
  await browser?.close()
  await proxy?.close()
  await server?.stop()
})

it('shows 连接中断 during a drop, then the same ticker and KPIs as a wall that never dropped', async () => {
  // Two simulated minutes first, so lifecycles are in flow and the KPIs move.
  // (seed 4 logs a dozen events during the cut; seed 1 happens to be quiet just then)
  const pump = startEventPump({ url: server.url, rate: RATE, seed: 4, seconds: STREAM_BOUND_SEC, backfillSec: 120, tickMs: 200 })
  await new Promise((r) => setTimeout(r, CUT_AT_MS))
  const cutFrom = Date.now()
  await proxy.cut(CUT_MS)
  const cutTo = Date.now()
  await dropping.page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 20_000 })
  const backAt = Date.now()
  await new Promise((r) => setTimeout(r, STOP_AFTER_LIVE_MS))
  const totals = await pump.stop()
  expect(totals.error, pump.log.join('\n')).toBeUndefined()
  const streamEnd = Date.now()

  const seen = await readRecording(dropping.page)
  const states = seen.states.map((s) => `${s.state}(${s.text})@${s.at - cutFrom}ms`)
  console.log(`cut ${cutTo - cutFrom} ms, live again ${backAt - cutFrom} ms after the cut; ${totals.sent} events posted; badge: ${states.join(' → ')}`)
  const down = seen.states.find((s) => s.state === 'down' && s.at >= cutFrom)
  expect(down, `badge states ${states.join(' → ')}`).toBeDefined()
  expect(down!.text).toContain('连接中断')

  // Once both have everything: the same ticker rows (newest first, same cap) and the same figures.
  const settled = async () => {
    const [a, b] = [await tickerSids(dropping.page), await tickerSids(steady.page)]
    const n = Math.min(a.length, b.length)
    return { dropped: a.slice(0, n), steady: b.slice(0, n) }
  }
  await expect.poll(async () => { const s = await settled(); return s.dropped.join() === s.steady.join() && s.dropped.length > 0 }, { timeout: 15_000 }).toBe(true)
  const kpiDifferences = async () => {
    const [a, b] = [await kpiValues(dropping.page), await kpiValues(steady.page)]
    const differ = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => a[k] !== b[k]).map((k) => `${k}: ${a[k]} ≠ ${b[k]}`)
    return Object.keys(b).length === 0 ? ['no KPI tiles'] : differ
  }
  await expect.poll(kpiDifferences, { timeout: 20_000 }).toEqual([])

  const { dropped, steady: reference } = await settled()
  const ms = (sid: string) => Number(sid.split('-')[0])
  const inCut = dropped.filter((sid) => ms(sid) >= cutFrom && ms(sid) <= backAt)
  console.log(`ticker rows compared: ${dropped.length} (${ms(dropped[dropped.length - 1]!) - cutFrom} ms … ${ms(dropped[0]!) - cutFrom} ms around the cut), ` +
    `${inCut.length} logged while the wall was away; stream ended ${streamEnd - cutFrom} ms after the cut`)
  expect(dropped).toEqual(reference)
  expect(new Set(dropped).size).toBe(dropped.length)
  expect(ms(dropped[dropped.length - 1]!), 'the compared rows reach back to the cut').toBeLessThanOrEqual(cutFrom + 1_000)
  expect(inCut.length).toBeGreaterThan(0)
  expect(seen.duplicates, 'a stream id shown twice at once').toEqual([])
  expect((await readRecording(steady.page)).duplicates).toEqual([])

  // Every event the steady wall ever showed after the cut began, the dropped one showed too (or still holds).
  const steadySeen = (await readRecording(steady.page)).shown.filter((sid) => ms(sid) >= cutFrom)
  const droppedSeen = new Set((await readRecording(dropping.page)).shown)
  const missing = steadySeen.filter((sid) => !droppedSeen.has(sid))
  expect(missing, 'events the dropped wall never showed').toEqual([])
  expect([...dropping.errors, ...steady.errors].filter((e) => !/ERR_CONNECTION|WebSocket|socket\.io|Failed to load resource/.test(e))).toEqual([])
  expect([...dropping.foreign, ...steady.foreign]).toEqual([])
}, 90_000)
