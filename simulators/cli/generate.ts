/**
 * npm run generate -- --scenario <name> [flags]: write a scenario's events as
 * NDJSON to a file or stdout; progress in Chinese on stderr.
 */
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { generateScenario, listScenarios, loadScenario, type Scenario } from '../../server/simulation/scenarios/scenario.ts'
import { openOutput, writeNdjson } from '../ndjson.ts'
import { shanghaiMidnight } from '../../server/simulation/generators/intensity.ts'
import { systemTime } from '../../server/domain/clock.ts'
import { count, die, fail, numberFlag, parseFlags, say, shortTime, timeFlag } from './cli-flags.ts'

const HELP = `用法 usage: npm run generate -- --scenario <名称或路径> [选项]

按场景生成事件（NDJSON，每行一个事件信封），同一场景、种子和开始时间结果逐字节相同。

  --scenario <名称|路径>  config/scenarios 中的场景名（如 normal-weekday），或一个 .json 文件
  --seed <整数>          随机种子，默认 1
  --start <ISO时间>      场景开始时刻，默认今天 00:00（北京时间），例如 2026-11-20T00:00:00+08:00
  --out <文件>           输出文件，默认 -（标准输出）
  --list                 列出可用场景
  --help                 显示本帮助

示例：npm run generate -- --scenario rainstorm-waterlogging --seed 1 --start 2026-11-20T00:00:00+08:00 --out day.ndjson
`

const flags = parseFlags({ scenario: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' }, out: { type: 'string' }, list: { type: 'boolean' } }, HELP)

if (flags.list) {
  try {
    for (const s of listScenarios()) process.stdout.write(`${s.name}\t${s.title}\t${s.durationHours} 小时\t${s.description}\n`)
  } catch (err) {
    die((err as Error).message)
  }
  process.exit(0)
}
if (!flags.scenario) fail('缺少 --scenario（场景名或 .json 文件路径；--list 列出场景）')
const seed = numberFlag('seed', flags.seed, 1, (n) => Number.isSafeInteger(n), '整数')
const start = timeFlag('start', flags.start, shanghaiMidnight(systemTime()))
const outPath = flags.out ?? '-'

let scenario: Scenario
let events: ReturnType<typeof generateScenario>
try {
  scenario = loadScenario(flags.scenario)
  events = generateScenario(scenario, { seed, start, ...loadSimConfig() })
} catch (err) {
  die((err as Error).message)
}

const end = start + scenario.durationHours * 3_600_000
const began = performance.now()
const byFeed = { case: 0, hotline: 0, grid: 0, service: 0 }
let lastSay = began
say(`生成场景「${scenario.title}」（${scenario.name}）：${shortTime(start)} 起 ${scenario.durationHours} 小时 · 种子 ${seed} → ${outPath === '-' ? '标准输出' : outPath}`)
try {
  const total = await writeNdjson(openOutput(outPath), events, (e) => {
    byFeed[e.feed]++
    const now = performance.now()
    if (now - lastSay < 2000) return
    lastSay = now
    const at = Date.parse(e.at)
    say(`已生成 ${count(byFeed.case + byFeed.hotline + byFeed.grid + byFeed.service)} 条 · 场景时间 ${shortTime(at)} · ${Math.round(((at - start) / (end - start)) * 100)}%`)
  })
  const secs = ((performance.now() - began) / 1000).toFixed(1)
  say(`完成：${count(total)} 条（热线 ${count(byFeed.hotline)} · 案件 ${count(byFeed.case)} · 网格 ${count(byFeed.grid)} · 代办 ${count(byFeed.service)}）· 用时 ${secs} 秒`)
} catch (err) {
  die(`写入 ${outPath} 失败：${(err as Error).message}`)
}
