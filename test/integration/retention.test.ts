// Retention (DESIGN §8) against a real server and redis-server: a day and a
// half of simulated city, then the channel upkeep run with the channel clock
// moved ahead (the same functions the server's sweeper runs on its timer):
// ended subjects, their event lists and seen-ids expire after the closed TTL
// while open ones stay and no KPI moves; the log is archived day by day in
// the recording format and trimmed; check:consistency --from-archive recounts
// from archive + log; the archived day replayed as a drill gives the same KPIs
// (a parked event applied later is archived once, so the drill sends it once).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { archiveAndTrim, readArchive } from '../../server/channels/log-archive.ts'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories } from '../../server/config.ts'
import { testRegions } from '../support/test-partitions.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { KpiSet } from '../../server/domain/kpis.ts'
import type { Running } from '../../server/main.ts'
import { expireClosed } from '../../server/store/closed-expiry.ts'
import { keys } from '../../server/store/keys.ts'
import { readKpis } from '../../server/store/read-kpis.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { caseReported, caseStep, GRID } from '../support/events-factory.ts'
import { apiFetch, eventually, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ZONE = 'Asia/Shanghai'
const regions = testRegions() // as the server splits it (PARTITION_LEVEL): ended subjects are kept per partition
const categories = loadCategories()
const codes = regions.collection.features.map((f) => f.properties.code)
const archiveDir = mkdtempSync(join(tmpdir(), 'sr-archive-'))

let server: Running
let store: Store
let redisUrl: string
let events: EventEnvelope[]
let now: number

const kpis = (channel: string): Promise<Map<string, KpiSet>> =>
  readKpis(store, codes, { channel, now, zone: ZONE, basicWeight: 0.9, gridCount: (c) => regions.gridCount(c), regions })
const subjectKeys = async (pattern: string) =>
  (await Promise.all(regions.partitions.map(async (p) => (await store.keys(`${keys('live', p).prefix}${pattern}`)).length))).reduce((a, b) => a + b, 0)

beforeAll(async () => {
  redisUrl = await freshRedisUrl(inject('redisUrl'), 11)
  server = await startTestServer(redisUrl, { ARCHIVE_DIR: archiveDir })
  store = await connectStore(redisUrl)
  now = Date.now()
  const sim = createSimulation({ ...loadSimConfig(), seed: 20_261_130, rate: 0.01, compress: 60, start: now - 30 * HOUR })
  events = sim.next(now - 60_000)
  for (let i = 0; i < events.length; i += 250) {
    const res = await post(server.url, events.slice(i, i + 250))
    expect(res.body.rejected).toEqual([])
  }
  // a case whose registration arrives before its report: parked (a=p), then applied and logged again (a=u)
  // (the step names the case's place, as feeds do: with PARTITION_LEVEL it lands in the case's partition)
  const late = [{ ...caseStep('RET-LATE', 'registered', now - 2 * HOUR + 60_000), region: GRID }, caseReported('RET-LATE', now - 2 * HOUR)] as EventEnvelope[]
  for (const e of late) expect((await post(server.url, [e])).body.accepted).toBe(1)
  events.push(...late)
}, 120_000)

afterAll(async () => {
  store?.disconnect()
  await server?.stop()
})

describe('retention', () => {
  it('expires ended subjects with their event lists and seen-ids after the closed TTL; open ones and every KPI stay', async () => {
    const before = await kpis('live')
    // each partition's ended subjects, with the keys of the partition holding them
    const endedIn = await Promise.all(regions.partitions.map(async (p) => ({ k: keys('live', p), ended: await store.zrange(keys('live', p).ended, 0, -1) })))
    const ended = endedIn.flatMap((x) => x.ended)
    const endedCount = ended.length
    expect(endedCount).toBeGreaterThan(20)
    expect(ended.some((m) => m.startsWith('service:'))).toBe(true) // completed, delivered or withdrawn 代办 errands end too
    const subjectsBefore = await subjectKeys('s:case:*') + await subjectKeys('s:hotline:*') + await subjectKeys('s:service:*')
    // an open subject of each feed that has one (the simulated day may leave no case open)
    const open = (await Promise.all(regions.partitions.flatMap((p) => (['case', 'hotline', 'service'] as const).map(async (feed) =>
      (await store.zrange(keys('live', p).open(feed, regions.root.code), 0, 0)).map((subject) => [feed, subject, keys('live', p)] as const))))).flat()
    expect(open.length).toBeGreaterThan(0)
    const ttlMs = 0.5 * DAY
    // sentinel: before the TTL has passed nothing goes
    const expire = async (at: number) =>
      (await Promise.all(regions.partitions.map((partition) => expireClosed(store, { channel: 'live', partition, now: at, ttlMs, limit: 100_000 })))).reduce((a, b) => a + b, 0)
    expect(await expire(now)).toBe(0)
    const expired = await expire(now + ttlMs + HOUR)
    expect(expired).toBe(endedCount)
    expect(await subjectKeys('s:case:*') + await subjectKeys('s:hotline:*') + await subjectKeys('s:service:*')).toBe(subjectsBefore - endedCount)
    for (const { k, ended: [feedSubject] } of endedIn.filter((x) => x.ended.length > 0)) {
      expect(await store.exists(`${k.prefix}s:${feedSubject}`, `${k.prefix}ev:${feedSubject}`)).toBe(0)
      const gone = events.find((e) => `${e.feed}:${e.subject}` === feedSubject)!
      expect(await store.exists(k.seen(gone.id))).toBe(0)
    }
    for (const [feed, subject, k] of open) {
      expect(await store.hget(k.subject(feed, subject), 'state'), `${feed}:${subject}`).not.toBeNull()
      expect(await store.exists(k.events(feed, subject))).toBe(1)
    }
    expect(await kpis('live')).toEqual(before)
  })

  it('archives the log by day in the recording format, trims it, and check:consistency --from-archive recounts', async () => {
    const before = await kpis('live')
    const logs = regions.partitions.map((p) => keys('live', p).log) // every partition's log (one unless PARTITION_LEVEL)
    const logged = (await Promise.all(logs.map((l) => store.xlen(l)))).reduce((a, b) => a + Number(b), 0)
    const unparked = (await Promise.all(logs.map((l) => store.xrange(l, '-', '+')))).flat().filter(([, f]) => f[f.indexOf('a') + 1] === 'u').length
    // the channel clock two days on: today's arrivals are a whole day in the past; keep one day of log
    const archive = { channel: 'live', dir: archiveDir, zone: ZONE, now: now + 2 * DAY, retentionDays: 1, partitions: regions.partitions }
    const r = await archiveAndTrim(store, archive)
    expect(r.days.length).toBeGreaterThanOrEqual(1)
    expect(readdirSync(join(archiveDir, 'live')).sort()).toEqual(r.days.map((d) => `${d}.ndjson.gz`))
    const lines = readArchive(archiveDir, 'live')
    expect(unparked).toBe(1)
    expect(lines).toHaveLength(logged - unparked) // arrivals only: the a=u entry is the second entry of an event archived once
    expect(lines.filter((l) => l.includes('"case-RET-LATE-registered"'))).toHaveLength(1)
    expect(JSON.parse(lines[0]!).at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$/)
    expect(r.trimmed).toBe(logged)
    for (const l of logs) expect(await store.xlen(l)).toBe(0)
    // again: nothing new to archive, nothing written twice
    expect(await archiveAndTrim(store, archive)).toEqual({ days: [], trimmed: 0 })
    expect(readArchive(archiveDir, 'live')).toHaveLength(lines.length)
    expect(await kpis('live')).toEqual(before)

    const redis = new Redis(redisUrl)
    try {
      const options = { channel: 'live', zone: ZONE, regions, categories }
      expect((await checkConsistency(redis, options)).trimmed).toBe(true)
      const report = await checkConsistency(redis, { ...options, archiveDir })
      expect(report.differences.slice(0, 10)).toEqual([])
      expect(report.archived).toBe(lines.length)
    } finally {
      redis.disconnect()
    }
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/check-consistency.ts', '--redis', redisUrl, '--from-archive', '--archive-dir', archiveDir], { encoding: 'utf8' })
    expect(cli.status, cli.stdout + cli.stderr).toBe(0)
    expect(cli.stdout).toContain(`另先重放归档事件 ${lines.length} 条`)
  }, 60_000)

  it('replays the archived day as a drill with the same KPIs', async () => {
    const recording = readArchive(archiveDir, 'live').join('\n')
    const last = Math.max(...events.map((e) => Date.parse(e.at)))
    const res = await apiFetch(`${server.url}/api/v1/channels`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recording, speed: 1, start: last }),
    })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    const drillLogged = async () => (await Promise.all(regions.partitions.map((p) => store.xlen(keys(id, p).log)))).reduce((a, b) => a + Number(b), 0)
    await eventually(async () => expect(await drillLogged()).toBe(events.length), 60_000)
    const [live, drill] = await Promise.all([kpis('live'), kpis(id)])
    const differ = codes.filter((c) => JSON.stringify(live.get(c)) !== JSON.stringify(drill.get(c)))
    expect(differ.slice(0, 5)).toEqual([])
    expect(drill.get(regions.root.code)!.year.caseReported).toBeGreaterThan(0)
  }, 90_000)
})
