/** What the trainer API shows of drill channels and scenarios (DESIGN §3), shared by server and client. */

export interface ScenarioInfo { name: string; title: string; description: string; durationHours: number }

export type ReplaySource = { kind: 'scenario'; name: string; seed: number } | { kind: 'recording'; name?: string }

/** What GET /api/v1/channels shows of a channel. */
export interface ChannelSummary {
  id: string
  source: ReplaySource
  speed: number
  paused: boolean
  seeking: boolean
  now: number
  progress: number // 0–1 through the source's span
  created: number
  span: { start: number; end: number }
  events: { total: number; fed: number }
}
