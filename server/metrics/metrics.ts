/**
 * The process's Prometheus registry and every metric it exports (DESIGN §12):
 * prom-client's defaults (CPU, memory, GC, event-loop lag) plus what the
 * pipeline does. One registry per process: instances started in one process
 * (tests) add up, as they would behind one scrape target.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { systemTime } from '../domain/clock.ts'

export const registry = new Registry()
collectDefaultMetrics({ register: registry })

const registers = [registry]

/** Drills and replays ingest through the same path; live traffic is told apart from them. */
export const channelKind = (channel: string): 'live' | 'replay' => (channel === 'live' ? 'live' : 'replay')

export type IngestStatus = 'accepted' | 'duplicate' | 'outOfOrder' | 'rejected'
const FEEDS = new Set(['case', 'hotline', 'grid', 'service'])

export const ingestEvents = new Counter({
  name: 'situation_ingest_events_total',
  help: 'Events received by ingest, by feed and outcome; each event is counted once (accepted excludes those parked as outOfOrder)',
  labelNames: ['channel', 'feed', 'status'] as const,
  registers,
})

export const applySeconds = new Histogram({
  name: 'situation_ingest_apply_seconds',
  help: 'Time to apply one batch in Redis (one pipeline of apply.lua calls)',
  labelNames: ['channel'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers,
})

export const httpRequests = new Counter({
  name: 'situation_http_requests_total',
  help: 'HTTP requests answered, by route pattern, method and status class',
  labelNames: ['method', 'route', 'status'] as const,
  registers,
})

export const httpSeconds = new Histogram({
  name: 'situation_http_request_duration_seconds',
  help: 'HTTP request duration until the answer was sent, by route pattern and method',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers,
})

export const fanoutLagSeconds = new Histogram({
  name: 'situation_fanout_lag_seconds',
  help: 'From an event entering its channel log (stream id time) to this instance handing it to the socket fan-out (flushed within 100 ms after)',
  labelNames: ['channel'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
})

/** How fan-out serialises `events` batches: once per room broadcast, or once per socket that is behind. */
export const fanoutBatches = new Counter({
  name: 'situation_fanout_batches_total',
  help: 'events batches serialised for sockets: path="room" once per room broadcast (any number of sockets), path="socket" once per socket catching up',
  labelNames: ['path'] as const,
  registers,
})

export const fanoutDeliveries = new Counter({
  name: 'situation_fanout_deliveries_total',
  help: 'Events handed to sockets (an event sent to 100 sockets counts 100), by path as above',
  labelNames: ['path'] as const,
  registers,
})

export const redisErrors = new Counter({
  name: 'situation_redis_errors_total',
  help: 'Redis connection errors (source="connection") and failed probe PINGs (source="ping")',
  labelNames: ['source'] as const,
  registers,
})

export const redisPingSeconds = new Histogram({
  name: 'situation_redis_ping_seconds',
  help: 'Round trip of a PING on the command connection, every few seconds',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
  registers,
})

export const alertsRaised = new Counter({
  name: 'situation_alerts_raised_total',
  help: 'Alerts raised by this instance (each alert once across instances), by kind',
  labelNames: ['channel', 'type'] as const,
  registers,
})

/** What a socket.io gateway reports at scrape time. */
export interface SocketSource { sockets(): number; rooms(): number }
const socketSources = new Set<SocketSource>()

new Gauge({
  name: 'situation_sockets_connected',
  help: 'socket.io connections open now',
  registers,
  collect() {
    let n = 0
    for (const s of socketSources) n += s.sockets()
    this.set(n)
  },
})

new Gauge({
  name: 'situation_socket_rooms',
  help: 'Region rooms with at least one subscribed socket now',
  registers,
  collect() {
    let n = 0
    for (const s of socketSources) n += s.rooms()
    this.set(n)
  },
})

/** Count a gateway's sockets and rooms in the gauges until the returned function is called. */
export function watchSockets(source: SocketSource): () => void {
  socketSources.add(source)
  return () => void socketSources.delete(source)
}

/** Per-batch tally of ingest outcomes, added to the counter once (a batch may hold thousands of events). */
export function ingestTally(channel: string) {
  const counts = new Map<string, Map<IngestStatus, number>>() // feed → status → events (no key string built per event)
  const kind = channelKind(channel)
  return {
    add(feed: unknown, status: IngestStatus): void {
      const f = typeof feed === 'string' && FEEDS.has(feed) ? feed : 'unknown'
      let byStatus = counts.get(f)
      if (!byStatus) counts.set(f, (byStatus = new Map()))
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
    },
    flush(): void {
      for (const [feed, byStatus] of counts) for (const [status, n] of byStatus) ingestEvents.inc({ channel: kind, feed, status }, n)
      counts.clear()
    },
  }
}

/** The ms part of a stream id ("<ms>-<seq>"): when Redis appended the entry. */
export function observeFanoutLag(channel: string, sid: string, now = systemTime()): void {
  const ms = Number(sid.slice(0, sid.indexOf('-')))
  if (Number.isFinite(ms) && ms > 0) fanoutLagSeconds.observe({ channel: channelKind(channel) }, Math.max(0, now - ms) / 1000)
}
