// startLocalCluster with 1 master (the 1-vs-3-masters partition benchmark's
// small side): redis-cli --cluster create needs 3 masters, so the slots are
// assigned by hand; the lone node announces 127.0.0.1 (without it CLUSTER SLOTS
// names it '' and an ioredis Cluster client never reaches it), and it stops by PID.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Cluster } from 'ioredis'
import { afterAll, expect, it } from 'vitest'
import { keys } from '../../server/store/keys.ts'
import { startLocalCluster, type LocalTopology } from '../../server/store/local-topology.ts'

const dir = mkdtempSync(join(tmpdir(), 'sr-one-master-'))
let topology: LocalTopology | undefined
afterAll(async () => {
  await topology?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const alive = (pid: number) => { try { process.kill(pid, 0); return true } catch { return false } }

it('forms a 1-master Cluster that an ioredis Cluster client writes partitions to, and stops it by PID', async () => {
  topology = await startLocalCluster({ dir, masters: 1, appendonly: false })
  expect(topology.nodes.map((n) => n.role)).toEqual(['master'])
  const [node] = topology.nodes
  const c = new Cluster([{ host: '127.0.0.1', port: node!.port }])
  try {
    const slots = await c.cluster('SLOTS')
    expect(slots.map(([from, to, owner]) => [from, to, owner?.[0]])).toEqual([[0, 16_383, '127.0.0.1']])
    for (const p of ['', '650400', '650500']) await c.set(keys('live', p).meta, p || 'root')
    expect(await Promise.all(['', '650400', '650500'].map((p) => c.get(keys('live', p).meta)))).toEqual(['root', '650400', '650500'])
  } finally {
    c.disconnect()
  }
  expect(alive(node!.pid)).toBe(true)
  await topology.stop()
  topology = undefined
  expect(alive(node!.pid)).toBe(false)
}, 60_000)

it('refuses replicas on fewer than 3 masters, saying why', async () => {
  await expect(startLocalCluster({ dir: join(dir, 'x'), masters: 2, replicasPerMaster: 1 })).rejects.toThrow(/formed here without replicas: pass replicasPerMaster 0/)
})
