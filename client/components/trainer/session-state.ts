import type { Messages } from '@client/i18n/zh-CN.ts'
import type { ChannelSummary, ScenarioInfo } from '@domain/drill-channels.ts'

export type SessionState = 'running' | 'paused' | 'seeking' | 'ended'

export function sessionState(c: ChannelSummary, now: number | null): SessionState {
  if (c.seeking) return 'seeking'
  if (c.paused) return 'paused'
  return now !== null && now >= c.span.end ? 'ended' : 'running'
}

/** 0–1 through the source's span at channel time `now`. */
export function spanProgress(c: ChannelSummary, now: number | null): number {
  const length = c.span.end - c.span.start
  if (now === null) return c.progress
  if (length <= 0) return now >= c.span.end ? 1 : 0
  return Math.min(1, Math.max(0, (now - c.span.start) / length))
}

/** "暴雨内涝 · 种子 7", or the recording's name. */
export function sourceLabel(c: ChannelSummary, scenarios: readonly ScenarioInfo[] | null, t: Messages): string {
  const s = c.source
  if (s.kind === 'recording') return s.name ?? t.trainer.recordingSource
  const title = scenarios?.find((x) => x.name === s.name)?.title ?? s.name
  return `${title} · ${t.trainer.seedOf} ${s.seed}`
}

export const speedText = (speed: number) => `${speed}×`
