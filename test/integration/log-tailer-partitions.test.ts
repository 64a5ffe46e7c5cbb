// A channel split into partitions (DESIGN §11) has a log per partition: the
// tailer follows each with a loop on a blocking connection of its own (one
// XREAD names keys of one Cluster slot only), starts after what each log held,
// hands each log's entries over in that log's order with sids naming the
// partition, and reads the channel-wide alert stream once, with the root log.
// Against a real Redis; "nothing more" is proved by a sentinel in every log.
import { Redis } from 'ioredis'
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { AlertUpdate } from '../../server/domain/alerts.ts'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import { partitionOfSid, streamIdOf } from '../../server/domain/stream-id.ts'
import { LogTailer } from '../../server/realtime/log-tailer.ts'
import { eventually, freshRedisUrl } from '../support/test-server.ts'

const PARTITIONS = ['', '650402', '650421']
const logOf = (p: string) => (p ? `tailer-p:{t:${p}}:log` : 'tailer-p:{t}:log')
const ALERTS = 'tailer-p:{t}:alerts'
let redis: Redis
let tailer: LogTailer
const seen: LiveEvent[] = []
const alerts: AlertUpdate[] = []
const connections: Redis[] = []

const entry = (id: string) => ['e', JSON.stringify({ id, feed: 'case', type: 'reported', subject: id, at: 1, attrs: {} }), 'r', '650402003001001', 'a', '1', 'c', '']
const alertEntry = (id: string) => ['k', 'active', 'a', JSON.stringify({ id, region: '650400' })]

beforeAll(async () => {
  const url = await freshRedisUrl(inject('redisUrl'))
  redis = new Redis(url)
  for (const p of PARTITIONS) await redis.xadd(logOf(p), '*', ...entry(`OLD-${p}`)) // before the tail starts: not handed over
  await redis.xadd(ALERTS, '*', ...alertEntry('OLD-ALERT'))
  tailer = new LogTailer(() => {
    const r = new Redis(url)
    connections.push(r)
    return r
  }, { logs: PARTITIONS.map((p) => [p, logOf(p)] as const), alertLog: ALERTS, onEvents: (e) => seen.push(...e), onAlerts: (u) => alerts.push(...u), blockMs: 100 })
  await tailer.start()
})
afterAll(async () => {
  await tailer?.stop()
  redis?.disconnect()
})

it('follows every partition log on a connection of its own, from where each stood, in each log\'s order', async () => {
  expect(connections).toHaveLength(PARTITIONS.length)
  expect(tailer.connections).toBe(PARTITIONS.length)
  const start = tailer.lastId.split(',')
  expect(start.map(partitionOfSid)).toEqual(PARTITIONS)
  const added = new Map<string, string[]>(PARTITIONS.map((p) => [p, []]))
  for (let i = 0; i < 30; i++) {
    const p = PARTITIONS[i % PARTITIONS.length]!
    added.get(p)!.push(await redis.xadd(logOf(p), '*', ...entry(`E-${i}`)) as string)
  }
  await redis.xadd(ALERTS, '*', ...alertEntry('A-1'))
  for (const p of PARTITIONS) added.get(p)!.push(await redis.xadd(logOf(p), '*', ...entry(`SENTINEL-${p}`)) as string)
  await eventually(() => expect(PARTITIONS.every((p) => seen.some((e) => e.id === `SENTINEL-${p}`))).toBe(true))
  await eventually(() => expect(alerts.map((u) => u.alert.id)).toEqual(['A-1']))
  for (const p of PARTITIONS) {
    const mine = seen.filter((e) => partitionOfSid(e.sid) === p)
    expect(mine.map((e) => streamIdOf(e.sid))).toEqual(added.get(p)) // each log in its order, each entry once, nothing from before the start
  }
  expect(seen).toHaveLength(33)
  // the tail's position: the newest entry of every log
  expect(tailer.lastId.split(',').map(streamIdOf)).toEqual(PARTITIONS.map((p) => added.get(p)!.at(-1)))
})
