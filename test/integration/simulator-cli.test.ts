import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Redis } from 'ioredis'
import { describe, it, expect, beforeAll, afterAll, inject } from 'vitest'
import { validateEvent, type EventEnvelope, type ValidEvent } from '../../server/domain/events.ts'
import { keys } from '../../server/store/keys.ts'
import { readChannelLog, type RecordStats } from '../../server/store/read-channel-log.ts'
import type { Running } from '../../server/main.ts'
import { freshRedisUrl, INGEST_KEY, startTestServer } from '../support/test-server.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const START = '2026-11-20T00:00:00+08:00'

interface Run { code: number | null; stdout: string; stderr: string }

function cli(script: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, failed) => {
    const child = spawn(TSX, [join(ROOT, 'simulators/cli', script), ...args], { cwd: ROOT, env: { ...process.env, INGEST_KEY: '', ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', failed)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

const lines = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as EventEnvelope)
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sim-cli-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('generate', () => {
  it('writes a scenario to an NDJSON file, the same bytes for the same seed, other bytes for another', async () => {
    const out = (name: string) => join(dir, name)
    const args = (seed: number, file: string) => ['--scenario', 'mass-complaint', '--seed', String(seed), '--start', START, '--out', out(file)]
    const [a, b, c] = await Promise.all([cli('generate.ts', args(1, 'a.ndjson')), cli('generate.ts', args(1, 'b.ndjson')), cli('generate.ts', args(2, 'c.ndjson'))])
    for (const r of [a, b, c]) expect(r.code, r.stderr).toBe(0)
    expect(a.stdout).toBe('')
    expect(a.stderr).toMatch(/生成场景「集中投诉」（mass-complaint）：11-20 00:00 起 24 小时 · 种子 1/)
    expect(a.stderr).toMatch(/完成：[\d,]+ 条（热线 [\d,]+ · 案件 [\d,]+ · 网格 [\d,]+ · 代办 [\d,]+）/)
    expect(sha(out('b.ndjson'))).toBe(sha(out('a.ndjson')))
    expect(sha(out('c.ndjson'))).not.toBe(sha(out('a.ndjson')))
    const events = lines(readFileSync(out('a.ndjson'), 'utf8'))
    expect(events.length).toBeGreaterThan(10_000)
    expect(events.filter((e) => !validateEvent(e).ok)).toEqual([])
  })

  it('answers --help, and refuses bad flags (2) and unknown scenarios (1) with clear messages', async () => {
    const [help, flag, time, missing] = await Promise.all([
      cli('generate.ts', ['--help']), cli('generate.ts', ['--scenario', 'normal-weekday', '--sed', '1']),
      cli('generate.ts', ['--scenario', 'normal-weekday', '--start', '2026-11-20']), cli('generate.ts', ['--scenario', 'no-such-day']),
    ])
    expect(help).toMatchObject({ code: 0 })
    expect(help.stdout).toContain('--scenario <名称|路径>')
    for (const script of ['post-file.ts', 'record.ts', 'check-realism.ts', 'simulate.ts']) {
      const r = await cli(script, ['-h'])
      expect(r.code, script).toBe(0)
      expect(r.stdout, script).toMatch(/^用法 usage: npm run /)
    }
    expect(flag.code).toBe(2)
    expect(flag.stderr).toMatch(/参数有误：.*--sed/)
    expect(time.code).toBe(2)
    expect(time.stderr).toContain('--start "2026-11-20" 不是带时区的 ISO 8601 时间')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toMatch(/no-such-day\.json: \(file\): cannot read: ENOENT; known scenarios: .*normal-weekday/)
  })
})

describe('record', () => {
  const url = () => `${inject('redisUrl')}/13`
  const channel = 'replay-cli-record'
  const T = Date.parse('2026-11-21T09:00:00+08:00')
  const event = (n: number, extra: Partial<ValidEvent> = {}): ValidEvent => ({
    id: `hl-HL${n}-received`, feed: 'hotline', type: 'received', subject: `HL${n}`, at: T - 60_000 + n * 1000 + (n === 2 ? 250 : 0),
    attrs: { kind: 'complaint', channel: '电话' }, category: 'hl.urban.env', ...extra,
  })
  let redis: Redis

  beforeAll(async () => {
    redis = new Redis(url())
    await redis.flushdb()
    const log = keys(channel).log
    await redis.xadd(log, `${T - 1}-0`, 'e', JSON.stringify(event(0, { region: '650402103001001' })), 'r', '650402103001001', 'a', '1', 'c', '')
    await redis.xadd(log, `${T}-0`, 'e', JSON.stringify(event(1, { region: '650402103001001' })), 'r', '650402103001001', 'a', '1', 'c', '')
    // came with a point only: the region it counted in is recorded
    await redis.xadd(log, `${T}-1`, 'e', JSON.stringify(event(2, { location: [89.18, 42.94] })), 'r', '650402001001003', 'a', '1', 'c', '')
    // refused (out of order): kept, a recording is what arrived
    await redis.xadd(log, `${T + 1000}-0`, 'e', JSON.stringify({ ...event(1), id: 'hl-HL1-closed', type: 'closed', category: undefined, attrs: {} }), 'r', '650402103001001', 'a', '0', 'c', 'hl.urban.env')
    await redis.xadd(log, `${T + 1500}-0`, 'k', 'not-an-event')
    await redis.xadd(log, `${T + 2001}-0`, 'e', JSON.stringify(event(3, { region: '650402103001001' })), 'r', '650402103001001', 'a', '1', 'c', '')
  })
  afterAll(() => redis.disconnect())

  it('writes the entries between two times as envelopes with ISO +08:00 times', async () => {
    const out = join(dir, 'rec.ndjson')
    const r = await cli('record.ts', ['--redis', url(), '--channel', channel, '--from', '2026-11-21T09:00:00+08:00', '--to', '2026-11-21T09:00:02+08:00', '--out', out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/完成：3 条事件（其中未生效 1） · 跳过非事件记录 1/)
    const got = lines(readFileSync(out, 'utf8'))
    expect(got.map((e) => e.id)).toEqual(['hl-HL1-received', 'hl-HL2-received', 'hl-HL1-closed'])
    expect(got[0]).toEqual({
      id: 'hl-HL1-received', feed: 'hotline', type: 'received', subject: 'HL1', at: '2026-11-21T08:59:01+08:00',
      region: '650402103001001', category: 'hl.urban.env', attrs: { kind: 'complaint', channel: '电话' },
    })
    expect(got[1]).toMatchObject({ at: '2026-11-21T08:59:02.250+08:00', region: '650402001001003', location: [89.18, 42.94] })
    expect(got.every((e) => validateEvent(e).ok)).toBe(true)
  })

  it('reads page by page without losing or repeating an entry', async () => {
    const stats: RecordStats = { entries: 0, events: 0, skipped: 0, refused: 0 }
    const got: string[] = []
    for await (const e of readChannelLog(redis, channel, 0, T + 10_000, stats, 2)) got.push(e.id)
    expect(got).toEqual(['hl-HL0-received', 'hl-HL1-received', 'hl-HL2-received', 'hl-HL1-closed', 'hl-HL3-received'])
    expect(stats).toEqual({ entries: 6, events: 5, skipped: 1, refused: 1 })
  })

  it('refuses bad flags, and says when Redis cannot be reached', async () => {
    const [noFrom, bad, down] = await Promise.all([
      cli('record.ts', ['--to', START]),
      cli('record.ts', ['--from', START, '--to', START, '--channel', 'a b']),
      cli('record.ts', ['--redis', 'redis://127.0.0.1:9', '--from', START, '--to', START]),
    ])
    expect(noFrom.code).toBe(2)
    expect(noFrom.stderr).toContain('缺少 --from')
    expect(bad.code).toBe(2)
    expect(down.code).toBe(1)
    expect(down.stderr).toContain('无法连接 Redis redis://127.0.0.1:9')
  })
})

describe('post-file', () => {
  let server: Server
  let api = ''
  const received: EventEnvelope[][] = []

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = ''
      req.on('data', (c) => (raw += c))
      req.on('end', () => {
        const events = JSON.parse(raw) as EventEnvelope[]
        received.push(events)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: events.length, duplicates: 0, rejected: [] }))
      })
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => server.close())

  it('sends a file on a clock at the given speed, rewriting times onto now', async () => {
    received.length = 0
    const at = (min: number) => new Date(Date.parse(START) + min * 60_000 + 8 * 3_600_000).toISOString().slice(0, 19) + '+08:00'
    const file = join(dir, 'three.ndjson')
    const base = { feed: 'hotline', subject: 'HL1', region: '650402103001001' }
    writeFileSync(file, [
      { ...base, id: 'a', type: 'received', at: at(0), category: 'hl.urban.env', attrs: { kind: 'help' } },
      { ...base, id: 'b', type: 'extended', at: at(30), attrs: { deadline: at(120) } },
      { ...base, id: 'c', type: 'dispatched', at: at(60), attrs: {} },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n')
    const began = Date.now()
    const r = await cli('post-file.ts', ['--file', file, '--url', api, '--key', 'k', '--speed', '3600', '--rewrite-time'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ sent: 3, accepted: 3, reason: 'done' })
    const sent = received.flat()
    expect(sent.map((e) => e.id)).toEqual(['a', 'b', 'c'])
    const t = sent.map((e) => Date.parse(e.at))
    // an hour of events in a second of wall time, starting now
    expect(Math.abs(t[0]! - began)).toBeLessThan(10_000)
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(400)
    expect(t[1]! - t[0]!).toBeLessThanOrEqual(600)
    expect(t[2]! - t[0]!).toBeGreaterThanOrEqual(900)
    expect(Date.parse(sent[1]!.attrs!.deadline as string) - t[0]!).toBe(2000)
    expect(sent[0]!.at).toMatch(/\+08:00$/)
  })

  it('sends a scenario as fast as the server takes it with --speed max', async () => {
    received.length = 0
    const short = join(dir, 'short.json')
    writeFileSync(short, JSON.stringify({ title: '短场景', description: '一小时', durationHours: 1, base: { dayType: 'weekday' }, incidents: [] }))
    const gen = await cli('generate.ts', ['--scenario', short, '--start', '2026-11-20T09:00:00+08:00'])
    const r = await cli('post-file.ts', ['--scenario', short, '--start', '2026-11-20T09:00:00+08:00', '--speed', 'max', '--url', api], { INGEST_KEY: 'k' })
    expect(r.code, r.stderr).toBe(0)
    expect(received.flat().map((e) => JSON.stringify(e)).join('\n') + '\n').toBe(gen.stdout)
    expect(r.stderr).toMatch(/结束（全部发送）：已发送 [\d]+ 条/)
  })

  it('refuses bad flags (2) and names the line of a broken file (1)', async () => {
    const broken = join(dir, 'broken.ndjson')
    writeFileSync(broken, `${JSON.stringify({ id: 'x', feed: 'grid', type: 'alert', subject: 'S', at: START, attrs: { severity: 'info' } })}\n{oops\n`)
    const [speed, both, key, rewrite, file] = await Promise.all([
      cli('post-file.ts', ['--file', broken, '--key', 'k', '--speed', '0']),
      cli('post-file.ts', ['--file', broken, '--scenario', 'normal-weekday', '--key', 'k']),
      cli('post-file.ts', ['--file', broken]),
      cli('post-file.ts', ['--file', broken, '--key', 'k', '--speed', 'max', '--rewrite-time']),
      cli('post-file.ts', ['--file', broken, '--key', 'k', '--speed', 'max', '--url', api]),
    ])
    expect([speed.code, both.code, key.code, rewrite.code]).toEqual([2, 2, 2, 2])
    expect(speed.stderr).toContain('--speed "0" 无效')
    expect(key.stderr).toContain('缺少接入密钥')
    expect(file.code).toBe(1)
    expect(file.stderr).toContain(`${broken}:2: not JSON`)
  })
})

describe('post-file to a real server', () => {
  let server: Running
  beforeAll(async () => {
    // the scenario day lies in the past (START); this server takes it as live news, so its hotspot is raised
    const alerts = JSON.parse(readFileSync(join(ROOT, 'config/alerts.json'), 'utf8')) as Record<string, unknown>
    const alertsFile = join(mkdtempSync(join(tmpdir(), 'sr-alerts-')), 'alerts.json')
    writeFileSync(alertsFile, JSON.stringify({ ...alerts, intake: { maxAgeHours: 400 * 24 } }))
    server = await startTestServer(await freshRedisUrl(inject('redisUrl'), 12), { ALERTS_FILE: alertsFile })
  })
  afterAll(async () => {
    await server?.stop()
  })

  it('delivers a whole scenario day with nothing rejected, and the mass complaint raises a repeat-hotspot alert', async () => {
    const r = await cli('post-file.ts', ['--scenario', 'mass-complaint', '--start', START, '--speed', 'max', '--url', server.url, '--key', INGEST_KEY])
    expect(r.code, r.stderr).toBe(0)
    const totals = JSON.parse(r.stdout) as { sent: number; accepted: number; duplicates: number; rejected: number }
    expect(totals.sent).toBeGreaterThan(10_000)
    expect(totals).toMatchObject({ accepted: totals.sent, duplicates: 0, rejected: 0 })
    // raised (the alert stream holds it); its 24-h window lies days before the live clock, so it may already have ended by itself
    const stream = (await server.store.xrange(keys('live').alertLog, '-', '+')) as [string, string[]][]
    const raised = stream.map(([, f]) => ({ state: f[1], alert: JSON.parse(f[3]!) as { type: string; region: string; text: string } }))
    const hot = raised.find((x) => x.state === 'active' && x.alert.type === 'hotspot')?.alert
    expect(hot, JSON.stringify(raised)).toMatchObject({ region: '650402001001003' })
    expect(hot!.text).toContain('环境保护')
  }, 90_000)
})

describe('check-realism', () => {
  it('prints every check with its bounds and exits 0 for a week, 1 when a check fails', async () => {
    const [week, twoDays] = await Promise.all([cli('check-realism.ts', []), cli('check-realism.ts', ['--days', '2'])])
    expect(week.code, week.stdout).toBe(0)
    expect(week.stdout).toMatch(/10时 █+ +\d+\.\d%/)
    expect(week.stdout).toMatch(/OK {3}每万人日均工单（乡镇最小–最大）：[\d.]+ – [\d.]+　范围 1 – 30/)
    expect(week.stdout).toContain('全部 12 项通过')
    expect(twoDays.code).toBe(1)
    expect(twoDays.stdout).toMatch(/FAIL 工作日\/周末受理量之比：无完整的工作日和周末/)
  })
})
