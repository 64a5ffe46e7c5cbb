// A Cluster node that answers MOVED to part of an ingest pipeline (a slot map
// gone stale in a failover: found by the partitioned failover test, where one
// run answered an event "internal error" in a 200). ioredis follows a redirect
// only when every reply of a pipeline is the same one; the pipeline's WAIT
// answers otherwise, so the EVALSHAs come back MOVED. That is "not applied":
// a 503 that claims nothing, and the sender's resend lands once the client has
// the slot map again. Here the server's slot map is made stale on purpose.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Cluster } from 'ioredis'
import { afterAll, expect, it } from 'vitest'
import { keys } from '../../server/store/keys.ts'
import { startLocalCluster } from '../../server/store/local-topology.ts'
import { slotOwner } from '../support/cluster-slot-owner.ts'
import { caseReported } from '../support/events-factory.ts'
import { eventually, post, startTestServer } from '../support/test-server.ts'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.race([c().catch(() => {}), new Promise((r) => setTimeout(r, 5000))])
})

it('answers 503 with the batch unconfirmed, not a rejection, when a node answers MOVED, and lands the resend', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-redirect-'))
  const topology = await startLocalCluster({ dir, appendonly: false })
  cleanups.push(async () => {
    await topology.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  const server = await startTestServer('redis://unused', { REDIS_URL: '', ...topology.env, REDIS_WAIT_REPLICAS: '1', LOG_LEVEL: 'fatal' })
  cleanups.push(() => server.stop())
  expect((await post(server.url, [caseReported('MOVED-0')])).status).toBe(200)

  const { port: owner, slot } = await slotOwner(topology, keys('live').log)
  const other = topology.nodes.find((n) => n.role === 'master' && n.port !== owner)!
  const cluster = server.store as unknown as Cluster
  cluster.slots[slot] = [`127.0.0.1:${other.port}`] // stale: another master, which answers MOVED

  const batch = [caseReported('MOVED-1'), caseReported('MOVED-2')]
  const moved = await post(server.url, batch)
  expect(moved.body.rejected ?? [], JSON.stringify(moved.body)).toEqual([]) // before: "internal error while applying", in a 200
  expect(moved.status, JSON.stringify(moved.body)).toBe(503)
  expect(moved.body).toMatchObject({ accepted: 0 })
  expect(moved.body.unconfirmed.map((u: { id: string }) => u.id)).toEqual(['case-MOVED-1-reported', 'case-MOVED-2-reported'])

  // the sender resends until a 200: the client refreshes its slot map, and each event lands once
  let resent: Awaited<ReturnType<typeof post>> | undefined
  await eventually(async () => {
    resent = await post(server.url, batch)
    expect(resent.status).toBe(200)
  }, 20_000)
  expect(resent!.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] })
}, 60_000)
