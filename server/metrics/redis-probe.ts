/**
 * Redis seen from this instance: connection errors as they happen, and a PING
 * every few seconds for the command latency an operator would alert on (a
 * slow Redis slows every ingest and snapshot before anything fails).
 */
import { Gauge } from 'prom-client'
import type { Redis } from 'ioredis'
import { redisErrors, redisPingSeconds, registry } from './metrics.ts'

const watched = new Set<Redis>()
new Gauge({
  name: 'situation_redis_up',
  help: '1 when the command connection to Redis is ready',
  registers: [registry],
  collect() {
    let up = watched.size > 0 ? 1 : 0
    for (const r of watched) if (r.status !== 'ready') up = 0
    this.set(up)
  },
})

/** Start probing; the returned function stops it. */
export function probeRedis(redis: Redis, everyMs = 5000): () => void {
  watched.add(redis)
  const onError = () => redisErrors.inc({ source: 'connection' })
  redis.on('error', onError)
  let inFlight = false
  const probe = () => {
    if (inFlight || redis.status !== 'ready') return // a hung Redis is one error, not one per tick
    inFlight = true
    const end = redisPingSeconds.startTimer()
    redis.ping().then(() => end(), () => redisErrors.inc({ source: 'ping' })).finally(() => { inFlight = false })
  }
  probe() // a figure from the first scrape on
  const timer = setInterval(probe, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    redis.off('error', onError)
    watched.delete(redis)
  }
}
