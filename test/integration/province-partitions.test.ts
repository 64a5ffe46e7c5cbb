// PARTITION_LEVEL=city on a real Redis Cluster (DESIGN §11, issue 12): a province
// (新疆 → 吐鲁番市, 哈密市, test/support/province-tree.ts) whose cities live in
// partitions {live:650400} and {live:650500}, on slots of their own, while events
// placed at the province itself land in the root partition {live}. The same events
// go to a second server on the run's plain redis-server with one partition (no
// PARTITION_LEVEL, the same REGIONS_FILE): the province's snapshot summed across
// partitions at read time must equal that one exactly (every KPI of every period,
// ranking, trend, categories, hotline kinds). Two phases make the sums meaningful:
// first events in the cities only (the province counts the sum of its cities),
// then a few at the province code (the province counts that sum plus exactly what
// they add, and the cities do not change).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Cluster } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { COUNT_KPIS, NOW_KPIS, PERIODS, type KpiKey, type Period } from '../../server/domain/kpis.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import { keys } from '../../server/store/keys.ts'
import { startLocalCluster, type LocalTopology } from '../../server/store/local-topology.ts'
import { iso } from '../support/events-factory.ts'
import { provinceEvents, type TestEvent } from '../support/province-events.ts'
import { CITIES, PROVINCE, provinceTree, writeProvinceTree } from '../support/province-tree.ts'
import { apiFetch, freshRedisUrl, post, startTestServer } from '../support/test-server.ts'

const HOUR = 3_600_000
const tree = provinceTree()
/** Every count on the wire: flow and cohort counts, and the point-in-time ones. */
const COUNTS: KpiKey[] = [...COUNT_KPIS, ...NOW_KPIS]

let topology: LocalTopology | undefined
let clusterDir: string | undefined
let regionsFile: string | undefined
let partitioned: Running | undefined
let plain: Running | undefined
let cluster: Cluster | undefined
const base = Date.now() - 10 * 60_000 // events lie whole hours before this: deadlines stay 10 min off the read time

beforeAll(async () => {
  clusterDir = mkdtempSync(join(tmpdir(), 'sr-province-cluster-'))
  topology = await startLocalCluster({ dir: clusterDir, appendonly: false }) // 3 masters, a replica each
  regionsFile = writeProvinceTree()
  // REDIS_URL '' drops the test run's own Redis: this instance reaches only the cluster
  partitioned = await startTestServer('redis://unused', { REDIS_URL: '', ...topology.env, REGIONS_FILE: regionsFile, PARTITION_LEVEL: 'city', LOG_LEVEL: 'error' })
  // PARTITION_LEVEL '' keeps this one a single partition even when the test run sets one
  plain = await startTestServer(await freshRedisUrl(inject('redisUrl')), { REGIONS_FILE: regionsFile, PARTITION_LEVEL: '', LOG_LEVEL: 'error' })
  const [host, port] = topology.env.REDIS_CLUSTER_NODES!.split(',')[0]!.split(':')
  cluster = new Cluster([{ host: host!, port: Number(port) }])
}, 120_000)

afterAll(async () => { // each step bounded, so the redis-servers are stopped even when a server hangs in its stop
  const bounded = (p: Promise<unknown> | undefined) => Promise.race([p?.catch(() => {}), new Promise((r) => setTimeout(r, 5000))])
  cluster?.disconnect()
  await bounded(partitioned?.stop())
  await bounded(plain?.stop())
  await bounded(topology?.stop())
  if (clusterDir) rmSync(clusterDir, { recursive: true, force: true })
  if (regionsFile) rmSync(dirname(regionsFile), { recursive: true, force: true })
})

async function postAll(url: string, events: TestEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 250) {
    const { status, body } = await post(url, events.slice(i, i + 250))
    expect(status).toBe(200)
    expect(body.rejected).toEqual([])
    expect(body.outOfOrder).toBe(0)
    expect(body.accepted).toBe(Math.min(250, events.length - i))
  }
}

async function snapshot(server: Running, region: string): Promise<Snapshot> {
  const res = await apiFetch(`${server.url}/api/v1/snapshot?region=${region}&channel=live`)
  expect(res.status).toBe(200)
  return (await res.json()) as Snapshot
}

/** What of a snapshot must not depend on how the keys are partitioned. */
const comparable = (s: Snapshot) => ({ kpis: s.kpis, ranking: s.ranking, trend: s.trend, categories: s.categories, hotlineKinds: s.hotlineKinds })

/** The count KPIs of one snapshot, by period. */
const countsOf = (s: Snapshot) => Object.fromEntries(PERIODS.map((p) => [p, Object.fromEntries(COUNTS.map((k) => [k, s.kpis[p][k] ?? 0]))])) as Record<Period, Record<string, number>>

/** Shanghai calendar day yyyymmdd of an instant. */
const dayOf = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 10).replaceAll('-', '')
const daysBetween = (a: string, b: string) => Math.round((Date.UTC(+b.slice(0, 4), +b.slice(4, 6) - 1, +b.slice(6)) - Date.UTC(+a.slice(0, 4), +a.slice(4, 6) - 1, +a.slice(6))) / 86_400_000)
/** Whether an instant lies in a period that ends on the day of `now` (DESIGN §6, channel time Asia/Shanghai). */
function inPeriod(at: number, period: Period, now: number): boolean {
  const [d, today] = [dayOf(at), dayOf(now)]
  if (period === 'today') return d === today
  if (period === '7d') return daysBetween(d, today) >= 0 && daysBetween(d, today) <= 6
  if (period === 'month') return d.slice(0, 6) === today.slice(0, 6)
  return d.slice(0, 4) === today.slice(0, 4)
}

/** The master (host:port) serving a key's slot, and the slot. */
async function servedBy(key: string): Promise<{ slot: number; master: string }> {
  const node = cluster!.nodes('master')[0]!
  const slot = Number(await node.cluster('KEYSLOT', key))
  const owner = (await node.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)![2]!
  return { slot, master: `${owner[0]}:${owner[1]}` }
}

// the events placed at the province code itself, and what each adds to the province's counts (at: its period; 'now': every period)
const tp = base - 2 * HOUR
const P = 'pv-province'
const provinceLevel: TestEvent[] = [
  { id: `${P}-c1`, feed: 'case', type: 'reported', subject: `${P}-C1`, at: iso(tp - HOUR), region: PROVINCE, category: 'city.sanitation', attrs: { source: 'public' } },
  { id: `${P}-c2`, feed: 'case', type: 'reported', subject: `${P}-C2`, at: iso(tp - HOUR), region: PROVINCE, category: 'safety.hazard', attrs: { source: 'inspector' } },
  { id: `${P}-c2r`, feed: 'case', type: 'registered', subject: `${P}-C2`, at: iso(tp), attrs: {} },
  { id: `${P}-call`, feed: 'hotline', type: 'call', subject: `${P}-call`, at: iso(tp), region: PROVINCE, attrs: { answered: true, waitSec: 5 } },
  { id: `${P}-h1`, feed: 'hotline', type: 'received', subject: `${P}-H1`, at: iso(tp), region: PROVINCE, category: 'hl.people.social', attrs: { kind: 'consult' } },
  { id: `${P}-s1`, feed: 'service', type: 'accepted', subject: `${P}-S1`, at: iso(tp), region: PROVINCE, attrs: { scope: 'local', item: 'svc.civil.certificate' } },
  { id: `${P}-w-on`, feed: 'grid', type: 'onDuty', subject: `${P}-W1`, at: iso(tp), region: PROVINCE, attrs: {} },
  { id: `${P}-w-patrol`, feed: 'grid', type: 'patrol', subject: `${P}-W1`, at: iso(tp + HOUR), region: PROVINCE, attrs: { durationMin: 30 } },
  { id: `${P}-w-visit`, feed: 'grid', type: 'visit', subject: `${P}-W1`, at: iso(tp + HOUR), region: PROVINCE, attrs: { households: 3 } },
  { id: `${P}-w-alert`, feed: 'grid', type: 'alert', subject: `${P}-W1`, at: iso(tp + HOUR), region: PROVINCE, attrs: { severity: 'warning', source: 'iot' } },
]
const provinceAdds: [KpiKey, number | 'now', number][] = [
  ['caseReported', tp - HOUR, 2], ['casePending', 'now', 1], ['caseRegistered', tp, 1], ['caseOpen', 'now', 1],
  ['calls', tp, 1], ['hotlineReceived', tp, 1], ['hotlineOpen', 'now', 1],
  ['serviceAccepted', tp, 1], ['serviceAcceptedLocal', tp, 1], ['serviceOpen', 'now', 1],
  ['workersOnDuty', 'now', 1], ['patrols', tp + HOUR, 1], ['visits', tp + HOUR, 1], ['households', tp + HOUR, 3], ['alerts', tp + HOUR, 1],
]

describe('a province partitioned by city on a Redis Cluster', () => {
  // intake over the last 40 days (today, 7 days, this month and the one before), and a round that ends at `base` (today's trend)
  const cityEvents = [...provinceEvents({ tree, base, seed: 650_000 }), ...provinceEvents({ tree, base, seed: 650_001, spanDays: 0, idPrefix: 'now' })]

  it('keeps each city in a slot of its own and sums the province from its cities, as one partition would', async () => {
    await postAll(partitioned!.url, cityEvents)
    await postAll(plain!.url, cityEvents)
    const perCity = Object.fromEntries(CITIES.map((c) => [c, cityEvents.filter((e) => e.region?.startsWith(c.slice(0, 4))).length]))
    console.log(`province partitions: ${cityEvents.length} events in the cities (intake and grid events by city: ${JSON.stringify(perCity)}), each to both servers`)

    // slots: each city's log on a slot of its own, the root partition on a third
    const slots: Record<string, { slot: number; master: string }> = {}
    for (const c of [...CITIES, '']) slots[c || 'root'] = await servedBy(keys('live', c || undefined).log)
    console.log(`slots: ${Object.entries(slots).map(([p, s]) => `${p} ${p === 'root' ? keys('live').log : keys('live', p).log} slot ${s.slot} on master ${s.master}`).join('; ')}`)
    expect(slots['650400']!.slot).not.toBe(slots['650500']!.slot)
    expect(new Set(Object.values(slots).map((s) => s.slot)).size).toBe(3)

    // each city's keys exist in its own partition (its day hash on the day of its latest report), and not in the root partition
    for (const c of CITIES) {
      const day = dayOf(Date.parse(cityEvents.findLast((e) => e.type === 'reported' && e.region!.startsWith(c.slice(0, 4)))!.at))
      const own = keys('live', c).day(c, day)
      expect({ key: own, exists: await cluster!.exists(own) }).toEqual({ key: own, exists: 1 })
      expect((await servedBy(own)).slot).toBe(slots[c]!.slot)
      expect(await cluster!.xlen(keys('live', c).log)).toBeGreaterThan(0)
      const misplaced = keys('live').day(c, day)
      expect({ key: misplaced, exists: await cluster!.exists(misplaced) }).toEqual({ key: misplaced, exists: 0 })
    }

    expect(await cluster!.xlen(keys('live').log)).toBe(0) // nothing is placed at the province yet: the root partition's log is empty

    const [pProvince, ...pCities] = await Promise.all([PROVINCE, ...CITIES].map((r) => snapshot(partitioned!, r)))
    const [uProvince, ...uCities] = await Promise.all([PROVINCE, ...CITIES].map((r) => snapshot(plain!, r)))
    for (const period of PERIODS) {
      const line = (s: Snapshot) => `reported ${s.kpis[period].caseReported} received ${s.kpis[period].hotlineReceived} patrols ${s.kpis[period].patrols} errands ${s.kpis[period].serviceAccepted} open cases ${s.kpis[period].caseOpen}`
      console.log(`${period}: province ${line(pProvince!)} | 吐鲁番 ${line(pCities[0]!)} | 哈密 ${line(pCities[1]!)}`)
    }
    for (const s of pCities) expect(s.kpis['7d'].caseReported).toBeGreaterThan(0) // the comparisons below compare something
    const sum = countsOf(pProvince!)
    for (const period of PERIODS) {
      for (const k of COUNTS) expect({ period, k, province: sum[period][k] }).toEqual({ period, k, province: countsOf(pCities[0]!)[period][k]! + countsOf(pCities[1]!)[period][k]! })
    }
    expect(comparable(pProvince!)).toEqual(comparable(uProvince!))
    for (const [i, c] of CITIES.entries()) expect({ c, ...comparable(pCities[i]!) }).toEqual({ c, ...comparable(uCities[i]!) })
    expect(pProvince!.ranking?.entries.map((e) => e.code).sort()).toEqual([...CITIES])
  }, 120_000)

  it('adds what the events placed at the province add, in the root partition, and leaves the cities as they were', async () => {
    const before = await Promise.all(CITIES.map((c) => snapshot(partitioned!, c)))
    await postAll(partitioned!.url, provinceLevel)
    await postAll(plain!.url, provinceLevel)
    const rootDay = keys('live').day(PROVINCE, dayOf(tp))
    expect({ key: rootDay, exists: await cluster!.exists(rootDay) }).toEqual({ key: rootDay, exists: 1 })
    expect(await cluster!.xlen(keys('live').log)).toBe(provinceLevel.length)

    const [pProvince, ...pCities] = await Promise.all([PROVINCE, ...CITIES].map((r) => snapshot(partitioned!, r)))
    const uProvince = await snapshot(plain!, PROVINCE)
    const now = pProvince!.clock.now
    for (const [i, c] of CITIES.entries()) expect({ c, kpis: pCities[i]!.kpis }).toEqual({ c, kpis: before[i]!.kpis })
    const counts = countsOf(pProvince!)
    const [a, b] = pCities.map(countsOf)
    for (const period of PERIODS) {
      const adds = (k: KpiKey) => provinceAdds.filter(([key, at]) => key === k && (at === 'now' || inPeriod(at, period, now))).reduce((s, [, , n]) => s + n, 0)
      for (const k of COUNTS) expect({ period, k, province: counts[period][k] }).toEqual({ period, k, province: a![period][k]! + b![period][k]! + adds(k) })
    }
    console.log(`after ${provinceLevel.length} events at the province itself: today reported ${pProvince!.kpis.today.caseReported} = ${pCities.map((s) => s.kpis.today.caseReported).join(' + ')} + ${provinceAdds.filter(([k, at]) => k === 'caseReported' && at !== 'now' && inPeriod(at, 'today', now)).reduce((s, [, , n]) => s + n, 0)}`)
    expect(comparable(pProvince!)).toEqual(comparable(uProvince))
  }, 60_000)
})
