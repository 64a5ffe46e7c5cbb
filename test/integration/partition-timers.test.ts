// The timers of a channel split into partitions (PARTITION_LEVEL=district,
// DESIGN §11: partitions '', 650402, 650421, 650422 of the demo tree) on the
// real server: overdue alerts of subjects in different districts are raised
// exactly once each and resolved from their own partition; a step parked in a
// district partition is refused after the park window; a closed subject of a
// district partition expires after CLOSED_TTL_DAYS while an open one stays; a
// step held for want of a partition is refused after the park window;
// the per-day counters of a day past DAY_COUNTERS_DAYS go from every partition.
// "Nothing more" is proved by a sentinel raised (or refused) later, never by a sleep.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Alert } from '../../server/domain/alerts.ts'
import { COUNTER } from '../../server/domain/counters.ts'
import type { RefusedList } from '../../server/domain/api.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { parseBody } from '../../server/ingest/parse-body.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { DAY_COUNTERS_FROM, dayCounterPartitions, expireDayCounters } from '../../server/store/day-counter-expiry.ts'
import { keys } from '../../server/store/keys.ts'
import { scanKeys } from '../../server/store/scan-keys.ts'
import type { Running } from '../../server/main.ts'
import { caseReported, caseStep, iso } from '../support/events-factory.ts'
import { apiFetch, eventually, freshRedisUrl, startTestServer } from '../support/test-server.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const PARK_WINDOW_HOURS = 2
const CLOSED_TTL_DAYS = 1
// a grid of each district partition (高昌区, 鄯善县, 托克逊县), and the city root (partition '')
const GAOCHANG = '650402001001001'
const SHANSHAN = '650421100001001'
const TOKSUN = '650422100001001'
const CITY = '650400'

/** A replay channel's clock stopped at `now` (channel time moves only when a test moves it). */
const pauseAt = (channel: string, now: number) => server.channels.setReplayClock(channel, { now, speed: 1, paused: true })
/** A new replay channel whose clock stands at `start`. */
async function pausedReplay(channel: string, start: number) {
  await server.channels.createReplay(channel, start, 1)
  pauseAt(channel, start)
}
let server: Running
const regions = loadRegions(undefined, 'district')
const categories = loadCategories()

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), {
    PARTITION_LEVEL: 'district', PARK_WINDOW_HOURS: String(PARK_WINDOW_HOURS), CLOSED_TTL_DAYS: String(CLOSED_TTL_DAYS), PARK_SWEEP_SEC: '0.2',
  })
})
afterAll(async () => {
  await server?.stop()
})

/** Wait until an async `find` returns something. */
const waitFor = <T>(find: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> =>
  eventually(async () => {
    const v = await find()
    if (v === undefined) throw new Error('not there yet')
    return v
  }, timeoutMs)

/** Ingest into a channel the way the channel inject route does: on its clock, intake rules after. */
const ingestInto = (channel: string, events: unknown[]) =>
  ingest(parseBody(JSON.stringify(events), 'application/json'), {
    store: server.store, regions, categories, onApplied: (c, applied) => server.alerting.onApplied(c, applied),
  }, {
    channel, zone: 'Asia/Shanghai', logMaxLen: 10_000, seenTtlSec: 3 * 86_400, now: () => server.channels.get(channel).clock.now(),
  })

/** A case registered with a deadline. */
const registered = (subject: string, at: number, region: string, deadline: number) => [
  caseReported(subject, at, region),
  caseStep(subject, 'registered', at + 1000, { deadline: iso(deadline) }),
]

/** Every entry of a channel's alert stream: its kind (active, resolved…) and the alert. */
async function alertLog(channel: string): Promise<{ kind: string; alert: Alert }[]> {
  const entries = (await server.store.xrange(keys(channel).alertLog, '-', '+')) as [string, string[]][]
  return entries.map(([, f]) => {
    const field = (name: string) => f[f.indexOf(name) + 1]!
    return { kind: field('k'), alert: JSON.parse(field('a')) as Alert }
  })
}
const raisedFor = (log: { kind: string; alert: Alert }[], subject: string) => log.filter((e) => e.kind === 'active' && e.alert.subject === subject)

async function refused(channel: string): Promise<RefusedList> {
  const res = await apiFetch(`${server.url}/api/v1/refused?channel=${channel}`)
  expect(res.status).toBe(200)
  return (await res.json()) as RefusedList
}

describe('timers across partitions (PARTITION_LEVEL=district)', () => {
  it('raises the overdue alerts of cases in two districts and the city root exactly once each, and resolves each from its partition', async () => {
    const start = Date.parse('2026-11-20T09:00:00+08:00')
    const channel = 'replay-part-sla'
    await server.channels.createReplay(channel, start, 60)
    const due = start + 2 * MINUTE // two channel minutes = two wall seconds at 60×
    const res = await ingestInto(channel, [
      ...registered('PT-GC', start, GAOCHANG, due),
      ...registered('PT-SS', start, SHANSHAN, due), // the same deadline in another partition: armed and raised together
      ...registered('PT-ROOT', start, CITY, due + 30_000),
    ])
    expect(res).toMatchObject({ accepted: 6, outOfOrder: 0 })
    // each case is open in its own partition's sets only
    const openIn = async (partition: string) => server.store.zrange(keys(channel, partition).open('case', CITY), 0, -1)
    expect(await openIn('650402')).toEqual(['PT-GC'])
    expect(await openIn('650421')).toEqual(['PT-SS'])
    expect(await openIn('')).toEqual(['PT-ROOT'])

    const raised = await waitFor(async () => {
      const log = await alertLog(channel)
      return ['PT-GC', 'PT-SS', 'PT-ROOT'].every((s) => raisedFor(log, s).length > 0) ? log : undefined
    }, 15_000)
    expect(raisedFor(raised, 'PT-GC')[0]!.alert).toMatchObject({ type: 'overdue', region: GAOCHANG, at: due })
    expect(raisedFor(raised, 'PT-SS')[0]!.alert).toMatchObject({ type: 'overdue', region: SHANSHAN, at: due })
    expect(raisedFor(raised, 'PT-ROOT')[0]!.alert).toMatchObject({ type: 'overdue', region: CITY, at: due + 30_000 })
    // each partition keeps its own watermark
    const meta = await server.store.hgetall(keys(channel).meta)
    expect(Number(meta['overdueScannedTo@650402'])).toBeGreaterThan(due)
    expect(Number(meta['overdueScannedTo@650421'])).toBeGreaterThan(due)

    // sentinel: a case of the third district falls due two channel minutes later; once its alert is
    // raised, the scanner has gone over every partition many times, and raised nothing twice
    const now = server.channels.get(channel).clock.now()
    expect((await ingestInto(channel, registered('PT-TK', now, TOKSUN, now + 2 * MINUTE))).accepted).toBe(2)
    const later = await waitFor(async () => {
      const log = await alertLog(channel)
      return raisedFor(log, 'PT-TK').length > 0 ? log : undefined
    }, 15_000)
    for (const s of ['PT-GC', 'PT-SS', 'PT-ROOT', 'PT-TK']) expect(raisedFor(later, s), s).toHaveLength(1)
    expect(later.filter((e) => e.kind === 'active')).toHaveLength(4)
    expect(later.filter((e) => e.kind !== 'active')).toEqual([])

    // closing the 鄯善县 case (its steps name no place: they follow the case to its partition) resolves its alert only
    const t = server.channels.get(channel).clock.now()
    expect(await ingestInto(channel, [caseStep('PT-SS', 'dispatched', t), caseStep('PT-SS', 'disposed', t + 1), caseStep('PT-SS', 'closed', t + 2)]))
      .toMatchObject({ accepted: 3, outOfOrder: 0 })
    const resolved = await waitFor(async () => {
      const log = await alertLog(channel)
      return log.some((e) => e.kind === 'resolved') ? log : undefined
    }, 10_000)
    expect(resolved.filter((e) => e.kind === 'resolved').map((e) => e.alert.subject)).toEqual(['PT-SS'])
  }, 60_000)

  it('keeps an urgent case alert of a district while the case is open, and resolves it when the case closes in its partition', async () => {
    const start = Date.now()
    const channel = 'replay-part-urgent'
    await server.channels.createReplay(channel, start, 1)
    const urgent = (subject: string, at: number, region: string) => ({ ...caseReported(subject, at, region), attrs: { source: 'grid', priority: 'urgent' } })
    const states = async () => new Map((await alertLog(channel)).map((e) => [e.alert.subject, e.kind])) // each alert's latest entry
    expect((await ingestInto(channel, [urgent('PT-URG', start, SHANSHAN)])).accepted).toBe(1)
    await waitFor(async () => ((await states()).get('PT-URG') === 'active' ? true : undefined))
    // sentinel: an urgent case of another district, closed at once (自行处置: closed from REPORTED, a step with no
    // place that follows the case to its partition); once its alert is resolved, the round that did it saw PT-URG open
    expect(await ingestInto(channel, [urgent('PT-URG-S', start + 500, TOKSUN), caseStep('PT-URG-S', 'closed', start + 600)]))
      .toMatchObject({ accepted: 2, outOfOrder: 0 })
    await waitFor(async () => ((await states()).get('PT-URG-S') === 'resolved' ? true : undefined), 10_000)
    expect((await states()).get('PT-URG')).toBe('active')

    expect(await ingestInto(channel, [caseStep('PT-URG', 'closed', start + 1000)])).toMatchObject({ accepted: 1, outOfOrder: 0 })
    expect(await server.store.hget(keys(channel, '650421').subject('case', 'PT-URG'), 'state')).toBe('CLOSED')
    await waitFor(async () => ((await states()).get('PT-URG') === 'resolved' ? true : undefined), 10_000)
    const log = await alertLog(channel)
    expect(log.filter((e) => e.alert.subject === 'PT-URG').map((e) => e.kind)).toEqual(['active', 'resolved'])
  }, 30_000)

  it('refuses steps parked in district partitions after the park window, each once, and lists them', async () => {
    const start = Date.parse('2026-11-21T09:00:00+08:00')
    const channel = 'replay-part-park'
    await pausedReplay(channel, start)
    // 'disposed' does not follow from REPORTED: parked with its case, in the case's partition
    const res = await ingestInto(channel, [
      caseReported('PK-GC', start - HOUR, GAOCHANG), caseStep('PK-GC', 'disposed', start - HOUR + 1000),
      caseReported('PK-SS', start - HOUR, SHANSHAN), caseStep('PK-SS', 'disposed', start - HOUR + 1000),
    ])
    expect(res).toMatchObject({ accepted: 4, outOfOrder: 2 })
    expect(await server.store.zcard(keys(channel, '650402').parked)).toBe(1)
    expect(await server.store.zcard(keys(channel, '650421').parked)).toBe(1)
    expect(await server.store.zcard(keys(channel).parked)).toBe(0)
    // the sentinel, parked an hour of channel time later in the third district
    pauseAt(channel, start + HOUR)
    expect(await ingestInto(channel, [caseReported('PK-TK', start, TOKSUN), caseStep('PK-TK', 'disposed', start + 1000)]))
      .toMatchObject({ accepted: 2, outOfOrder: 1 })

    // past the window of the first two (parked at `start`), not of the sentinel's (parked at start + 1 h)
    pauseAt(channel, start + PARK_WINDOW_HOURS * HOUR + MINUTE)
    const first = await waitFor(async () => {
      const r = await refused(channel)
      return r.total >= 2 ? r : undefined
    })
    expect(first.items.map((i) => i.event.subject).sort()).toEqual(['PK-GC', 'PK-SS'])
    expect(first.items.every((i) => i.event.type === 'disposed' && i.reason.includes('REPORTED'))).toBe(true)
    expect(await server.store.zcard(keys(channel, '650422').parked)).toBe(1)
    // the sentinel's window passes: once it is refused, the first two have been swept many times over
    pauseAt(channel, start + (PARK_WINDOW_HOURS + 1) * HOUR + MINUTE)
    const all = await waitFor(async () => {
      const r = await refused(channel)
      return r.items.some((i) => i.event.subject === 'PK-TK') ? r : undefined
    })
    expect(all.total).toBe(3)
    // newest first: the sentinel, then the two refused before it
    expect(all.items.map((i) => i.event.subject)).toEqual(['PK-TK', ...first.items.map((i) => i.event.subject)])
    for (const p of ['650402', '650421', '650422']) {
      expect(await server.store.zcard(keys(channel, p).parked)).toBe(0)
      expect(await server.store.hget(keys(channel, p).stats, 'refused')).toBe('1')
      expect(await server.store.llen(keys(channel, p).refused)).toBe(1)
    }
    // refused changes nothing: each case is still REPORTED
    expect(await server.store.hget(keys(channel, '650402').subject('case', 'PK-GC'), 'state')).toBe('REPORTED')
  }, 30_000)

  it('refuses a step held for want of a partition after the park window (the server\'s sweep), each once', async () => {
    const start = Date.parse('2026-11-21T15:00:00+08:00')
    const channel = 'replay-part-held'
    await pausedReplay(channel, start)
    // steps naming no place, of subjects no placed step has named: no partition to go to, so held on the channel slot
    expect(await ingestInto(channel, [caseStep('HELD-1', 'registered', start - MINUTE)])).toMatchObject({ accepted: 1, outOfOrder: 1 })
    pauseAt(channel, start + HOUR)
    expect(await ingestInto(channel, [caseStep('HELD-2', 'registered', start)])).toMatchObject({ accepted: 1, outOfOrder: 1 })
    expect(await server.store.zcard(keys(channel).heldIndex)).toBe(2)

    pauseAt(channel, start + PARK_WINDOW_HOURS * HOUR + MINUTE)
    const first = await waitFor(async () => {
      const r = await refused(channel)
      return r.total > 0 ? r : undefined
    })
    expect(first.items.map((i) => i.event.subject)).toEqual(['HELD-1'])
    expect(first.items[0]!.reason).toContain('no step of case:HELD-1 named a place')
    // HELD-2, held an hour later, is the sentinel: refused once its own window passes, and HELD-1 not again
    pauseAt(channel, start + (PARK_WINDOW_HOURS + 1) * HOUR + MINUTE)
    const all = await waitFor(async () => {
      const r = await refused(channel)
      return r.items.some((i) => i.event.subject === 'HELD-2') ? r : undefined
    })
    expect(all.items.map((i) => i.event.subject)).toEqual(['HELD-2', 'HELD-1'])
    expect(await server.store.zcard(keys(channel).heldIndex)).toBe(0)
  }, 30_000)

  it('expires a closed subject of a district partition after CLOSED_TTL_DAYS, keeping an open one', async () => {
    const start = Date.parse('2026-11-22T09:00:00+08:00')
    const channel = 'replay-part-ttl'
    await pausedReplay(channel, start)
    // ended subjects are indexed by when they ended, channel time
    expect(await ingestInto(channel, [
      caseReported('TTL-DONE', start - HOUR, TOKSUN), caseStep('TTL-DONE', 'closed', start - HOUR + 1000),
      caseReported('TTL-OPEN', start - HOUR, TOKSUN),
    ])).toMatchObject({ accepted: 3, rejected: [] })
    pauseAt(channel, start + 30 * MINUTE)
    expect(await ingestInto(channel, [caseReported('TTL-GC', start, GAOCHANG), caseStep('TTL-GC', 'closed', start + 1000)]))
      .toMatchObject({ accepted: 2, rejected: [] })
    const k = keys(channel, '650422')
    expect(await server.store.zrange(k.ended, 0, -1)).toEqual(['case:TTL-DONE'])
    expect(await server.store.exists(k.subject('case', 'TTL-DONE'), k.events('case', 'TTL-DONE'), k.seen('case-TTL-DONE-closed'))).toBe(3)

    // one day and a quarter of an hour after TTL-DONE closed: it goes; TTL-GC (closed half an hour later) is the sentinel still due
    pauseAt(channel, start + CLOSED_TTL_DAYS * 86_400_000 + 15 * MINUTE)
    await waitFor(async () => ((await server.store.exists(k.subject('case', 'TTL-DONE'))) === 0 ? true : undefined))
    expect(await server.store.exists(k.events('case', 'TTL-DONE'), k.seen('case-TTL-DONE-closed'), k.seen('case-TTL-DONE-reported'))).toBe(0)
    expect(await server.store.zcard(k.ended)).toBe(0)
    expect(await server.store.hget(k.subject('case', 'TTL-OPEN'), 'state')).toBe('REPORTED')
    const gc = keys(channel, '650402')
    expect(await server.store.exists(gc.subject('case', 'TTL-GC'))).toBe(1)
    pauseAt(channel, start + CLOSED_TTL_DAYS * 86_400_000 + 31 * MINUTE)
    await waitFor(async () => ((await server.store.exists(gc.subject('case', 'TTL-GC'))) === 0 ? true : undefined))
    expect(await server.store.hget(k.subject('case', 'TTL-OPEN'), 'state')).toBe('REPORTED')
    // counters stay: both cases of 托克逊县 still count as reported in its month
    expect(await server.store.hget(k.month('650422', '202611'), COUNTER.caseReported)).toBe('2')
  }, 30_000)

  it('deletes the day counters of a day past the window from every partition, and keeps later days and months', async () => {
    const day = (d: number) => Date.parse(`2026-11-${d}T10:00:00+08:00`)
    const channel = 'replay-part-days'
    const now = Date.parse('2026-11-12T12:00:00+08:00')
    await server.channels.createReplay(channel, now, 1)
    server.channels.setReplayClock(channel, { now, speed: 1, paused: true })
    const events = [10, 11, 12].flatMap((d) => [GAOCHANG, SHANSHAN, CITY].map((region, i) => caseReported(`DC-${d}-${i}`, day(d), region)))
    expect(await ingestInto(channel, events)).toMatchObject({ accepted: 9, rejected: [] })
    /** Per-day and month counter keys of every partition, as `<partition> <kind> <region> <period>`. */
    const counterKeys = async () => {
      const out: string[] = []
      for (const p of regions.partitions) {
        const { prefix } = keys(channel, p)
        for await (const page of scanKeys(server.store, `${prefix}*`)) { // every master of a Cluster
          for (const key of page.keys) {
            const [kind, region, period] = key.slice(prefix.length).split(':')
            if (['d', 't', 'k', 'pc', 'm'].includes(kind!) && period) out.push(`${p} ${kind} ${region} ${period}`)
          }
        }
      }
      return out.sort()
    }
    const before = await counterKeys()
    // the 10th is counted in each district partition (its regions and the city above them) and in the root one
    for (const p of ['650402', '650421', '']) expect(before).toContain(`${p} d ${CITY} 20261110`)
    expect(before).toContain(`650402 d 650402 20261110`)

    const codes = regions.collection.features.map((f) => f.properties.code)
    const r = await expireDayCounters(server.store, {
      channel, regions: codes, partitions: dayCounterPartitions(regions), root: CITY, zone: 'Asia/Shanghai', now, keepDays: 1,
    })
    expect(r.days).toEqual(['20261110'])
    expect(await server.store.hget(keys(channel).meta, DAY_COUNTERS_FROM)).toBe('20261111')
    const after = await counterKeys()
    expect(after).toEqual(before.filter((k) => !(k.endsWith(' 20261110') && !k.includes(' m '))))
    expect(after.some((k) => k.endsWith(' 20261110'))).toBe(false)
    expect(after.filter((k) => k.includes(' m ')).length).toBeGreaterThan(3) // month counters stay
    // again: nothing left to do
    expect((await expireDayCounters(server.store, {
      channel, regions: codes, partitions: dayCounterPartitions(regions), root: CITY, zone: 'Asia/Shanghai', now, keepDays: 1,
    })).days).toEqual([])
  }, 30_000)
})
