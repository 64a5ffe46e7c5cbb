/**
 * Live situation of one region on one channel. The only owner of the socket:
 * components read the refs below and never see socket.io.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { io, type Socket } from 'socket.io-client'
import type { ErrorCode } from '@domain/errors.ts'
import type { KpiSet } from '@domain/kpis.ts'
import type {
  ClientToServer, ClockState, LiveEvent, ServerToClient, Snapshot, SubscribeReq,
} from '@domain/protocol.ts'
import { mergeNewestFirst } from './event-ring.ts'
import { mergeKpis } from './merge-kpis.ts'
import { newestStreamId } from '@domain/stream-id.ts'

export type ConnectionState = 'connecting' | 'live' | 'down'
export type ProblemCode = ErrorCode | 'TIMEOUT' | 'CONNECT'
export interface SituationOptions { channel: string; token: string; region: string }
/** Channel clock as last received, with the local monotonic time it arrived at (for ticking between pushes). */
export interface ClockReading { state: ClockState; receivedAt: number }

const TICK_MS = 250 // events render at most this often, however fast they arrive
const RECENT_CAP = 200
const POINTS_CAP = 500
const ACK_TIMEOUT_MS = 10_000
const RETRY_MS = 5_000
const RETRYABLE: ReadonlySet<ProblemCode> = new Set(['TIMEOUT', 'STORE_UNAVAILABLE', 'INTERNAL'])

type WallSocket = Socket<ServerToClient, ClientToServer>

export const useSituationStore = defineStore('situation', () => {
  const connection = ref<ConnectionState>('connecting')
  const problem = ref<{ code: ProblemCode; message: string } | null>(null)
  const channel = ref('live')
  const region = ref<string | null>(null)
  const snapshot = shallowRef<Snapshot | null>(null)
  const kpis = shallowRef<KpiSet | null>(null)
  const clock = shallowRef<ClockReading | null>(null)
  /** Latest applied events, newest first. */
  const recent = shallowRef<readonly LiveEvent[]>([])
  /** Latest applied events that carry a location, newest first (map points). */
  const points = shallowRef<readonly LiveEvent[]>([])
  /** Newest log position received; sent as `since` when subscribing again. */
  const cursor = ref<string | null>(null)

  let socket: WallSocket | null = null
  let inbox: LiveEvent[] = []
  let tickTimer: ReturnType<typeof setInterval> | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0 // identifies the current subscribe; a late ack of an older one is ignored

  function receive(items: readonly LiveEvent[], batchCursor: string) {
    // Refused (out-of-order) events stay in the log but changed nothing: not news for a wall.
    for (const e of items) if (e.applied) inbox.push(e)
    cursor.value = newestStreamId(cursor.value, batchCursor)
  }

  function flush() {
    if (inbox.length === 0) return
    const batch = inbox
    inbox = []
    recent.value = mergeNewestFirst(recent.value, batch, RECENT_CAP)
    const located = batch.filter((e) => e.location)
    if (located.length) points.value = mergeNewestFirst(points.value, located, POINTS_CAP)
  }

  /**
   * A resumed snapshot carries exactly the events after our `since`, so they
   * merge into what is shown; any other (first subscribe, a gap too old to
   * replay, a replay seek) replaces it, or the ticker would hide a hole.
   */
  function applySnapshot(s: Snapshot) {
    if (!s.resumed) {
      recent.value = []
      points.value = []
      inbox = []
      cursor.value = null
    }
    snapshot.value = s
    kpis.value = s.kpis
    clock.value = { state: s.clock, receivedAt: performance.now() }
    receive(s.events, s.cursor)
    flush()
  }

  function retryLater(action: () => void) {
    clearTimeout(retryTimer)
    retryTimer = setTimeout(action, RETRY_MS)
  }

  function fail(code: ProblemCode, message: string) {
    connection.value = 'down'
    problem.value = { code, message }
    if (RETRYABLE.has(code)) retryLater(() => { if (socket?.connected) void subscribe() })
  }

  async function subscribe() {
    if (!socket || !region.value) return
    const mine = ++attempt
    connection.value = 'connecting'
    const req: SubscribeReq = cursor.value ? { region: region.value, since: cursor.value } : { region: region.value }
    try {
      const res = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', req)
      if (mine !== attempt) return
      if (!res.ok) return fail(res.code, res.message)
      applySnapshot(res.data)
      connection.value = 'live'
      problem.value = null
    } catch (err) {
      if (mine === attempt) fail('TIMEOUT', String(err))
    }
  }

  function start(opts: SituationOptions) {
    dispose()
    channel.value = opts.channel
    region.value = opts.region
    connection.value = 'connecting'
    const s: WallSocket = io({ query: { channel: opts.channel }, auth: { token: opts.token } })
    socket = s
    s.on('connect', () => void subscribe())
    s.on('disconnect', () => {
      attempt++
      connection.value = 'down'
    })
    s.on('connect_error', (err: Error & { data?: { code?: ErrorCode } }) => {
      connection.value = 'down'
      // a refusal by the server's middleware carries the AppError code in `data`, when the server sets it
      problem.value = { code: err.data?.code ?? 'CONNECT', message: err.message }
      // A refusal by a server middleware stops socket.io's own reconnection; keep trying.
      if (!s.active) retryLater(() => s.connect())
    })
    s.on('events', (b) => receive(b.items, b.cursor))
    s.on('kpis', (u) => {
      if (u.region === region.value) kpis.value = mergeKpis(kpis.value, u.values)
    })
    s.on('clock', (c) => (clock.value = { state: c, receivedAt: performance.now() }))
    s.on('reset', (snap) => applySnapshot(snap))
    tickTimer = setInterval(flush, TICK_MS)
  }

  /** Disconnect and stop ticking; the last state stays readable. */
  function dispose() {
    attempt++
    clearInterval(tickTimer)
    clearTimeout(retryTimer)
    socket?.removeAllListeners()
    socket?.disconnect()
    socket = null
    inbox = []
  }

  return { connection, problem, channel, region, snapshot, kpis, clock, recent, points, cursor, start, dispose }
})
