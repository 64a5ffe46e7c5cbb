/**
 * The one loader of the Lua scripts in ./lua: each is defined once per
 * connection as an ioredis command (EVALSHA, falling back to EVAL), which
 * works on a single Redis, a Cluster, a Sentinel master and on pipelines and
 * MULTIs of any of them. Constants defined in TypeScript are written into the
 * script text when it is loaded (lua-header.ts). Callers use the typed
 * wrappers beside each feature (apply-event.ts, alert-store.ts, …), which
 * build the keys and arguments; the raw commands below are theirs only.
 */
import { readFileSync } from 'node:fs'
import type { ChainableCommander, Cluster, Redis, Result } from 'ioredis'
import { withConstants, type LuaConstants } from './lua-header.ts'

declare module 'ioredis' {
  // the raw scripts, typed for a client (a Promise of the reply) and a pipeline (chainable) alike
  interface RedisCommander<Context> {
    /** apply.lua: KEYS log, seen, subject, stats, events, parked; ARGV as its header says. */
    luaApply(...keysAndArgs: string[]): Result<[string, string], Context>
    /** raise-alert.lua: 1 raised, 0 seen before or no longer true. */
    luaRaiseAlert(...keysAndArgs: string[]): Result<0 | 1, Context>
    /** end-alert.lua: the alert json when it was active. */
    luaEndAlert(...keysAndArgs: string[]): Result<string | null, Context>
    /** park-sweep.lua: events refused. */
    luaParkSweep(...keysAndArgs: string[]): Result<number, Context>
    /** expire-closed.lua: subjects expired. */
    luaExpireClosed(...keysAndArgs: string[]): Result<number, Context>
    /** replay-clock.lua: status, then the meta hash flat. */
    luaReplayClock(...keysAndArgs: string[]): Result<string[], Context>
    /** driver-lease.lua: 1 held by the caller. */
    luaDriverLease(...keysAndArgs: string[]): Result<0 | 1, Context>
    /** source-append.lua: entries in the stream. */
    luaSourceAppend(...keysAndArgs: string[]): Result<number, Context>
    /** login-attempt.lua: { 1, 0 } allowed or { 0, ms to wait }. */
    luaLoginAttempt(...keysAndArgs: (string | number)[]): Result<[0 | 1, number], Context>
  }
}

/** A pipeline or MULTI: a wrapper queues its script there and the reply comes with exec(). */
export type Queue = ChainableCommander

interface ScriptDef { file: string; keys: number; constants?: readonly LuaConstants[] }

const SCRIPTS = {
  luaApply: { file: 'apply', keys: 6, constants: ['counters', 'keys', 'transitions'] },
  luaRaiseAlert: { file: 'raise-alert', keys: 5 },
  luaEndAlert: { file: 'end-alert', keys: 3 },
  luaParkSweep: { file: 'park-sweep', keys: 4, constants: ['keys'] },
  luaExpireClosed: { file: 'expire-closed', keys: 2, constants: ['keys'] },
  luaReplayClock: { file: 'replay-clock', keys: 1 },
  luaDriverLease: { file: 'driver-lease', keys: 1 },
  luaSourceAppend: { file: 'source-append', keys: 1 },
  luaLoginAttempt: { file: 'login-attempt', keys: 4 },
} as const satisfies Record<string, ScriptDef>

let sources: Map<string, string> | undefined
/** Every script's text as Redis runs it (constants written in), by file name, read once per process. */
export function scriptSources(): ReadonlyMap<string, string> {
  sources ??= new Map(Object.values(SCRIPTS).map((d: ScriptDef) => [
    d.file, withConstants(readFileSync(new URL(`./lua/${d.file}.lua`, import.meta.url), 'utf8'), d.constants ?? []),
  ]))
  return sources
}

const defined = new WeakSet<Redis | Cluster>()

/** Define every script on a connection (once; later calls do nothing). */
export function defineScripts(redis: Redis | Cluster): void {
  if (defined.has(redis)) return
  const text = scriptSources()
  for (const [name, d] of Object.entries(SCRIPTS)) redis.defineCommand(name, { numberOfKeys: d.keys, lua: text.get(d.file)! })
  defined.add(redis)
}
