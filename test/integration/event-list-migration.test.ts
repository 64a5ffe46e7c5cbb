// The event-list migration (server/consistency/migrate-event-lists.ts) on a real
// redis-server. Legacy-shaped subjects — a subject hash, counters and the old
// history list h:<feed>:<subject>, but no event list ev:<feed>:<subject> —
// are made by applying their steps and then taking the event list away (and
// the retention index entry, which did not exist either) and writing the old
// history by hand; one case keeps only its last step in its history (trimmed
// at 100), so its list comes from its hash alone. After the migration the next
// step of each applies (not parked) and every counter, set and subject hash
// equals an oracle channel that received the same steps in order with event
// lists all along; check:consistency recounts the migrated channel clean.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { keys } from '../../server/store/keys.ts'
import { EVENT_LISTS_MIGRATED, migrateEventLists } from '../../server/consistency/migrate-event-lists.ts'
import { readAggregates } from '../../server/consistency/read-aggregates.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { GRID, caseReported, caseStep, hotlineReceived, iso } from '../support/events-factory.ts'
import { freshRedisUrl } from '../support/test-server.ts'

const HOUR = 3_600_000
const ZONE = 'Asia/Shanghai'
const LIVE = 'live'
const ORACLE = 'sim-oracle'
const T0 = Date.parse('2026-03-02T09:00:00+08:00')
const NOW = T0 + 30 * HOUR
const regions = loadRegions()
const categories = loadCategories()

type Raw = { id: string; feed: string; type: string; subject: string; at: string; [k: string]: unknown }
const hl = (subject: string, type: string, at: number, attrs: Record<string, unknown> = {}): Raw => ({ id: `hl-${subject}-${type}`, feed: 'hotline', type, subject, at: iso(at), attrs })
const svc = (subject: string, type: string, at: number, attrs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Raw =>
  ({ id: `svc-${subject}-${type}`, feed: 'service', type, subject, at: iso(at), attrs, ...extra })

// the legacy part of each subject (stored before event lists), and the steps that come after the migration
const legacy: { feed: string; subject: string; steps: Raw[]; history: 'all' | 'last' }[] = [
  { feed: 'case', subject: 'C-OPEN', history: 'all', steps: [caseReported('C-OPEN', T0), caseStep('C-OPEN', 'registered', T0 + HOUR), caseStep('C-OPEN', 'dispatched', T0 + 2 * HOUR)] },
  { feed: 'hotline', subject: 'H-REPLIED', history: 'all', steps: [hotlineReceived('H-REPLIED', T0), hl('H-REPLIED', 'dispatched', T0 + HOUR), hl('H-REPLIED', 'replied', T0 + 3 * HOUR)] },
  { feed: 'service', subject: 'S-FWD', history: 'all', steps: [svc('S-FWD', 'accepted', T0, { scope: 'local', item: 'svc.civil.certificate' }, { region: GRID }), svc('S-FWD', 'forwarded', T0 + HOUR)] },
  {
    feed: 'case', subject: 'C-TRIMMED', history: 'last',
    steps: [caseReported('C-TRIMMED', T0), caseStep('C-TRIMMED', 'registered', T0 + HOUR), caseStep('C-TRIMMED', 'dispatched', T0 + 2 * HOUR), caseStep('C-TRIMMED', 'disposed', T0 + 4 * HOUR)],
  },
  { feed: 'hotline', subject: 'H-ENDED', history: 'all', steps: [hotlineReceived('H-ENDED', T0), hl('H-ENDED', 'directClosed', T0 + HOUR), hl('H-ENDED', 'rated', T0 + 2 * HOUR, { satisfaction: 'basic', solved: true, contacted: true })] },
]
const next: Raw[] = [
  caseStep('C-OPEN', 'disposed', T0 + 20 * HOUR), caseStep('C-OPEN', 'closed', T0 + 21 * HOUR),
  hl('H-REPLIED', 'closed', T0 + 20 * HOUR), hl('H-REPLIED', 'rated', T0 + 22 * HOUR, { satisfaction: 'satisfied', solved: true, contacted: true }),
  svc('S-FWD', 'completed', T0 + 20 * HOUR),
  caseStep('C-TRIMMED', 'closed', T0 + 20 * HOUR),
  { ...hl('H-ENDED', 'rated', T0 + 23 * HOUR, { satisfaction: 'satisfied', solved: true, contacted: true }), id: 'hl-H-ENDED-rated-again' },
]

let store: Store
const post = async (channel: string, events: Raw[]) =>
  ingest(events.map((value) => ({ ok: true as const, value })), { store, regions, categories }, { channel, zone: ZONE, logMaxLen: 100_000, seenTtlSec: 86_400 * 400, now: () => NOW })

/** A channel's counters, sets and subject hashes; the retention index (scored by arrival) apart. */
async function stateOf(channel: string) {
  const s = await readAggregates(store, channel, { subjects: true }) // keys without the channel prefix
  const strip = <V>(m: Map<string, V>) => new Map([...m].filter(([k]) => k !== 'cx'))
  return { hashes: strip(s.aggregates.hashes), zsets: strip(s.aggregates.zsets), sets: strip(s.aggregates.sets), subjects: s.subjects }
}

beforeAll(async () => {
  store = await connectStore(await freshRedisUrl(inject('redisUrl')))
  for (const channel of [LIVE, ORACLE]) expect((await post(channel, legacy.flatMap((l) => l.steps))).rejected).toEqual([])
  // the live channel back to the shape stored before event lists
  const k = keys(LIVE)
  for (const l of legacy) {
    await store.del(k.events(l.feed, l.subject))
    await store.zrem(k.ended, `${l.feed}:${l.subject}`)
    const kept = l.history === 'all' ? l.steps : l.steps.slice(-1)
    await store.rpush(`${k.prefix}h:${l.feed}:${l.subject}`, ...kept.map((e) => JSON.stringify({ type: e.type, at: Date.parse(e.at), applied: true })))
  }
  await store.hdel(k.meta, EVENT_LISTS_MIGRATED)
}, 60_000)

afterAll(() => store?.disconnect())

describe('event-list migration', () => {
  it('gives every legacy subject the event list its hash derives; the next steps apply and count exactly once', async () => {
    const k = keys(LIVE)
    expect(await store.exists(k.events('case', 'C-OPEN'))).toBe(0)
    // what the migration is for: unmigrated, a legacy subject's next step is parked as if the case were new
    const bare = 'sim-unmigrated'
    await post(bare, legacy[0]!.steps)
    await store.del(keys(bare).events('case', 'C-OPEN'))
    expect(await post(bare, [next[0]!])).toMatchObject({ outOfOrder: 1 })
    expect(await store.zcard(keys(bare).parked)).toBe(1)

    const progress: number[] = []
    const r = await migrateEventLists(store, { channel: LIVE, zone: ZONE, now: NOW, pageSize: 2, progress: (p) => progress.push(p.migrated) })
    expect(r).toMatchObject({ done: true, migrated: legacy.length, fromPath: 1, mismatched: [] })
    expect(progress.length).toBeGreaterThan(1) // logged page by page
    expect(await store.hget(k.meta, EVENT_LISTS_MIGRATED)).toBe(new Date(NOW).toISOString())
    for (const l of legacy) {
      expect(await store.exists(k.events(l.feed, l.subject)), l.subject).toBe(1)
      expect(await store.exists(`${k.prefix}h:${l.feed}:${l.subject}`)).toBe(0)
    }
    expect(await store.zscore(k.ended, 'hotline:H-ENDED')).toBe(String(T0 + 2 * HOUR)) // retention counts from its last step
    expect(await store.zscore(k.ended, 'case:C-OPEN')).toBeNull()
    // once: a second start does nothing (not even a scan)
    expect(await migrateEventLists(store, { channel: LIVE, zone: ZONE, now: NOW + HOUR })).toEqual({ done: true, scanned: 0, migrated: 0, fromPath: 0, mismatched: [] })

    const before = await stateOf(LIVE)
    expect(before.subjects).toEqual((await stateOf(ORACLE)).subjects) // the migration itself touches no subject hash
    for (const channel of [LIVE, ORACLE]) {
      const res = await post(channel, next)
      expect(res, channel).toMatchObject({ accepted: next.length, outOfOrder: 0, duplicates: 0, rejected: [] })
    }
    expect(await store.zcard(k.parked)).toBe(0)
    const [live, oracle] = await Promise.all([stateOf(LIVE), stateOf(ORACLE)])
    expect(live.hashes).toEqual(oracle.hashes)
    expect(live.zsets).toEqual(oracle.zsets)
    expect(live.sets).toEqual(oracle.sets)
    expect(live.subjects).toEqual(oracle.subjects)
    // the counters moved by the next steps only, once: a few by hand at the grid
    const day = (d: string) => Object.fromEntries(live.hashes.get(`d:${GRID}:${d}`) ?? [])
    expect(day('20260302')).toMatchObject({ 'c.closedRegistered': 2, 'c.disposed': 2, 'h.closed': 2, 'h.rated': 2, 's.completed.local': 1 })
    expect(day('20260303')).toMatchObject({ 'cf.closed': 2, 'hf.closed': 1 })
    expect(await store.zscore(k.ended, 'case:C-OPEN')).not.toBeNull()

    const check = await checkConsistency(store, { channel: LIVE, zone: ZONE, regions, categories })
    expect(check.differences.slice(0, 5)).toEqual([])
    expect(check.entries).toBe(legacy.flatMap((l) => l.steps).length + next.length)
  }, 60_000)
})
