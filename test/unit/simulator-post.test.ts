import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it, expect, beforeAll, afterEach } from 'vitest'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { runSimulator, type RunOptions } from '../../simulators/post-events.ts'
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'

// A stand-in ingest API: records every body and answers with `reply(n)` for the n-th request.
type Reply = (n: number, events: EventEnvelope[]) => { status: number; body: unknown }
const accept: Reply = (_n, events) => ({ status: 200, body: { accepted: events.length, duplicates: 0, rejected: [] } })

let config: SimConfig
const servers: { close(): void }[] = []

async function fakeIngest(reply: Reply) {
  const bodies: EventEnvelope[][] = []
  const auth: string[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = ''
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      const events = JSON.parse(raw) as EventEnvelope[]
      bodies.push(events)
      auth.push(req.headers.authorization ?? '')
      const r = reply(bodies.length, events)
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body))
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  servers.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, auth }
}

const base = (url: string, extra: Partial<RunOptions> = {}): RunOptions =>
  ({ url, key: 'k1', rate: 400, seed: 1, batchMs: 50, durationSec: 0.6, config, log: () => {}, ...extra })

beforeAll(() => {
  config = loadSimConfig()
})
afterEach(() => {
  for (const s of servers.splice(0)) s.close()
})

describe('runSimulator', () => {
  it('posts every generated event once, as JSON arrays with the bearer key', async () => {
    const api = await fakeIngest(accept)
    const lines: string[] = []
    const totals = await runSimulator(base(api.url, { log: (l) => lines.push(l) }))
    const ids = api.bodies.flat().map((e) => e.id)
    expect(totals.error).toBeUndefined()
    expect(totals.reason).toBe('duration')
    expect(totals.sent).toBeGreaterThan(0)
    expect(totals).toMatchObject({ sent: ids.length, accepted: ids.length, generated: ids.length, unsent: 0 })
    expect(new Set(ids).size).toBe(ids.length)
    expect(new Set(api.auth)).toEqual(new Set(['Bearer k1']))
    expect(lines.at(-1)).toMatch(/^结束（时长已到）：已发送 \d+ 条 · 接收 \d+ · 重复 0 · 拒绝 0 · [\d.]+ 条\/秒/)
  })

  it('retries the same batch after 503, holding later batches, losing nothing', async () => {
    const api = await fakeIngest((n, events) => (n <= 2 ? { status: 503, body: { error: { code: 'STORE_UNAVAILABLE', message: 'redis down' } } } : accept(n, events)))
    const lines: string[] = []
    const totals = await runSimulator(base(api.url, { durationSec: 0.3, log: (l) => lines.push(l) }))
    expect(api.bodies[1]).toEqual(api.bodies[0])
    expect(api.bodies[2]).toEqual(api.bodies[0])
    const delivered = api.bodies.slice(2).flat()
    expect(delivered.length).toBe(totals.generated)
    expect(totals).toMatchObject({ accepted: totals.generated, unsent: 0 })
    const times = delivered.map((e) => Date.parse(e.at))
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true)
    expect(lines.some((l) => l.includes('503') && l.includes('重试'))).toBe(true)
    // what piled up during the outage went out in one full batch, not tick by tick
    expect(api.bodies.length).toBeLessThanOrEqual(4)
  })

  it('stops with the server error on 401 and reports rejections', async () => {
    const api = await fakeIngest(() => ({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'unknown ingest key' } } }))
    const totals = await runSimulator(base(api.url))
    expect(totals.reason).toBe('fatal')
    expect(totals.error).toContain('unknown ingest key')
    expect(api.bodies.length).toBe(1)

    const lines: string[] = []
    const bad = await fakeIngest((_n, events) => ({ status: 200, body: { accepted: events.length - 1, duplicates: 0, rejected: [{ index: 0, id: events[0]!.id, error: 'region: unknown' }] } }))
    const t2 = await runSimulator(base(bad.url, { log: (l) => lines.push(l) }))
    expect(t2.rejected).toBe(bad.bodies.length)
    expect(lines.filter((l) => l.startsWith('拒绝 ')).length).toBe(Math.min(5, bad.bodies.length))
  })

  it('keeps retrying an unreachable server until aborted, and says what was not sent', async () => {
    const api = await fakeIngest(accept)
    const url = api.url
    for (const s of servers.splice(0)) s.close()
    const lines: string[] = []
    const totals = await runSimulator(base(url, { durationSec: undefined, signal: AbortSignal.timeout(900), log: (l) => lines.push(l) }))
    expect(totals.reason).toBe('aborted')
    expect(totals.sent).toBe(0)
    expect(totals.unsent).toBe(totals.generated)
    expect(lines.some((l) => l.startsWith('发送失败（网络错误'))).toBe(true)
  })

  it('stops generating when the backlog exceeds its bound', async () => {
    const lines: string[] = []
    const totals = await runSimulator(base('http://127.0.0.1:9', { durationSec: undefined, rate: 2000, maxBacklog: 200, signal: AbortSignal.timeout(1500), log: (l) => lines.push(l) }))
    const stop = lines.find((l) => l.includes('停止生成'))
    expect(stop).toBeDefined()
    // nothing was generated after the stop: the backlog named in the message is everything
    expect(totals.generated).toBe(Number(/积压 (\d+) 条/.exec(stop!)![1]))
    expect(totals.generated).toBeGreaterThan(200)
    expect(totals.unsent).toBe(totals.generated)
  })
})
