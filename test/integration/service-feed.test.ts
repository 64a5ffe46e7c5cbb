// 便民服务代办 through the real server and a real redis-server: the time limits
// (7 days local, 30 days outside, an item's own limit, attrs.deadline) as
// stored and as the overdue counts see them, bad errands refused while the
// good ones of the same batch land, the tablet's errand list and lifecycle,
// and the overdue alert of an errand on a 60× replay clock: at its deadline,
// exactly once (a later errand's alert is the sentinel), resolved on 办结.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { AlertUpdate } from '../../server/domain/alerts.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { parseBody } from '../../server/ingest/parse-body.ts'
import type { Running } from '../../server/main.ts'
import { keys } from '../../server/store/keys.ts'
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

const deadlineOf = async (subject: string, channel = 'live') => Number(await server.store.hget(keys(channel).subject('service', subject), 'deadline'))
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
    expect(await server.store.exists(keys('live').subject('service', 'SV-BAD-ITEM'))).toBe(0)

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
      { store: server.store, regions: loadRegions(), categories: loadCategories() },
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
})
