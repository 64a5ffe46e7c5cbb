// Channels are isolated: while a drill runs at 1000× on server A, live ingest
// goes on; A's live KPIs and every `sr:{live}:*` key (and `sr:{live:P}:*` of partitions) equal those of server B
// (its own database) fed the same live stream without a drill, and during a
// drill-only window no live key but the overdue scanner's watermark is touched.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { ChannelSummary } from '../../server/channels/drill-meta.ts'
import { channelKeys } from '../../server/channels/drop-keys.ts'
import type { Running } from '../../server/main.ts'
import { channelPattern } from '../../server/store/keys.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { eventually, freshRedisUrl, post, startTestServer, apiFetch } from '../support/test-server.ts'

const HOUR = 3_600_000
const CITY = '650400'
const LIVE_META = 'sr:{live}:meta' // the overdue scanner's wall-time watermark: written every second on both servers
// no surge alerts: they are checked on a wall-clock timer, so two servers could differ by when they looked
const alertsFile = join(mkdtempSync(join(tmpdir(), 'sr-isolation-')), 'alerts.json')
writeFileSync(alertsFile, JSON.stringify({
  surge: { factor: 3, minCount: 1_000_000, everySec: 1 },
  hotspot: { count: 3, windowHours: 24, kinds: ['complaint'] },
}))

let a: Running
let b: Running
let redisA: Redis
let redisB: Redis
let dbA: number

const simulate = (seed: number, start: number, until: number, compress: number, rate: number): EventEnvelope[] =>
  createSimulation({ ...loadSimConfig(), seed, rate, compress, start }).next(until)

/** Every key of a channel with its content; stream entries without their ids (wall-clock times). */
async function dump(redis: Redis, channel: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const key of (await channelKeys(redis, channel)).sort()) {
    const type = await redis.type(key)
    if (key === LIVE_META) out[key] = type
    else if (key.endsWith(':rl:from')) out[key] = 'a stream id' // where the recent-event lists begin: each Redis numbers its own log
    else if (key.endsWith(':cx')) out[key] = (await redis.zrange(key, 0, -1)).sort() // ended subjects, scored by the instant each instance applied the end
    else if (type === 'hash') out[key] = await redis.hgetall(key)
    else if (type === 'set') out[key] = (await redis.smembers(key)).sort()
    else if (type === 'zset') out[key] = await redis.zrange(key, 0, -1, 'WITHSCORES')
    else if (type === 'string') out[key] = await redis.get(key)
    else if (type === 'stream') out[key] = ((await redis.xrange(key, '-', '+')) as [string, string[]][]).map(([, fields]) => fields)
    else out[key] = type
  }
  return out
}

async function api<T = any>(srv: Running, method: string, path: string, body?: unknown) {
  const res = await apiFetch(`${srv.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  return { status: res.status, body: (await res.json()) as T }
}

beforeAll(async () => {
  dbA = 1 + Math.floor(Math.random() * 15)
  const dbB = (dbA % 15) + 1
  const [urlA, urlB] = [await freshRedisUrl(inject('redisUrl'), dbA), await freshRedisUrl(inject('redisUrl'), dbB)]
  ;[a, b] = await Promise.all([startTestServer(urlA, { ALERTS_FILE: alertsFile }), startTestServer(urlB, { ALERTS_FILE: alertsFile })])
  redisA = new Redis(urlA)
  redisB = new Redis(urlB)
})
afterAll(async () => {
  await redisA?.config('SET', 'notify-keyspace-events', '')
  redisA?.disconnect()
  redisB?.disconnect()
  await Promise.all([a?.stop(), b?.stop()])
})

it('runs a 1000× drill beside live ingest without touching a live key', async () => {
  // the drill: two simulated hours of last month, at 1000× (7 s)
  const drillStart = Date.parse('2026-10-20T08:00:00+08:00')
  const drillEvents = simulate(51, drillStart, drillStart + 2 * HOUR, 60, 2)
  const created = await api<ChannelSummary>(a, 'POST', '/api/v1/channels', { recording: drillEvents.map((e) => JSON.stringify(e)).join('\n'), speed: 1000 })
  expect(created.status).toBe(201)
  const drill = created.body.id

  // a drill-only window: which live keys change?
  await redisA.config('SET', 'notify-keyspace-events', 'KA')
  const watcher = redisA.duplicate()
  const touched = new Set<string>()
  watcher.on('pmessage', (_p: string, ch: string) => touched.add(ch.slice(ch.indexOf(':') + 1)))
  await watcher.psubscribe(`__keyspace@${dbA}__:${channelPattern('live')}`) // every partition's keys
  const fedBefore = (await api<{ channels: ChannelSummary[] }>(a, 'GET', '/api/v1/channels')).body.channels[0]!.events.fed
  await new Promise((r) => setTimeout(r, 1500))
  await watcher.punsubscribe()
  watcher.disconnect()
  await redisA.config('SET', 'notify-keyspace-events', '')
  const fedInWindow = (await api<{ channels: ChannelSummary[] }>(a, 'GET', '/api/v1/channels')).body.channels[0]!.events.fed
  expect(fedInWindow).toBeGreaterThan(fedBefore) // the drill was busy meanwhile
  expect([...touched].filter((k) => k !== LIVE_META)).toEqual([])

  // live ingest to both servers while the drill goes on
  const now = Date.now()
  const live = simulate(52, now - HOUR / 2, now, 1, 5) // real-time lifecycles: nothing falls overdue during the test
  expect(live.length).toBeGreaterThan(1000)
  for (let i = 0; i < live.length; i += 250) {
    const batch = live.slice(i, i + 250)
    const [ra, rb] = await Promise.all([post(a.url, batch), post(b.url, batch)])
    expect(ra.body).toEqual(rb.body)
    expect(ra.body.rejected).toEqual([])
  }
  const fedAfter = (await api<{ channels: ChannelSummary[] }>(a, 'GET', '/api/v1/channels')).body.channels[0]!.events.fed
  expect(fedAfter).toBeGreaterThan(fedInWindow)

  // live KPIs and panels are those of the same stream without a drill
  const townships = new Map<string, number>()
  for (const e of live) if (e.region && e.region.length >= 9) townships.set(e.region.slice(0, 9), (townships.get(e.region.slice(0, 9)) ?? 0) + 1)
  const township = [...townships].sort((x, y) => y[1] - x[1])[0]![0]
  for (const region of [CITY, township]) {
    const view = (s: Snapshot) => ({ kpis: s.kpis, trend: s.trend, categories: s.categories, ranking: s.ranking, events: s.events.map((e) => e.id) })
    await eventually(async () => {
      const [sa, sb] = await Promise.all([api<Snapshot>(a, 'GET', `/api/v1/snapshot?region=${region}`), api<Snapshot>(b, 'GET', `/api/v1/snapshot?region=${region}`)])
      expect(sa.body.kpis.today.caseReported).toBeGreaterThan(0)
      expect(view(sa.body)).toEqual(view(sb.body))
    })
  }
  // and every live key is the same, content and all
  const [liveA, liveB] = [await dump(redisA, 'live'), await dump(redisB, 'live')]
  expect(Object.keys(liveA).length).toBeGreaterThan(100)
  expect(liveA).toEqual(liveB)
  expect((await channelKeys(redisA, drill)).length).toBeGreaterThan(100)
  expect(await channelKeys(redisB, drill)).toEqual([])

  expect((await api(a, 'DELETE', `/api/v1/channels/${drill}`)).status).toBe(200)
  expect(await channelKeys(redisA, drill)).toEqual([])
  expect(await dump(redisA, 'live')).toEqual(liveA)
}, 90_000)
