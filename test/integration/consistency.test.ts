// The consistency check against a real redis-server: a simulated stream (with
// duplicates, shuffled within small windows, plus hand-made edge cases) goes
// through prepare + apply.lua; the pure apply model must agree event by event,
// KPI by KPI, and the recount from the log must find no difference until one
// counter is corrupted.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { applyModelEntry, createModelState, kpisFromModel, type ModelState } from '../../server/consistency/apply-model.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { prepare } from '../../server/ingest/ingest.ts'
import { applyEvent, type ApplyOptions, type ApplyStatus } from '../../server/store/apply-event.ts'
import { keys } from '../../server/store/keys.ts'
import { readKpis } from '../../server/store/read-kpis.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { iso } from '../support/events-factory.ts'
import { freshRedisUrl } from '../support/test-server.ts'

const ZONE = 'Asia/Shanghai'
const CHANNEL = 'live'
const START = Date.parse('2026-11-20T23:50:00+08:00') // the run crosses midnight
const MINUTES = 12
const GRID_A = '650402001001001'
const GRID_B = '650402001001002'
const VILLAGE = '650402001001'
const regions = loadRegions()
const categories = loadCategories()
const options: ApplyOptions = { channel: CHANNEL, zone: ZONE, logMaxLen: 1_000_000, seenTtlSec: 86_400 }

let url: string
let store: Store
const model: ModelState = createModelState()
const lua: ApplyStatus[] = []
const mirrored: string[] = []
let sent = 0

/** Deterministic shuffle inside windows of `size`; about one window in three sends an event of the previous one again. */
function disorder(events: EventEnvelope[], size = 5): EventEnvelope[] {
  let seed = 42
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31)
  const out: EventEnvelope[] = []
  for (let i = 0; i < events.length; i += size) {
    const w = events.slice(i, i + size)
    for (let j = w.length - 1; j > 0; j--) {
      const k = Math.floor(rand() * (j + 1))
      ;[w[j], w[k]] = [w[k]!, w[j]!]
    }
    out.push(...w)
    if (i >= size && rand() < 0.35) out.push(events[i - size + Math.floor(rand() * size)]!)
  }
  return out
}

const at = (min: number) => iso(START + min * 60_000)
const ev = (feed: string, type: string, subject: string, min: number, extra: Partial<EventEnvelope> = {}): EventEnvelope =>
  ({ id: `edge-${feed}-${subject}-${type}-${min}`, feed, type, subject, at: at(min), attrs: {}, ...extra }) as EventEnvelope

/** Every branch the simulator rarely takes, refused ones included. */
function edgeCases(): EventEnvelope[] {
  const c = (type: string, subject: string, min: number, extra: Partial<EventEnvelope> = {}) => ev('case', type, subject, min, extra)
  const h = (type: string, subject: string, min: number, extra: Partial<EventEnvelope> = {}) => ev('hotline', type, subject, min, extra)
  const g = (type: string, min: number, extra: Partial<EventEnvelope> = {}) => ev('grid', type, 'EDGE-W1', min, extra)
  return [
    c('reported', 'EDGE-D1', 1, { region: GRID_A, category: 'dispute.neighbor' }),
    c('closed', 'EDGE-D1', 2, { attrs: { outcome: 'success' } }), // 自行处置 of a dispute
    c('reported', 'EDGE-D2', 1, { region: GRID_B, category: 'dispute.land', attrs: { priority: 'urgent' } }),
    c('registered', 'EDGE-D2', 2), c('dispatched', 'EDGE-D2', 3), c('disposed', 'EDGE-D2', 4),
    c('closed', 'EDGE-D2', 5, { attrs: { outcome: 'fail' } }),
    c('registered', 'EDGE-X1', 1, { region: GRID_A }), // before its report: refused
    c('reported', 'EDGE-X1', 2, { region: GRID_A, category: 'city.vendors' }),
    c('registered', 'EDGE-X1', 3, { attrs: { deadline: at(4) } }),
    c('dispatched', 'EDGE-X1', 4), c('extended', 'EDGE-X1', 5, { attrs: { deadline: at(60) } }),
    c('disposed', 'EDGE-X1', 6), c('rework', 'EDGE-X1', 7), c('disposed', 'EDGE-X1', 8),
    c('rework', 'EDGE-X1', 9), c('disposed', 'EDGE-X1', 10), c('closed', 'EDGE-X1', 11),
    c('closed', 'EDGE-X1', 12), c('urged', 'EDGE-X1', 13), // terminal: refused
    c('reported', 'EDGE-X2', 3, { region: VILLAGE, category: 'city.sanitation' }), c('urged', 'EDGE-X2', 4),
    c('cancelled', 'EDGE-X2', 5), c('registered', 'EDGE-X2', 6),
    h('received', 'EDGE-H1', 1, { region: GRID_A, category: 'hl.utilities.water', attrs: { kind: 'complaint', urgency: 'urgent' } }),
    h('dispatched', 'EDGE-H1', 2), h('urged', 'EDGE-H1', 3), h('returned', 'EDGE-H1', 3.5), h('dispatched', 'EDGE-H1', 4),
    h('replied', 'EDGE-H1', 5), h('closed', 'EDGE-H1', 6),
    h('rated', 'EDGE-H1', 7, { attrs: { satisfaction: 'basic', solved: true, contacted: true } }),
    h('rated', 'EDGE-H1', 8, { attrs: { satisfaction: 'satisfied', contacted: true } }), // replaces the first
    h('reopened', 'EDGE-H1', 9), h('replied', 'EDGE-H1', 10), h('closed', 'EDGE-H1', 11),
    h('rated', 'EDGE-H1', 12, { attrs: { satisfaction: 'unsatisfied' } }),
    h('received', 'EDGE-H2', 2, { region: GRID_B, category: 'hl.people.social', attrs: { kind: 'consult', deadline: at(30) } }),
    h('voided', 'EDGE-H2', 3), h('rated', 'EDGE-H2', 4, { attrs: { satisfaction: 'satisfied' } }),
    h('call', 'EDGE-C1', 1, { attrs: { answered: false } }), // placeless: counts at the root
    h('call', 'EDGE-C2', 1, { region: VILLAGE, attrs: { answered: true } }),
    g('offDuty', 1), g('position', 1, { region: GRID_A, location: [89.19, 42.95] }), // not on duty: refused
    g('onDuty', 2, { region: GRID_A }), g('onDuty', 3, { region: GRID_B }), // moves
    g('patrol', 4, { region: VILLAGE }), g('patrol', 5, { region: GRID_B }),
    g('visit', 6, { region: GRID_B }), g('visit', 6.5, { region: GRID_B, attrs: { households: 3 } }),
    g('alert', 7, { region: GRID_A, attrs: { severity: 'critical' } }), g('offDuty', 8),
  ]
}

beforeAll(async () => {
  url = await freshRedisUrl(inject('redisUrl'), 14)
  store = await connectStore(url)
  const sim = createSimulation({ ...loadSimConfig(), seed: 7, rate: 2, start: START })
  const generated: EventEnvelope[] = []
  for (let t = START; t <= START + MINUTES * 60_000; t += 60_000) generated.push(...sim.next(t))
  const stream = [...disorder(generated), ...edgeCases()]
  for (const envelope of stream) {
    const input = prepare(envelope, { regions, categories })
    if (typeof input === 'string') throw new Error(`${envelope.id}: ${input}`)
    const [status] = await applyEvent(store, input, options)
    lua.push(status as ApplyStatus)
    const out = applyModelEntry(model, input, ZONE)
    mirrored.push(out.status)
    sent++
  }
})
afterAll(() => store?.disconnect())

describe('apply model against apply.lua', () => {
  it('decides every event like apply.lua: applied, out of order or duplicate', () => {
    expect(sent).toBeGreaterThan(500)
    expect(mirrored).toEqual(lua)
    expect(lua.filter((s) => s === 'duplicate').length).toBeGreaterThan(20)
    expect(lua.filter((s) => s === 'outOfOrder').length).toBeGreaterThan(5)
  })

  it('gives the KPIs the server reads, for regions at every level', async () => {
    const now = START + (MINUTES + 1) * 60_000
    const codes = ['650400', '650402', '650402001', VILLAGE, GRID_A, GRID_B]
    const served = await readKpis(store, codes, {
      channel: CHANNEL, now, zone: ZONE, basicWeight: 0.9, gridCount: (c) => regions.gridCount(c),
      agentPlan: { villages: (c) => regions.villageCount(c), perVillagePerWeek: 2 },
    })
    for (const code of codes) {
      const plan = { villages: regions.villageCount(code), perVillagePerWeek: 2 }
      expect(kpisFromModel(model, code, now, ZONE, regions.gridCount(code), 0.9, plan), code).toEqual(served.get(code))
    }
    expect(served.get('650400')!.today.caseReported).toBeGreaterThan(0)
  })
})

describe('check-consistency', () => {
  it('finds no difference between the log recount and Redis', async () => {
    const report = await checkConsistency(store, { channel: CHANNEL, zone: ZONE, regions, categories, pageSize: 100 })
    expect(report.differences.slice(0, 5)).toEqual([])
    // every event applied or parked on arrival, and each parked one applied later once more (a=u)
    const log = (await store.xrange(keys(CHANNEL).log, '-', '+')).map(([, f]) => ({ a: f[f.indexOf('a') + 1]!, e: JSON.parse(f[f.indexOf('e') + 1]!) as { id: string; subject: string } }))
    const unparked = log.filter((x) => x.a === 'u')
    expect(unparked.length).toBeGreaterThan(5)
    expect(report.entries).toBe(lua.filter((s) => s !== 'duplicate').length + unparked.length)
    expect(new Set(unparked.map((x) => x.e.id)).size).toBe(unparked.length) // none twice
    log.forEach((x, i) => {
      if (x.a !== 'u') return
      const parked = log.findIndex((y) => y.a === 'p' && y.e.id === x.e.id)
      expect(parked, x.e.id).toBeGreaterThanOrEqual(0)
      expect(parked, x.e.id).toBeLessThan(i)
      let j = i - 1
      while (log[j]!.a === 'u') j--
      expect(log[j]!.e.subject, x.e.id).toBe(x.e.subject) // right after the event of its subject that let it fit
    })
    expect(report).toMatchObject({ trimmed: false, logGrew: false, ignored: [] })
  })

  it('reports exactly a corrupted counter, and the CLI exits 1', async () => {
    const key = keys(CHANNEL).month('650400', '202611')
    const before = Number(await store.hget(key, 'c.reported'))
    expect(before).toBeGreaterThan(0)
    await store.hincrby(key, 'c.reported', 1)
    try {
      const report = await checkConsistency(store, { channel: CHANNEL, zone: ZONE, regions, categories })
      expect(report.differences).toEqual([{ key, field: 'c.reported', stored: String(before + 1), recount: String(before) }])
      const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/check-consistency.ts', '--redis', url], { encoding: 'utf8' })
      expect(cli.status, cli.stderr).toBe(1)
      expect(cli.stdout).toContain(`${key}  c.reported  存储=${before + 1}  重算=${before}`)
      expect(cli.stdout).toContain('发现 1 处差异')
      expect(cli.stderr).toContain('条日志…')
    } finally {
      await store.hincrby(key, 'c.reported', -1)
    }
  })

  it('exits 0 when identical, and 2 when the log was trimmed or Redis is unreachable', async () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/check-consistency.ts', ...args], { encoding: 'utf8' })
    expect(run('--redis', url).status).toBe(0)
    const trimmed = keys('trimmed-test').log
    await store.xadd(trimmed, '*', 'e', '{}', 'r', '', 'a', '1', 'c', '')
    await store.xadd(trimmed, '*', 'e', '{}', 'r', '', 'a', '1', 'c', '')
    await store.xtrim(trimmed, 'MAXLEN', 1)
    const report = await checkConsistency(store, { channel: 'trimmed-test', zone: ZONE, regions, categories })
    expect(report.trimmed).toBe(true)
    const cli = run('--redis', url, '--channel', 'trimmed-test')
    expect(cli.status).toBe(2)
    expect(cli.stdout).toContain('裁剪')
    expect(run('--redis', 'redis://127.0.0.1:1').status).toBe(2) // nothing listens on port 1
  })

  // last: it leaves a stray entry in the log
  it('reports an a=u entry of an event that was not parked, and recounts it nowhere', async () => {
    const [last] = (await store.xrevrange(keys(CHANNEL).log, '+', '-', 'COUNT', 1)) as [string, string[]][]
    const stray = [...last![1]]
    stray[stray.indexOf('a') + 1] = 'u'
    const id = (JSON.parse(stray[stray.indexOf('e') + 1]!) as { id: string }).id
    const sid = await store.xadd(keys(CHANNEL).log, '*', ...stray)
    const report = await checkConsistency(store, { channel: CHANNEL, zone: ZONE, regions, categories })
    expect(report.differences).toEqual([{ key: keys(CHANNEL).log, field: `${sid} ${id} u`, stored: expect.stringContaining(id), recount: 'not unparked here' }])
  })
})
