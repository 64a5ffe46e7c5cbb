// With TEST_REDIS_TOPOLOGY=cluster|sentinel (test/support/global-redis.ts),
// the servers tests start reach the run's Cluster or Sentinel set instead of
// the one-server URL tests hold, so the tests themselves run unchanged. The
// URL tests hold is the master that serves the live channel, for their own
// direct reads of it.
import { Cluster, Redis } from 'ioredis'
import { inject } from 'vitest'

const served = new Set<string>() // URLs handed to tests that stand for the topology

/** REDIS_CLUSTER_NODES or REDIS_SENTINELS + NAME of this run, or undefined for one redis-server. */
export function runTopology(): Record<string, string> | undefined {
  let env: Record<string, string>
  try {
    env = inject('redisTopology') ?? {}
  } catch {
    return undefined // outside vitest (benchmarks)
  }
  return Object.keys(env).length > 0 ? env : undefined
}

/** The server settings for a test's redisUrl: the topology's when the URL stands for it, else REDIS_URL. */
export function redisEnvFor(redisUrl: string): Record<string, string> {
  const topology = runTopology()
  return topology && served.has(redisUrl) ? topology : { REDIS_URL: redisUrl }
}

/** Empty every master of the run's topology; the URL of the master serving the live channel. */
export async function freshTopologyUrl(topology: Record<string, string>): Promise<string> {
  let url: string
  if (topology.REDIS_CLUSTER_NODES) {
    const [host, port] = topology.REDIS_CLUSTER_NODES.split(',')[0]!.split(':')
    const c = new Cluster([{ host: host!, port: Number(port) }])
    try {
      await Promise.all(c.nodes('master').map((n) => n.flushall()))
      const slot = Number(await c.nodes('master')[0]!.cluster('KEYSLOT', 'sr:{live}:log'))
      const shards = await c.nodes('master')[0]!.cluster('SLOTS')
      const owner = shards.find(([from, to]) => slot >= from && slot <= to)![2]!
      url = `redis://${owner[0]}:${owner[1]}`
    } finally {
      c.disconnect()
    }
  } else {
    const [host, port] = topology.REDIS_SENTINELS!.split(',')[0]!.split(':')
    const s = new Redis({ host, port: Number(port) })
    try {
      const [mh, mp] = (await s.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', topology.REDIS_SENTINEL_NAME!)) as [string, string]
      url = `redis://${mh}:${mp}`
    } finally {
      s.disconnect()
    }
    const m = new Redis(url)
    await m.flushall()
    m.disconnect()
  }
  served.add(url)
  return url
}
