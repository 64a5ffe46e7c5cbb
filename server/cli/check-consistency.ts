/**
 * npx tsx server/cli/check-consistency.ts --redis redis://… [--channel live]
 *
 * Replays a channel's whole log through the pure apply model and compares
 * the recount with every aggregate key in Redis (DESIGN §2: log and
 * aggregates never disagree). Exit 0 identical, 1 differences, 2 when a
 * recount is impossible (trimmed log) or Redis cannot be reached.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import { applyModelEntry, createModelState, refuseParked, type ModelInput, type SubjectState } from '../consistency/apply-model.ts'
import { diffAggregates, diffSubjects, type Difference } from '../consistency/apply-model-diff.ts'
import type { Categories } from '../domain/categories.ts'
import type { ValidEvent } from '../domain/events.ts'
import type { RegionIndex } from '../domain/regions.ts'
import { loadCategories, loadRegions } from '../config.ts'
import { keys, type ChannelKeys } from '../store/keys.ts'
import type { RawEntry } from '../store/log-entry.ts'
import { readAggregates } from '../consistency/read-aggregates.ts'
import { createRedis } from '../store/redis-client.ts'
import { describeTopology, redisSettingsFromEnv, type RedisTopology } from '../store/redis-topology.ts'
import { intakeArg, pausesArg, prepare } from '../ingest/ingest.ts'
import { readArchive } from '../channels/log-archive.ts'
import { dayCountersFrom } from '../store/day-counter-expiry.ts'

export type { Difference }

export interface ConsistencyOptions {
  channel: string
  zone: string
  regions: RegionIndex
  categories: Categories
  /** Compare subject hashes too (default true). */
  subjects?: boolean
  pageSize?: number
  onProgress?: (entries: number) => void
  /** Recount from the channel's archive (ARCHIVE_DIR) first, then the log after it (DESIGN §8). */
  archiveDir?: string
}

export interface ConsistencyReport {
  /** Log entries replayed. */
  entries: number
  /** Archived events replayed before the log (with archiveDir). */
  archived?: number
  differences: Difference[]
  /** The log lost entries (MAXLEN/XDEL): no recount was attempted. */
  trimmed: boolean
  /** The log grew while the check ran: differences may be events applied in between. */
  logGrew: boolean
  /** Keys of the channel that apply.lua does not write, left out. */
  ignored: string[]
}

async function streamInfo(redis: Redis, log: string): Promise<{ length: number; added: number | null; last: string }> {
  let flat: unknown[]
  try {
    flat = (await redis.xinfo('STREAM', log)) as unknown[]
  } catch (err) {
    if (/no such key/i.test((err as Error).message)) return { length: 0, added: 0, last: '0-0' }
    throw err
  }
  const info = new Map<string, unknown>()
  for (let i = 0; i + 1 < flat.length; i += 2) info.set(String(flat[i]), flat[i + 1])
  const added = info.get('entries-added') // Redis ≥ 7
  return { length: Number(info.get('length')), added: added === undefined ? null : Number(added), last: String(info.get('last-generated-id')) }
}

/** The apply input of a log entry: the chain from the region it counts in, the intake (and an item's 补正 pause) from today's config. */
function inputOf(e: ValidEvent, r: string, o: ConsistencyOptions): ModelInput {
  const chain = r ? o.regions.chain(r) : []
  const grid = r && o.regions.get(r)?.level === 'grid' ? r : ''
  return { event: e, chain, grid, intake: intakeArg(e, o.categories), ...pausesArg(e, o.categories) }
}

/** Order of two stream ids (ms-seq). */
function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint]
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint]
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1
}

const ENDED = new Set([
  'case:CLOSED', 'case:CANCELLED', 'hotline:CLOSED', 'hotline:VOID', 'service:COMPLETED', 'service:DELIVERED', 'service:WITHDRAWN',
])

/** The model's subjects without the ended ones Redis no longer holds: retention expired them (DESIGN §8). */
function unexpired(model: Map<string, SubjectState>, stored: Map<string, Record<string, string>>): Map<string, SubjectState> {
  return new Map([...model].filter(([id, sub]) => stored.has(id) || !ENDED.has(`${id.split(':', 1)[0]}:${sub.state}`)))
}

/** Whether a difference is of a per-day counter key of a day the day-counter retention deleted (DAY_COUNTERS_DAYS, DESIGN §8). */
function expiredDay(k: ChannelKeys, from: string | null): (d: Difference) => boolean {
  if (from === null) return () => false // nothing deleted yet
  return (d) => (k.dayOfCounter(d.key) ?? from) < from
}

/** Recount a channel from its log and list every difference with Redis. */
export async function checkConsistency(redis: Redis, o: ConsistencyOptions): Promise<ConsistencyReport> {
  const k = keys(o.channel)
  const before = await streamInfo(redis, k.log)
  const report: ConsistencyReport = { entries: 0, differences: [], trimmed: false, logGrew: false, ignored: [] }
  if (!o.archiveDir && before.added !== null && before.added > before.length) return { ...report, entries: before.length, trimmed: true }
  const model = createModelState()
  const logDiffs: Difference[] = []
  const logDiff = (field: string, stored: string | null, recount: string | null) => logDiffs.push({ key: k.log, field, stored, recount })
  // the archive first: its events as they were sent (the recording format), then only the log entries after it
  let archivedTo = ''
  if (o.archiveDir) {
    archivedTo = (await redis.hget(k.meta, 'archivedTo')) ?? ''
    const lines = readArchive(o.archiveDir, o.channel)
    for (const [i, line] of lines.entries()) {
      const input = prepare(JSON.parse(line) as unknown, o)
      if (typeof input === 'string') logDiff(`archive line ${i + 1}`, line.slice(0, 80), input)
      else applyModelEntry(model, input, o.zone)
    }
    report.archived = lines.length
  }
  const archived = (sid: string) => archivedTo !== '' && compareIds(sid, archivedTo) <= 0
  // the a=u entries the model says the entry before them must be followed by (parked events it let fit)
  let unparked: { id: string; region: string; category: string }[] = []
  let afterArchived = false
  let start = '-'
  for (;;) {
    const page = (await redis.xrange(k.log, start, '+', 'COUNT', o.pageSize ?? 1000)) as RawEntry[]
    for (const [sid, flat] of page) {
      const f: Record<string, string> = {}
      for (let i = 0; i + 1 < flat.length; i += 2) f[flat[i]!] = flat[i + 1]!
      const e = JSON.parse(f.e ?? '{}') as ValidEvent
      const r = f.r ?? ''
      // a: 1 applied on arrival, p parked on arrival, 0 a parked event refused after the park window,
      // u a parked event applied later: its p entry already carried it, so it is checked, not applied again
      const logged = f.a === '1' ? 'applied' : f.a === 'p' ? 'outOfOrder' : f.a === 'u' ? 'unparked' : 'refused'
      if (r && !o.regions.get(r)) logDiff(`${sid} ${e.id} r`, r, 'not in the region file')
      if (logged === 'unparked') {
        const want = unparked.shift()
        // right after the archive: the event that let it fit was recounted from the archive
        if (!want && (afterArchived || archived(sid))) continue
        const found = `${e.id} r=${r} c=${f.c ?? ''}`
        if (!want || found !== `${want.id} r=${want.region} c=${want.category}`) logDiff(`${sid} ${e.id} u`, found, want ? `${want.id} r=${want.region} c=${want.category}` : 'not unparked here')
        continue
      }
      for (const missed of unparked) logDiff(`${sid} before`, null, `${missed.id} unparked (a=u entry missing)`)
      unparked = []
      afterArchived = archived(sid)
      if (logged === 'refused') {
        if (!refuseParked(model, e)) logDiff(`${sid} ${e.id}`, 'refused', 'not parked')
        continue
      }
      if (archived(sid)) continue // replayed from the archive
      try {
        const out = applyModelEntry(model, inputOf(e, r, o), o.zone)
        unparked = (out.unparked ?? []).map((id) => ({ id, region: out.region, category: out.category }))
        if (out.status !== logged) logDiff(`${sid} ${e.id}`, logged, out.status)
        else if (out.region !== r) logDiff(`${sid} ${e.id} r`, r, out.region)
        else if (out.category !== (f.c ?? '')) logDiff(`${sid} ${e.id} c`, f.c ?? null, out.category)
      } catch (err) {
        logDiff(`${sid} ${e.id}`, logged, `error: ${(err as Error).message}`)
      }
    }
    report.entries += page.length
    if (page.length > 0) o.onProgress?.(report.entries)
    if (page.length < (o.pageSize ?? 1000)) break
    start = `(${page[page.length - 1]![0]}`
  }
  for (const missed of unparked) logDiff('end of log', null, `${missed.id} unparked (a=u entry missing)`)
  const withSubjects = o.subjects ?? true
  const stored = await readAggregates(redis, o.channel, { subjects: withSubjects })
  const after = await streamInfo(redis, k.log)
  report.logGrew = after.last !== before.last
  report.ignored = stored.ignored
  const expired = expiredDay(k, await dayCountersFrom(redis, o.channel))
  report.differences = [
    ...logDiffs,
    // from the archive the channel stats (parked, refused) cannot be recounted: refusals are not archived;
    // day counters of days before the day-counter window are gone on purpose (a late step may re-create a part)
    ...diffAggregates(stored.aggregates, model, k.prefix).filter((d) => (!o.archiveDir || d.key !== k.stats) && !expired(d)),
    ...(withSubjects ? diffSubjects(stored.subjects, unexpired(model.subjects, stored.subjects), k.prefix) : []),
  ]
  return report
}

const HELP = `用法 usage: npx tsx server/cli/check-consistency.ts --redis redis://… [--channel live]

按日志重放频道的全部事件（纯函数模型，与 apply.lua 同一语义），逐键比对 Redis 中的聚合数据。
退出码：0 一致 · 1 有差异 · 2 日志已裁剪（无法重算）或连接失败

  --redis <地址>     Redis 地址，默认取环境变量 REDIS_URL（或 REDIS_CLUSTER_NODES、REDIS_SENTINELS + REDIS_SENTINEL_NAME）
  --channel <频道>   频道，默认 live
  --no-subjects      不比对事项哈希（s:*），只比对聚合
  --from-archive     先重放归档（ARCHIVE_DIR/<频道>/<日期>.ndjson.gz），再重放其后的日志；
                     日志已裁剪时用它（频道统计 stats 不比对：超窗拒收不入归档）
  --archive-dir <目录> 归档目录，默认环境变量 ARCHIVE_DIR，或 DATA_DIR/archive
  --help             显示本帮助
时区取环境变量 TIME_ZONE（默认 Asia/Shanghai），须与写入时服务器的时区一致；
区划与分类取 config/（REGIONS_FILE 可指定区划文件）。请在频道无写入时运行。
`
const SHOW = 50
const show = (v: string | null) => v ?? '（无）'

async function main(): Promise<number> {
  let flags
  try {
    flags = parseArgs({
      options: {
        redis: { type: 'string' }, channel: { type: 'string' }, 'no-subjects': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
        'from-archive': { type: 'boolean' }, 'archive-dir': { type: 'string' },
      },
      strict: true, allowPositionals: false,
    }).values
  } catch (err) {
    process.stderr.write(`错误：${(err as Error).message}\n${HELP}`)
    return 2
  }
  if (flags.help) {
    process.stdout.write(HELP)
    return 0
  }
  let topology: RedisTopology | undefined
  try {
    topology = flags.redis ? { kind: 'single', url: flags.redis } : redisSettingsFromEnv(process.env).topology
  } catch (err) {
    process.stderr.write(`错误：${(err as Error).message}\n`)
    return 2
  }
  if (!topology) {
    process.stderr.write(`错误：缺少 Redis 地址：使用 --redis 或设置环境变量 REDIS_URL（或 REDIS_CLUSTER_NODES、REDIS_SENTINELS）\n`)
    return 2
  }
  const url = describeTopology(topology)
  const channel = flags.channel ?? 'live'
  const redis = topology.kind === 'single'
    ? new Redis(topology.url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null })
    : createRedis(topology)
  let cause = ''
  redis.on('error', (err: Error) => { cause = err.message }) // ioredis rejects with "Connection is closed"; this says why
  try {
    await redis.connect()
    const report = await checkConsistency(redis, {
      channel, zone: process.env.TIME_ZONE || 'Asia/Shanghai',
      regions: loadRegions(process.env.REGIONS_FILE || undefined), categories: loadCategories(),
      subjects: !flags['no-subjects'],
      ...(flags['from-archive'] ? { archiveDir: flags['archive-dir'] || process.env.ARCHIVE_DIR || resolve(process.env.DATA_DIR || 'data', 'archive') } : {}),
      onProgress: (n) => process.stderr.write(`已读取 ${n} 条日志…${process.stderr.isTTY ? '\r' : '\n'}`),
    })
    if (process.stderr.isTTY && report.entries > 0) process.stderr.write('\n')
    return printReport(channel, report)
  } catch (err) {
    process.stderr.write(`错误：无法完成检查（${url}）：${cause || (err as Error).message}\n`)
    return 2
  } finally {
    redis.disconnect()
  }
}

function printReport(channel: string, r: ConsistencyReport): number {
  const out = (line: string) => process.stdout.write(`${line}\n`)
  if (r.trimmed) {
    out(`频道 ${channel} 的日志已被裁剪（现存 ${r.entries} 条，少于累计写入数）：无法从日志重算，未做比对。`)
    return 2
  }
  for (const d of r.differences.slice(0, SHOW)) out(`${d.key}  ${d.field}  存储=${show(d.stored)}  重算=${show(d.recount)}`)
  if (r.differences.length > SHOW) out(`… 另有 ${r.differences.length - SHOW} 处差异`)
  if (r.ignored.length > 0) out(`未比对 ${r.ignored.length} 个非 apply.lua 写入的键（如 ${r.ignored[0]}）`)
  if (r.logGrew) out('注意：检查期间日志有新写入，部分差异可能来自这些新事件；请在频道无写入时重跑。')
  out(r.differences.length === 0
    ? `一致：频道 ${channel} 重放 ${r.entries} 条日志，聚合与 Redis 完全相同。`
    : `不一致：频道 ${channel} 重放 ${r.entries} 条日志，发现 ${r.differences.length} 处差异。`)
  if (r.archived !== undefined) out(`（另先重放归档事件 ${r.archived} 条）`)
  return r.differences.length === 0 ? 0 : 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main()
}
