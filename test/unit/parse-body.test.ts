import { describe, it, expect } from 'vitest'
import { parseBody, TooManyItemsError } from '../../server/ingest/parse-body.ts'
import { BadRequestError } from '../../server/domain/errors.ts'

const NDJSON = 'application/x-ndjson'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

describe('parseBody — JSON', () => {
  it('wraps one event object as one item', () => {
    expect(parseBody('{"id":"a","feed":"case"}', 'application/json')).toEqual([{ ok: true, value: { id: 'a', feed: 'case' } }])
  })

  it('turns an array into one item per element, in order, without judging them', () => {
    expect(parseBody('[{"id":"a"},{"id":"b"},42]', 'application/json')).toEqual([
      { ok: true, value: { id: 'a' } },
      { ok: true, value: { id: 'b' } },
      { ok: true, value: 42 },
    ])
  })

  it('returns no items for an empty array', () => {
    expect(parseBody('[]', 'application/json')).toEqual([])
  })

  it('treats a missing content type and charset parameters as JSON', () => {
    expect(parseBody('{"id":"a"}', undefined)).toEqual([{ ok: true, value: { id: 'a' } }])
    expect(parseBody('[{"id":"a"}]', 'application/json; charset=utf-8')).toHaveLength(1)
  })

  it('throws BadRequestError on unparseable JSON, saying so and hinting NDJSON', () => {
    const err = thrown(() => parseBody('{"id": "a",', 'application/json'))
    expect(err).toBeInstanceOf(BadRequestError)
    expect((err as BadRequestError).code).toBe('BAD_REQUEST')
    expect((err as BadRequestError).status).toBe(400)
    expect((err as Error).message).toContain('not valid JSON')
    expect((err as Error).message).toContain('NDJSON')
  })

  it('throws BadRequestError on NDJSON sent as application/json', () => {
    expect(() => parseBody('{"id":"a"}\n{"id":"b"}\n', 'application/json')).toThrow(BadRequestError)
  })

  it('throws BadRequestError on an empty body', () => {
    expect(() => parseBody('', 'application/json')).toThrow(BadRequestError)
  })

  it('throws BadRequestError on JSON scalars and null', () => {
    for (const text of ['null', '42', '"event"', 'true']) {
      const err = thrown(() => parseBody(text, 'application/json'))
      expect(err, text).toBeInstanceOf(BadRequestError)
      expect((err as Error).message, text).toContain('event object')
    }
  })
})

describe('parseBody — NDJSON', () => {
  it('parses one item per line', () => {
    expect(parseBody('{"id":"a"}\n{"id":"b"}\n', NDJSON)).toEqual([
      { ok: true, value: { id: 'a' } },
      { ok: true, value: { id: 'b' } },
    ])
  })

  it('accepts the content type with parameters and the jsonl / json-seq variants', () => {
    for (const ct of ['application/x-ndjson; charset=utf-8', 'application/ndjson', 'application/jsonl', 'APPLICATION/X-NDJSON']) {
      expect(parseBody('{"id":"a"}\n{"id":"b"}', ct), ct).toHaveLength(2)
    }
  })

  it('turns a bad line into a per-item error and keeps the lines around it', () => {
    const items = parseBody('{"id":"a"}\n{"id": oops}\n{"id":"c"}\n', NDJSON)
    expect(items).toHaveLength(3)
    expect(items[0]).toEqual({ ok: true, value: { id: 'a' } })
    expect(items[1]!.ok).toBe(false)
    expect(items[1]).toMatchObject({ ok: false, error: expect.stringContaining('line 2') })
    expect(items[2]).toEqual({ ok: true, value: { id: 'c' } })
  })

  it('tolerates CRLF line endings and surrounding whitespace', () => {
    expect(parseBody('{"id":"a"}\r\n  {"id":"b"}  \r\n', NDJSON)).toEqual([
      { ok: true, value: { id: 'a' } },
      { ok: true, value: { id: 'b' } },
    ])
  })

  it('skips blank lines', () => {
    expect(parseBody('\n{"id":"a"}\n\n   \n{"id":"b"}\n\n', NDJSON)).toHaveLength(2)
  })

  // BUG: blank lines are filtered out before numbering, so the error names the
  // item ordinal, not the line of the body the sender has to fix.
  it('names the physical line of a bad NDJSON line even after blank lines', () => {
    const items = parseBody('{"id":"a"}\n\n{"id": oops}\n', NDJSON)
    expect(items[1]).toMatchObject({ ok: false, error: expect.stringContaining('line 3') })
  })

  it('throws BadRequestError on an NDJSON body with no events', () => {
    expect(() => parseBody('', NDJSON)).toThrow(BadRequestError)
    expect(() => parseBody('\n  \n\r\n', NDJSON)).toThrow(/no events/)
  })

  it('does not throw when every line is bad: each is an item error', () => {
    const items = parseBody('nope\n{bad\n', NDJSON)
    expect(items.map((i) => i.ok)).toEqual([false, false])
  })

  it('keeps non-object lines as items for the validator to reject', () => {
    expect(parseBody('42\n[1]\n', NDJSON)).toEqual([{ ok: true, value: 42 }, { ok: true, value: [1] }])
  })
})

describe('parseBody — item limit (INGEST_MAX_ITEMS)', () => {
  it('refuses an array or NDJSON body with more items than the limit as 413, before validating any', () => {
    expect(parseBody('[1,2,3]', 'application/json', 3)).toHaveLength(3)
    const err = thrown(() => parseBody('[1,2,3,4]', 'application/json', 3))
    expect(err).toBeInstanceOf(TooManyItemsError)
    expect((err as TooManyItemsError).status).toBe(413)
    expect((err as TooManyItemsError).code).toBe('PAYLOAD_TOO_LARGE')
    expect(() => parseBody('1\n2\n3\n4\n', NDJSON, 3)).toThrow(/more than 3 events/)
    expect(parseBody('1\n\n2\n3\n\n', NDJSON, 3)).toHaveLength(3)
  })

  it('parses JSON nested 100,000 deep without a stack overflow (the validator refuses it per item)', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(parseBody(`[{"id":"a"},${deep}]`, 'application/json')).toHaveLength(2)
  })

  it('keeps the JSON error message short even for a huge body', () => {
    const err = thrown(() => parseBody('{"a":"' + 'x'.repeat(1_000_000), 'application/json'))
    expect((err as Error).message.length).toBeLessThan(400)
  })
})
