// Issue 10, the ingest path: one test per reproduced attack (items 2, 3, 4, 5,
// 9, 11, 14), each against a real server and a real redis-server. A bad item
// is refused with a reason before anything is written; the good item next to
// it lands; counters stay equal to a recount of the log.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Snapshot } from '../../server/domain/protocol.ts'
import { loadRegions } from '../../server/config.ts'
import type { Running } from '../../server/main.ts'
import { applyEvent, type ApplyInput } from '../../server/store/apply-event.ts'
import { keys } from '../../server/store/keys.ts'
import { GRID, iso } from '../support/events-factory.ts'
import { freePort } from '../../server/store/redis-process.ts'
import { apiFetch, eventually, freshRedisUrl, INGEST_KEY, post, startTestServer } from '../support/test-server.ts'

const CITY = '650400'
const CHAIN = loadRegions().chain(GRID)
const DAY = 86_400_000
let server: Running
let redisUrl: string

beforeAll(async () => {
  redisUrl = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(redisUrl)
})
afterAll(async () => {
  await server?.stop()
})

let seq = 0
const uid = (what: string) => `hx-${what}-${++seq}`
const visit = (households: unknown, id = uid('visit')) =>
  ({ id, feed: 'grid', type: 'visit', subject: 'W-HX', at: iso(Date.now()), region: GRID, attrs: { households } })
const alert = (title: string, id = uid('alert')) =>
  ({ id, feed: 'grid', type: 'alert', subject: 'W-HX', at: iso(Date.now()), region: GRID, attrs: { severity: 'critical', source: 'iot', title } })
const snapshot = async (region = CITY) => {
  const res = await apiFetch(`${server.url}/api/v1/snapshot?region=${region}`)
  const text = await res.text()
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) as Snapshot }
}
const logLength = () => server.store.xlen(keys('live').log)
const consistencyCli = () =>
  spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/check-consistency.ts', '--redis', redisUrl], { encoding: 'utf8' })
const LEAK = /\b[0-9a-f]{40}\b|user_script|ERR |cjson|@user/

describe('counters cannot overflow (item 2)', () => {
  it('refuses 1,025 visits of 2^53−1 households each before any write; the recount agrees and a normal visit still lands', async () => {
    const before = (await snapshot()).body.kpis.today.households
    const logBefore = await logLength()
    const bad = Array.from({ length: 1025 }, () => visit(9007199254740991))
    const res = await post(server.url, bad)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 0 })
    expect(res.body.rejected).toHaveLength(1025)
    expect(res.body.rejected[0].error).toContain('attrs.households')
    expect(await logLength()).toBe(logBefore)

    const cli = consistencyCli()
    expect(cli.status, cli.stdout + cli.stderr).toBe(0)

    const good = await post(server.url, [visit(4)])
    expect(good.body).toMatchObject({ accepted: 1, rejected: [] })
    expect((await snapshot()).body.kpis.today.households).toBe((before ?? 0) + 4)
    expect(consistencyCli().status).toBe(0)
  }, 60_000)

  it('apply.lua itself refuses an out-of-range count it is handed, writing nothing and leaving the id unseen', async () => {
    const id = uid('lua-overflow')
    const input: ApplyInput = {
      event: { id, feed: 'grid', type: 'visit', subject: 'W-HX', at: Date.now(), region: GRID, attrs: { households: 9007199254740991 } },
      chain: CHAIN, grid: GRID, intake: '',
    }
    const options = { channel: 'live', zone: 'Asia/Shanghai', logMaxLen: 1_000_000, seenTtlSec: 86_400 }
    const logBefore = await logLength()
    const [status, reason] = await applyEvent(server.store, input, options)
    expect(status).toBe('invalid')
    expect(reason).toContain('households')
    expect(await server.store.exists(keys('live').seen(id))).toBe(0)
    expect(await logLength()).toBe(logBefore)
    // the corrected event under the same id lands
    const [again] = await applyEvent(server.store, { ...input, event: { ...input.event, attrs: { households: 3 } } }, options)
    expect(again).toBe('applied')
    expect(consistencyCli().status).toBe(0)
  }, 30_000)
})

describe('huge texts (item 3)', () => {
  it('refuses 40 critical alerts with 4 MB titles; 40 with the longest allowed title keep the city snapshot small', async () => {
    const huge = 't'.repeat(4 * 1024 * 1024)
    for (let i = 0; i < 40; i++) {
      const res = await post(server.url, alert(huge))
      expect(res.status).toBe(200)
      expect(res.body.accepted).toBe(0)
      expect(res.body.rejected[0].error).toContain('attrs.title')
    }
    const longest = Array.from({ length: 40 }, (_, i) => alert(`${i}:`.padEnd(200, '警')))
    expect((await post(server.url, longest)).body).toMatchObject({ accepted: 40, rejected: [] })
    const snap = await snapshot()
    console.log(`hostile-ingest: city snapshot with 40 maximal critical alerts: ${snap.bytes} bytes`)
    expect(snap.body.alerts.length).toBeGreaterThanOrEqual(40)
    expect(snap.bytes).toBeLessThan(256 * 1024)
  }, 60_000)
})

describe('deep nesting (items 4 and 5)', () => {
  const deepAttrsBody = (valid: object, bad: object, depth: number) =>
    `[${JSON.stringify(valid)},${JSON.stringify({ ...bad, attrs: '@' }).replace('"@"', '{"x":' + '{"n":'.repeat(depth) + '1' + '}'.repeat(depth) + '}')}]`

  it('answers [valid, attrs nested 10,000 deep] with 200: the valid one lands, the deep one is listed with its reason', async () => {
    const good = visit(2)
    const res = await post(server.url, deepAttrsBody(good, visit(1), 10_000))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 1 })
    expect(res.body.rejected).toEqual([{ index: 1, id: expect.any(String), error: expect.stringContaining('deeper than 4 levels') }])
    expect((await post(server.url, [good])).body).toMatchObject({ duplicates: 1 })
  })

  it('does not burn the id of an item nested 1,000 deep: the corrected resend lands, and no answer names a script or Redis error', async () => {
    const bad = visit(1)
    const first = await post(server.url, deepAttrsBody(visit(1), bad, 1_000))
    expect(first.body.rejected[0]).toMatchObject({ index: 1, id: bad.id })
    expect(JSON.stringify(first.body)).not.toMatch(LEAK)
    const corrected = await post(server.url, [bad])
    expect(corrected.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
  })

  it('apply.lua leaves the id unseen when it cannot decode an event (a lone surrogate), and the script SHA never reaches the sender', async () => {
    const id = uid('lua-surrogate')
    const input: ApplyInput = {
      event: { id, feed: 'grid', type: 'alert', subject: 'W-HX', at: Date.now(), region: GRID, attrs: { severity: 'info', title: 'a\ud800b' } },
      chain: CHAIN, grid: GRID, intake: '',
    }
    const options = { channel: 'live', zone: 'Asia/Shanghai', logMaxLen: 1_000_000, seenTtlSec: 86_400 }
    const [status, reason] = await applyEvent(server.store, input, options)
    expect([status, reason]).toEqual(['invalid', 'event is not decodable JSON'])
    expect(await server.store.exists(keys('live').seen(id))).toBe(0)
    const sent = await post(server.url, [{ ...alert('a\ud800b', id), attrs: { severity: 'info', title: 'a\ud800b' } }])
    expect(sent.body.rejected[0].error).toContain('lone UTF-16 surrogate')
    expect((await post(server.url, [alert('fixed', id)])).body).toMatchObject({ accepted: 1 })
  })
})

describe('prototype keys and item limits', () => {
  it('refuses __proto__ at the top and inside attrs, and nothing is polluted', async () => {
    const top = JSON.stringify(visit(1)).replace('{', '{"__proto__":{"polluted":true},')
    const inner = JSON.stringify(visit(1)).replace('"attrs":{', '"attrs":{"__proto__":{"polluted":true},')
    const res = await post(server.url, `[${top},${inner},${JSON.stringify(visit(1))}]`)
    expect(res.body.accepted).toBe(1)
    expect(res.body.rejected.map((r: { error: string }) => r.error)).toEqual([
      expect.stringContaining('__proto__'), expect.stringContaining('"__proto__" is not allowed'),
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('answers 413 with a reason for an array over INGEST_MAX_ITEMS (default 10,000)', async () => {
    const res = await post(server.url, Array.from({ length: 10_001 }, () => ({})))
    expect(res.status).toBe(413)
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('10000') })
  })
})

describe('body encodings and charsets (item 9)', () => {
  const raw = (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) =>
    fetch(`${server.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${INGEST_KEY}`, ...headers }, body })

  it.each(['x-foo', 'compress', 'zstd', 'gzip, br'])('answers Content-Encoding %s with 415 and a reason', async (encoding) => {
    const res = await raw(JSON.stringify(visit(1)), { 'content-type': 'application/json', 'content-encoding': encoding })
    expect(res.status).toBe(415)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    expect(body.error.message).toMatch(/Content-Encoding .* not supported/)
  })

  it('answers an unknown charset with 415 and a reason', async () => {
    const res = await raw(JSON.stringify(visit(1)), { 'content-type': 'application/json; charset=x-klingon' })
    expect(res.status).toBe(415)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
  })

  it('takes gzip and br bodies, and answers a corrupt gzip body with 400 and a reason', async () => {
    const g = await raw(new Uint8Array(gzipSync(JSON.stringify([visit(1)]))), { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(await g.json()).toMatchObject({ accepted: 1 })
    const b = await raw(new Uint8Array(brotliCompressSync(JSON.stringify([visit(1)]))), { 'content-type': 'application/json', 'content-encoding': 'br' })
    expect(await b.json()).toMatchObject({ accepted: 1 })
    const bad = await raw(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5]), { 'content-type': 'application/json', 'content-encoding': 'gzip' })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('decoded') })
  })
})

describe('grid events are typed (item 11)', () => {
  it('refuses an unknown or markup category, misplaced kind/severity, and `at` far from the channel clock; the valid neighbour lands', async () => {
    const now = Date.now()
    const items = [
      { ...alert('ok'), category: '<img src=x onerror=alert(1)>' },
      { ...alert('ok'), category: 'no.such.category' },
      { ...alert('ok'), attrs: { severity: 'critical', kind: 'complaint' } },
      { ...visit(1), attrs: { households: 1, severity: 'critical' } },
      { ...visit(1), at: '0000-01-01T00:00:00Z' },
      { ...visit(1), at: '9999-12-31T23:59:59+08:00' },
      { ...visit(1), at: iso(now - 401 * DAY) },
      { ...visit(1), at: iso(now + 2 * DAY) },
      { ...alert('known category'), category: 'city.sanitation' },
    ]
    const res = await post(server.url, items)
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(1)
    const reasons = res.body.rejected.map((r: { index: number; error: string }) => `${r.index} ${r.error}`)
    expect(reasons).toEqual([
      expect.stringMatching(/^0 category: may hold/),
      expect.stringMatching(/^1 category: "no.such.category" is not a known category/),
      expect.stringMatching(/^2 attrs.kind: not an attr of grid alert/),
      expect.stringMatching(/^3 attrs.severity: not an attr of grid visit/),
      expect.stringMatching(/^4 at: must lie between 1970 and 2099/),
      expect.stringMatching(/^5 at: must lie between 1970 and 2099/),
      expect.stringMatching(/^6 at: more than 400 days before the channel clock/),
      expect.stringMatching(/^7 at: more than 1 day\(s\) after the channel clock/),
    ])
  })
})

describe('Redis killed mid-batch (item 14)', () => {
  // a redis-server of this test's own, fsyncing every write before it answers, so what was confirmed survives kill -9
  const dir = mkdtempSync(join(tmpdir(), 'sr-hx-aof-'))
  let port: number
  let pid: number | undefined
  let own: Running | undefined
  const startOwnRedis = async () => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir,
      '--appendonly', 'yes', '--appendfsync', 'always'], { stdio: 'ignore' })
    pid = child.pid
    await eventually(async () => {
      const r = new Redis({ port, lazyConnect: true, retryStrategy: () => null })
      r.on('error', () => {}) // refused until it is up: that is what we wait for
      try {
        await r.connect()
        expect(await r.ping()).toBe('PONG')
      } finally {
        r.disconnect()
      }
    }, 10_000)
  }
  const kill9 = () => {
    if (pid) process.kill(pid, 'SIGKILL')
    pid = undefined
  }
  afterAll(async () => {
    await own?.stop()
    kill9()
  })

  it('answers 503 with exactly what landed, says a resend is safe, and the resend completes the batch exactly once', async () => {
    port = await freePort()
    await startOwnRedis()
    own = await startTestServer(`redis://127.0.0.1:${port}`)
    const watcher = new Redis({ port, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    watcher.on('error', () => {})
    let partial: { batch: object[]; body: Record<string, any> } | undefined
    for (let attempt = 0; attempt < 5 && !partial; attempt++) {
      const batch = Array.from({ length: 4000 }, (_, i) => visit(1, `hx-kill-${attempt}-${i}`))
      const logBefore = await watcher.xlen(keys('live').log)
      const answer = post(own.url, batch)
      // kill -9 once the batch is being applied: some of it in the log, not all
      await eventually(async () => expect(await watcher.xlen(keys('live').log)).toBeGreaterThan(logBefore + 50), 10_000)
      kill9()
      const res = await answer
      if (res.status === 503 && res.body.accepted > 0 && res.body.unconfirmed?.length > 0) partial = { batch, body: res.body }
      else expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBeOneOf([200, 503])
      await startOwnRedis()
      await eventually(async () => expect((await fetch(`${own!.url}/healthz`)).status).toBe(200), 10_000)
      if (watcher.status !== 'ready') await watcher.connect().catch(() => {})
    }
    expect(partial, 'no attempt of 5 caught Redis mid-batch').toBeDefined()
    const { batch, body } = partial!
    expect(body.error.code).toBe('STORE_UNAVAILABLE')
    expect(body.error.message).not.toContain('nothing was applied')
    expect(body.error.message).toContain('resend the whole batch')
    expect(body.accepted + body.duplicates + body.rejected.length + body.unconfirmed.length).toBe(batch.length)
    console.log(`hostile-ingest: Redis killed mid-batch: 503 with ${body.accepted} accepted, ${body.unconfirmed.length} unconfirmed of ${batch.length}`)

    // what the answer confirmed is stored (fsync always); the resend lands the rest, and everything exactly once
    const idsInLog = async () => {
      const entries = (await watcher.xrange(keys('live').log, '-', '+')) as [string, string[]][]
      return entries.map(([, f]) => (JSON.parse(f[f.indexOf('e') + 1]!) as { id: string }).id).filter((id) => id.startsWith(body.unconfirmed[0].id.replace(/-\d+$/, '-')))
    }
    expect((await idsInLog()).length).toBeGreaterThanOrEqual(body.accepted)
    const resend = await post(own.url, batch)
    expect(resend.status).toBe(200)
    expect(resend.body.accepted + resend.body.duplicates).toBe(batch.length)
    expect(resend.body.duplicates).toBeGreaterThanOrEqual(body.accepted)
    const ids = await idsInLog()
    expect(ids.length).toBe(batch.length)
    expect(new Set(ids).size).toBe(batch.length)
    watcher.disconnect()
  }, 120_000)
})
