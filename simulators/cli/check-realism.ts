/**
 * npm run check-realism -- [--days 7] [--seed 1] [--start <ISO>]: generate
 * days of the realistic mode and compare hourly profile, kind mix, per-capita
 * volumes, timing, overdue and satisfaction with config/simulation.json
 * `checks`. Prints the report; exits 1 when a check fails.
 */
import { loadSimConfig, type SimConfig } from '../../server/simulation/load-config.ts'
import { runRealism, type RealismReport } from '../realism/realism-checks.ts'
import { count, die, numberFlag, parseFlags, say, shortTime, timeFlag } from './cli-flags.ts'

const HELP = `用法 usage: npm run check-realism -- [选项]

按 config/simulation.json 生成若干天的常态数据（工作日和周末按日历），逐项检查是否在配置的范围内；
有任何一项不通过时退出码为 1。

  --days <天数>      生成天数，默认 7（含周末才能检查工作日/周末之比）
  --seed <整数>      随机种子，默认 1
  --start <ISO时间>  开始时刻，默认 2026-11-16T00:00:00+08:00（星期一）
  --help             显示本帮助
`

const flags = parseFlags({ days: { type: 'string' }, seed: { type: 'string' }, start: { type: 'string' } }, HELP)
const days = numberFlag('days', flags.days, 7, (n) => Number.isInteger(n) && n >= 1 && n <= 60, '1–60 的整数')
const seed = numberFlag('seed', flags.seed, 1, (n) => Number.isSafeInteger(n), '整数')
const start = timeFlag('start', flags.start, Date.parse('2026-11-16T00:00:00+08:00'))

let config: SimConfig
try {
  config = loadSimConfig()
} catch (err) {
  die((err as Error).message)
}
say(`生成 ${days} 天常态数据：${shortTime(start)} 起 · 种子 ${seed}`)
let last = performance.now()
const report = runRealism({
  config, seed, start, days,
  onProgress: (at, events) => {
    if (performance.now() - last < 2000) return
    last = performance.now()
    say(`已生成 ${count(events)} 条 · 数据时间 ${shortTime(at)}`)
  },
})
process.stdout.write(formatReport(report, seed))
process.exitCode = report.ok ? 0 : 1

function formatReport(r: RealismReport, seedUsed: number): string {
  const lines = [`真实性检查：${shortTime(r.start)} 起 ${r.days} 天 · 种子 ${seedUsed} · 事件 ${count(r.events)} 条（网格 ${count(r.gridEvents)}）`, '', '时段分布（受理量各小时占比）：']
  const max = Math.max(...r.hourly)
  r.hourly.forEach((share, h) => {
    lines.push(`  ${String(h).padStart(2, '0')}时 ${'█'.repeat(Math.round((share / max) * 30)).padEnd(30)} ${(share * 100).toFixed(1).padStart(4)}%`)
  })
  lines.push('', '检查项：')
  for (const c of r.checks) {
    lines.push(`  ${c.ok ? 'OK  ' : 'FAIL'} ${c.label}：${c.text}　范围 ${bound(c.bounds[0], c.key)} – ${bound(c.bounds[1], c.key)}`)
  }
  lines.push('', r.ok ? `全部 ${r.checks.length} 项通过` : `${r.checks.filter((c) => !c.ok).length} 项未通过（见 FAIL）`, '')
  return lines.join('\n')
}

function bound(v: number, key: string): string {
  return /Share|Tolerance/.test(key) ? `${(v * 100).toFixed(1)}%` : String(v)
}
