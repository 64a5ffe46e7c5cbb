// Floods of the socket side (issue 10, item 1): many subscribes per socket,
// concurrent city snapshots with maximal alert texts, a thousand sockets at
// once. During each the instance stays up and /healthz answers 200 every time;
// the latency and memory figures are printed by `npm run bench:flood`. The
// server runs in a process of its own, so the clients' work here (ten thousand
// emits and acks) does not stall the server's event loop.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { loadRegions } from '../../server/config.ts'
import type { Ack, LiveEvent, Snapshot, SubscribeReq } from '../../server/domain/protocol.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { caseReported, iso } from '../support/events-factory.ts'
import { firstGridOf, largestAccepted, openSockets, pollHealth, subscribeBurst } from '../support/socket-swarm.ts'
import { connect, eventually, freshRedisUrl, post, startTestServer, tokenFor, waitFor, type TestSocket } from '../support/test-server.ts'

const regions = loadRegions()
const root = regions.root.code
const districts = regions.childrenOf(root).map((r) => r.code)
const gridOf = (code: string): string => firstGridOf(regions, code)
const CLEAR_REFUSALS = new Set(['SUPERSEDED', 'RATE_LIMITED', 'OVERLOADED'])

let server: ServerProcess
const open: TestSocket[] = []

beforeAll(async () => {
  // every test client comes from 127.0.0.1: room for the thousand at once (the per-address cap has its own test below)
  process.env.SOCKET_MAX_PER_ADDRESS = '1500'
  server = await spawnServer(await freshRedisUrl(inject('redisUrl')))
  delete process.env.SOCKET_MAX_PER_ADDRESS
}, 30_000)
afterAll(async () => {
  for (const s of open) s.close()
  await server?.stop()
})

/** Run `work` while /healthz is polled; every poll must answer 200. */
async function whileHealthy<T>(work: () => Promise<T>): Promise<T> {
  const health = pollHealth(server.url)
  const result = await work()
  const log = await health.stop()
  expect(log.failures).toEqual([])
  expect(log.answers).toBeGreaterThan(0)
  return result
}

function expectClear(ack: Ack<Snapshot>, req: SubscribeReq) {
  if (ack.ok) expect(ack.data.region).toBe(req.region)
  else {
    expect(CLEAR_REFUSALS).toContain(ack.code)
    expect(ack.message.length).toBeGreaterThan(10)
  }
}

describe('socket floods', () => {
  it('20 sockets × 500 subscribes: every ack comes back, clear refusals, the last accepted subscribe of each socket wins', async () => {
    const swarm = await openSockets(server.url, 20, { token: tokenFor(server.url) })
    open.push(...swarm.connected)
    expect(swarm.refused).toEqual([])
    const targets = [root, ...districts]
    const plans = swarm.connected.map((_, s) => Array.from({ length: 500 }, (_, i): SubscribeReq => ({ region: targets[(s + i * 7) % targets.length]! })))
    const acks = await whileHealthy(() => Promise.all(swarm.connected.map((socket, s) => subscribeBurst(socket, plans[s]!))))

    const codes = new Map<string, number>()
    const winners: string[] = []
    acks.forEach((list, s) => {
      expect(list).toHaveLength(500)
      list.forEach((ack, i) => {
        expectClear(ack, plans[s]![i]!)
        const code = ack.ok ? 'ok' : ack.code
        codes.set(code, (codes.get(code) ?? 0) + 1)
      })
      const last = list.findLastIndex((ack) => ack.ok || ack.code !== 'RATE_LIMITED')
      expect(list[last]!.ok).toBe(true) // the newest accepted one is answered with its snapshot
      winners.push(plans[s]![last]!.region)
    })
    expect(codes.get('RATE_LIMITED')).toBeGreaterThan(0)
    expect(codes.get('SUPERSEDED')).toBeGreaterThan(0)

    // the winners are live: each socket gets exactly the events of its last region's subtree
    const received = swarm.connected.map((socket) => {
      const got: LiveEvent[] = []
      socket.on('events', (b) => got.push(...b.items))
      return got
    })
    await post(server.url, districts.map((d) => caseReported(`FLOOD-${d}`, undefined, gridOf(d))))
    await post(server.url, districts.map((d) => caseReported(`SENTINEL-${d}`, undefined, gridOf(d))))
    for (const [s, got] of received.entries()) {
      const winner = winners[s]!
      const mine = districts.filter((d) => regions.within(d, winner))
      await waitFor(() => mine.every((d) => got.some((e) => e.subject === `SENTINEL-${d}`)) || undefined, 15_000)
      const expected = [...mine.map((d) => `FLOOD-${d}`), ...mine.map((d) => `SENTINEL-${d}`)]
      expect(got.map((e) => e.subject).sort()).toEqual(expected.sort())
    }
    swarm.closeAll()
  }, 180_000)

  it('8 concurrent city snapshots with maximal alert texts are answered while /healthz keeps answering', async () => {
    const watcher = await connect(server.url)
    open.push(watcher)
    const raised: string[] = []
    watcher.on('alert', (u) => { if (u.alert.type === 'critical') raised.push(u.alert.id) })
    expect((await watcher.emitWithAck('subscribe', { region: root })).ok).toBe(true)

    // the longest title ingest accepts (whatever its bounds are today), in 3-byte characters: halve, then bisect
    const alertEvent = (name: string, n: number, chars: number) => ({
      id: `grid-${name}${n}-alert`, feed: 'grid', type: 'alert', subject: `${name}${n}`, at: iso(Date.now()),
      region: gridOf(districts[n % districts.length]!), attrs: { severity: 'critical', source: 'iot', title: '告'.repeat(chars) },
    })
    let probes = 0
    const accepts = async (chars: number) => (await post(server.url, [alertEvent('FLOODPROBE', probes++, chars)])).body.accepted === 1
    const size = await largestAccepted(accepts)
    expect(size).toBeGreaterThan(0)
    for (let n = 0; n < 40; n++) expect((await post(server.url, [alertEvent('FLOODALERT', n, size)])).body.accepted).toBe(1)
    await waitFor(() => (raised.filter((id) => id.includes('FLOODALERT')).length === 40 ? true : undefined), 60_000)

    const readers = await openSockets(server.url, 8, { token: tokenFor(server.url) })
    open.push(...readers.connected)
    expect(readers.refused).toEqual([])
    const acks = await whileHealthy(() => Promise.all(readers.connected.map((s) => s.emitWithAck('subscribe', { region: root }))))
    for (const ack of acks) {
      expect(ack.ok, ack.ok ? '' : `${ack.code}: ${ack.message}`).toBe(true)
      if (!ack.ok) continue
      expect(ack.data.region).toBe(root)
      expect(ack.data.alerts.filter((a) => a.id.includes('FLOODALERT')).length).toBe(40)
    }
    readers.closeAll()
  }, 300_000)

  it('1,000 sockets connecting at once all connect and get the city snapshot', async () => {
    const swarm = await whileHealthy(async () => {
      const s = await openSockets(server.url, 1000, { token: tokenFor(server.url) })
      const acks = await Promise.all(s.connected.map((socket) => socket.emitWithAck('subscribe', { region: root })))
      return { ...s, acks }
    })
    expect(swarm.refused).toEqual([])
    expect(swarm.connected).toHaveLength(1000)
    for (const ack of swarm.acks) expectClear(ack, { region: root })
    expect(swarm.acks.filter((a) => a.ok).length).toBe(1000)
    swarm.closeAll()
  }, 180_000)
})

describe('handshake limits', () => {
  it('refuses sockets past SOCKET_MAX_PER_ADDRESS with TOO_MANY_CONNECTIONS, and counts a closed one out', async () => {
    const small = await startTestServer(await freshRedisUrl(inject('redisUrl')), { SOCKET_MAX_PER_ADDRESS: '5' })
    try {
      const swarm = await openSockets(small.url, 8, { token: tokenFor(small.url) })
      expect(swarm.connected).toHaveLength(5)
      expect(swarm.refused).toEqual(['TOO_MANY_CONNECTIONS', 'TOO_MANY_CONNECTIONS', 'TOO_MANY_CONNECTIONS'])
      swarm.connected[0]!.close()
      const again = await eventually(async () => {
        const one = await openSockets(small.url, 1, { token: tokenFor(small.url) })
        if (one.connected.length === 1) return one
        one.closeAll()
        throw new Error(`still refused: ${one.refused.join()}`)
      }, 10_000)
      again.closeAll()
      swarm.closeAll()
    } finally {
      await small.stop()
    }
  }, 60_000)
})
