/**
 * npm run post-file -- (--file day.ndjson | --scenario <name>) [flags]: send
 * recorded or generated events to the ingest API at a speed; progress on stderr.
 */
import { systemTime } from '../../server/domain/clock.ts'
import type { EventEnvelope } from '../../server/domain/events.ts'
import { shanghaiMidnight } from '../../server/simulation/generators/intensity.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { readNdjson } from '../ndjson.ts'
import { postPaced } from '../post-paced.ts'
import { generateScenario, loadScenario } from '../../server/simulation/scenarios/scenario.ts'
import { die, fail, numberFlag, parseFlags, say, shortTime, timeFlag } from './cli-flags.ts'

const HELP = `用法 usage: npm run post-file -- (--file <NDJSON文件> | --scenario <名称或路径>) [选项]

把录制或生成的事件按倍速发送到 POST /api/v1/events：事件在其 at 时刻（按倍速运行的时钟）到来时发送。

  --file <文件>          NDJSON 事件文件（npm run generate 或 npm run record 的输出）
  --scenario <名称|路径>  直接生成并发送一个场景（不落盘）
  --seed <整数>          场景随机种子，默认 1
  --start <ISO时间>      场景开始时刻，默认今天 00:00（北京时间）
  --url <地址>           服务地址，默认 http://localhost:3000
  --key <密钥>           接入密钥，默认取环境变量 INGEST_KEY
  --speed <倍数|max>     倍速，默认 60（1 小时的事件 1 分钟发完）；max = 不等待，尽快发送
  --rewrite-time         把 at（及 attrs.deadline）改写到当前时间轴上：第一条事件为现在，之后按倍速推进
  --help                 显示本帮助

注意：同一批事件再次发送到同一频道时，事件 id 相同，会被计为重复。
`

const flags = parseFlags({
  file: { type: 'string' }, scenario: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' },
  url: { type: 'string' }, key: { type: 'string' }, speed: { type: 'string' }, 'rewrite-time': { type: 'boolean' },
}, HELP)

if (!flags.file === !flags.scenario) fail('请给出 --file 或 --scenario 其中之一')
const speed = flags.speed === 'max' ? Infinity : numberFlag('speed', flags.speed, 60, (n) => n > 0 && n <= 1_000_000, '大于 0 的倍数或 max')
if (flags['rewrite-time'] && speed === Infinity) fail('--rewrite-time 需要有限的 --speed（max 时无法换算时间）')
const seed = numberFlag('seed', flags.seed, 1, (n) => Number.isSafeInteger(n), '整数')
const start = timeFlag('start', flags.start, shanghaiMidnight(systemTime()))
const key = flags.key ?? process.env.INGEST_KEY ?? ''
if (!key) fail('缺少接入密钥：使用 --key 或设置环境变量 INGEST_KEY')
const url = flags.url ?? 'http://localhost:3000'
if (!/^https?:\/\/[^\s/]+/.test(url)) fail(`--url "${url}" 不是 http(s) 地址`)

let events: Iterable<EventEnvelope> | AsyncIterable<EventEnvelope>
let from: number | undefined
if (flags.scenario) {
  try {
    const scenario = loadScenario(flags.scenario)
    events = generateScenario(scenario, { seed, start, ...loadSimConfig() })
    from = start
    say(`发送场景「${scenario.title}」：${shortTime(start)} 起 ${scenario.durationHours} 小时 · 种子 ${seed}`)
  } catch (err) {
    die((err as Error).message)
  }
} else {
  events = readNdjson(flags.file!)
  say(`发送文件 ${flags.file}`)
}
say(`→ ${url} · 倍速 ${speed === Infinity ? '不限' : `${speed}×`}${flags['rewrite-time'] ? ' · 时间改写为当前' : ''}`)

const controller = new AbortController()
process.once('SIGINT', () => controller.abort())
process.once('SIGTERM', () => controller.abort())
try {
  const totals = await postPaced({ url, key, events, speed, from, rewriteTime: !!flags['rewrite-time'], signal: controller.signal, log: say })
  process.stdout.write(JSON.stringify(totals) + '\n')
  if (totals.error || totals.reason === 'aborted') process.exitCode = 1
} catch (err) {
  die((err as Error).message)
}
