// A seeded generator of what a broken feed or an attacker sends to POST
// /api/v1/events: deep nesting, huge strings, overflowing numbers, bad types
// and dates, prototype keys, unicode junk, bad content types, encodings and
// charsets, truncated JSON, NDJSON junk, huge arrays, misplaced attrs, and
// valid events among them. The same seed always gives the same payloads.
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import { mulberry32 } from '../../server/domain/seeded-random.ts'
import { GRID, iso } from './events-factory.ts'

export interface HostilePayload {
  kind: string
  headers: Record<string, string>
  body: string | Buffer
}

export interface HostileOptions {
  /** Wall time the valid events are placed around. */
  now: number
  /** The server's INGEST_MAX_ITEMS, to send arrays just over it. */
  maxItems: number
}

type Json = Record<string, unknown>
const JSON_CT = { 'content-type': 'application/json' }
const NDJSON_CT = { 'content-type': 'application/x-ndjson' }

/** The payload generator of a seed: call it for the next payload. */
export function hostilePayloads(seed: number, o: HostileOptions): () => HostilePayload {
  const rnd = mulberry32(seed)
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  let n = 0
  const id = () => `fz-${seed}-${n}-${int(0, 1e9)}`
  const at = () => iso(o.now - int(0, 3 * 86_400_000))
  const sent: string[] = [] // earlier valid bodies, resent as duplicates

  const valid = (): Json => {
    const subject = `FZ${seed}x${n}x${int(0, 1e6)}`
    switch (int(0, 6)) {
      case 0: return { id: id(), feed: 'case', type: 'reported', subject, at: at(), region: GRID, category: 'city.sanitation', attrs: { source: 'grid' } }
      case 1: return { id: id(), feed: 'grid', type: 'visit', subject, at: at(), region: GRID, attrs: { households: int(0, 10_000) } }
      case 2: return { id: id(), feed: 'grid', type: 'alert', subject, at: at(), region: GRID, attrs: { severity: pick(['info', 'warning', 'critical']), title: 't'.repeat(int(0, 200)) } }
      case 3: return { id: id(), feed: 'hotline', type: 'call', subject, at: at(), region: GRID, attrs: { answered: rnd() < 0.5, waitSec: int(0, 86_400) } }
      case 4: return { id: id(), feed: 'hotline', type: 'received', subject, at: at(), region: GRID, category: 'hl.utilities.water', attrs: { kind: 'help', note: 'x'.repeat(int(0, 2048)) } }
      case 5: return { id: id(), feed: 'service', type: 'accepted', subject, at: at(), region: GRID, attrs: { scope: pick(['local', 'outside']), item: 'svc.social.card' } }
      default: return { id: id(), feed: pick(['case', 'service']), type: pick(['closed', 'disposed', 'completed', 'urged']), subject, at: at() } // out of order or unknown: parked or refused
    }
  }
  // as text: JSON.stringify itself overflows the stack on what an attacker can send
  const nest = (depth: number, asArray: boolean): string =>
    asArray ? '['.repeat(depth) + '1' + ']'.repeat(depth) : '{"n":'.repeat(depth - 1) + '{"leaf":1' + '}'.repeat(depth)
  const withDeepAttrs = (e: Json, depth: number) =>
    JSON.stringify({ ...e, attrs: '@deep@' }).replace('"@deep@"', `{"x":${nest(depth, rnd() < 0.5)}}`)
  const junkValue = (): unknown => pick([null, true, 0, -1, 1.5, 2 ** 63, 'x', [], {}, [1, [2]], { a: 'b' }, '💥', '\u0000'])
  const junkString = (): string => {
    const parts = ['\u202e', '\u0000', '\ufeff', '😀', '中文', '<script>alert(1)</script>', '\\', '"', '\u2028', 'é', '\ud83d']
    return Array.from({ length: int(1, 12) }, () => pick(parts)).join('')
  }
  const json = (v: unknown, headers: Record<string, string> = JSON_CT) => ({ headers, body: JSON.stringify(v) })

  const hostile: Record<string, () => Omit<HostilePayload, 'kind'>> = {
    valid: () => {
      const body = JSON.stringify(rnd() < 0.5 ? valid() : Array.from({ length: int(1, 5) }, valid))
      if (sent.length < 500) sent.push(body)
      return { headers: JSON_CT, body }
    },
    duplicate: () => ({ headers: JSON_CT, body: sent.length ? pick(sent) : JSON.stringify(valid()) }),
    deepAttrs: () => ({ headers: JSON_CT, body: `[${JSON.stringify(valid())},${withDeepAttrs(valid(), int(4, 20_000))}]` }),
    deepRaw: () => ({ headers: JSON_CT, body: '['.repeat(int(10, 50_000)) + ']'.repeat(int(0, 50_000)) }),
    hugeString: () => {
      const e = valid()
      const big = 'x'.repeat(int(2049, 300_000))
      const field = pick(['title', 'note', 'id', 'subject', 'category', 'type', 'region'])
      if (['title', 'note'].includes(field)) e.attrs = { ...(e.attrs as Json), [field]: big }
      else e[field] = big
      return json(e)
    },
    overflowNumber: () => {
      const e = valid()
      const v = pick([9007199254740991, 2 ** 63, 1e308, -1, 1.5, -0.5, '12', 'NaN', 1e21])
      e.attrs = { ...(e.attrs as Json), [pick(['households', 'waitSec', 'talkSec', 'durationMin', 'distanceM', 'free'])]: v }
      // a literal 1e400 (Infinity once parsed) can only be sent as text
      return rnd() < 0.2 ? { headers: JSON_CT, body: JSON.stringify(e).replace(/}$/, ',"attrs2":1e400}').replace('"attrs":{', '"attrs":{"inf":1e400,') } : json(e)
    },
    badTypes: () => {
      const e = valid()
      e[pick(['id', 'feed', 'type', 'subject', 'at', 'region', 'location', 'category', 'attrs'])] = junkValue()
      return json(e)
    },
    badDates: () => {
      const e = valid()
      e.at = pick(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59+08:00', '2026-02-30T10:00:00+08:00', '2026-11-21T09:15:02',
        iso(o.now - 401 * 86_400_000), iso(o.now + 2 * 86_400_000), '2026-11-21T25:00:00Z', '', 'yesterday', '1969-12-31T23:59:59Z'])
      if (rnd() < 0.3) e.attrs = { ...(e.attrs as Json), deadline: pick(['9999-01-01T00:00:00Z', 'soon', iso(o.now)]) }
      return json(e)
    },
    protoKeys: () => {
      const key = pick(['__proto__', 'constructor', 'prototype'])
      const body = JSON.stringify(valid())
      return { headers: JSON_CT, body: rnd() < 0.5 ? body.replace('{', `{"${key}":{"polluted":true},`) : body.replace('"attrs":{', `"attrs":{"${key}":{"polluted":1},`) }
    },
    unicodeJunk: () => {
      const e = valid()
      const field = pick(['id', 'subject', 'category', 'type', 'title', 'note', 'key'])
      if (field === 'title' || field === 'note') e.attrs = { ...(e.attrs as Json), [field]: junkString() }
      else if (field === 'key') e.attrs = { ...(e.attrs as Json), [junkString()]: junkString() }
      else e[field] = junkString()
      const body = JSON.stringify(e)
      return { headers: JSON_CT, body: rnd() < 0.2 ? `\ufeff${body}` : body }
    },
    badHeaders: () => ({
      headers: pick<Record<string, string>>([
        { 'content-type': 'application/json', 'content-encoding': pick(['x-foo', 'compress', 'zstd', 'gzip, br', 'identity, gzip', 'GZIP2', '*']) },
        { 'content-type': `application/json; charset=${pick(['utf-9', 'x-unknown', 'ebcdic-xx', '"', 'utf-8;'])}` },
        { 'content-type': pick(['text/html', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', '', '*/*', 'application/json; charset=latin1']) },
      ]),
      body: JSON.stringify(valid()),
    }),
    encodedBody: () => {
      const plain = Buffer.from(JSON.stringify(valid()))
      const [enc, zip] = pick([['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const)
      const garbage = rnd() < 0.4
      return { headers: { ...JSON_CT, 'content-encoding': enc }, body: garbage ? Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), plain]) : zip(plain) }
    },
    truncated: () => {
      const body = JSON.stringify(rnd() < 0.5 ? valid() : [valid(), valid()])
      return { headers: JSON_CT, body: body.slice(0, int(0, body.length - 1)) }
    },
    ndjsonJunk: () => {
      const lines = Array.from({ length: int(1, 20) }, () =>
        pick([JSON.stringify(valid()), '{bad', '', '   ', 'null', '42', '[]', '"str"', JSON.stringify(valid()).slice(0, 10), '\u0000', 'x'.repeat(int(1, 5000))]))
      return { headers: NDJSON_CT, body: lines.join(pick(['\n', '\r\n', '\n\n'])) }
    },
    hugeArray: () => ({ headers: JSON_CT, body: JSON.stringify(Array.from({ length: o.maxItems + int(1, 50) }, () => pick([{}, 1, null]))) }),
    misplacedAttrs: () => {
      const e = valid()
      e.attrs = { ...(e.attrs as Json), ...pick([{ kind: 'complaint' }, { severity: 'critical' }, { households: 3 }, { deadline: iso(o.now) }, { satisfaction: 'basic' }]) }
      return json(e)
    },
    unknownCategory: () => ({ ...json({ ...valid(), category: pick(['<b>x</b>', 'no.such.category', 'city', '../etc', 'x'.repeat(64)]) }) }),
    wideAttrs: () => json({ ...valid(), attrs: Object.fromEntries(Array.from({ length: int(100, 3000) }, (_, i) => [`k${i}`, i])) }),
    unknownFields: () => json({ ...valid(), [pick(['priority', 'extra', 'toString', 'hasOwnProperty', ''])]: junkValue() }),
    mixedBatch: () => ({
      headers: JSON_CT,
      body: `[${Array.from({ length: int(2, 30) }, () =>
        rnd() < 0.5 ? JSON.stringify(valid()) : pick([() => JSON.stringify(junkValue()), () => JSON.stringify({ ...valid(), at: 'x' }), () => withDeepAttrs(valid(), 10)])()).join(',')}]`,
    }),
    scalarBody: () => ({ headers: JSON_CT, body: pick(['', ' ', 'null', 'true', '0', '"x"', '{}', '[]', '[[]]', '{"a":', '\u0000']) }),
  }
  const kinds = Object.keys(hostile)

  return () => {
    n++
    const kind = pick(kinds)
    return { kind, ...hostile[kind]!() }
  }
}
