// Per-day counter retention (DAY_COUNTERS_DAYS, DESIGN §8) on a real
// redis-server: three weeks of a small simulated city in a paused drill
// channel, then the channel sweeper with a fractional window. Day hashes,
// trend, categories and patrolled grids of days before the window go; those
// of the days inside it, every month and year counter and every KPI of
// today / 7d / month / year stay exactly as they were; check:consistency
// still agrees with a recount from the log.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ChannelSweeper } from '../../server/channels/upkeep.ts'
import { Channels } from '../../server/channels/channels.ts'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRankingConfig, loadRegions } from '../../server/config.ts'
import { readReport, reportRequest } from '../../server/http/report-data.ts'
import { dayKey } from '../../server/domain/clock.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { DAY_COUNTERS_FROM } from '../../server/store/day-counter-expiry.ts'
import { keys } from '../../server/store/keys.ts'
import { readKpis } from '../../server/store/read-kpis.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { freshRedisUrl } from '../support/test-server.ts'

const DAY = 86_400_000
const ZONE = 'Asia/Shanghai'
const CHANNEL = 'sim-day-counters'
const KEEP_DAYS = 9.5
// fixed calendar days (not the wall clock): noon of the 21st simulated day
const START = Date.parse('2026-03-01T00:00:00+08:00')
const NOW = START + 20 * DAY + 12 * 3_600_000
const regions = loadRegions()
const categories = loadCategories()
const codes = regions.collection.features.map((f) => f.properties.code)

let store: Store
let channels: Channels
let sweeper: ChannelSweeper

/** Every key of the channel of one kind (d, t, k, pc, m, y) with its period: the test's own view, by SCAN. */
async function keysOf(kinds: string[]): Promise<Map<string, string>> {
  const prefix = keys(CHANNEL).prefix
  const out = new Map<string, string>()
  for await (const key of store.scanStream({ match: `${prefix}*`, count: 1000 })) {
    for (const k of key as string[]) {
      const [kind, , period] = k.slice(prefix.length).split(':')
      if (kinds.includes(kind!) && period) out.set(k, period)
    }
  }
  return out
}
const kpis = () => readKpis(store, codes, { channel: CHANNEL, now: NOW, zone: ZONE, basicWeight: 0.9, gridCount: (c) => regions.gridCount(c) })

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  store = await connectStore(url)
  channels = new Channels(ZONE)
  await channels.createReplay(CHANNEL, START, 1)
  channels.setReplayClock(CHANNEL, { now: START + DAY, speed: 1, paused: true })
  const sim = createSimulation({ ...loadSimConfig(), seed: 20_261_201, rate: 0.02, start: START })
  const events = sim.next(NOW - 60_000)
  for (let i = 0; i < events.length; i += 500) {
    const items = events.slice(i, i + 500).map((value) => ({ ok: true as const, value }))
    const r = await ingest(items, { store, regions, categories }, { channel: CHANNEL, zone: ZONE, logMaxLen: 1_000_000, seenTtlSec: 400 * 86_400, now: () => NOW })
    expect(r.rejected).toEqual([])
  }
  // timers never fire here: the test runs each sweep itself
  sweeper = new ChannelSweeper(store, channels, {
    windowMs: 1000 * DAY, everyMs: 1_000_000_000, logMaxLen: 1_000_000, closedTtlMs: 1000 * DAY,
    dayCounters: { keepDays: KEEP_DAYS, regions },
  })
}, 120_000)

afterAll(() => {
  sweeper?.stop()
  store?.disconnect()
})

describe('per-day counter retention', () => {
  it('deletes the day counters of days before the window, keeps the rest, and no KPI moves', async () => {
    const ch = channels.get(CHANNEL)
    const first = dayKey(START, ZONE)
    const before = await keysOf(['d', 't', 'k', 'pc'])
    const longer = await keysOf(['m', 'y'])
    const periodKeys = [...before].filter(([, p]) => p.length < 8) // patrolled grids of a month or year
    expect([...before.values()].filter((p) => p === first).length).toBeGreaterThan(10)
    // sentinel: on day two of the drill nothing is older than the window
    expect((await sweeper.sweep(ch)).counterDays).toBe(0)
    expect(await keysOf(['d', 't', 'k', 'pc'])).toEqual(before)

    const kpisBefore = await kpis()
    const rootMonth = await store.hgetall(keys(CHANNEL).month(regions.root.code, dayKey(NOW, ZONE).slice(0, 6)))
    channels.setReplayClock(CHANNEL, { now: NOW, speed: 1, paused: true })
    const cutoff = dayKey(NOW - KEEP_DAYS * DAY, ZONE)
    let days = 0
    for (let n = -1; n !== 0;) {
      n = (await sweeper.sweep(ch)).counterDays
      days += n
      expect(n).toBeLessThanOrEqual(10) // bounded work per run
    }
    expect(days).toBe(11) // 1 to 11 March go; from 12 March (now − 9.5 days) the days stay
    expect(cutoff).toBe('20260312')
    expect(await store.hget(keys(CHANNEL).meta, DAY_COUNTERS_FROM)).toBe(cutoff)

    const after = await keysOf(['d', 't', 'k', 'pc'])
    const kept = [...before].filter(([, p]) => p.length < 8 || p >= cutoff)
    expect(kept.length).toBeLessThan(before.size)
    expect([...after].sort()).toEqual(kept.sort())
    expect(periodKeys.every(([k]) => after.has(k))).toBe(true)
    expect(await keysOf(['m', 'y'])).toEqual(longer)
    expect(await store.hgetall(keys(CHANNEL).month(regions.root.code, dayKey(NOW, ZONE).slice(0, 6)))).toEqual(rootMonth)
    expect(await kpis()).toEqual(kpisBefore)
    const root = kpisBefore.get(regions.root.code)!
    expect(Number(root.month.caseReported)).toBeGreaterThan(Number(root['7d'].caseReported)) // the month reaches before the window

    // again: nothing left to do
    expect((await sweeper.sweep(ch)).counterDays).toBe(0)
    // a 日报 of a week before the window says from which day counters are held; one inside does not need to
    const deps = { store, channels, regions, categories, basicWeight: 0.9, ranking: loadRankingConfig() }
    const old = await readReport(deps, reportRequest(deps, CHANNEL, regions.root.code, 'week', '2026-03-10'))
    expect(old.countersFrom).toBe('2026-03-12')
    expect(old.current.kpis.caseReported).toBe(0) // the expired days count as 0, as the page's note says
    const recent = await readReport(deps, reportRequest(deps, CHANNEL, regions.root.code, 'day', '2026-03-20'))
    expect(recent.previous.from > recent.countersFrom!).toBe(true)
    expect(Number(recent.current.kpis.caseReported)).toBeGreaterThan(0)
    // the recount from the log still agrees, the deleted days aside
    const check = await checkConsistency(store, { channel: CHANNEL, zone: ZONE, regions, categories })
    expect(check.differences.slice(0, 5)).toEqual([])
    expect(check.entries).toBeGreaterThan(1000)
  }, 60_000)
})
