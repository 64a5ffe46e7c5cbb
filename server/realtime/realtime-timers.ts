/**
 * The realtime side's clocks: room batches flushed every 100 ms (and a
 * client that stops reading let go), every socket's token checked again
 * every 10 s (logout and revocation reach open sockets too), and KPIs and
 * panels pushed once a second while Redis answers.
 */
import type { Server } from 'socket.io'
import type { ClientToServer, ServerToClient } from '../domain/protocol.ts'
import type { Sessions } from '../auth/sessions.ts'
import type { Store } from '../store/redis-client.ts'
import type { RealtimeLimits } from './realtime-limits.ts'
import { bufferedOf } from './serve-socket.ts'
import type { Subscriptions } from './subscriptions.ts'

const FLUSH_MS = 100
const REVALIDATE_MS = 10_000
const PUSH_MS = 1000

export interface TimerDeps {
  io: Server<ClientToServer, ServerToClient>
  store: Store
  sessions?: Sessions
  subs: Subscriptions
  limits: RealtimeLimits
  /** Once a second, with the count of seconds so far. */
  push: (tick: number) => void
}

/** Start the timers; the function returned stops them. */
export function startRealtimeTimers(d: TimerDeps): () => void {
  const { io, store, sessions } = d
  const flushTimer = setInterval(() => {
    d.subs.flush()
    // whatever fills a socket's write buffer (acks, alerts, clock), a client that stops reading is let go
    for (const socket of io.sockets.sockets.values()) if (bufferedOf(socket) > d.limits.maxBuffered) socket.disconnect(true)
  }, FLUSH_MS)
  const recheckTimer = setInterval(() => {
    if (!sessions || store.status !== 'ready') return
    for (const socket of io.sockets.sockets.values()) {
      const token = socket.data.token as string | undefined
      if (!token) continue
      void sessions.resolve(token).then((p) => {
        if (!p) socket.disconnect(true)
      }, () => {})
    }
  }, REVALIDATE_MS)
  let tick = 0
  const pushTimer = setInterval(() => {
    tick++
    if (store.status !== 'ready') return
    d.push(tick)
  }, PUSH_MS)
  return () => {
    clearInterval(flushTimer)
    clearInterval(pushTimer)
    clearInterval(recheckTimer)
  }
}
