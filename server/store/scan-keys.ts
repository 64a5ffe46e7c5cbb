/**
 * SCAN that sees every key: on a Redis Cluster each master holds only its own
 * slots, so every master is scanned in turn. Pages come with the connection
 * of the node that holds them, for follow-up commands on those keys.
 */
import type { Redis } from 'ioredis'
import { masterNodes } from './redis-client.ts'

export interface KeyPage { node: Redis; keys: string[] }

/** Keys matching `match`, page by page (COUNT `count`), from every master; never a KEYS. */
export async function* scanKeys(redis: Redis, match: string, count = 1000): AsyncGenerator<KeyPage> {
  for (const node of masterNodes(redis)) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', count)
      cursor = next
      if (keys.length > 0) yield { node, keys }
    } while (cursor !== '0')
  }
}

/** UNLINK keys found on one node, one command each: keys of different slots cannot share a multi-key command on a Cluster. */
export async function unlinkOnNode(node: Redis, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0
  const replies = (await keys.reduce((p, k) => p.unlink(k), node.pipeline()).exec()) ?? []
  let freed = 0
  for (const [err, n] of replies) {
    if (err) throw err
    freed += Number(n)
  }
  return freed
}
