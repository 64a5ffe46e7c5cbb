/**
 * The trainer's HTTP API (DESIGN §3): scenarios, channels, inject, typed.
 * A refusal (`{ error: { code, message } }`, or none) throws the ApiError of
 * requestJson; the page sends a 401 to the login page.
 *
 * The shapes mirror ScenarioInfo (simulators/scenarios/scenario.ts) and
 * ChannelSummary (server/channels/replay-meta.ts), which import Node APIs
 * and so cannot be imported here; they belong in server/domain (requested).
 */
import { requestJson } from './useTabletApi.ts'

export interface ScenarioInfo { name: string; title: string; description: string; durationHours: number }

export type ReplaySource = { kind: 'scenario'; name: string; seed: number } | { kind: 'recording'; name?: string }

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

export interface ChannelChange { paused?: boolean; speed?: number; seekTo?: number }

export interface InjectResult {
  accepted: number
  duplicates: number
  outOfOrder: number
  rejected: { index: number; id: string | null; error: string }[]
  at: number // the channel time the events were stamped with
}

export interface ScenarioStart { scenario: string; speed: number; seed?: number; start?: number }
export interface RecordingStart { recording: string; speed: number; name?: string }

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) })

const channelPath = (id: string) => `/api/v1/channels/${encodeURIComponent(id)}`

export const trainerApi = {
  scenarios: () => requestJson<{ scenarios: ScenarioInfo[] }>('/api/v1/scenarios').then((r) => r.scenarios),
  channels: () => requestJson<{ channels: ChannelSummary[] }>('/api/v1/channels').then((r) => r.channels),
  startScenario: (b: ScenarioStart) => requestJson<ChannelSummary>('/api/v1/channels', json('POST', b)),
  /** The recording travels as the NDJSON body itself (no JSON escaping of a large file), its options in the query. */
  startRecording: ({ recording, speed, name }: RecordingStart) => {
    const q = new URLSearchParams({ speed: String(speed), ...(name ? { name } : {}) })
    return requestJson<ChannelSummary>(`/api/v1/channels?${q}`, { method: 'POST', body: recording, headers: { 'content-type': 'application/x-ndjson' } })
  },
  change: (id: string, c: ChannelChange) => requestJson<ChannelSummary>(channelPath(id), json('PATCH', c)),
  inject: (id: string, events: unknown[]) => requestJson<InjectResult>(`${channelPath(id)}/events`, json('POST', events)),
  remove: (id: string) => requestJson<{ id: string; deleted: true }>(channelPath(id), { method: 'DELETE' }),
}
