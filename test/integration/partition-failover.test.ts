// kill -9 of a Redis Cluster master mid-ingest with PARTITION_LEVEL=district
// (DESIGN §11, §12): the master that holds the channel's own slot, where the
// subject routes and held steps live, beside the root partition. Two server
// instances with REDIS_WAIT_REPLICAS=1 and a wall on each; every batch has
// cases reported in the three districts' grids, the next step of the cases
// of the batch before (no place: it follows its case's route) and a step that
// arrives before its case is reported (no place, no route yet: held on the
// channel slot, released when the case arrives in the next batch). A sender
// resends a batch until it gets a 200. Nothing acknowledged is lost, a held
// step is applied once, each wall shows each event once, and check:consistency
// recounts every partition without a difference.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { checkConsistency } from '../../server/cli/check-consistency.ts'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { createRedis } from '../../server/store/redis-client.ts'
import { keys } from '../../server/store/keys.ts'
import { until } from '../../server/store/local-processes.ts'
import { startLocalCluster, type LocalTopology } from '../../server/store/local-topology.ts'
import { redisSettingsFromEnv } from '../../server/store/redis-topology.ts'
import { caseReported, caseStep } from '../support/events-factory.ts'
import { slotOwner } from '../support/cluster-slot-owner.ts'
import { instancesWithWalls } from '../support/instances-with-walls.ts'
import { eventually, post } from '../support/test-server.ts'

const regions = loadRegions(undefined, 'district')
const DISTRICTS = ['650402', '650421', '650422']
const gridOf = (district: string) => regions.collection.features.find((f) => f.properties.level === 'grid' && regions.within(f.properties.code, district))!.properties.code
const GRIDS = DISTRICTS.map(gridOf)
const AFTER_RECOVERY = 15 // batches acknowledged after the first 200 that follows the kill

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await Promise.race([c().catch(() => {}), new Promise((r) => setTimeout(r, 5000))])
})

/** The port of the master that serves `key`'s slot, asked of a node other than `besides`. */
const masterOf = async (t: LocalTopology, key: string, besides = 0) => (await slotOwner(t, key, besides)).port

/** Event ids logged applied in every partition's log, and how many applied entries name each. */
async function logged(t: LocalTopology): Promise<Map<string, number>> {
  const r = createRedis(redisSettingsFromEnv(t.env).topology!)
  try {
    await r.connect()
    const ids = new Map<string, number>()
    for (const p of regions.partitions) {
      for (const [, fields] of await r.xrange(keys('live', p).log, '-', '+')) {
        const f: Record<string, string> = {}
        for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!
        if (f.a !== '1' && f.a !== 'u') continue // parked ('p', logged again as 'u' when applied) or refused
        const id = (JSON.parse(f.e!) as { id: string }).id
        ids.set(id, (ids.get(id) ?? 0) + 1)
      }
    }
    return ids
  } finally {
    r.disconnect()
  }
}

it('loses no acknowledged event when the channel slot\'s master is killed mid-ingest, held steps included', async () => {
  const t0 = Date.now()
  const dir = mkdtempSync(join(tmpdir(), 'sr-partition-failover-'))
  const topology = await startLocalCluster({ dir, nodeTimeoutMs: 1000 })
  cleanups.push(async () => {
    await topology.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  const env = { REDIS_URL: '', ...topology.env, PARTITION_LEVEL: 'district', REDIS_WAIT_REPLICAS: '1', LOG_LEVEL: 'error' }
  const { instances, walls } = await instancesWithWalls(env, cleanups, { counted: (e) => e.applied })

  const victim = await masterOf(topology, keys('live').log)
  const districtMasters = await Promise.all(DISTRICTS.map((d) => masterOf(topology, keys('live', d).log)))
  const acked = new Set<string>()
  const outOfOrder = { answered: 0 }
  let killedAt = 0
  let recoveredAt = 0
  let promotedAt = 0
  let answers503 = 0
  let okAfterRecovery = 0
  let restarted: Promise<void> | undefined
  const deadline = Date.now() + 60_000
  const base = Date.now() - 3_600_000 // event times an hour back, a minute apart per batch: steps follow their case in time
  /** Batch n: 3 cases reported (one a district), the step of batch n−1's cases, and the case of batch n−1's early step. */
  const batchOf = (n: number) => {
    const at = base + n * 60_000
    const out: Record<string, unknown>[] = []
    DISTRICTS.forEach((_, d) => out.push(caseReported(`PF-${n}-${d}`, at, GRIDS[d])))
    if (n > 0) DISTRICTS.forEach((_, d) => out.push(caseStep(`PF-${n - 1}-${d}`, 'registered', at + 1_000)))
    out.push(caseStep(`PF-early-${n}`, 'registered', at + 5_000)) // before its case: held until batch n+1
    if (n > 0) out.push(caseReported(`PF-early-${n - 1}`, at - 50_000, GRIDS[(n - 1) % 3]))
    return out
  }
  const send = async (batch: Record<string, unknown>[], tag: string) => {
    for (;;) { // the sender: the same batch again until it is acknowledged
      if (Date.now() > deadline) throw new Error(`ingest did not recover within 60 s (${answers503} answers 503 since the kill)`)
      const res = await post(instances[Math.floor(Math.random() * 2)]!.url, batch).catch((err: Error) => ({ status: 0, body: { error: err.message } as Record<string, any> }))
      if (res.status === 200) {
        expect(res.body.rejected, tag).toEqual([])
        outOfOrder.answered += res.body.outOfOrder
        for (const e of batch) acked.add(e.id as string)
        return true
      }
      expect(res.status, JSON.stringify(res.body)).toBe(503) // never a 500, never a wrong 200
      answers503++
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  let n = 0
  while (okAfterRecovery < AFTER_RECOVERY) {
    if (n === 10 && !killedAt) {
      process.kill(topology.nodes.find((x) => x.port === victim)!.pid, 'SIGKILL')
      killedAt = Date.now()
      restarted = (async () => { // the supervisor: start it again once a replica has taken its place
        await until('a replica promoted', async () => (await masterOf(topology, keys('live').log, victim)) !== victim, 30_000)
        promotedAt = Date.now()
        await topology.restart(victim)
      })()
      restarted.catch(() => {})
    }
    const before503 = answers503
    await send(batchOf(n), `batch ${n}`)
    if (killedAt && answers503 > before503 && !recoveredAt) recoveredAt = Date.now()
    if (recoveredAt || (killedAt && Date.now() - killedAt > 5000)) okAfterRecovery++
    n++
  }
  await send([caseReported(`PF-early-${n - 1}`, base + n * 60_000, GRIDS[0])], 'the last early step\'s case') // nothing left held
  await restarted
  const check = createRedis(redisSettingsFromEnv(topology.env).topology!)
  let differences: number
  let entries: number
  try {
    await check.connect()
    const report = await checkConsistency(check, { channel: 'live', zone: 'Asia/Shanghai', regions, categories: loadCategories() })
    differences = report.differences.length
    entries = report.entries
  } finally {
    check.disconnect()
  }
  const inLogs = await logged(topology)
  const lost = [...acked].filter((id) => !inLogs.has(id))
  const twice = [...inLogs].filter(([, c]) => c > 1).map(([id]) => id)
  await eventually(() => { for (const w of walls) expect([...acked].filter((id) => !w.has(id))).toEqual([]) }, 20_000).catch(() => {})
  const holes = walls.map((w) => [...acked].filter((id) => !w.has(id)).length)
  const duplicates = walls.map((w) => [...w.values()].filter((c) => c > 1).length)
  console.log(`partitioned failover (district, 4 partitions; killed the channel slot's master :${victim}, district masters ${districtMasters.join('/')}): ` +
    `${acked.size} events acknowledged in ${n + 1} batches (${outOfOrder.answered} answered outOfOrder, held or parked); lost ${lost.length}, applied twice ${twice.length}; ` +
    `holes on the walls ${holes.join('/')}, duplicates ${duplicates.join('/')}; check:consistency ${entries} entries, ${differences} differences; ` +
    `ingest answered 503 ${answers503} times; replica promoted ${promotedAt ? promotedAt - killedAt : 0} ms after the kill; test ${Date.now() - t0} ms`)
  expect(promotedAt).toBeGreaterThan(0) // the failover did happen
  expect(answers503).toBeGreaterThan(0) // and ingest saw it
  expect(outOfOrder.answered).toBeGreaterThan(0) // steps were held
  expect(lost).toEqual([]) // (an id logged applied twice is printed, not judged: the tailer hands each over once, and the recount judges the counters)

  expect(holes).toEqual([0, 0])
  expect(duplicates).toEqual([0, 0])
  expect(differences).toBe(0)
}, 120_000)
