// Channel operations on a channel split into partitions (PARTITION_LEVEL=district,
// DESIGN §11): the demo city's districts 650402, 650421, 650422 each have their
// own keys, events placed at the city itself land in the root partition ''.
// check:consistency recounts partition by partition and names the one a
// corrupted counter is in; a drill created, fed, seeked and deleted leaves no
// key of any partition; the archive of a day holds every partition's events,
// merged by arrival, and each partition's log is trimmed after it.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { ChannelSummary } from '../../server/channels/drill-meta.ts'
import { archiveAndTrim, readArchive } from '../../server/channels/log-archive.ts'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import type { RawEntry } from '../../server/store/log-entry.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { scanKeys } from '../../server/store/scan-keys.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { caseReported, caseStep, hotlineReceived } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const ZONE = 'Asia/Shanghai'
const CITY = '650400'
const DISTRICTS = ['650402', '650421', '650422']
const regions = loadRegions(undefined, 'district')
const categories = loadCategories()
const archiveDir = mkdtempSync(join(tmpdir(), 'sr-partition-archive-'))
const options = { channel: 'live', zone: ZONE, regions, categories }

let server: Running
let store: Store
let redisUrl: string
let now: number

const logOf = (p: string) => keys('live', p).log
const field = (flat: string[], name: string) => flat[flat.indexOf(name) + 1]
const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/check-consistency.ts', '--redis', redisUrl, ...args], {
  encoding: 'utf8', env: { ...process.env, PARTITION_LEVEL: 'district' },
})

/** Every key whose name starts with `prefix` (every master of a Cluster). */
async function keysStartingWith(prefix: string): Promise<string[]> {
  const out: string[] = []
  for await (const page of scanKeys(store, `${prefix}*`)) out.push(...page.keys)
  return out.sort()
}

const GRID_650421 = regions.collection.features.find((f) => f.properties.level === 'grid' && regions.within(f.properties.code, '650421'))!.properties.code

/**
 * Events of the simulated city plus a few placed at the city itself (the root partition), and cases
 * of district 650421 whose next step names no place (it follows its case's partition).
 */
function cityEvents(seed: number, start: number, until: number, tag: string): EventEnvelope[] {
  const sim = createSimulation({ ...loadSimConfig(), seed, rate: 0.01, compress: 60, start })
  const out = sim.next(until)
  for (let i = 0; i < 3; i++) {
    const at = start + (i + 1) * HOUR
    out.push(caseReported(`${tag}-ROOT-${i}`, at, CITY) as EventEnvelope, hotlineReceived(`${tag}-ROOT-H${i}`, at + 60_000, CITY) as EventEnvelope)
    out.push(caseReported(`${tag}-D-${i}`, at, GRID_650421) as EventEnvelope, caseStep(`${tag}-D-${i}`, 'registered', at + 120_000) as EventEnvelope)
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}

beforeAll(async () => {
  expect([...regions.partitions].sort()).toEqual(['', ...DISTRICTS])
  redisUrl = await freshRedisUrl(inject('redisUrl'))
  // the server's own upkeep does not archive meanwhile: this test archives by hand
  server = await startTestServer(redisUrl, { PARTITION_LEVEL: 'district', ARCHIVE_DIR: archiveDir, PARK_SWEEP_SEC: '3600' })
  store = await connectStore(redisUrl)
  now = Date.now()
  const events = cityEvents(20_261_201, now - 30 * HOUR, now - 60_000, 'PCO')
  for (let i = 0; i < events.length; i += 250) {
    const res = await post(server.url, events.slice(i, i + 250))
    expect(res.body.rejected).toEqual([])
  }
}, 120_000)

afterAll(async () => {
  store?.disconnect()
  await server?.stop()
})

describe('check:consistency on partitions', () => {
  it('checks every partition on its own and finds no difference', async () => {
    const lengths = await Promise.all(regions.partitions.map(async (p) => Number(await store.xlen(logOf(p)))))
    for (const [i, n] of lengths.entries()) expect(n, `partition '${regions.partitions[i]}'`).toBeGreaterThan(5)
    // the placeless steps followed their cases into 650421 and were applied there
    const steps = ((await store.xrange(logOf('650421'), '-', '+')) as RawEntry[]).filter(([, f]) => /"id":"case-PCO-D-\d-registered"/.test(field(f, 'e')!))
    expect(steps.map(([, f]) => field(f, 'a'))).toEqual(['1', '1', '1'])
    const report = await checkConsistency(store, options)
    expect(report.partitions).toEqual(regions.partitions)
    expect(report.differences.slice(0, 5)).toEqual([])
    expect(report).toMatchObject({ trimmed: false, logGrew: false, entries: lengths.reduce((a, b) => a + b, 0) })
    const run = cli()
    expect(run.status, run.stdout + run.stderr).toBe(0)
    expect(run.stdout).toContain(`逐分区比对 4 个分区：${regions.partitions.map((p) => p || '根').join('、')}`)
  }, 60_000)

  it('finds exactly a counter corrupted in one partition, and names the partition', async () => {
    const [key] = await keysStartingWith(`${keys('live', '650421').prefix}m:650421:`)
    expect(key).toBeDefined()
    const h = await store.hgetall(key!)
    const [name, value] = Object.entries(h).find(([, v]) => /^\d+$/.test(v) && Number(v) > 0)!
    await store.hincrby(key!, name, 1)
    try {
      const report = await checkConsistency(store, options)
      expect(report.differences).toEqual([{ key, field: name, stored: String(Number(value) + 1), recount: value, partition: '650421' }])
      const run = cli()
      expect(run.status, run.stdout + run.stderr).toBe(1)
      expect(run.stdout).toContain(`[分区 650421]  ${key}  ${name}  存储=${Number(value) + 1}  重算=${value}`)
      expect(run.stdout).toContain('发现 1 处差异')
    } finally {
      await store.hincrby(key!, name, -1)
    }
    expect((await checkConsistency(store, options)).differences).toEqual([])
  }, 60_000)
})

describe('a drill on partitions', () => {
  it('is fed, seeked and deleted without leaving a key of any partition', async () => {
    const start = Date.parse('2026-10-20T08:00:00+08:00')
    const target = start + 3 * HOUR
    const events = cityEvents(61, start, start + 5 * HOUR, 'DRILL')
    const api = async <T = any>(method: string, path: string, body?: unknown) => {
      const res = await apiFetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
      return { status: res.status, body: (await res.json()) as T }
    }
    const created = await api<ChannelSummary>('POST', '/api/v1/channels', { recording: events.map((e) => JSON.stringify(e)).join('\n'), speed: 1000 })
    expect(created.status).toBe(201)
    const id = created.body.id
    // fed past the target in every partition, so the seek goes back in all of them
    const fedPast = async () => (await Promise.all(regions.partitions.map(async (p) => {
      const [last] = (await store.xrevrange(keys(id, p).log, '+', '-', 'COUNT', 1)) as RawEntry[]
      return last !== undefined && JSON.parse(field(last[1], 'e')!).at > target
    }))).every(Boolean)
    for (const until = Date.now() + 30_000; !(await fedPast());) {
      expect(Date.now()).toBeLessThan(until)
      await new Promise((r) => setTimeout(r, 100))
    }
    const seek = await api<ChannelSummary>('PATCH', `/api/v1/channels/${id}`, { seekTo: new Date(target).toISOString(), paused: true })
    expect(seek.status).toBe(200)
    // every partition was dropped and rebuilt up to the target: its log holds the events up to it, once each
    const due = events.filter((e) => Date.parse(e.at) <= target)
    const logged: string[] = []
    for (const p of regions.partitions) {
      const entries = (await store.xrange(keys(id, p).log, '-', '+')) as RawEntry[]
      expect(entries.length, `partition '${p}'`).toBeGreaterThan(0)
      for (const [, flat] of entries) {
        const e = JSON.parse(field(flat, 'e')!) as { id: string; at: number }
        expect(e.at).toBeLessThanOrEqual(target)
        if (field(flat, 'a') !== 'u') logged.push(e.id)
      }
    }
    expect(logged.sort()).toEqual(due.map((e) => e.id).sort())
    for (const p of DISTRICTS) expect((await keysStartingWith(keys(id, p).prefix)).length, p).toBeGreaterThan(10)

    expect((await api('DELETE', `/api/v1/channels/${id}`)).status).toBe(200)
    expect(await keysStartingWith(`sr:{${id}`)).toEqual([])
  }, 90_000)
})

describe('the log archive on partitions', () => {
  it('archives every partition into the one day file, merged by arrival, and trims each partition', async () => {
    // what each partition logged, in the order of arrival across partitions
    const arrivals: { ms: number; seq: number; p: number; id: string; region: string }[] = []
    for (const [i, p] of regions.partitions.entries()) {
      for (const [sid, flat] of (await store.xrange(logOf(p), '-', '+')) as RawEntry[]) {
        if (field(flat, 'a') === 'u' || field(flat, 'a') === '0') continue // not arrivals
        const [ms, seq] = sid.split('-').map(Number) as [number, number]
        arrivals.push({ ms, seq, p: i, id: (JSON.parse(field(flat, 'e')!) as { id: string }).id, region: field(flat, 'r') ?? '' })
      }
    }
    arrivals.sort((a, b) => a.ms - b.ms || a.seq - b.seq || a.p - b.p)
    const byPartition = new Set(arrivals.map((a) => regions.partitionOf(a.region || undefined)))
    expect([...byPartition].sort()).toEqual(['', ...DISTRICTS])

    // the channel clock two days on: every arrival is of a whole day in the past; keep one day of log
    const r = await archiveAndTrim(store, { channel: 'live', dir: archiveDir, zone: ZONE, now: now + 2 * DAY, retentionDays: 1, partitions: regions.partitions })
    expect(r.days.length).toBeGreaterThanOrEqual(1)
    const lines = readArchive(archiveDir, 'live')
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(arrivals.map((a) => a.id))
    for (const p of regions.partitions) expect(Number(await store.xlen(logOf(p))), `partition '${p}'`).toBe(0)
    expect(r.trimmed).toBeGreaterThanOrEqual(arrivals.length)
    const meta = await store.hgetall(keys('live').meta)
    for (const p of DISTRICTS) expect(meta[`archivedTo@${p}`]).toMatch(/^\d+-\d+$/)
    // nothing new: nothing archived twice
    expect(await archiveAndTrim(store, { channel: 'live', dir: archiveDir, zone: ZONE, now: now + 2 * DAY, retentionDays: 1, partitions: regions.partitions }))
      .toEqual({ days: [], trimmed: 0 })

    // the recount from the archive, partition by partition
    expect((await checkConsistency(store, options)).trimmed).toBe(true)
    const report = await checkConsistency(store, { ...options, archiveDir })
    expect(report.differences.slice(0, 5)).toEqual([])
    expect(report.archived).toBe(lines.length)
    const run = cli('--from-archive', '--archive-dir', archiveDir)
    expect(run.status, run.stdout + run.stderr).toBe(0)
  }, 60_000)
})
