// Server instances on a Redis topology, each with a wall on the city that counts
// how often it is shown each event id (the failover tests: holes and duplicates).
import type { Running } from '../../server/main.ts'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import { connect, startTestServer, type TestSocket } from './test-server.ts'

export interface InstancesWithWalls {
  instances: Running[]
  /** Per instance: event id → times its wall was shown it. */
  walls: Map<string, number>[]
}

/**
 * `count` instances with `env` (REDIS_URL '' and the topology's settings: they reach only the topology),
 * each with a subscribed wall counting the events `counted` accepts; `cleanups` get their stops.
 */
export async function instancesWithWalls(env: Record<string, string>, cleanups: (() => Promise<void>)[], o: { count?: number; counted?: (e: LiveEvent) => boolean } = {}): Promise<InstancesWithWalls> {
  const instances: Running[] = []
  for (let i = 0; i < (o.count ?? 2); i++) {
    const s = await startTestServer('redis://unused', env)
    instances.push(s)
    cleanups.push(() => s.stop())
  }
  const walls: Map<string, number>[] = []
  const sockets: TestSocket[] = []
  cleanups.push(async () => { for (const s of sockets) s.disconnect() })
  for (const s of instances) {
    const seen = new Map<string, number>()
    const socket = await connect(s.url)
    sockets.push(socket)
    socket.on('events', (b) => { for (const e of b.items) if (!o.counted || o.counted(e)) seen.set(e.id, (seen.get(e.id) ?? 0) + 1) })
    const ack = await socket.emitWithAck('subscribe', { region: '650400' })
    if (!ack.ok) throw new Error(`the wall of ${s.url} could not subscribe: ${JSON.stringify(ack)}`)
    walls.push(seen)
  }
  return { instances, walls }
}
