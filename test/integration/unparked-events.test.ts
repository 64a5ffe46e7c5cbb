// A parked event applied later reaches the screens (issue 13, DESIGN §5/§7/§8):
// a case's `registered` posted before its `reported` is parked (logged a=p,
// not applied), then applied when the report arrives, and logged again then
// (a=u). Against a real server, redis-server and a socket.io client: the
// socket gets it applied exactly once (a sentinel proves nothing follows), the
// snapshot and a resume with `since` list it applied once, the tablet history
// shows both steps applied, check:consistency agrees, and the archived day
// holds each event once and replays as a drill to the same KPIs.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { archiveAndTrim, readArchive } from '../../server/channels/log-archive.ts'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import type { KpiSet } from '../../server/domain/kpis.ts'
import type { EventBatch, LiveEvent, Snapshot } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
import type { SubjectView } from '../../server/domain/api.ts'
import { readKpis } from '../../server/store/read-kpis.ts'
import { caseReported, caseStep } from '../support/events-factory.ts'
import { apiFetch, connect, eventually, freshRedisUrl, post, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

const DISTRICT = '650402' // 高昌区
const GRID = '650402001001001'
const ZONE = 'Asia/Shanghai'
const DAY = 86_400_000
const regions = loadRegions()
const categories = loadCategories()
const codes = ['650400', DISTRICT, GRID.slice(0, 9), GRID.slice(0, 12), GRID]
const archiveDir = mkdtempSync(join(tmpdir(), 'sr-unpark-archive-'))

let server: Running
let redis: Redis
let socket: TestSocket
let cursorBefore: string
const batches: EventBatch[] = []
const t0 = Date.now() - 20 * 60_000
const reported = caseReported('UNPARK-1', t0, GRID)
const registered = caseStep('UNPARK-1', 'registered', t0 + 60_000)

const received = () => batches.flatMap((b) => b.items)
const copies = (events: readonly LiveEvent[], id: string) => events.filter((e) => e.id === id)
/** Wait for the sentinel: every entry logged before it has been pushed by then. */
const sentinel = async (name: string) => {
  expect((await post(server.url, caseReported(name, Date.now(), GRID))).body.accepted).toBe(1)
  await waitFor(() => received().find((e) => e.subject === name), 10_000)
}
const kpis = (channel: string, now: number): Promise<Map<string, KpiSet>> =>
  readKpis(redis, codes, { channel, now, zone: ZONE, basicWeight: 0.9, gridCount: (c) => regions.gridCount(c) })

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(url, { ARCHIVE_DIR: archiveDir })
  redis = new Redis(url)
  socket = await connect(server.url)
  socket.on('events', (b) => batches.push(b))
  const ack = await socket.emitWithAck('subscribe', { region: DISTRICT })
  if (!ack.ok) throw new Error(ack.message)
  cursorBefore = ack.data.cursor
})
afterAll(async () => {
  socket?.disconnect()
  redis?.disconnect()
  await server?.stop()
})

describe('a parked event applied later', () => {
  it('is pushed to the socket applied exactly once, after the event that let it fit', async () => {
    expect((await post(server.url, registered)).body).toMatchObject({ accepted: 1, outOfOrder: 1 })
    await sentinel('UNPARK-S1')
    // parked before its case was reported, it has no region yet: no screen is sent its a=p entry
    expect(copies(received(), registered.id)).toEqual([])

    expect((await post(server.url, reported)).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
    await sentinel('UNPARK-S2')
    const applied = received().filter((e) => e.applied && e.subject === 'UNPARK-1')
    expect(applied.map((e) => e.type)).toEqual(['reported', 'registered'])
    expect(applied[1]).toMatchObject({ id: registered.id, region: GRID, category: 'city.sanitation' })
    expect(copies(received(), registered.id)).toHaveLength(1) // the a=u entry, no second copy
    const log = (await redis.xrange(keys('live').log, '-', '+')).map(([, f]) => f[f.indexOf('a') + 1])
    expect(log.filter((a) => a === 'u')).toHaveLength(1)
  })

  it('is listed applied once in the snapshot and in a resume with `since`; the tablet history shows it applied', async () => {
    const snapshot = (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${DISTRICT}`)).json()) as Snapshot
    expect(copies(snapshot.events, registered.id).filter((e) => e.applied)).toHaveLength(1)
    expect(copies(snapshot.events, reported.id).filter((e) => e.applied)).toHaveLength(1)

    const resuming = await connect(server.url)
    try {
      const ack = await resuming.emitWithAck('subscribe', { region: DISTRICT, since: cursorBefore })
      if (!ack.ok) throw new Error(ack.message)
      expect(ack.data.resumed).toBe(true)
      expect(copies(ack.data.events, registered.id).map((e) => e.applied)).toEqual([true])
    } finally {
      resuming.disconnect()
    }

    const view = (await (await apiFetch(`${server.url}/api/v1/subjects/case/UNPARK-1`)).json()) as SubjectView
    expect(view.state).toBe('REGISTERED')
    expect(view.history.map((h) => `${h.type}:${h.applied}`)).toEqual(['reported:true', 'registered:true'])
  })

  it('counts once in check:consistency, which also checks its a=u entry', async () => {
    const report = await checkConsistency(redis, { channel: 'live', zone: ZONE, regions, categories })
    expect(report.differences).toEqual([])
    expect(report.entries).toBe(Number(await redis.xlen(keys('live').log)))
    const kpi = (await kpis('live', Date.now())).get(GRID)!
    expect(kpi.year.caseReported).toBe(3) // the case and two sentinels
    expect(kpi.year.caseRegistered).toBe(1)
  })

  it('is archived once, and the archived day replays as a drill to the same KPIs with each event sent once', async () => {
    const logged = Number(await redis.xlen(keys('live').log))
    const r = await archiveAndTrim(redis, { channel: 'live', dir: archiveDir, zone: ZONE, now: Date.now() + 2 * DAY, retentionDays: 1 })
    expect(r.trimmed).toBe(logged)
    const lines = readArchive(archiveDir, 'live').map((l) => JSON.parse(l) as { id: string; at: string })
    expect(lines.map((l) => l.id).sort()).toEqual([registered.id, reported.id, 'case-UNPARK-S1-reported', 'case-UNPARK-S2-reported'].sort())

    const report = await checkConsistency(redis, { channel: 'live', zone: ZONE, regions, categories, archiveDir })
    expect(report.differences).toEqual([])
    expect(report.archived).toBe(4)

    const recording = readArchive(archiveDir, 'live').join('\n')
    const res = await apiFetch(`${server.url}/api/v1/channels`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ recording, speed: 1, start: Math.max(...lines.map((l) => Date.parse(l.at))) }), // every event due at once
    })
    expect(res.status).toBe(201)
    const { id } = (await res.json()) as { id: string }
    await eventually(async () => expect(Number(await redis.xlen(keys(id).log))).toBe(4), 30_000)
    const drillLog = await redis.xrange(keys(id).log, '-', '+')
    expect(drillLog.map(([, f]) => f[f.indexOf('a') + 1])).toEqual(['1', '1', '1', '1']) // replayed in event-time order: nothing parked
    const now = Date.now()
    const [live, drill] = await Promise.all([kpis('live', now), kpis(id, now)])
    for (const code of codes) expect(drill.get(code), code).toEqual(live.get(code))
    expect(drill.get(GRID)!.year.caseRegistered).toBe(1)
  }, 60_000)
})
