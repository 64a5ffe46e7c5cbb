// Many real socket.io clients against one server, and a /healthz poller that
// records every answer while they work (used by the flood test and bench).
import { io } from 'socket.io-client'
import type { RegionIndex } from '../../server/domain/regions.ts'
import type { Ack, Snapshot, SubscribeReq } from '../../server/domain/protocol.ts'
import type { TestSocket } from './test-server.ts'

export interface SwarmOptions { channel?: string; token?: string }

/** Open `n` sockets at once; each either connects or fails with the server's refusal code. */
export async function openSockets(url: string, n: number, o: SwarmOptions = {}) {
  const attempts = Array.from({ length: n }, () => {
    const s: TestSocket = io(url, {
      transports: ['websocket'], query: { channel: o.channel ?? 'live' }, auth: { token: o.token }, reconnection: false, forceNew: true,
    })
    return new Promise<{ socket: TestSocket; refused?: string }>((resolve) => {
      s.once('connect', () => resolve({ socket: s }))
      s.once('connect_error', (err: Error & { data?: { code?: string } }) => resolve({ socket: s, refused: err.data?.code ?? err.message }))
    })
  })
  const results = await Promise.all(attempts)
  return {
    connected: results.filter((r) => !r.refused).map((r) => r.socket),
    refused: results.filter((r) => r.refused).map((r) => r.refused!),
    closeAll: () => results.forEach((r) => r.socket.close()),
  }
}

/** Send every request at once on one socket; the acks in request order. */
export function subscribeBurst(socket: TestSocket, requests: SubscribeReq[]): Promise<Ack<Snapshot>[]> {
  return Promise.all(requests.map((req) => socket.emitWithAck('subscribe', req)))
}

export interface HealthLog { answers: number; failures: string[]; latenciesMs: number[] }

/**
 * Ask /healthz one request after another until stopped. A request that gets
 * no answer within `giveUpMs` counts as a failure (the instance is not answering).
 */
export function pollHealth(url: string, giveUpMs = 30_000) {
  const log: HealthLog = { answers: 0, failures: [], latenciesMs: [] }
  let running = true
  const loop = (async () => {
    while (running) {
      const t = performance.now()
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(giveUpMs) })
        const body = await res.text()
        log.latenciesMs.push(performance.now() - t)
        if (res.status === 200) log.answers++
        else log.failures.push(`status ${res.status}: ${body.slice(0, 200)}`)
      } catch (err) {
        log.failures.push((err as Error).message)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  })()
  return {
    log,
    /** Stop after at least one more answer, so a poll spans all the work before this call. */
    async stop(): Promise<HealthLog> {
      const seen = log.answers + log.failures.length
      while (log.answers + log.failures.length <= seen) await new Promise((r) => setTimeout(r, 10))
      running = false
      await loop
      return log
    },
  }
}

/** The p-th percentile (0–100) of some figures. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

/** The largest `chars` that `accepts` takes (0 if none), from about 4 MB of 3-byte characters down: halve, then bisect. */
export async function largestAccepted(accepts: (chars: number) => Promise<boolean>): Promise<number> {
  let lo = 0 // accepted
  let hi = 0 // refused
  for (let chars = 1_300_000; chars >= 1 && lo === 0; chars = Math.floor(chars / 2)) {
    if (await accepts(chars)) lo = chars
    else hi = chars
  }
  while (lo > 0 && hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (await accepts(mid)) lo = mid
    else hi = mid
  }
  return lo
}

/** A grid inside `code` (the first one down the tree), to address flood events to a region's territory. */
export function firstGridOf(regions: RegionIndex, code: string): string {
  const kids = regions.childrenOf(code)
  return kids.length === 0 ? code : firstGridOf(regions, kids[0]!.code)
}
