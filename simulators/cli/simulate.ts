/**
 * npm run simulate -- [flags]: post a seed-deterministic stream of case,
 * hotline and grid events to the ingest API, or print it with --dry-run.
 */
import { parseArgs } from 'node:util'
import { createSimulation } from '../../server/simulation/generators/stream.ts'
import { loadSimConfig } from '../../server/simulation/load-config.ts'
import { runSimulator } from '../post-events.ts'

const HELP = `用法 usage: npm run simulate -- [选项]

向 POST /api/v1/events 持续发送模拟的 案件 / 12345 热线 / 网格员 事件（同一种子结果相同）。

  --url <地址>        服务地址，默认 http://localhost:3000
  --key <密钥>        接入密钥，默认取环境变量 INGEST_KEY
  --rate <条/秒>      总事件速率（含后续环节），默认 20
  --seed <整数>       随机种子，默认 1
  --duration <秒>     运行时长，默认不限（Ctrl-C 停止）
  --compress <倍数>   生命周期时间压缩倍数，默认 360（1 = 真实时长）
  --dry-run           不发送，按 NDJSON 打印前 --count 条事件
  --count <条>        --dry-run 打印条数，默认 20
  --start <ISO时间>   --dry-run 的起始时间，默认 2026-11-21T09:00:00+08:00
  --help              显示本帮助
`

function fail(message: string): never {
  process.stderr.write(`错误：${message}\n运行 --help 查看用法。\n`)
  process.exit(2)
}

function numberFlag(name: string, raw: string | undefined, fallback: number, check: (n: number) => boolean, what: string): number {
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) fail(`--${name} "${raw}" 无效，应为${what}`)
  return n
}

let parsed
try {
  parsed = parseArgs({
    options: {
      url: { type: 'string' }, key: { type: 'string' }, rate: { type: 'string' }, seed: { type: 'string' },
      duration: { type: 'string' }, compress: { type: 'string' }, 'dry-run': { type: 'boolean' },
      count: { type: 'string' }, start: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values
} catch (err) {
  fail((err as Error).message)
}
if (parsed.help) {
  process.stdout.write(HELP)
  process.exit(0)
}

const rate = numberFlag('rate', parsed.rate, 20, (n) => n > 0 && n <= 100_000, '大于 0 的数（条/秒）')
const seed = numberFlag('seed', parsed.seed, 1, (n) => Number.isSafeInteger(n), '整数')
const compress = numberFlag('compress', parsed.compress, 360, (n) => n >= 1, '不小于 1 的数')
const durationSec = parsed.duration === undefined ? undefined : numberFlag('duration', parsed.duration, 0, (n) => n > 0, '大于 0 的秒数')

if (parsed['dry-run']) {
  const count = numberFlag('count', parsed.count, 20, (n) => Number.isInteger(n) && n > 0 && n <= 1_000_000, '正整数')
  const startRaw = parsed.start ?? '2026-11-21T09:00:00+08:00'
  const start = Date.parse(startRaw)
  if (!/^\d{4}-\d\d-\d\dT/.test(startRaw) || Number.isNaN(start)) fail(`--start "${startRaw}" 不是 ISO 8601 时间，例如 2026-11-21T09:00:00+08:00`)
  const sim = createSimulation({ ...loadSimConfig(), seed, rate, compress, start })
  const lines: string[] = []
  for (let until = start; lines.length < count; until += 60_000) {
    for (const e of sim.next(until)) if (lines.length < count) lines.push(JSON.stringify(e))
  }
  process.stdout.write(lines.join('\n') + '\n')
} else {
  const key = parsed.key ?? process.env.INGEST_KEY ?? ''
  if (!key) fail('缺少接入密钥：使用 --key 或设置环境变量 INGEST_KEY')
  const url = parsed.url ?? 'http://localhost:3000'
  if (!/^https?:\/\/[^\s/]+/.test(url)) fail(`--url "${url}" 不是 http(s) 地址`)
  const controller = new AbortController()
  process.once('SIGINT', () => controller.abort())
  process.once('SIGTERM', () => controller.abort())
  console.log(`模拟器启动：${url} · ${rate} 条/秒 · 种子 ${seed} · 压缩 ${compress}× · ${durationSec ? `${durationSec} 秒` : '不限时长（Ctrl-C 停止）'}`)
  const totals = await runSimulator({ url, key, rate, seed, compress, signal: controller.signal, ...(durationSec ? { durationSec } : {}) })
  console.log(JSON.stringify(totals))
  if (totals.error) {
    process.stderr.write(`错误：${totals.error}\n`)
    process.exitCode = 1
  }
}
