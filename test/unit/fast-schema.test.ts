import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { attrsSchemaOf, eventEnvelopeSchema, fastEnvelope, validateEvent } from '../../server/domain/events.ts'
import { compileObject } from '../../server/domain/fast-schema.ts'
import { CASE_TYPES, GRID_TYPES, HOTLINE_TYPES, SERVICE_TYPES, type Feed } from '../../server/domain/lifecycles.ts'

// The fast path may only ever answer what zod answers: for each input, either undefined (zod decides)
// or exactly zod's parsed value, with the same keys in the same order. zod is the oracle here.

const AT = '2026-11-21T09:15:02+08:00'
const ODD: unknown[] = [
  undefined, null, true, false, 0, -1, 1.5, 1e20, 86_400, 86_401, 10_000, 200_001, '', 'x', 'a b', 'x'.repeat(41), 'x'.repeat(129), 'x'.repeat(201),
  'urgent', 'normal', 'critical', 'complaint', 'agent', 'city', 'very_satisfied', 'satisfied', 'neighbourhood', AT, '2026-02-30T10:00:00+08:00',
  '2026-11-21T09:15:02.123456+08:00', '2026-11-21T09:15+15:00', '2026-11-21 09:15:02', '650402100201', '12', [], [89.1, 42.9], [200, 1], [1, 2, 3],
  ['1', 2], {}, { a: 1 }, new Date(0), Object.create(null) as unknown,
]

const TYPES: Record<Feed, readonly string[]> = { case: CASE_TYPES, hotline: HOTLINE_TYPES, grid: GRID_TYPES, service: SERVICE_TYPES }

/** Every input of the corpus: the base, then each key (of the schema's shape, and one extra) set to each odd value, or left out. */
function* variants(base: Record<string, unknown>, shapeKeys: string[]): Generator<unknown> {
  yield base
  for (const key of [...shapeKeys, 'extra']) {
    const { [key]: _, ...without } = base
    yield without
    for (const v of ODD) yield { ...base, [key]: v }
  }
  yield JSON.parse(`{"__proto__": 1, ${JSON.stringify(base).slice(1)}`)
  yield Object.assign(Object.create(null), base)
  for (const v of ODD) yield v
}

function agrees(schema: z.ZodType, fast: ((v: unknown) => unknown) | undefined, input: unknown): boolean {
  const got = fast?.(input)
  if (got === undefined) return false
  const want = schema.safeParse(input)
  expect(want.success, `fast path accepted what zod refuses: ${JSON.stringify(input)}`).toBe(true)
  expect(Object.keys(got as object)).toEqual(Object.keys(want.data as object))
  expect(JSON.stringify(got)).toBe(JSON.stringify(want.data))
  expect(got).toStrictEqual(want.data)
  return true
}

describe('fast schema paths agree with zod', () => {
  it('the envelope: accepts only what zod accepts, giving zod\'s value', () => {
    const base = { id: 'case-1', feed: 'case', type: 'reported', subject: 'C1', at: AT, region: '650402100201', location: [89.18, 42.94], category: 'city.x', attrs: { b: 1, a: 'x' } }
    let fast = 0
    for (const input of variants(base, Object.keys(eventEnvelopeSchema.shape))) if (agrees(eventEnvelopeSchema, fastEnvelope, input)) fast++
    expect(fast).toBeGreaterThan(20) // the fast path does take the common inputs
  })

  it('the attrs of every feed and type', () => {
    let fast = 0
    let types = 0
    for (const feed of Object.keys(TYPES) as Feed[]) {
      for (const type of TYPES[feed]) {
        const s = attrsSchemaOf(feed, type)
        if (!s) continue
        types++
        const shape = (s.schema as z.ZodObject).shape
        const keys = Object.keys(shape)
        // a base that zod accepts: one good value per key, found among the odd values
        const base: Record<string, unknown> = { free: 'x' }
        for (const key of keys) {
          const good = ODD.find((v) => v !== undefined && shape[key]!.safeParse(v).success)
          if (good !== undefined) base[key] = good
        }
        for (const input of variants(base, keys)) if (agrees(s.schema, s.fast, input)) fast++
      }
    }
    expect(types).toBeGreaterThan(10)
    expect(fast).toBeGreaterThan(types * 5)
  })

  it('a schema with a check it does not know is left to zod', () => {
    const fast = compileObject(z.strictObject({ a: z.string().email() }))
    expect(fast?.({ a: 'x@example.com' })).toBeUndefined()
    expect(compileObject(z.object({ a: z.string() }))).toBeUndefined() // strips unknown keys: not compiled
  })

  it('validateEvent gives the same answer with the fast path as zod alone would (errors word for word)', () => {
    const bad = { id: 'x', feed: 'case', type: 'reported', subject: 'C1', at: AT, region: '650402100201', category: 'c.x', attrs: { priority: 'soon' } }
    expect(validateEvent(bad)).toEqual({ ok: false, error: 'attrs.priority: Invalid option: expected one of "normal"|"urgent"' })
    expect(validateEvent({ ...bad, attrs: { priority: 'urgent', extra: 1, source: 'grid' } })).toMatchObject({
      ok: true, event: { attrs: { source: 'grid', priority: 'urgent', extra: 1 } },
    })
  })
})
