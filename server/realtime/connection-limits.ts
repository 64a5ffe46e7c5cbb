/**
 * Caps on the sockets one instance holds, in total and per client address,
 * checked at the handshake before any other work, so a swarm of connections
 * is refused cheaply with TOO_MANY_CONNECTIONS instead of growing memory.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { TooManyConnectionsError } from './realtime-errors.ts'

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1'])

/** The client's address: behind a local reverse proxy, the address the proxy saw (as express' trust proxy 'loopback'). */
export function clientAddress(peer: string, headers: IncomingHttpHeaders): string {
  const forwarded = headers['x-forwarded-for']
  if (!LOOPBACK.has(peer) || typeof forwarded !== 'string') return peer
  const hops = forwarded.split(',').map((h) => h.trim()).filter(Boolean)
  return hops[hops.length - 1] ?? peer
}

export class ConnectionLimits {
  private total = 0
  private readonly byAddress = new Map<string, number>()

  constructor(private readonly o: { maxConnections: number; maxPerAddress: number }) {}

  /** Count a socket in, or throw; the returned function counts it out (once, however often it is called). */
  admit(address: string): () => void {
    if (this.total >= this.o.maxConnections) {
      throw new TooManyConnectionsError(`this instance holds its maximum of ${this.o.maxConnections} sockets; retry later or use another instance`)
    }
    const n = this.byAddress.get(address) ?? 0
    if (n >= this.o.maxPerAddress) {
      throw new TooManyConnectionsError(`at most ${this.o.maxPerAddress} sockets per client address; close some before opening more`)
    }
    this.total++
    this.byAddress.set(address, n + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.total--
      const left = (this.byAddress.get(address) ?? 1) - 1
      if (left > 0) this.byAddress.set(address, left)
      else this.byAddress.delete(address)
    }
  }

  get size(): number {
    return this.total
  }
}
