// After a Redis failover, an event the old master logged and the screens saw,
// but no replica kept, is logged again under a new stream id when its sender
// resends the unacknowledged batch. The tailer hands each event to the screens
// once; a refusal after the park window (a second entry of a parked event) is
// still shown, and so is a parked event's later application (a=u), once.
// Against a real Redis; "nothing more" is proved by a sentinel.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import { LogTailer } from '../../server/realtime/log-tailer.ts'
import { eventually, freshRedisUrl } from '../support/test-server.ts'

const LOG = 'tailer-test:{t}:log'
const ALERTS = 'tailer-test:{t}:alerts'
let redis: Redis
let tailer: LogTailer
const seen: LiveEvent[] = []

const entry = (id: string, a: string) => ['e', JSON.stringify({ id, feed: 'case', type: 'reported', subject: id, at: 1, attrs: {} }), 'r', '650402003001001', 'a', a, 'c', '']

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  redis = new Redis(url)
  tailer = new LogTailer(() => new Redis(url), { logs: [['', LOG]], alertLog: ALERTS, onEvents: (e) => seen.push(...e), onAlerts: () => {}, blockMs: 100 })
  await tailer.start()
})
afterAll(async () => {
  await tailer?.stop()
  redis?.disconnect()
})

it('hands an event to the screens once when it is logged again after a failover, and still shows a refusal', async () => {
  await redis.xadd(LOG, '*', ...entry('E1', '1'))
  await redis.xadd(LOG, '*', ...entry('E2', 'p'))
  await redis.xadd(LOG, '*', ...entry('E1', '1')) // the resend of a batch the old master had applied
  await redis.xadd(LOG, '*', ...entry('E2', 'p'))
  await redis.xadd(LOG, '*', ...entry('E2', '0')) // parked E2 refused after the window: shown
  await redis.xadd(LOG, '*', ...entry('SENTINEL', '1'))
  await eventually(() => expect(seen.map((e) => e.id)).toContain('SENTINEL'))
  expect(seen.map((e) => `${e.id}:${e.applied}`)).toEqual(['E1:true', 'E2:false', 'E2:false', 'SENTINEL:true'])
  expect(new Set(seen.map((e) => e.sid)).size).toBe(4)
})

it('hands a parked event over once parked and once applied (a=u), however its entries are resent', async () => {
  seen.length = 0
  await redis.xadd(LOG, '*', ...entry('U1', 'p'))
  await redis.xadd(LOG, '*', ...entry('U1', 'u')) // applied when its predecessor arrived: shown
  await redis.xadd(LOG, '*', ...entry('U1', 'u')) // the resend of that predecessor after a failover logs it again
  await redis.xadd(LOG, '*', ...entry('U1', '1')) // or, resent in order, applied on arrival: shown applied already
  await redis.xadd(LOG, '*', ...entry('U1', 'p'))
  await redis.xadd(LOG, '*', ...entry('U2', '1')) // applied on arrival and shown
  await redis.xadd(LOG, '*', ...entry('U2', 'p')) // resent out of order after a failover: parked, then
  await redis.xadd(LOG, '*', ...entry('U2', 'u')) // applied again: not a second showing
  await redis.xadd(LOG, '*', ...entry('U3', 'p')) // shown parked; its 'u' was lost with the old master,
  await redis.xadd(LOG, '*', ...entry('U3', '1')) // the resend applies it on arrival: shown applied, once
  await redis.xadd(LOG, '*', ...entry('U3', 'u'))
  await redis.xadd(LOG, '*', ...entry('SENTINEL-2', '1'))
  await eventually(() => expect(seen.map((e) => e.id)).toContain('SENTINEL-2'))
  expect(seen.map((e) => `${e.id}:${e.applied}`)).toEqual(['U1:false', 'U1:true', 'U2:true', 'U3:false', 'U3:true', 'SENTINEL-2:true'])
})
