/**
 * What one client may make an instance hold or do on the socket side
 * (DESIGN §7, §12), each a named setting with a default.
 */
import { SNAPSHOT_LIMITS } from '../store/channel-reader.ts'
import type { SnapshotQueueLimits } from '../store/snapshot-queue.ts'

export interface RealtimeLimits {
  /** SOCKET_SUBSCRIBE_PER_MIN: subscribes one socket may send per minute (a token bucket)… */
  subscribePerMin: number
  /** SOCKET_SUBSCRIBE_BURST: …and at once after a quiet spell; beyond either the ack says RATE_LIMITED. */
  subscribeBurst: number
  /** SOCKET_MAX_CONNECTIONS: sockets one instance holds; more are refused at the handshake (TOO_MANY_CONNECTIONS). */
  maxConnections: number
  /** SOCKET_MAX_PER_ADDRESS: sockets from one client address (the proxy's X-Forwarded-For when the peer is loopback). */
  maxPerAddress: number
  /** SOCKET_MAX_BUFFERED: packets waiting to be written to one socket before it is cut off (the client reconnects and resumes). */
  maxBuffered: number
  /** SNAPSHOT_CONCURRENCY and SNAPSHOT_QUEUE_MAX. */
  snapshots: SnapshotQueueLimits
}

export const REALTIME_LIMITS: RealtimeLimits = {
  subscribePerMin: 60,
  subscribeBurst: 10,
  maxConnections: 5_000,
  maxPerAddress: 500,
  maxBuffered: 1_000,
  snapshots: SNAPSHOT_LIMITS,
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 1): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}="${raw}" must be a whole number ≥ ${min}`)
  return n
}

/** Read the settings above from the environment. */
export function realtimeLimitsFromEnv(env: NodeJS.ProcessEnv): RealtimeLimits {
  const d = REALTIME_LIMITS
  return {
    subscribePerMin: intFrom(env, 'SOCKET_SUBSCRIBE_PER_MIN', d.subscribePerMin),
    subscribeBurst: intFrom(env, 'SOCKET_SUBSCRIBE_BURST', d.subscribeBurst),
    maxConnections: intFrom(env, 'SOCKET_MAX_CONNECTIONS', d.maxConnections),
    maxPerAddress: intFrom(env, 'SOCKET_MAX_PER_ADDRESS', d.maxPerAddress),
    maxBuffered: intFrom(env, 'SOCKET_MAX_BUFFERED', d.maxBuffered, 10),
    snapshots: {
      concurrency: intFrom(env, 'SNAPSHOT_CONCURRENCY', d.snapshots.concurrency),
      maxWaiting: intFrom(env, 'SNAPSHOT_QUEUE_MAX', d.snapshots.maxWaiting),
    },
  }
}
