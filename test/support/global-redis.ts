// One real Redis for the whole test run, on free ports: one redis-server, or
// with TEST_REDIS_TOPOLOGY=cluster a 6-node Redis Cluster, or =sentinel a
// master, a replica and 3 sentinels (test/support/redis-topology-env.ts
// points the servers at it). Tests use a fresh key prefix (channel) or
// database each, so they never see each other's keys.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { startLocalCluster, startLocalSentinel, type LocalTopology } from '../../server/store/local-topology.ts'

let redis: RedisProcess | undefined
let topology: LocalTopology | undefined
let dir: string | undefined

export async function setup(project: TestProject) {
  const kind = process.env.TEST_REDIS_TOPOLOGY
  if (kind === 'cluster' || kind === 'sentinel') {
    dir = mkdtempSync(join(tmpdir(), `sr-${kind}-`))
    const t0 = Date.now()
    topology = kind === 'cluster'
      ? await startLocalCluster({ dir, appendonly: false })
      : await startLocalSentinel({ dir, appendonly: false })
    const master = topology.nodes.find((n) => n.role === 'master')!
    console.log(`test Redis: ${kind} of ${topology.nodes.length} processes started in ${Date.now() - t0} ms (${Object.entries(topology.env).map(([k, v]) => `${k}=${v}`).join(' ')})`)
    project.provide('redisUrl', master.url)
    project.provide('redisPort', master.port)
    project.provide('redisTopology', topology.env)
    return
  } else if (kind) throw new Error(`TEST_REDIS_TOPOLOGY="${kind}": use cluster, sentinel, or leave it unset for one redis-server`)
  redis = await startRedis()
  project.provide('redisUrl', redis.url)
  project.provide('redisPort', redis.port)
  project.provide('redisTopology', {})
}

export async function teardown() {
  await redis?.stop()
  await topology?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
}
