// apply.lua against its floor (issue 11): the Redis commands apply.lua issues
// for a representative mix of simulated events (all feeds), recorded once
// with MONITOR, then replayed by a logic-free Lua script (one EVALSHA per
// event, its commands as arguments), timed side by side with apply.lua on
// its own redis-server: batches of 250 alternate, each into a fresh
// channel, and INFO commandstats gives Redis' own time per event of each.
// Prints µs/event of both, their ratio, the writes per event, and where
// apply.lua's time goes (its commands vs its Lua logic). The figure is the
// 10th percentile of each side's batches: on a shared machine a batch that
// lost the core to other work is slower whoever ran it, and the low
// percentile is the cost when Redis had the core (medians printed beside).
// Run: npx tsx test/bench/apply-floor.ts [--events 20000] [--script variant.lua]
// (--script times a variant of apply.lua, same keys and arguments, as a third
// side of the same batches: an older version, or one with a part doubled or
// left out, to see what a part costs.)
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { loadCategories, loadRegions } from '../../server/config.ts'
import { prepare } from '../../server/ingest/ingest.ts'
import { applyEvent, type ApplyInput } from '../../server/store/apply-event.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { withConstants } from '../../server/store/lua-header.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'
import { benchLifecycle } from '../support/bench-lifecycle.ts'
import { simulate } from './bench-server.ts'
import { emitRow, formatTable, type BenchRow } from './bench-table.ts'

const { values: flags } = parseArgs({ options: { events: { type: 'string' }, script: { type: 'string' } } })
const EVENTS = Number(flags.events ?? 20_000)
const BATCH = 250
const ZONE = 'Asia/Shanghai'

// the floor: run the commands it is given (count, command, args…, count, …) and nothing else
const FREE_LUA = `local i, n = 1, #ARGV
while i <= n do
  local c = tonumber(ARGV[i])
  redis.call(unpack(ARGV, i + 1, i + c))
  i = i + c + 1
end
return 1`
const WRITES = new Set(['hincrby', 'set', 'setrange', 'del', 'xadd', 'lpush', 'ltrim', 'zadd', 'zrem', 'sadd', 'srem', 'hset', 'hdel', 'geoadd'])
const NOT_SCRIPTED = new Set(['evalsha', 'eval', 'info', 'script', 'echo', 'ping', 'monitor', 'client', 'select'])

let redis: RedisProcess | undefined
let store: Store | undefined
let admin: Redis | undefined
let monitor: Redis | undefined
const { dataDir, shutdown } = benchLifecycle({
  name: 'apply-floor',
  giveUpMs: 4 * 60_000,
  redisPid: () => redis?.pid,
  stop: async () => {
    monitor?.disconnect()
    admin?.disconnect()
    variantStore?.disconnect()
    store?.disconnect()
    await redis?.stop()
  },
})

type Stats = Map<string, { calls: number; usec: number }>
async function commandStats(r: Redis): Promise<Stats> {
  const out: Stats = new Map()
  for (const line of (await r.info('commandstats')).split('\r\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line)
    if (m) out.set(m[1]!, { calls: Number(m[2]), usec: Number(m[3]) })
  }
  return out
}
function addDelta(acc: Stats, before: Stats, after: Stats): void {
  for (const [cmd, a] of after) {
    const b = before.get(cmd) ?? { calls: 0, usec: 0 }
    const s = acc.get(cmd) ?? { calls: 0, usec: 0 }
    acc.set(cmd, { calls: s.calls + a.calls - b.calls, usec: s.usec + a.usec - b.usec })
  }
}
const options = (channel: string) => ({ channel, zone: ZONE, logMaxLen: 1_000_000, seenTtlSec: 400 * 86_400 })

// the variant runs on a connection of its own whose luaApply is the variant's text (constants written in)
let variantStore: Redis | undefined
async function applyBatch(s: Store, inputs: ApplyInput[], channel: string, variant = false): Promise<void> {
  const pipe = (variant ? variantStore! : s).pipeline()
  for (const input of inputs) void applyEvent(pipe, input, options(channel))
  for (const [err] of (await pipe.exec()) ?? []) if (err) throw err
}

/** The commands apply.lua issued for each event, in order, from MONITOR. */
async function capture(s: Store, inputs: ApplyInput[]): Promise<string[][][]> {
  const perEvent: string[][][] = []
  let done: () => void
  const finished = new Promise<void>((r) => (done = r))
  monitor!.on('monitor', (_time: string, args: string[], source: string) => {
    const cmd = args[0]!.toLowerCase()
    if (cmd === 'evalsha' || cmd === 'eval') perEvent.push([])
    else if (source === 'lua') perEvent.at(-1)!.push(args)
    else if (cmd === 'echo' && args[1] === 'capture-done') done()
  })
  for (let i = 0; i < inputs.length; i += BATCH) await applyBatch(s, inputs.slice(i, i + BATCH), 'capture')
  await s.echo('capture-done') // the sentinel: every command before it has been seen
  await finished
  if (perEvent.length !== inputs.length) throw new Error(`captured ${perEvent.length} scripts for ${inputs.length} events`)
  return perEvent
}

try {
  redis = await startRedis({ dir: dataDir })
  store = await connectStore(redis.url)
  store.defineCommand('applyFree', { numberOfKeys: 0, lua: FREE_LUA })
  if (flags.script) {
    variantStore = new Redis(redis.url)
    variantStore.defineCommand('luaApply', { numberOfKeys: 6, lua: withConstants(readFileSync(flags.script, 'utf8'), ['counters', 'keys', 'transitions']) })
  }
  admin = new Redis(redis.url)
  monitor = await new Redis(redis.url).monitor()
  const deps = { regions: loadRegions(), categories: loadCategories() }
  const inputs = simulate(EVENTS).map((raw) => prepare(raw, deps)).filter((i): i is ApplyInput => typeof i !== 'string')
  console.log(`apply floor: ${inputs.length} events; redis-server pid ${redis.pid}`)
  const recorded = await capture(store, inputs)
  monitor.disconnect()
  const replay = recorded.map((cmds) => cmds.flatMap((c) => [String(c.length), ...c.map((a) => a.replaceAll('sr:{capture}:', 'sr:{free}:'))]))
  const writes = recorded.flat().filter((c) => WRITES.has(c[0]!.toLowerCase())).length / inputs.length
  const hincrby = recorded.flat().filter((c) => c[0]!.toLowerCase() === 'hincrby').length / inputs.length
  const commands = recorded.flat().length / inputs.length

  // warm-up of each script in channels of their own
  await applyBatch(store, inputs.slice(0, BATCH), 'warm')
  if (flags.script) await applyBatch(store, inputs.slice(0, BATCH), 'warmvariant', true)
  const replayBatch = async (batch: string[][]) => {
    const pipe = store!.pipeline()
    for (const args of batch) void (pipe as unknown as { applyFree(...a: string[]): unknown }).applyFree(...args)
    for (const [err] of (await pipe.exec()) ?? []) if (err) throw err
  }
  await replayBatch(replay.slice(0, BATCH).map((args) => args.map((a) => a.replaceAll('sr:{free}:', 'sr:{warmfree}:'))))

  // the same batch through each script in turn, each into its own channel
  const sides = [
    { name: 'apply.lua', run: (i: number) => applyBatch(store!, inputs.slice(i, i + BATCH), 'lua') },
    { name: 'logic-free', run: (i: number) => replayBatch(replay.slice(i, i + BATCH)) },
    ...(flags.script ? [{ name: flags.script, run: (i: number) => applyBatch(store!, inputs.slice(i, i + BATCH), 'variant', true) }] : []),
  ].map((side) => ({ ...side, stats: new Map() as Stats, ms: 0, perBatch: [] as number[] }))
  const evalUs = (a: Stats, b: Stats, events: number) => ((b.get('evalsha')?.usec ?? 0) - (a.get('evalsha')?.usec ?? 0)) / events
  for (let i = 0; i < inputs.length; i += BATCH) {
    const events = Math.min(BATCH, inputs.length - i)
    for (const side of sides) {
      const s0 = await commandStats(admin)
      const t0 = performance.now()
      await side.run(i)
      side.ms += performance.now() - t0
      const s1 = await commandStats(admin)
      addDelta(side.stats, s0, s1)
      side.perBatch.push(evalUs(s0, s1, events))
    }
  }
  const n = inputs.length
  const scripted = (s: Stats) => [...s].filter(([c]) => !NOT_SCRIPTED.has(c))
  const inner = (s: Stats) => scripted(s).reduce((a, [, v]) => a + v.usec, 0) / n
  const innerCalls = (s: Stats) => scripted(s).reduce((a, [, v]) => a + v.calls, 0) / n
  const [real, floor, variant] = sides as [typeof sides[0], typeof sides[0], typeof sides[0] | undefined]
  if (Math.abs(innerCalls(real.stats) - innerCalls(floor.stats)) > 0.01 * innerCalls(floor.stats)) {
    throw new Error(`apply.lua issued ${innerCalls(real.stats).toFixed(2)} commands per event, the replay ${innerCalls(floor.stats).toFixed(2)}`)
  }
  const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * q)]!
  const lowUs = (side: typeof real) => quantile(side.perBatch, 0.1)
  for (const side of sides) {
    const all = (side.stats.get('evalsha')?.usec ?? 0) / n
    console.log(`${side.name}: p10 ${lowUs(side).toFixed(1)} µs/event (ratio ${(lowUs(side) / lowUs(floor)).toFixed(2)}),`
      + ` median ${quantile(side.perBatch, 0.5).toFixed(1)} (ratio ${(quantile(side.perBatch, 0.5) / quantile(floor.perBatch, 0.5)).toFixed(2)}) over ${side.perBatch.length} batches;`
      + ` mean ${all.toFixed(1)} µs = commands ${inner(side.stats).toFixed(1)} (${innerCalls(side.stats).toFixed(1)}) + the rest ${(all - inner(side.stats)).toFixed(1)};`
      + ` client ${(n / (side.ms / 1000)).toFixed(0)} ev/s`)
  }
  console.log('commands per event in apply.lua (calls, µs):')
  for (const [cmd, v] of scripted(real.stats).filter(([, v]) => v.calls > 0).sort((a, b) => b[1].usec - a[1].usec)) {
    console.log(`  ${cmd.padEnd(10)} ${(v.calls / n).toFixed(2).padStart(6)}  ${(v.usec / n).toFixed(1).padStart(6)} µs`)
  }
  const [luaUs, freeUs] = [lowUs(real), lowUs(floor)]
  if (variant) console.log(`variant / apply.lua: p10 ${(lowUs(variant) / luaUs).toFixed(2)}, median ${(quantile(variant.perBatch, 0.5) / quantile(real.perBatch, 0.5)).toFixed(2)}`)
  const rows: BenchRow[] = [
    {
      bench: 'apply', figure: 'apply.lua per event vs the same Redis commands without logic (p10 of batches)',
      value: `${luaUs.toFixed(1)} µs`, ceiling: `${freeUs.toFixed(1)} µs logic-free`, ratio: (luaUs / freeUs).toFixed(2), target: '≤ 1.2',
    },
    { bench: 'apply', figure: 'apply.lua Redis commands per event', value: `${commands.toFixed(1)} (${writes.toFixed(1)} writes, ${hincrby.toFixed(1)} HINCRBY)` },
  ]
  for (const r of rows) emitRow(r)
  console.log(`\n${formatTable(rows)}`)
  await shutdown(0)
} catch (err) {
  console.error(err)
  await shutdown(1)
}
