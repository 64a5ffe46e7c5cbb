/** Typed wrappers of the replay Lua scripts (server/store/lua: replay-clock, driver-lease, source-append). */
import { defineScripts, type Queue } from '../store/lua-scripts.ts'
import type { Store } from '../store/redis-client.ts'

export type ClockOp =
  | { op: 'set'; paused?: boolean; speed?: number }
  | { op: 'seek'; to: number; paused?: boolean; speed?: number }
  | { op: 'built'; epoch: number; lastId: string; count: number }

export type ClockResult = { status: 'ok'; meta: Record<string, string> } | { status: 'gone' | 'stale' }

export interface ReplayScripts {
  /** Change the clock in the meta hash (replay-clock.lua). */
  clock(metaKey: string, wall: number, change: ClockOp): Promise<ClockResult>
  /** Take or renew a lease (ttlMs > 0) or release it (0); true when held by `holder`. */
  lease(key: string, holder: string, ttlMs: number): Promise<boolean>
  /** Queue the append of time-ordered (ms, json) pairs to a source stream on a pipeline (source-append.lua). */
  append(target: Queue, source: string, pairs: string[]): void
}

export function replayScripts(s: Store): ReplayScripts {
  defineScripts(s) // connectStore did already; a connection made otherwise gets them here
  const flag = (b: boolean | undefined) => (b === undefined ? '' : b ? '1' : '0')
  return {
    async clock(metaKey, wall, c) {
      const argv = c.op === 'built'
        ? ['', '', String(c.epoch), c.lastId, String(c.count)]
        : [flag(c.paused), c.speed === undefined ? '' : String(c.speed), c.op === 'seek' ? String(Math.round(c.to)) : '']
      const [status, ...flat] = await s.luaReplayClock(metaKey, c.op, String(Math.round(wall)), ...argv)
      if (status !== 'ok') return { status: status as 'gone' | 'stale' }
      const meta: Record<string, string> = {}
      for (let i = 0; i < flat.length; i += 2) meta[flat[i]!] = flat[i + 1]!
      return { status: 'ok', meta }
    },
    async lease(key, holder, ttlMs) {
      return (await s.luaDriverLease(key, holder, String(ttlMs))) === 1
    },
    append(target, source, pairs) {
      target.luaSourceAppend(source, ...pairs)
    },
  }
}
