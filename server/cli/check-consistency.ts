/**
 * npx tsx server/cli/check-consistency.ts --redis redis://… [--channel live]
 *
 * Replays a channel's whole log through the pure apply model and compares
 * the recount with every aggregate key in Redis (DESIGN §2: log and
 * aggregates never disagree), partition by partition when PARTITION_LEVEL
 * splits the channel (DESIGN §11). Exit 0 identical, 1 differences, 2 when a
 * recount is impossible (trimmed log) or Redis cannot be reached.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { Redis } from 'ioredis'
import type { Difference } from '../consistency/apply-model-diff.ts'
import type { ModelInput } from '../consistency/apply-model.ts'
import { recountPartition, streamInfo, type ConsistencyOptions, type PartitionSource } from '../consistency/recount-partition.ts'
import { loadCategories, loadRegions, partitionLevelFrom } from '../config.ts'
import { keys } from '../store/keys.ts'
import { createRedis } from '../store/redis-client.ts'
import { describeTopology, redisSettingsFromEnv, type RedisTopology } from '../store/redis-topology.ts'
import { prepare } from '../ingest/ingest.ts'
import { archivedToField, readArchive } from '../channels/log-archive.ts'

export type { ConsistencyOptions, Difference }

export interface ConsistencyReport {
  /** Log entries replayed (every partition). */
  entries: number
  /** Archived events replayed before the log (with archiveDir). */
  archived?: number
  /** The partitions checked, each on its own ('' = the root partition; only it when the channel has one). */
  partitions: string[]
  /** Differences; with several partitions each names its partition (its key carries the partition's prefix too). */
  differences: (Difference & { partition?: string })[]
  /** The log lost entries (MAXLEN/XDEL): no recount was attempted. */
  trimmed: boolean
  /** The log grew while the check ran: differences may be events applied in between. */
  logGrew: boolean
  /** Keys of the channel that apply.lua does not write, left out. */
  ignored: string[]
}

/**
 * The archive's events by the partition they landed in, prepared as ingest does, and the lines that no
 * longer validate. With partitions, a subject's steps follow the partition of its first step that named
 * one, as ingest routes them (server/ingest/subject-routes.ts); the archive is in arrival order.
 */
function archiveByPartition(o: ConsistencyOptions, dir: string): { inputs: Map<string, ModelInput[]>; lines: number; bad: Difference[] } {
  const inputs = new Map<string, ModelInput[]>(o.regions.partitions.map((p) => [p, []]))
  const routes = new Map<string, string>()
  const bad: Difference[] = []
  const lines = readArchive(dir, o.channel)
  for (const [i, line] of lines.entries()) {
    const input = prepare(JSON.parse(line) as unknown, o)
    if (typeof input === 'string') {
      bad.push({ key: keys(o.channel).log, field: `archive line ${i + 1}`, stored: line.slice(0, 80), recount: input })
      continue
    }
    const e = input.event
    if (o.regions.partitioned && !(e.feed === 'hotline' && e.type === 'call')) { // a call has no subject state to follow
      const route = routes.get(`${e.feed}:${e.subject}`)
      if (route !== undefined) input.partition = route
      else if (input.partition) routes.set(`${e.feed}:${e.subject}`, input.partition)
    }
    inputs.get(input.partition ?? '')?.push(input)
  }
  return { inputs, lines: lines.length, bad }
}

/**
 * Recount a channel from its log and list every difference with Redis. A channel split into
 * partitions (PARTITION_LEVEL, DESIGN §11) is checked partition by partition: each one's log
 * rebuilds exactly its own aggregates.
 */
export async function checkConsistency(redis: Redis, o: ConsistencyOptions): Promise<ConsistencyReport> {
  const partitions = [...o.regions.partitions]
  const before = await Promise.all(partitions.map((p) => streamInfo(redis, keys(o.channel, p).log)))
  const report: ConsistencyReport = { entries: 0, partitions, differences: [], trimmed: false, logGrew: false, ignored: [] }
  const length = before.reduce((n, b) => n + b.length, 0)
  if (!o.archiveDir && before.some((b) => b.added !== null && b.added > b.length)) return { ...report, entries: length, trimmed: true }
  const archive = o.archiveDir ? archiveByPartition(o, o.archiveDir) : undefined
  const archivedTo = o.archiveDir ? await redis.hmget(keys(o.channel).meta, ...partitions.map(archivedToField)) : []
  if (archive) report.archived = archive.lines
  const named = o.regions.partitioned
  for (const [i, partition] of partitions.entries()) {
    const src: PartitionSource = {
      partition, before: before[i]!, archived: archive?.inputs.get(partition) ?? [], archiveDiffs: i === 0 ? archive?.bad ?? [] : [],
      archivedTo: archivedTo[i] ?? '', progressBase: report.entries,
    }
    const r = await recountPartition(redis, o, src)
    report.entries += r.entries
    report.logGrew ||= r.logGrew
    report.ignored.push(...r.ignored)
    report.differences.push(...(named ? r.differences.map((d) => ({ ...d, partition })) : r.differences))
  }
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
区划与分类取 config/（REGIONS_FILE 可指定区划文件）；PARTITION_LEVEL 须与服务器相同，
设置时逐分区重放各自的日志并比对各自的键（差异注明分区）。请在频道无写入时运行。
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
      regions: loadRegions(process.env.REGIONS_FILE || undefined, partitionLevelFrom(process.env)), categories: loadCategories(),
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
  const where = (p: string | undefined) => (p === undefined ? '' : `[分区 ${p || '根'}]  `)
  for (const d of r.differences.slice(0, SHOW)) out(`${where(d.partition)}${d.key}  ${d.field}  存储=${show(d.stored)}  重算=${show(d.recount)}`)
  if (r.differences.length > SHOW) out(`… 另有 ${r.differences.length - SHOW} 处差异`)
  if (r.ignored.length > 0) out(`未比对 ${r.ignored.length} 个非 apply.lua 写入的键（如 ${r.ignored[0]}）`)
  if (r.logGrew) out('注意：检查期间日志有新写入，部分差异可能来自这些新事件；请在频道无写入时重跑。')
  if (r.partitions.length > 1) out(`逐分区比对 ${r.partitions.length} 个分区：${r.partitions.map((p) => p || '根').join('、')}`)
  out(r.differences.length === 0
    ? `一致：频道 ${channel} 重放 ${r.entries} 条日志，聚合与 Redis 完全相同。`
    : `不一致：频道 ${channel} 重放 ${r.entries} 条日志，发现 ${r.differences.length} 处差异。`)
  if (r.archived !== undefined) out(`（另先重放归档事件 ${r.archived} 条）`)
  return r.differences.length === 0 ? 0 : 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main()
}
