/**
 * Every HTTP route the app registers, described for the OpenAPI document:
 * who may call it, its parameters, and the zod schemas of its bodies
 * (server/domain/api-schemas.ts). test/integration/openapi.test.ts walks the
 * app's router and fails on a route missing here.
 */
import type { z } from 'zod'
import * as s from '../domain/api-schemas.ts'

export type Access = 'public' | 'ingestKey' | 'user' | 'admin' | 'trainer' | 'operator' | 'operatorOnly' | 'open311Key' | 'open311Read'
export interface Param { name: string; in?: 'query' | 'path'; description: string; required?: boolean }
export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete'
  /** Express path (`:id` parameters). */
  path: string
  tag: string
  summary: string
  access: Access
  params?: Param[]
  body?: { schema: z.ZodType; type?: string }
  response: { status?: number; schema?: z.ZodType; type?: string; description?: string }
  errors?: number[]
}

const channel: Param = { name: 'channel', description: 'live (default) or a drill channel id' }
const region: Param = { name: 'region', description: 'region code (default: the caller\'s own region)' }
const format: Param = { name: 'format', in: 'path', description: 'json or xml', required: true }
const period: Param = { name: 'period', description: 'day | week | month' }
const date: Param = { name: 'date', description: 'YYYY-MM-DD (default: today in channel time)' }
const csv = { type: 'text/csv', description: 'CSV, UTF-8 with BOM (for Excel)' }
const o311 = 'Open311 GeoReport v2'

export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/livez', tag: 'operations', summary: 'The process answers', access: 'public', response: { schema: s.health } },
  { method: 'get', path: '/readyz', tag: 'operations', summary: 'Redis answers (503 when not)', access: 'public', response: { schema: s.health }, errors: [503] },
  { method: 'get', path: '/healthz', tag: 'operations', summary: 'Alias of /readyz', access: 'public', response: { schema: s.health }, errors: [503] },
  { method: 'get', path: '/metrics', tag: 'operations', summary: 'Prometheus metrics (METRICS_TOKEN as bearer, or from loopback)', access: 'public', response: { type: 'text/plain', description: 'Prometheus text format' }, errors: [403] },
  { method: 'get', path: '/api/v1/openapi.json', tag: 'operations', summary: 'This document', access: 'public', response: { schema: s.anyObject } },

  { method: 'post', path: '/api/v1/events', tag: 'ingest', summary: 'Ingest one event, a JSON array or NDJSON (DESIGN §4)', access: 'ingestKey', body: { schema: s.ingestBody }, response: { schema: s.ingestResult }, errors: [400, 401, 413, 415, 503] },

  { method: 'post', path: '/api/v1/auth/login', tag: 'auth', summary: 'Log in: a session cookie and a bearer token', access: 'public', body: { schema: s.loginRequest }, response: { schema: s.loginResponse }, errors: [400, 401, 429] },
  { method: 'post', path: '/api/v1/auth/logout', tag: 'auth', summary: 'End the session', access: 'public', response: { schema: s.ok } },
  { method: 'get', path: '/api/v1/auth/me', tag: 'auth', summary: 'Who am I', access: 'user', response: { schema: s.me }, errors: [401] },
  { method: 'post', path: '/api/v1/auth/display-tokens', tag: 'auth', summary: 'Make a display token for a wall (admin; trainer for a drill channel)', access: 'admin', body: { schema: s.displayTokenRequest }, response: { status: 201, schema: s.displayToken }, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/auth/display-tokens', tag: 'auth', summary: 'List display tokens', access: 'admin', response: { schema: s.displayTokens }, errors: [401, 403] },
  { method: 'delete', path: '/api/v1/auth/display-tokens/:id', tag: 'auth', summary: 'Revoke a display token', access: 'admin', response: { schema: s.revoked }, errors: [400, 401, 403] },

  { method: 'get', path: '/api/v1/audit', tag: 'audit', summary: 'The audit trail, newest first', access: 'admin',
    params: [{ name: 'user', description: 'who' }, { name: 'action', description: 'an action or its prefix (drill, login…)' }, { name: 'from', description: 'ISO 8601' }, { name: 'to', description: 'ISO 8601' }, { name: 'limit', description: '1–10000, default 200' }],
    response: { schema: s.auditEntries }, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/audit.csv', tag: 'audit', summary: 'The audit trail as CSV', access: 'admin', params: [{ name: 'user', description: 'who' }, { name: 'action', description: 'action or prefix' }, { name: 'from', description: 'ISO 8601' }, { name: 'to', description: 'ISO 8601' }, { name: 'limit', description: '1–10000' }], response: csv, errors: [400, 401, 403] },

  { method: 'get', path: '/api/v1/regions', tag: 'reference', summary: 'Regions as GeoJSON (within the caller\'s scope)', access: 'user', response: { schema: s.regions, type: 'application/geo+json' }, errors: [401] },
  { method: 'get', path: '/api/v1/categories', tag: 'reference', summary: 'Case and hotline category trees with SLAs', access: 'user', response: { schema: s.categories }, errors: [401] },
  { method: 'get', path: '/api/v1/snapshot', tag: 'reads', summary: 'The Snapshot of a region (the socket subscribe ack)', access: 'user', params: [region, channel], response: { schema: s.snapshot }, errors: [400, 401, 403, 404] },
  { method: 'get', path: '/api/v1/report', tag: 'reads', summary: 'The data of a 日报 (KPIs beside the previous period, trend, rankings)', access: 'user', params: [region, channel, date, period], response: { schema: s.anyObject }, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/export/kpis.csv', tag: 'reads', summary: 'KPI table by child region', access: 'user', params: [region, period, date], response: csv, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/export/open.csv', tag: 'reads', summary: 'Open (or only overdue) cases and work orders', access: 'user', params: [region, { name: 'overdue', description: '1: only overdue' }], response: csv, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/open', tag: 'reads', summary: 'Open cases and work orders of a region, most urgent first', access: 'user', params: [region, channel, { name: 'feed', description: 'case | hotline' }, { name: 'limit', description: '1–500, default 50' }], response: { schema: s.openItems }, errors: [400, 401, 403] },
  { method: 'get', path: '/api/v1/subjects/:feed/:subject', tag: 'reads', summary: 'A case or work order: state and its last 100 steps', access: 'user', params: [{ name: 'feed', in: 'path', description: 'case | hotline', required: true }, { name: 'subject', in: 'path', description: 'subject id', required: true }, channel], response: { schema: s.subject }, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/refused', tag: 'ingest', summary: 'Events refused after the park window (still out of order), newest first, with the reason (operator)', access: 'operatorOnly', params: [channel, { name: 'limit', description: '1–1000, default 200' }], response: { schema: s.refusedEvents }, errors: [400, 401, 403] },
  { method: 'post', path: '/api/v1/alerts/:id/ack', tag: 'alerts', summary: 'Acknowledge an active alert (operator, leader)', access: 'operator', params: [{ name: 'id', in: 'path', description: 'alert id', required: true }, channel], response: { schema: s.alertAck }, errors: [401, 403, 404] },
  { method: 'get', path: '/api/v1/wall-config', tag: 'reference', summary: 'Wall settings (map engine, tiles, refresh)', access: 'user', response: { schema: s.anyObject }, errors: [401] },

  { method: 'get', path: '/api/v1/scenarios', tag: 'drills', summary: 'Scenarios a drill can start from', access: 'trainer', response: { schema: s.scenarios }, errors: [401, 403] },
  { method: 'get', path: '/api/v1/channels', tag: 'drills', summary: 'Drill channels', access: 'trainer', response: { schema: s.channelList }, errors: [401, 403] },
  { method: 'post', path: '/api/v1/channels', tag: 'drills', summary: 'Start a drill from a scenario or a recording (JSON, or the NDJSON recording with ?speed=)', access: 'trainer', body: { schema: s.channelCreate }, response: { status: 201, schema: s.channelSummary }, errors: [400, 401, 403] },
  { method: 'patch', path: '/api/v1/channels/:id', tag: 'drills', summary: 'Pause, resume, change speed, seek', access: 'trainer', params: [{ name: 'id', in: 'path', description: 'channel id', required: true }], body: { schema: s.channelChange }, response: { schema: s.channelSummary }, errors: [400, 401, 403, 404] },
  { method: 'post', path: '/api/v1/channels/:id/events', tag: 'drills', summary: 'Inject events, stamped with the channel\'s now', access: 'trainer', params: [{ name: 'id', in: 'path', description: 'channel id', required: true }], body: { schema: s.ingestBody }, response: { schema: s.ingestResult }, errors: [400, 401, 403, 404] },
  { method: 'delete', path: '/api/v1/channels/:id', tag: 'drills', summary: 'Delete a drill and free its keys', access: 'trainer', params: [{ name: 'id', in: 'path', description: 'channel id', required: true }], response: { schema: s.deleted }, errors: [401, 403, 404] },

  { method: 'get', path: '/open311/v2/services.:format', tag: o311, summary: 'Services: the case categories', access: 'public', params: [format], response: { schema: s.open311Services }, errors: [404] },
  { method: 'post', path: '/open311/v2/requests.:format', tag: o311, summary: 'File a request (form-encoded); becomes a case `reported` event', access: 'open311Key', params: [format], body: { schema: s.open311RequestForm, type: 'application/x-www-form-urlencoded' }, response: { status: 201, schema: s.open311Posted }, errors: [400, 403, 404, 503] },
  { method: 'get', path: '/open311/v2/requests.:format', tag: o311, summary: 'Requests filed here (≤ 90 days, ≤ 1,000)', access: 'open311Read',
    params: [format, { name: 'api_key', description: 'an ingest key (or send a session)' }, { name: 'service_request_id', description: 'comma list; other filters are then ignored' }, { name: 'service_code', description: 'comma list' }, { name: 'start_date', description: 'ISO 8601' }, { name: 'end_date', description: 'ISO 8601; at most 90 days after start_date' }, { name: 'status', description: 'open | closed' }],
    response: { schema: s.open311Requests }, errors: [400, 403, 404] },
  { method: 'get', path: '/open311/v2/requests/:id.:format', tag: o311, summary: 'One request', access: 'open311Read', params: [{ name: 'id', in: 'path', description: 'service_request_id', required: true }, format, { name: 'api_key', description: 'an ingest key (or send a session)' }], response: { schema: s.open311Requests }, errors: [403, 404] },
]
