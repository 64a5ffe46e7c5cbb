// Every alert kind ends by itself and is pushed as resolved (issue 13), on a
// drill channel whose clock runs 600× (ten channel minutes a wall second):
// an urgent case's alert when the case closes or is cancelled, a critical IoT
// alert on its clearing event or after its quiet time, a repeat hotspot when
// its window has passed, a surge when the township's last hour is back under
// the threshold. (Overdue resolving on close: alerts.test.ts.)
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { AlertUpdate } from '../../server/domain/alerts.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import type { Channel } from '../../server/channels/channels.ts'
import { ingest } from '../../server/ingest/ingest.ts'
import { parseBody } from '../../server/ingest/parse-body.ts'
import { loadCategories } from '../../server/config.ts'
import { testRegions } from '../support/test-partitions.ts'
import type { Running } from '../../server/main.ts'
import { caseReported, caseStep, GRID, hotlineReceived, iso } from '../support/events-factory.ts'
import { apiFetch, connect, eventually, freshRedisUrl, startTestServer, waitFor, type TestSocket } from '../support/test-server.ts'

const CHANNEL = 'replay-alert-life'
const SPEED = 600
const MINUTE = 60_000
const QUIET_MIN = 20
const HOTSPOT_HOURS = 0.5
const alertsFile = join(mkdtempSync(join(tmpdir(), 'sr-alerts-')), 'alerts.json')
writeFileSync(alertsFile, JSON.stringify({
  surge: { factor: 3, minCount: 6, everySec: 1 },
  hotspot: { count: 3, windowHours: HOTSPOT_HOURS, kinds: ['complaint'] },
  critical: { quietMinutes: QUIET_MIN },
}))

let server: Running
let channel: Channel
let socket: TestSocket
const seen: { u: AlertUpdate; channelNow: number }[] = []
const regions = testRegions() // as the server splits it (PARTITION_LEVEL)
const categories = loadCategories()

/** Ingest into the drill channel with the server's own alert rules, as the inject route does. */
async function send(events: unknown[]) {
  const res = await ingest(parseBody(JSON.stringify(events), 'application/json'), {
    store: server.store, regions, categories, onApplied: (c, applied) => server.alerting.onApplied(c, applied),
  }, { channel: CHANNEL, zone: 'Asia/Shanghai', logMaxLen: 10_000, seenTtlSec: 3600 })
  expect(res.rejected).toEqual([])
}
const update = (id: string, state: AlertUpdate['state']) => () => seen.find((x) => x.u.alert.id === id && x.u.state === state)
const activeIds = async () =>
  ((await (await apiFetch(`${server.url}/api/v1/snapshot?channel=${CHANNEL}`)).json()) as Snapshot).alerts.map((a) => a.id)

beforeAll(async () => {
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { ALERTS_FILE: alertsFile })
  channel = await server.channels.createReplay(CHANNEL, Date.parse('2026-11-20T09:00:00+08:00'), SPEED)
  socket = await connect(server.url, CHANNEL)
  socket.on('alert', (u) => seen.push({ u, channelNow: channel.clock.now() }))
  expect((await socket.emitWithAck('subscribe', { region: '650400' })).ok).toBe(true)
})
afterAll(async () => {
  socket?.disconnect()
  await server?.stop()
})

describe('alerts end by themselves', () => {
  it('resolves an urgent case\'s alert when the case closes, not while it is open', async () => {
    const t = channel.clock.now()
    const urgent = (subject: string, at: number) => ({ ...caseReported(subject, at), attrs: { source: 'grid', priority: 'urgent' } })
    // the sentinel is the OLDER alert: a resolving round takes the newest first, so a wrong end of U1 would come before it
    await send([urgent('LIFE-U2', t - MINUTE), urgent('LIFE-U1', t)])
    await waitFor(update('urgent:case:LIFE-U1', 'active'))
    await send([caseStep('LIFE-U1', 'registered', t + 1000), caseStep('LIFE-U1', 'dispatched', t + 2000), caseStep('LIFE-U2', 'cancelled', t + 3000)])
    await waitFor(update('urgent:case:LIFE-U2', 'resolved'), 8000)
    expect(update('urgent:case:LIFE-U1', 'resolved')()).toBeUndefined() // still open: still active
    expect(await activeIds()).toContain('urgent:case:LIFE-U1')
    await send([caseStep('LIFE-U1', 'disposed', t + 4000), caseStep('LIFE-U1', 'closed', t + 5000)])
    await waitFor(update('urgent:case:LIFE-U1', 'resolved'), 8000)
    expect(await activeIds()).not.toContain('urgent:case:LIFE-U1')
  }, 30_000)

  it('resolves a critical IoT alert on its clearing event at once, and another after its quiet time', async () => {
    const t = channel.clock.now()
    const critical = (id: string, at: number) => ({
      id, feed: 'grid', type: 'alert', subject: 'LIFE-W1', at: iso(at), region: GRID, attrs: { severity: 'critical', source: 'iot', title: '水位超限' },
    })
    await send([critical('life-crit-1', t), critical('life-crit-2', t + 1000)])
    await waitFor(update('critical:life-crit-1', 'active'))
    await waitFor(update('critical:life-crit-2', 'active'))
    const clearing = { id: 'life-crit-1-clear', feed: 'grid', type: 'alert', subject: 'LIFE-W1', at: iso(t + 2000), region: GRID, attrs: { severity: 'info', clears: 'life-crit-1' } }
    await send([clearing])
    const cleared = await waitFor(update('critical:life-crit-1', 'resolved'), 3000)
    // the clearing event ended only the alert it names: the other one waits for its quiet time
    expect(update('critical:life-crit-2', 'resolved')()).toBeUndefined()
    expect(cleared.channelNow - t).toBeLessThan(QUIET_MIN * MINUTE)
    const quiet = await waitFor(update('critical:life-crit-2', 'resolved'), 15_000)
    expect(quiet.channelNow).toBeGreaterThanOrEqual(t + 1000 + QUIET_MIN * MINUTE)
  }, 30_000)

  it('resolves a repeat hotspot when its window has passed', async () => {
    const t = channel.clock.now()
    const complaint = (n: number) => ({ ...hotlineReceived(`LIFE-HOT-${n}`, t + n * 1000), attrs: { kind: 'complaint' } })
    await send([complaint(1), complaint(2), complaint(3)])
    const raised = await waitFor(() => seen.find((x) => x.u.alert.type === 'hotspot' && x.u.state === 'active'), 5000)
    const resolved = await waitFor(update(raised.u.alert.id, 'resolved'), 20_000)
    expect(resolved.channelNow).toBeGreaterThanOrEqual(raised.u.alert.at + HOTSPOT_HOURS * 3_600_000)
  }, 30_000)

  it('resolves a surge when the township\'s last hour is back under the threshold', async () => {
    const t = channel.clock.now()
    const grid = '650421100001001' // 鄯善镇
    await send(Array.from({ length: 8 }, (_, i) => caseReported(`LIFE-SURGE-${i}`, t - i * 1000, grid)))
    const raised = await waitFor(() => seen.find((x) => x.u.alert.type === 'surge' && x.u.state === 'active'), 8000)
    expect(raised.u.alert.region).toBe('650421100')
    const resolved = await waitFor(update(raised.u.alert.id, 'resolved'), 20_000)
    // the hour that held the surge has passed (or a newer hour's alert took over while it still held)
    const superseded = seen.some((x) => x.u.alert.type === 'surge' && x.u.alert.id !== raised.u.alert.id)
    if (!superseded) expect(resolved.channelNow).toBeGreaterThan(t)
    await eventually(async () => expect((await activeIds()).filter((id) => id.startsWith('surge:650421100'))).toEqual([]), 20_000)
  }, 45_000)
})
