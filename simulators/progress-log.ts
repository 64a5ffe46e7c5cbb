/**
 * Running totals of a simulator run and its log lines (Chinese with numbers):
 * a progress line every 5 s, the first few rejection reasons, a summary.
 */
import type { IngestReply } from './ingest-client.ts'

export interface RunTotals {
  generated: number
  sent: number
  accepted: number
  duplicates: number
  rejected: number
  /** Generated but not delivered when the run ended. */
  unsent: number
  elapsedSec: number
  reason: 'duration' | 'aborted' | 'fatal' | 'backlog' | 'done'
  /** Set when the run failed (the CLI exits non-zero). */
  error?: string
}

const EVERY_MS = 5000
const SHOW_REJECTIONS = 5
const REASONS: Record<RunTotals['reason'], string> = { duration: '时长已到', aborted: '已中止', fatal: '服务器拒绝', backlog: '积压超限', done: '全部发送' }

export class ProgressLog {
  generated = 0
  private sent = 0
  private accepted = 0
  private duplicates = 0
  private rejected = 0
  private shownRejections = 0
  private windowStart: number
  private windowSent = 0

  constructor(private readonly log: (line: string) => void, private readonly start: number) {
    this.windowStart = start
  }

  say(line: string): void {
    this.log(line)
  }

  applied(count: number, reply: IngestReply): void {
    this.sent += count
    this.windowSent += count
    this.accepted += reply.accepted
    this.duplicates += reply.duplicates
    this.rejected += reply.rejected.length
    for (const r of reply.rejected) {
      if (this.shownRejections === SHOW_REJECTIONS) this.log('（之后的拒绝原因不再逐条显示）')
      if (this.shownRejections++ >= SHOW_REJECTIONS) break
      this.log(`拒绝 ${r.id ?? `#${r.index}`}：${r.error}`)
    }
  }

  /** Log a progress line when 5 s have passed since the last one; `extra` is appended (e.g. the scenario time). */
  tick(now: number, waiting: number, extra?: () => string): void {
    if (now - this.windowStart < EVERY_MS) return
    const perSec = this.windowSent / ((now - this.windowStart) / 1000)
    this.log(this.line(perSec, waiting) + (extra ? ` · ${extra()}` : ''))
    this.windowStart = now
    this.windowSent = 0
  }

  finish(now: number, reason: RunTotals['reason'], waiting: number, error?: string): RunTotals {
    const elapsedSec = Math.max(0.001, (now - this.start) / 1000)
    this.log(`结束（${REASONS[reason]}）：${this.line(this.sent / elapsedSec, waiting)} · 用时 ${elapsedSec.toFixed(1)} 秒`)
    const totals: RunTotals = {
      generated: this.generated, sent: this.sent, accepted: this.accepted, duplicates: this.duplicates,
      rejected: this.rejected, unsent: waiting, elapsedSec, reason,
    }
    if (error) totals.error = error
    return totals
  }

  private line(perSec: number, waiting: number): string {
    const backlog = waiting > 0 ? ` · 积压 ${waiting}` : ''
    return `已发送 ${this.sent} 条 · 接收 ${this.accepted} · 重复 ${this.duplicates} · 拒绝 ${this.rejected} · ${perSec.toFixed(1)} 条/秒${backlog}`
  }
}
