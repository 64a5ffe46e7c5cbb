/**
 * npm run cluster:local / sentinel:local: a Redis Cluster (3 masters, 3
 * replicas) or a Sentinel set (1 master, 1 replica, 3 sentinels) on loopback
 * ports, data under ./data/cluster or ./data/sentinel, until Ctrl-C; prints
 * the settings that point a server at it.
 */
import { resolve } from 'node:path'
import { startLocalCluster, startLocalSentinel, type LocalTopology } from '../store/local-topology.ts'

const USAGE = `用法 / usage: tsx server/cli/redis-local.ts cluster|sentinel
  cluster   3 个主节点 + 3 个副本 (3 masters + 3 replicas), 端口 CLUSTER_PORT 起 (default 7000-7005), 数据 ./data/cluster
  sentinel  1 主 + 1 副本 + 3 哨兵 (master, replica, 3 sentinels), 端口 SENTINEL_PORT 起 (default 6390-6394), 数据 ./data/sentinel`

const kind = process.argv[2]
if (kind !== 'cluster' && kind !== 'sentinel') {
  console.error(USAGE)
  process.exit(2)
}

function basePort(name: string, fallback: number): number {
  const raw = process.env[name]
  const n = raw ? Number(raw) : fallback
  if (!Number.isInteger(n) || n < 1024 || n > 55_000) throw new Error(`${name}="${raw}" must be a port between 1024 and 55000`)
  return n
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i)
const progress = (line: string) => console.log(`  ${line}`)

let topology: LocalTopology
try {
  topology = kind === 'cluster'
    ? await startLocalCluster({ dir: resolve('data/cluster'), ports: range(basePort('CLUSTER_PORT', 7000), 6), progress })
    : await startLocalSentinel({ dir: resolve('data/sentinel'), ports: range(basePort('SENTINEL_PORT', 6390), 5), progress })
} catch (err) {
  console.error(`错误 / error: ${(err as Error).message}`)
  process.exit(1)
}

const line = Object.entries(topology.env).map(([k, v]) => `${k}=${v}`).join(' ')
console.log(`\n${kind === 'cluster' ? 'Redis Cluster' : 'Redis Sentinel'} ready (pids ${topology.nodes.map((n) => `${n.role} ${n.port}:${n.pid}`).join(', ')})`)
console.log(`start a server on it with:\n\n  ${line} npm start\n\nCtrl-C stops every process started here.`)

let stopping = false
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  console.log(`${signal}: stopping ${topology.nodes.length} redis-server processes…`)
  await topology.stop()
  process.exit(0)
}
process.on('SIGINT', () => void stop('SIGINT'))
process.on('SIGTERM', () => void stop('SIGTERM'))
