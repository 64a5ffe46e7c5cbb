/**
 * zod schemas of the HTTP API's bodies, the source of the OpenAPI document
 * (GET /api/v1/openapi.json). Each schema carries an example that the
 * document publishes and a test validates against the schema.
 */
import { z } from 'zod'
import { eventEnvelopeSchema } from './events.ts'

const ex = <T extends z.ZodType>(schema: T, example: z.input<T>) => schema.meta({ examples: [example] })

export const errorBody = ex(z.object({ error: z.object({ code: z.string(), message: z.string() }) }),
  { error: { code: 'BAD_REQUEST', message: 'limit must be 1–500' } })

export const event = ex(eventEnvelopeSchema, {
  id: 'hl-HL20261121000123-closed', feed: 'hotline', type: 'closed', subject: 'HL20261121000123', at: '2026-11-21T09:15:02+08:00', region: '650402100201', attrs: {},
})
export const ingestBody = ex(z.union([eventEnvelopeSchema, z.array(eventEnvelopeSchema)]), [{
  id: 'case-C1-reported', feed: 'case', type: 'reported', subject: 'C1', at: '2026-11-21T09:00:00+08:00', location: [89.1823, 42.9476], category: 'city.sanitation', attrs: { source: 'grid' },
}])
export const ingestResult = ex(z.object({
  accepted: z.number().int(), duplicates: z.number().int(), outOfOrder: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), id: z.string().nullable(), error: z.string() })),
}), { accepted: 1, duplicates: 0, outOfOrder: 0, rejected: [{ index: 1, id: 'x-1', error: 'feed: must be case, hotline or grid' }] })

export const health = ex(z.object({ ok: z.boolean(), redis: z.enum(['up', 'down']).optional(), detail: z.string().optional() }), { ok: true, redis: 'up' })

const role = z.enum(['admin', 'operator', 'leader', 'trainer', 'display'])
export const loginRequest = ex(z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1000) }), { username: 'zhangsan', password: '••••••••' })
const user = z.object({ username: z.string(), name: z.string(), role, region: z.string() })
export const loginResponse = ex(z.object({ token: z.string(), expiresAt: z.number(), user }),
  { token: 'sess_…', expiresAt: 1795000000000, user: { username: 'zhangsan', name: '张三', role: 'operator', region: '6504' } })
export const me = ex(user.extend({ kind: z.enum(['session', 'display']), channel: z.string().nullable() }),
  { username: 'zhangsan', name: '张三', role: 'operator', region: '6504', kind: 'session', channel: null })
export const ok = ex(z.object({ ok: z.literal(true) }), { ok: true })
export const displayTokenRequest = ex(z.object({ name: z.string().min(1), region: z.string().optional(), channel: z.string().optional() }), { name: '指挥中心大屏', region: '650402' })
export const displayToken = ex(z.object({ token: z.string(), id: z.string() }), { token: 'wall_…', id: '3f9a0c1d2e4b5a67' })
export const displayTokens = ex(z.array(z.looseObject({ id: z.string(), name: z.string(), region: z.string() })), [{ id: '3f9a0c1d2e4b5a67', name: '指挥中心大屏', region: '650402' }])
export const revoked = ex(z.object({ revoked: z.string() }), { revoked: '3f9a0c1d2e4b5a67' })

export const auditEntries = ex(z.object({ entries: z.array(z.object({
  id: z.string(), who: z.string(), role: z.string(), address: z.string(), action: z.string(), target: z.string(), at: z.string(),
})) }), { entries: [{ id: '1795000000000-0', who: 'admin', role: 'admin', address: '10.0.0.8', action: 'display-token.create', target: '指挥中心大屏 (650402)', at: '2026-11-21T01:00:00.000Z' }] })

export const regions = ex(z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.looseObject({ properties: z.looseObject({ code: z.string(), name: z.string(), level: z.string(), parent: z.string().nullable() }) })) }),
  { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '6504', name: '吐鲁番市', level: 'city', parent: null }, geometry: null }] })
export const categories = ex(z.looseObject({ case: z.array(z.looseObject({ code: z.string(), name: z.string() })), hotline: z.array(z.looseObject({ code: z.string(), name: z.string() })) }),
  { case: [{ code: 'city', name: '市容环境', children: [{ code: 'city.sanitation', name: '环境卫生', sla: { normal: 48, urgent: 4 } }] }], hotline: [] })
export const snapshot = ex(z.looseObject({ region: z.string(), cursor: z.string(), kpis: z.record(z.string(), z.record(z.string(), z.number().nullable())), events: z.array(z.looseObject({ id: z.string() })) }),
  { region: '6504', cursor: '1795000000000-0', kpis: { today: { caseReported: 12, disposalRate: 0.969 } }, events: [] })
export const openItems = ex(z.object({ total: z.number().int(), items: z.array(z.looseObject({ feed: z.enum(['case', 'hotline', 'service']), subject: z.string(), state: z.string(), region: z.string(), deadline: z.number(), overdue: z.boolean(), paused: z.number().optional() })) }),
  { total: 1, items: [{ feed: 'case', subject: 'C1', state: 'DISPATCHED', region: '650402001001001', deadline: 1795000000000, overdue: false }] })
export const subject = ex(z.looseObject({ feed: z.enum(['case', 'hotline', 'service']), subject: z.string(), state: z.string(), region: z.string(), history: z.array(z.object({ type: z.string(), at: z.number(), applied: z.boolean() })) }),
  { feed: 'case', subject: 'C1', state: 'REPORTED', region: '650402001001001', history: [{ type: 'reported', at: 1795000000000, applied: true }] })
export const refusedEvents = ex(z.object({
  channel: z.string(), total: z.number().int(),
  items: z.array(z.object({
    event: z.looseObject({ id: z.string(), feed: z.string(), type: z.string(), subject: z.string(), at: z.number() }),
    region: z.string(), reason: z.string(), state: z.string(), parkedAt: z.number(), refusedAt: z.number(),
  })),
}), {
  channel: 'live', total: 1,
  items: [{
    event: { id: 'case-C1-disposed', feed: 'case', type: 'disposed', subject: 'C1', at: 1795485600000 }, region: '650402001001001',
    reason: 'step "disposed" does not follow from the state "REGISTERED" after 24 h parked', state: 'REGISTERED',
    parkedAt: 1795485600000, refusedAt: 1795572000000,
  }],
})
export const alertAck = ex(z.object({ acknowledged: z.looseObject({ id: z.string(), type: z.string(), severity: z.string(), region: z.string(), at: z.number(), text: z.string() }) }),
  { acknowledged: { id: 'urgent:case:C1', type: 'urgent', severity: 'critical', region: '650402001001001', at: 1795000000000, text: '紧急案件 C1' } })
export const anyObject = ex(z.looseObject({}), {})

export const channelCreate = ex(z.object({ scenario: z.string().optional(), recording: z.string().optional(), speed: z.number().min(0.5).max(1000), seed: z.number().int().optional(), name: z.string().optional() }),
  { scenario: 'rainstorm-waterlogging', speed: 60 })
export const channelChange = ex(z.object({ paused: z.boolean().optional(), speed: z.number().min(0.5).max(1000).optional(), seekTo: z.string().optional() }), { paused: true })
export const channelSummary = ex(z.looseObject({ id: z.string(), speed: z.number(), paused: z.boolean(), seeking: z.boolean(), now: z.number() }),
  { id: 'sim-3f9a0c1d2e', source: { scenario: 'rainstorm-waterlogging' }, speed: 60, paused: false, seeking: false, now: 1795000000000 })
export const channelList = ex(z.object({ channels: z.array(channelSummary) }), { channels: [] })
export const scenarios = ex(z.object({ scenarios: z.array(z.looseObject({})) }), { scenarios: [{ name: 'rainstorm-waterlogging' }] })
export const deleted = ex(z.object({ id: z.string(), deleted: z.literal(true) }), { id: 'sim-3f9a0c1d2e', deleted: true })

export const open311Service = ex(z.object({ service_code: z.string(), service_name: z.string(), description: z.string(), metadata: z.boolean(), type: z.literal('realtime'), keywords: z.string(), group: z.string() }),
  { service_code: 'city.sanitation', service_name: '环境卫生', description: '市容环境 / 环境卫生', metadata: false, type: 'realtime', keywords: '环境卫生,市容环境', group: '市容环境' })
export const open311Services = ex(z.array(open311Service), [])
export const open311RequestForm = ex(z.object({
  api_key: z.string(), service_code: z.string(), lat: z.string().optional(), long: z.string().optional(), address_string: z.string().optional(),
  description: z.string().max(4000).optional(), email: z.string().optional(), first_name: z.string().optional(), last_name: z.string().optional(),
  phone: z.string().optional(), device_id: z.string().optional(), account_id: z.string().optional(),
}), { api_key: '<ingest key>', service_code: 'city.sanitation', lat: '42.9476', long: '89.1823', description: '垃圾桶满溢' })
export const open311Posted = ex(z.array(z.object({ service_request_id: z.string(), service_notice: z.string().optional(), account_id: z.string().optional() })),
  [{ service_request_id: 'O311-20261121-3f9a0c1d2e', service_notice: '已受理，将转交处置部门 / received' }])
export const open311Requests = ex(z.array(z.object({
  service_request_id: z.string(), status: z.enum(['open', 'closed']), status_notes: z.string(), service_name: z.string(), service_code: z.string(),
  description: z.string(), requested_datetime: z.string(), updated_datetime: z.string(), expected_datetime: z.string().optional(),
  address: z.string(), lat: z.number().optional(), long: z.number().optional(),
})), [{
  service_request_id: 'O311-20261121-3f9a0c1d2e', status: 'open', status_notes: '上报 (reported)', service_name: '环境卫生', service_code: 'city.sanitation', description: '垃圾桶满溢',
  requested_datetime: '2026-11-21T01:00:00.000Z', updated_datetime: '2026-11-21T01:00:00.000Z', address: '吐鲁番市 高昌区 老城路街道', lat: 42.9476, long: 89.1823,
}])
export const open311Errors = ex(z.array(z.object({ code: z.number().int(), description: z.string() })), [{ code: 403, description: 'api_key missing or not recognised' }])
