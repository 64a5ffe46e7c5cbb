// 便民服务代办 through the real server and a real redis-server: the time limits
// (7 days local, 30 days outside, an item's own limit, attrs.deadline) as
// stored and as the overdue counts see them, bad errands refused while the
// good ones of the same batch land, the tablet's errand list and lifecycle,
// and the overdue alert of an errand on a 60× replay clock: at its deadline,
// exactly once (a later errand's alert is the sentinel), resolved on 办结.
// 补正 of an item that stops its clock (pausesOnDocs): the deadline moves by
// the time waited, in any arrival order; a waiting errand is not overdue; its
// overdue alert comes once, at the moved deadline, not at the first one.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { AlertUpdate } from '../../server/domain/alerts.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { parseBody } from '../../server/ingest/parse-body.ts'
import type { Running } from '../../server/main.ts'
import { keysAt, testRegions } from '../support/test-partitions.ts'
import { dayKey } from '../../server/domain/clock.ts'
import { GRID, iso } from '../support/events-factory.ts'
import { apiFetch, connect, freshRedisUrl, post, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const TOWNSHIP = GRID.slice(0, 9)

let server: Running
const sockets: TestSocket[] = []
let n = 0
const errand = (type: string, subject: string, at: number, attrs: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  ({ id: `svc-${subject}-${type}-${++n}`, feed: 'service', type, subject, at: iso(at), attrs, ...extra })
const accepted = (subject: string, at: number, scope: string, item: string, attrs: Record<string, unknown> = {}) =>
  errand('accepted', subject, at, { scope, item, ...attrs }, { region: GRID })

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')))
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await server?.stop()
})

const deadlineOf = async (subject: string, channel = 'live') => Number(await server.store.hget(keysAt(channel, GRID).subject('service', subject), 'deadline'))
const snapshot = async (region: string) => (await (await apiFetch(`${server.url}/api/v1/snapshot?region=${region}`)).json()) as Snapshot

describe('service feed (便民服务代办)', () => {
  it('takes the time limit from the scope, the item or attrs.deadline; refuses bad errands and lands the good ones', async () => {
    const t0 = Date.now() - 8 * DAY - HOUR
    const res = await post(server.url, [
      accepted('SV-LOCAL', t0, 'local', 'svc.social.card'),
      accepted('SV-OUTSIDE', t0, 'outside', 'svc.social.card'),
      accepted('SV-OWN', t0, 'outside', 'svc.civil.certificate'), // 证明开具: 3 days, even when an outside office does it
      accepted('SV-EXPLICIT', t0, 'local', 'svc.social.card', { deadline: iso(t0 + 10 * DAY) }),
      accepted('SV-BAD-ITEM', t0, 'local', 'svc.unknown'),
      errand('accepted', 'SV-NO-SCOPE', t0, { item: 'svc.social.card' }, { region: GRID }),
    ])
    expect(res.status).toBe(200)
    expect(res.body.accepted).toBe(4)
    expect(res.body.rejected).toEqual([
      { index: 4, id: expect.any(String), error: 'attrs.item: "svc.unknown" is not a service item (see GET /api/v1/categories)' },
      { index: 5, id: expect.any(String), error: expect.stringMatching(/^attrs\.scope: /) },
    ])
    expect(await deadlineOf('SV-LOCAL')).toBe(Date.parse(iso(t0)) + 7 * DAY)
    expect(await deadlineOf('SV-OUTSIDE')).toBe(Date.parse(iso(t0)) + 30 * DAY)
    expect(await deadlineOf('SV-OWN')).toBe(Date.parse(iso(t0)) + 3 * DAY)
    expect(await deadlineOf('SV-EXPLICIT')).toBe(Date.parse(iso(t0 + 10 * DAY)))
    expect(await server.store.exists(keysAt('live', GRID).subject('service', 'SV-BAD-ITEM'))).toBe(0)

    // eight days on: the 7-day and the 3-day errands are overdue, the 30-day and the 10-day ones are not
    const snap = await snapshot(TOWNSHIP)
    expect(snap.kpis.today).toMatchObject({ serviceOpen: 4, serviceOverdue: 2 })
    expect(snap.kpis.month.serviceAccepted ?? snap.kpis.year.serviceAccepted).toBeGreaterThan(0)
    expect(snap.serviceOverdue.map((o) => o.subject)).toEqual(['SV-OWN', 'SV-LOCAL'])
    expect(snap.serviceOverdue[0]).toMatchObject({ feed: 'service', region: GRID, state: 'ACCEPTED', category: 'svc.civil.certificate' })
    expect(snap.overdue.filter((o) => o.feed === 'service')).toEqual([]) // the case and work-order list is unchanged
  })

  it('lists a township\'s open errands for the tablet and tells an errand\'s lifecycle, waiting for documents included', async () => {
    const t0 = Date.now() - 2 * HOUR
    const res = await post(server.url, [
      accepted('SV-FLOW', t0, 'outside', 'svc.estate.register'),
      errand('forwarded', 'SV-FLOW', t0 + 60_000, { office: '县不动产登记中心' }),
      errand('returnedForDocs', 'SV-FLOW', t0 + 120_000),
      errand('resumed', 'SV-FLOW', t0 + 180_000),
      errand('delivered', 'SV-FLOW', t0 + 240_000), // not completed yet: out of order
    ])
    expect(res.body).toMatchObject({ accepted: 5, outOfOrder: 1, rejected: [] })
    const open = (await (await apiFetch(`${server.url}/api/v1/open?region=${TOWNSHIP}&feed=service`)).json()) as { total: number; items: { subject: string; state: string }[] }
    expect(open.items.find((i) => i.subject === 'SV-FLOW')).toMatchObject({ state: 'FORWARDED' })
    const view = (await (await apiFetch(`${server.url}/api/v1/subjects/service/SV-FLOW`)).json()) as { state: string; history: { type: string; applied: boolean }[] }
    expect(view.state).toBe('FORWARDED')
    expect(view.history.map((h) => `${h.type}${h.applied ? '' : '✗'}`)).toEqual(['accepted', 'forwarded', 'returnedForDocs', 'resumed', 'delivered✗'])
    const plain = (await (await apiFetch(`${server.url}/api/v1/open?region=${TOWNSHIP}`)).json()) as { items: { feed: string }[] }
    expect(plain.items.every((i) => i.feed !== 'service')).toBe(true)
  })

  it('raises an overdue alert for an errand at its deadline on a 60× clock, exactly once, and resolves it on 办结', async () => {
    const start = Date.parse('2026-11-20T09:00:00+08:00')
    const channel = await server.channels.createReplay('replay-svc', start, 60)
    const seen: { u: AlertUpdate; channelNow: number }[] = []
    const s = await connect(server.url, 'replay-svc')
    sockets.push(s)
    s.on('alert', (u) => seen.push({ u, channelNow: channel.clock.now() }))
    expect((await s.emitWithAck('subscribe', { region: '650400' })).ok).toBe(true)
    const deadline = start + 2 * 60_000 // two channel minutes: two wall seconds at 60×
    const sentinelDeadline = deadline + 90_000
    const apply = (events: unknown[]) => ingest(parseBody(JSON.stringify(events), 'application/json'),
      { store: server.store, regions: testRegions(), categories: loadCategories() },
      { channel: 'replay-svc', zone: 'Asia/Shanghai', logMaxLen: 10_000, seenTtlSec: 3600 })
    const res = await apply([
      accepted('SV-SLA', start, 'local', 'svc.social.card', { deadline: iso(deadline) }),
      accepted('SV-SENTINEL', start, 'local', 'svc.medical.enrol', { deadline: iso(sentinelDeadline) }),
    ])
    expect(res.accepted).toBe(2)
    const first = await waitFor(() => seen.find((x) => x.u.alert.subject === 'SV-SLA' && x.u.state === 'active'), 10_000)
    console.log(`service overdue alert reached the socket ${first.channelNow - deadline} ms of channel time after the deadline (60×)`)
    expect(first.channelNow).toBeGreaterThanOrEqual(deadline)
    expect(first.channelNow - deadline).toBeLessThan(30_000)
    expect(first.u.alert).toMatchObject({ type: 'overdue', feed: 'service', subject: 'SV-SLA', region: GRID, at: deadline, severity: 'warning' })
    expect(first.u.alert.text).toContain('代办事项')
    expect(first.u.alert.text).toContain('社保卡办理')
    // the sentinel's alert comes a minute and a half of channel time later: by then a second SV-SLA alert would have come too
    await waitFor(() => seen.find((x) => x.u.alert.subject === 'SV-SENTINEL' && x.u.state === 'active'), 10_000)
    expect(seen.filter((x) => x.u.alert.subject === 'SV-SLA' && x.u.state === 'active')).toHaveLength(1)
    const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot?channel=replay-svc&region=650400`)).json()) as Snapshot
    expect(snap.kpis.today.serviceOverdue).toBe(2)

    await apply([errand('completed', 'SV-SLA', channel.clock.now())])
    await waitFor(() => seen.find((x) => x.u.alert.subject === 'SV-SLA' && x.u.state === 'resolved'), 10_000)
  }, 40_000)

  describe('补正 of an item that stops its clock (残疾人证办理, pausesOnDocs)', () => {
    const PAUSES = 'svc.disability.card'
    const RUNS = 'svc.social.card'
    const hash = async (subject: string) => server.store.hgetall(keysAt('live', GRID).subject('service', subject))
    const openErrands = async () => (await (await apiFetch(`${server.url}/api/v1/open?region=${TOWNSHIP}&feed=service&limit=200`)).json()) as
      { items: { subject: string; state: string; deadline: number; overdue: boolean; paused?: number }[] }

    it('moves the deadline by the time waited, in any arrival order; waiting or resumed within it, the errand is not overdue', async () => {
      const t0 = Date.now() - 9 * DAY // accepted 9 days ago (办结 at t0+9d is now): a 7-day limit is over unless the clock stood still
      const story = (subject: string, item: string) => [
        accepted(subject, t0, 'local', item), errand('returnedForDocs', subject, t0 + 2 * DAY, { missing: '残疾评定表' }),
        errand('resumed', subject, t0 + 5 * DAY),
      ]
      const [acc, wait, resume] = story('SV-PAUSE-REV', PAUSES)
      expect((await post(server.url, [...story('SV-PAUSE', PAUSES), ...story('SV-RUN', RUNS)])).body).toMatchObject({ accepted: 6, outOfOrder: 0 })
      // the same story of the pausing item, its resumed first, then its 补正, each in a batch of its own
      expect((await post(server.url, [acc])).body).toMatchObject({ accepted: 1 })
      expect((await post(server.url, [resume])).body).toMatchObject({ accepted: 1, outOfOrder: 1 })
      expect((await post(server.url, [wait])).body).toMatchObject({ accepted: 1, outOfOrder: 0 })
      // waiting since seven days, past the first 7 days: 补正中, not overdue; the running clock's twin is
      await post(server.url, [
        accepted('SV-WAIT', t0, 'local', PAUSES), errand('returnedForDocs', 'SV-WAIT', t0 + 2 * DAY),
        accepted('SV-WAIT-RUN', t0, 'local', RUNS), errand('returnedForDocs', 'SV-WAIT-RUN', t0 + 2 * DAY),
      ])

      expect(await hash('SV-PAUSE')).toMatchObject({ state: 'ACCEPTED', deadline: String(t0 + 10 * DAY) })
      expect(await hash('SV-PAUSE')).not.toHaveProperty('paused')
      expect(await hash('SV-PAUSE-REV')).toEqual(await hash('SV-PAUSE'))
      expect(await hash('SV-RUN')).toMatchObject({ state: 'ACCEPTED', deadline: String(t0 + 7 * DAY) })
      expect(await hash('SV-WAIT')).toMatchObject({ state: 'WAITING', deadline: String(t0 + 7 * DAY), paused: String(t0 + 2 * DAY) })

      const snap = await snapshot(TOWNSHIP)
      const overdue = snap.serviceOverdue.map((o) => o.subject)
      expect(overdue).toEqual(expect.arrayContaining(['SV-RUN', 'SV-WAIT-RUN']))
      for (const id of ['SV-PAUSE', 'SV-PAUSE-REV', 'SV-WAIT']) expect(overdue).not.toContain(id)
      const open = (await openErrands()).items
      expect(open.find((i) => i.subject === 'SV-WAIT')).toEqual(expect.objectContaining({
        state: 'WAITING', paused: t0 + 2 * DAY, deadline: t0 + 7 * DAY, overdue: false,
      }))
      expect(open.find((i) => i.subject === 'SV-PAUSE')).toEqual(expect.objectContaining({ deadline: t0 + 10 * DAY, overdue: false }))
      expect(open.find((i) => i.subject === 'SV-WAIT-RUN')).toEqual(expect.objectContaining({ state: 'WAITING', overdue: true }))
      expect(open.find((i) => i.subject === 'SV-WAIT-RUN')).not.toHaveProperty('paused')
      const view = (await (await apiFetch(`${server.url}/api/v1/subjects/service/SV-WAIT`)).json()) as { state: string; deadline: number; paused?: number }
      expect(view).toMatchObject({ state: 'WAITING', deadline: t0 + 7 * DAY, paused: t0 + 2 * DAY })

      // 办结 at t0+9d of both resumed errands: on time with the moved deadline, late without
      const done = await post(server.url, [errand('completed', 'SV-PAUSE', t0 + 9 * DAY), errand('completed', 'SV-RUN', t0 + 9 * DAY)])
      expect(done.body).toMatchObject({ accepted: 2, rejected: [] })
      // the cohort of their accepted day holds these two 办结 only (the other errands of that day are open)
      const cohort = await server.store.hgetall(keysAt('live', GRID).day(GRID, dayKey(t0, 'Asia/Shanghai')))
      expect(cohort).toMatchObject({ 's.completed.local': '2', 's.completedOnTime.local': '1' })
    })

    it('raises the overdue alert of a waiting errand once, at its moved deadline on a 60× clock, not at the first one', async () => {
      const start = Date.parse('2026-11-20T09:00:00+08:00')
      const channel = await server.channels.createReplay('replay-svc-pause', start, 60)
      const seen: { u: AlertUpdate; channelNow: number }[] = []
      const s = await connect(server.url, 'replay-svc-pause')
      sockets.push(s)
      s.on('alert', (u) => seen.push({ u, channelNow: channel.clock.now() }))
      expect((await s.emitWithAck('subscribe', { region: '650400' })).ok).toBe(true)
      const apply = (events: unknown[]) => ingest(parseBody(JSON.stringify(events), 'application/json'),
        { store: server.store, regions: testRegions(), categories: loadCategories() },
        { channel: 'replay-svc-pause', zone: 'Asia/Shanghai', logMaxLen: 10_000, seenTtlSec: 3600 })
      const MIN = 60_000 // a channel minute: a wall second at 60×
      const first = start + 2 * MIN
      const alertsOf = (subject: string) => seen.filter((x) => x.u.alert.subject === subject && x.u.state === 'active')
      // due two minutes in, waiting for documents from the first minute on; a sentinel due half a minute after the first deadline
      const res = await apply([
        accepted('SV-P60', start, 'local', 'svc.disability.card', { deadline: iso(first) }),
        errand('returnedForDocs', 'SV-P60', start + MIN),
        accepted('SV-P60-A', start, 'local', 'svc.medical.enrol', { deadline: iso(first + MIN / 2) }),
      ])
      expect(res).toMatchObject({ accepted: 3, rejected: [] })
      await waitFor(() => alertsOf('SV-P60-A')[0], 10_000)
      expect(alertsOf('SV-P60')).toEqual([]) // the first deadline has passed while the clock stood still: no alert
      // the documents come at three minutes in (or now, if the channel is already past it): the deadline moves by the wait
      const resumedAt = Math.max(start + 3 * MIN, channel.clock.now())
      const moved = first + (resumedAt - (start + MIN))
      expect((await apply([
        errand('resumed', 'SV-P60', resumedAt),
        accepted('SV-P60-B', start, 'local', 'svc.medical.enrol', { deadline: iso(moved + MIN) }), // the sentinel of "once"
      ])).accepted).toBe(2)
      expect(Number(await server.store.hget(keysAt('replay-svc-pause', GRID).subject('service', 'SV-P60'), 'deadline'))).toBe(moved)
      const fired = await waitFor(() => alertsOf('SV-P60')[0], 15_000)
      console.log(`paused errand's overdue alert reached the socket ${fired.channelNow - moved} ms of channel time after its moved deadline (60×)`)
      expect(fired.u.alert).toMatchObject({ type: 'overdue', feed: 'service', subject: 'SV-P60', at: moved })
      expect(fired.channelNow).toBeGreaterThanOrEqual(moved)
      expect(fired.channelNow - moved).toBeLessThan(30_000)
      await waitFor(() => alertsOf('SV-P60-B')[0], 15_000)
      expect(alertsOf('SV-P60')).toHaveLength(1)
    }, 40_000)

    it('agrees with check:consistency (the log replayed through the apply model)', async () => {
      const report = await checkConsistency(server.store, { channel: 'live', zone: 'Asia/Shanghai', regions: loadRegions(), categories: loadCategories() })
      expect(report.differences).toEqual([])
    })
  })
})
