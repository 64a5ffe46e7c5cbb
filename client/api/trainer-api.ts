/**
 * The trainer's HTTP API (DESIGN §3): scenarios, channels, inject, typed.
 * A refusal (`{ error: { code, message } }`, or none) throws the ApiError of
 * requestJson; the page sends a 401 to the login page.
 */
import type { ChannelChange, InjectResult } from '@domain/api.ts'
import type { ChannelSummary, ScenarioInfo } from '@domain/drill-channels.ts'
import { requestJson } from './request-json.ts'

export interface ScenarioStart { scenario: string; speed: number; seed?: number; start?: number }
export interface RecordingStart { recording: string; speed: number; name?: string }
/** POST /api/v1/auth/display-tokens: a wall's credential, bound to one drill channel when made by a trainer. */
export interface DisplayTokenRequest { name: string; channel: string; region?: string }

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
  displayToken: (b: DisplayTokenRequest) => requestJson<{ token: string; id: string }>('/api/v1/auth/display-tokens', json('POST', b)),
}
