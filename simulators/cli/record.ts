/**
 * npm run record -- --redis <url> --channel <id> --from <ISO> --to <ISO>:
 * write what arrived on a channel in that span (by arrival time) as NDJSON,
 * ready for npm run post-file or a replay channel.
 */
import { Redis } from 'ioredis'
import { createRedis } from '../../server/store/redis-client.ts'
import { describeTopology, redisSettingsFromEnv, type RedisTopology } from '../../server/store/redis-topology.ts'
import { openOutput, writeNdjson } from '../ndjson.ts'
import { readChannelLog, type RecordStats } from '../../server/store/read-channel-log.ts'
import { loadRegions, partitionLevelFrom } from '../../server/config.ts'
import { count, die, fail, parseFlags, say, shortTime, timeFlag } from './cli-flags.ts'

const HELP = `用法 usage: npm run record -- --from <ISO时间> --to <ISO时间> [选项]

把一个频道在两个时刻之间到达的事件（按日志流 sr:{频道}:log 的到达时间）导出为 NDJSON。
被拒绝（顺序不符）的事件同样导出：录制的就是到达的内容。

  --redis <地址>     Redis 地址；未给出时取 REDIS_URL、REDIS_CLUSTER_NODES 或 REDIS_SENTINELS + REDIS_SENTINEL_NAME，都没有则 redis://127.0.0.1:6379（可带库号，如 redis://host:6379/2）
  --channel <频道>   频道，默认 live（或 replay-xxx / sim-xxx）
  --from <ISO时间>   起始时刻（含），例如 2026-11-20T00:00:00+08:00
  --to <ISO时间>     结束时刻（含）
  --out <文件>       输出文件，默认 -（标准输出）
  --help             显示本帮助
环境变量 PARTITION_LEVEL（与服务器相同，REGIONS_FILE 可指定区划文件）设置时，合并各分区的日志，按到达时间排序。
`

const flags = parseFlags({
  redis: { type: 'string' }, channel: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' },
}, HELP)

const channel = flags.channel ?? 'live'
if (!/^[\w-]{1,64}$/.test(channel)) fail(`--channel "${channel}" 无效，应为 live、replay-<名称> 或 sim-<名称>`)
const from = timeFlag('from', flags.from)
const to = timeFlag('to', flags.to)
if (to < from) fail('--to 早于 --from')
// without --redis: the server's settings (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS), else the local default
let topology: RedisTopology | undefined
try {
  topology = flags.redis ? undefined : redisSettingsFromEnv(process.env).topology
} catch (err) {
  fail((err as Error).message)
}
const url = topology ? describeTopology(topology) : flags.redis ?? 'redis://127.0.0.1:6379'
if (!topology && !/^rediss?:\/\//.test(url)) fail(`--redis "${url}" 不是 redis:// 地址`)
const outPath = flags.out ?? '-'
// a channel split into partitions (PARTITION_LEVEL, as the server runs) is read from every partition's log
let partitions: readonly string[] = ['']
try {
  const level = partitionLevelFrom(process.env)
  if (level) partitions = loadRegions(process.env.REGIONS_FILE || undefined, level).partitions
} catch (err) {
  fail((err as Error).message)
}

const redis = topology && topology.kind !== 'single' ? createRedis(topology) : new Redis(topology?.url ?? url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null })
redis.on('error', () => {}) // reported below, from the failing command
try {
  await redis.connect()
} catch (err) {
  die(`无法连接 Redis ${url}：${(err as Error).message}`)
}

const stats: RecordStats = { entries: 0, events: 0, skipped: 0, refused: 0 }
say(`录制频道 ${channel}：${shortTime(from)} — ${shortTime(to)} → ${outPath === '-' ? '标准输出' : outPath}`)
let last = performance.now()
try {
  await writeNdjson(openOutput(outPath), readChannelLog(redis, channel, from, to, stats, 1000, partitions), () => {
    if (performance.now() - last < 2000) return
    last = performance.now()
    say(`已导出 ${count(stats.events)} 条`)
  })
  const skipped = stats.skipped ? ` · 跳过非事件记录 ${count(stats.skipped)}` : ''
  say(`完成：${count(stats.events)} 条事件（其中未生效 ${count(stats.refused)}）${skipped}`)
} catch (err) {
  process.exitCode = 1
  say(`错误：录制失败：${(err as Error).message}`)
} finally {
  redis.disconnect()
}
