// The one Lua loader: constants written into the script text keep the `#!lua`
// shebang first (Redis refuses such a script whole when out of memory, before
// any write), the scripts run on a pipeline and on the client alike, and
// apply.lua's counters land under the names the KPI formulas read.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyEvent, type ApplyInput } from '../../server/store/apply-event.ts'
import { keys } from '../../server/store/keys.ts'
import { luaLiteral } from '../../server/store/lua-header.ts'
import { scriptSources } from '../../server/store/lua-scripts.ts'
import { connectStore, type Store } from '../../server/store/redis-client.ts'
import { startRedis, type RedisProcess } from '../../server/store/redis-process.ts'

const CHAIN = ['g1', 't1', 'd1', 'c1']
const options = { channel: 'lua-loader', zone: 'Asia/Shanghai', logMaxLen: 1000, seenTtlSec: 3600 }
const AT = Date.UTC(2026, 5, 15, 4, 0) // 12:00 in Shanghai: the day is 20260615 whatever the runner's zone
const reported = (id: string, subject: string): ApplyInput => ({
  event: { id, feed: 'case', type: 'reported', subject, at: AT, region: 'g1', category: 'road.pothole', attrs: {} },
  chain: CHAIN, grid: 'g1', intake: '24',
})

describe('lua script text', () => {
  it('keeps the shebang of every script that has one on its first line, with the constants after it', () => {
    expect(scriptSources().size).toBe(9)
    for (const [name, text] of scriptSources()) {
      const file = readFileSync(new URL(`../../server/store/lua/${name}.lua`, import.meta.url), 'utf8')
      expect(text.startsWith('#!lua')).toBe(file.startsWith('#!lua'))
      const body = text.replace(/-- >>> generated[\s\S]*?-- <<< generated\n/, '').split('\n')
      const lines = file.split('\n')
      expect(body.length).toBe(lines.length)
      // a line changes only where it names a constant (C.x, CF.x, K.x), which becomes its literal
      lines.forEach((line, i) => { if (!/\b(C|CF|K)\./.test(line)) expect(body[i]).toBe(line) })
      expect(body.join('\n')).not.toMatch(/\b(C|CF|K)\.[A-Za-z]/)
    }
    const apply = scriptSources().get('apply')!
    expect(apply).toMatch(/^#!lua\n-- >>> generated/)
    expect(apply).toContain("'c.reported'") // C.caseReported, written in
    expect(readFileSync(new URL('../../server/store/lua/apply.lua', import.meta.url), 'utf8')).toContain('C.caseReported')
  })

  it('writes constants as Lua literals and refuses what it cannot quote safely', () => {
    expect(luaLiteral({ a: 'x', 'b.c': ["it's", 1], end: [] })).toBe("{ a = 'x', ['b.c'] = { 'it\\'s', 1 }, ['end'] = {  } }")
    expect(() => luaLiteral('新')).toThrow(/printable ASCII/)
    expect(() => luaLiteral(undefined)).toThrow()
  })
})

describe('lua scripts on a Redis of their own', () => {
  let redis: RedisProcess
  let store: Store
  beforeAll(async () => {
    redis = await startRedis()
    store = await connectStore(redis.url)
  })
  afterAll(async () => {
    store?.disconnect()
    await redis?.stop()
  })

  it('applies on the client and on a pipeline, counting under the injected counter name', async () => {
    expect(await applyEvent(store, reported('L-1', 'S-1'), options)).toEqual(['applied', expect.any(String)])
    const pipe = store.pipeline()
    applyEvent(pipe, reported('L-2', 'S-2'), options)
    applyEvent(pipe, reported('L-1', 'S-1'), options)
    const replies = (await pipe.exec()) ?? []
    expect(replies.map(([err, r]) => [err, (r as string[])[0]])).toEqual([[null, 'applied'], [null, 'duplicate']])
    // the oracle: the field name as DESIGN §6 spells it
    expect(await store.hget(keys(options.channel).day('c1', '20260615'), 'c.reported')).toBe('2')
  })

  it('is refused whole when Redis is out of memory: nothing written, the id stays unseen', async () => {
    await store.config('SET', 'maxmemory-policy', 'noeviction')
    await store.config('SET', 'maxmemory', '1')
    try {
      await expect(applyEvent(store, reported('L-3', 'S-3'), options)).rejects.toThrow(/OOM/)
    } finally {
      await store.config('SET', 'maxmemory', '0')
    }
    expect(await store.exists(keys(options.channel).seen('L-3'))).toBe(0)
    expect(await store.hget(keys(options.channel).day('c1', '20260615'), 'c.reported')).toBe('2')
    expect(await applyEvent(store, reported('L-3', 'S-3'), options)).toEqual(['applied', expect.any(String)])
  })
})
