/**
 * Starts a real Redis Cluster (masters + replicas) or a Sentinel set (master,
 * replicas, sentinels) of redis-server processes on loopback: for
 * `npm run cluster:local` / `sentinel:local` and for the tests that run the
 * server on them. Every process is stopped by its PID.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { RedisProcess } from './redis-process.ts'
import { ask, field, freePorts, Processes, until } from './local-processes.ts'

const run = promisify(execFile)

export interface LocalNode extends RedisProcess { role: 'master' | 'replica' | 'sentinel' }

export interface LocalTopology {
  kind: 'cluster' | 'sentinel'
  /** The server settings that reach it (REDIS_CLUSTER_NODES, or REDIS_SENTINELS + REDIS_SENTINEL_NAME). */
  env: Record<string, string>
  /** The processes as started (roles change with a failover: ask Redis for the current ones). */
  nodes: LocalNode[]
  /** Start the process of a port again with its settings and data, as a supervisor would after a crash; resolves when it accepts connections. */
  restart(port: number): Promise<RedisProcess>
  stop(): Promise<void>
}

export interface LocalClusterOptions {
  dir: string
  masters?: number
  /** Default 1; 0 with fewer than 3 masters (formed by hand: redis-cli --cluster create needs 3). */
  replicasPerMaster?: number
  /** Client ports (masters × (1 + replicas) of them); default: free ones. The bus port of each is port + 10000 unless busPorts. */
  ports?: number[]
  busPorts?: number[]
  /** cluster-node-timeout: how long a silent master is waited for before a replica takes over. */
  nodeTimeoutMs?: number
  appendonly?: boolean
  progress?: (line: string) => void
}

/** A Redis Cluster of `masters` masters with `replicasPerMaster` replicas each, every slot covered, replicas in sync. */
export async function startLocalCluster(o: LocalClusterOptions): Promise<LocalTopology> {
  const masters = o.masters ?? 3
  const replicas = o.replicasPerMaster ?? (masters < 3 ? 0 : 1)
  const count = masters * (1 + replicas)
  if (masters < 1) throw new Error(`a cluster needs at least 1 master, not ${masters}`)
  // redis-cli --cluster create needs 3 masters; 1 or 2 are formed by hand, without replicas
  if (masters < 3 && replicas > 0) throw new Error(`a cluster of ${masters} master(s) is formed here without replicas: pass replicasPerMaster 0 (or 3 masters or more)`)
  const ports = o.ports ?? (await freePorts(count))
  const busPorts = o.busPorts ?? (o.ports ? ports.map((p) => p + 10_000) : await freePorts(count))
  if (ports.length !== count) throw new Error(`a cluster of ${masters} masters and ${replicas} replica(s) each needs ${count} ports, got ${ports.length}`)
  const say = o.progress ?? (() => {})
  const formed = ports.every((p) => existsSync(join(o.dir, String(p), 'nodes.conf')))
  const procs = new Processes()
  const started: RedisProcess[] = []
  return startedOrStopped(procs, 'cluster', async () => {
    for (const [i, port] of ports.entries()) {
      started.push(await procs.start({
        port, dir: join(o.dir, String(port)), appendonly: o.appendonly ?? true,
        args: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-port', String(busPorts[i]),
          '--cluster-node-timeout', String(o.nodeTimeoutMs ?? 2000), '--cluster-require-full-coverage', 'no',
          // a node that never met another one does not know its own address (CLUSTER SLOTS names it ''): say it
          ...(masters < 3 ? ['--cluster-announce-ip', '127.0.0.1'] : [])],
      }))
      say(`redis-server ${port} (pid ${started.at(-1)!.pid}) started`)
    }
    if (!formed) {
      say(`forming the cluster: ${masters} masters, ${replicas} replica(s) each`)
      if (masters < 3) await formByHand(ports, busPorts)
      else await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'])
    } else say('cluster already formed in this directory: rejoining')
    await until('every node to see the cluster as ok', async () => {
      for (const port of ports) {
        const info = await ask(port, (r) => r.cluster('INFO') as Promise<string>)
        if (field(info, 'cluster_state') !== 'ok' || field(info, 'cluster_slots_ok') !== '16384' || field(info, 'cluster_known_nodes') !== String(count)) return false
      }
      return true
    })
    const nodes: LocalNode[] = []
    for (const [i, port] of ports.entries()) {
      const repl = await ask(port, (r) => r.info('replication'))
      const role = field(repl, 'role') === 'master' ? 'master' : 'replica'
      nodes.push({ ...started[i]!, role })
    }
    await until('every replica in sync with its master', async () => {
      for (const n of nodes.filter((x) => x.role === 'replica')) {
        if (field(await ask(n.port, (r) => r.info('replication')), 'master_link_status') !== 'up') return false
      }
      return true
    })
    return { env: { REDIS_CLUSTER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(',') }, nodes }
  })
}

/** 1 or 2 masters (no replicas): each takes an equal share of the 16384 slots, and the first meets the others. */
async function formByHand(ports: number[], busPorts: number[]): Promise<void> {
  const share = Math.ceil(16_384 / ports.length)
  for (const [i, port] of ports.entries()) {
    await ask(port, (r) => r.call('CLUSTER', 'ADDSLOTSRANGE', String(i * share), String(Math.min(16_383, (i + 1) * share - 1))))
  }
  for (const [i, port] of ports.entries()) if (i > 0) await ask(ports[0]!, (r) => r.call('CLUSTER', 'MEET', '127.0.0.1', String(port), String(busPorts[i])))
}

export interface LocalSentinelOptions {
  dir: string
  name?: string
  replicas?: number
  sentinels?: number
  /** Ports: master, then replicas, then sentinels; default: free ones. */
  ports?: number[]
  /** down-after-milliseconds: how long a silent master is waited for before the sentinels vote. */
  downAfterMs?: number
  appendonly?: boolean
  progress?: (line: string) => void
}

/** One master, `replicas` replicas in sync, and `sentinels` sentinels (quorum: a majority) that know them and each other. */
export async function startLocalSentinel(o: LocalSentinelOptions): Promise<LocalTopology> {
  const name = o.name ?? 'situation-room'
  const replicaCount = o.replicas ?? 1
  const sentinelCount = o.sentinels ?? 3
  const ports = o.ports ?? (await freePorts(1 + replicaCount + sentinelCount))
  const say = o.progress ?? (() => {})
  const procs = new Processes()
  const nodes: LocalNode[] = []
  return startedOrStopped(procs, 'sentinel', async () => {
    const [masterPort, ...rest] = ports
    const master = await procs.start({ port: masterPort!, dir: join(o.dir, String(masterPort)), appendonly: o.appendonly ?? true })
    nodes.push({ ...master, role: 'master' })
    say(`master ${master.port} (pid ${master.pid}) started`)
    for (const port of rest.slice(0, replicaCount)) {
      const replica = await procs.start({ port, dir: join(o.dir, String(port)), appendonly: o.appendonly ?? true, args: ['--replicaof', '127.0.0.1', String(master.port)] })
      nodes.push({ ...replica, role: 'replica' })
      say(`replica ${port} (pid ${replica.pid}) started`)
    }
    await until('every replica in sync with the master', async () => {
      for (const n of nodes.filter((x) => x.role === 'replica')) {
        if (field(await ask(n.port, (r) => r.info('replication')), 'master_link_status') !== 'up') return false
      }
      return true
    })
    const quorum = Math.floor(sentinelCount / 2) + 1
    for (const port of rest.slice(replicaCount, replicaCount + sentinelCount)) {
      const dir = join(o.dir, String(port))
      mkdirSync(dir, { recursive: true })
      const conf = join(dir, 'sentinel.conf')
      writeFileSync(conf, [ // written afresh each start: a sentinel rewrites it with what it learnt, which a restart must not trust
        `sentinel monitor ${name} 127.0.0.1 ${master.port} ${quorum}`,
        `sentinel down-after-milliseconds ${name} ${o.downAfterMs ?? 1000}`,
        `sentinel failover-timeout ${name} ${Math.max(3000, 3 * (o.downAfterMs ?? 1000))}`,
        `sentinel parallel-syncs ${name} 1`, '',
      ].join('\n'))
      const s = await procs.start({ port, dir, configFile: conf, args: ['--sentinel'], ready: /\+monitor master|Sentinel ID is/ })
      nodes.push({ ...s, role: 'sentinel' })
      say(`sentinel ${port} (pid ${s.pid}) started`)
    }
    await until('every sentinel to know the replicas and the other sentinels', async () => {
      for (const n of nodes.filter((x) => x.role === 'sentinel')) {
        const flat = (await ask(n.port, (r) => r.call('SENTINEL', 'MASTER', name))) as string[]
        const m = new Map<string, string>()
        for (let i = 0; i < flat.length; i += 2) m.set(flat[i]!, flat[i + 1]!)
        if (Number(m.get('num-slaves')) < replicaCount || Number(m.get('num-other-sentinels')) < sentinelCount - 1) return false
      }
      return true
    })
    return { env: { REDIS_SENTINELS: nodes.filter((n) => n.role === 'sentinel').map((n) => `127.0.0.1:${n.port}`).join(','), REDIS_SENTINEL_NAME: name }, nodes }
  })
}

/** A topology whose processes restart and stop together; a start that fails stops every process it started before it throws. */
async function startedOrStopped(
  procs: Processes, kind: LocalTopology['kind'], start: () => Promise<Pick<LocalTopology, 'env' | 'nodes'>>,
): Promise<LocalTopology> {
  try {
    return { kind, ...(await start()), restart: procs.restart, stop: procs.stop }
  } catch (err) {
    await procs.stop()
    throw err
  }
}
