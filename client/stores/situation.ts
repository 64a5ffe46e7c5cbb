/**
 * Live situation of one region on one channel. The only owner of the socket:
 * components read the refs below and never see socket.io. What arrives is
 * kept by the region feed and shown on one fixed tick.
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { io, type Socket } from 'socket.io-client'
import type { ErrorCode } from '@domain/errors.ts'
import type { ClientToServer, ServerToClient, SubscribeReq } from '@domain/protocol.ts'
import type { AlertLogEntry } from './alert-list.ts'
import { displayToken, noteTokenAnswer } from './display-token.ts'
import { createRegionFeed, type ClockReading } from './region-feed.ts'
import type { WorkerMark } from './worker-book.ts'

export type ConnectionState = 'connecting' | 'live' | 'down'
export type ProblemCode = ErrorCode | 'TIMEOUT' | 'CONNECT'
/** `token`: a display token; default the page's own (`?token=`), else the session cookie is used. */
export interface SituationOptions { channel: string; token?: string; region: string }
export type { AlertLogEntry, ClockReading, WorkerMark }

const TICK_MS = 250 // pushes render at most this often, however fast they arrive
const ACK_TIMEOUT_MS = 10_000
const RETRY_MS = 5_000
const REFUSED_RETRY_MS = 30_000 // a refused token is asked about again, rarely, in case it is restored
const SERVER_DROP_MS = 1_000 // after the server closed the socket (revocation check, failed resync)
const RETRYABLE: ReadonlySet<ProblemCode> = new Set(['TIMEOUT', 'STORE_UNAVAILABLE', 'INTERNAL', 'OVERLOADED', 'RATE_LIMITED'])

type WallSocket = Socket<ServerToClient, ClientToServer>

export const useSituationStore = defineStore('situation', () => {
  const connection = ref<ConnectionState>('connecting')
  const problem = ref<{ code: ProblemCode; message: string } | null>(null)
  const channel = ref('live')
  const region = ref<string | null>(null)
  const feed = createRegionFeed()
  const { cursor } = feed.state

  let socket: WallSocket | null = null
  let tickTimer: ReturnType<typeof setInterval> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0 // identifies the current subscribe; a late ack of an older one is ignored

  function retryLater(action: () => void, ms = RETRY_MS) {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(action, ms)
  }

  function fail(code: ProblemCode, message: string) {
    connection.value = 'down'
    problem.value = { code, message }
    if (RETRYABLE.has(code)) retryLater(() => { if (socket?.connected) void subscribe() })
  }

  /** Subscribe, or after a drop resubscribe with `since: cursor`: the server sends what was missed. */
  async function subscribe() {
    if (!socket || !region.value) return
    const mine = ++attempt
    connection.value = 'connecting'
    const req: SubscribeReq = cursor.value ? { region: region.value, since: cursor.value } : { region: region.value }
    try {
      const res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', req)
      if (mine !== attempt) return
      if (!res.ok) return fail(res.code, res.message)
      feed.applySnapshot(res.data)
      connection.value = 'live'
      problem.value = null
    } catch (err) {
      if (mine === attempt) fail('TIMEOUT', String(err))
    }
  }

  /** Show another region on the same socket (the idle carousel): a fresh snapshot, nothing carried over. */
  function focus(code: string) {
    if (code === region.value) return
    region.value = code
    feed.clear()
    if (socket?.connected) void subscribe()
  }

  function start(opts: SituationOptions) {
    dispose()
    channel.value = opts.channel
    region.value = opts.region
    feed.clear()
    connection.value = 'connecting'
    const s: WallSocket = io({ query: { channel: opts.channel }, auth: { token: opts.token || displayToken() } })
    socket = s
    s.on('connect', () => {
      noteTokenAnswer(200)
      void subscribe()
    })
    s.on('disconnect', (reason) => {
      attempt++
      connection.value = 'down'
      // socket.io gives up after a server-side close; the wall must not: the reconnect shows why (a revoked token)
      if (reason === 'io server disconnect') retryLater(() => s.connect(), SERVER_DROP_MS)
    })
    s.on('connect_error', (err: Error & { data?: { code?: ErrorCode } }) => {
      connection.value = 'down'
      // a refusal by the server's middleware carries the AppError code in `data`, when the server sets it
      const code = err.data?.code ?? 'CONNECT'
      problem.value = { code, message: err.message }
      if (code === 'UNAUTHORIZED') noteTokenAnswer(401)
      // A refusal by a server middleware stops socket.io's own reconnection; keep trying.
      if (!s.active) retryLater(() => s.connect(), code === 'UNAUTHORIZED' ? REFUSED_RETRY_MS : RETRY_MS)
    })
    s.on('events', (b) => feed.receiveEvents(b.items, b.cursor))
    s.on('kpis', (u) => {
      if (u.region === region.value) feed.receiveKpis(u.values)
    })
    s.on('panels', ({ region: code, ...p }) => {
      if (code === region.value) feed.receivePanels(p)
    })
    s.on('alert', (u) => feed.receiveAlert(u))
    s.on('clock', (c) => feed.receiveClock(c))
    s.on('reset', (snap) => feed.applySnapshot(snap))
    tickTimer = setInterval(() => feed.flush(), TICK_MS)
  }

  /** Disconnect and stop ticking; the last state stays readable. */
  function dispose() {
    attempt++
    clearInterval(tickTimer)
    clearTimeout(retryTimer)
    socket?.removeAllListeners()
    socket?.disconnect()
    socket = null
  }

  return { connection, problem, channel, region, ...feed.state, start, focus, dispose }
})
