// Which master of a local Redis Cluster serves a key's slot, as a node sees it (the failover tests).
import { Redis } from 'ioredis'
import type { LocalTopology } from '../../server/store/local-topology.ts'

/** The port of the master serving `key`'s slot, asked of a node other than `besides` (a killed one); and the slot. */
export async function slotOwner(t: LocalTopology, key: string, besides = 0): Promise<{ port: number; slot: number }> {
  const node = t.nodes.find((x) => x.role !== 'sentinel' && x.port !== besides)!
  const r = new Redis({ port: node.port, host: '127.0.0.1', maxRetriesPerRequest: 0, connectTimeout: 1000 })
  try {
    const slot = Number(await r.cluster('KEYSLOT', key))
    const owner = (await r.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to)![2]!
    return { port: Number(owner[1]), slot }
  } finally {
    r.disconnect()
  }
}
