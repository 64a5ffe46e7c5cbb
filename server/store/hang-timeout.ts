/**
 * Fail commands when Redis stops answering, not when it is merely busy.
 * ioredis's own `commandTimeout` counts from when each command was sent, so
 * the tail of a healthy 10,000-event pipeline would time out; here a pending
 * command fails only when Redis has sent no reply at all for `ms` since it was
 * sent — a SIGSTOPped or wedged Redis, whose socket stays open. Like ioredis's
 * timeout, the command stays queued, so a late reply is matched and dropped.
 */
import type { Redis } from 'ioredis'
import { systemTime } from '../domain/clock.ts'

type Sent = { command: { promise: Promise<unknown>; reject(err: Error): void }; at: number }

/** Wrap `redis.sendCommand` (pipelines and transactions go through it too); returns a stop function. */
export function failCommandsWhenHung(redis: Redis, ms: number): () => void {
  const pending = new Set<Sent>()
  let lastReply = systemTime()
  const send = redis.sendCommand.bind(redis)
  redis.sendCommand = ((command: Sent['command'], ...rest: unknown[]) => {
    const entry = { command, at: systemTime() }
    pending.add(entry)
    const replied = () => {
      pending.delete(entry)
      lastReply = systemTime()
    }
    // our own timeouts and a closed connection are not replies: counting them as progress would keep extending the wait under load
    command.promise.then(replied, (err: Error) => (err.name === 'ReplyError' ? replied() : pending.delete(entry)))
    return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)
  }) as Redis['sendCommand']
  const timer = setInterval(() => {
    const now = systemTime()
    for (const e of pending) {
      if (now - Math.max(e.at, lastReply) < ms) continue
      pending.delete(e)
      e.command.reject(new Error('Command timed out'))
    }
  }, Math.max(20, Math.min(100, ms / 10)))
  timer.unref()
  return () => clearInterval(timer)
}
