// How the server hands out bytes: the built client's scripts as their
// precompressed brotli/gzip twins, JSON compressed on the fly, the region
// GeoJSON by a strong per-scope ETag (304 on a match), and ingest answered
// uncompressed. Raw node:http requests, so we see the bytes on the wire, not
// what fetch() decoded for us.
import { existsSync, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { join, resolve } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { caseReported } from '../support/events-factory.ts'
import { freshRedisUrl, INGEST_KEY, login, startTestServer, tokenFor } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'

const TOWNSHIP = '650402003' // 葡萄沟街道
const CLIENT_DIR = resolve(process.env.CLIENT_DIR || join(import.meta.dirname, '../../dist/client'))
let server: Running
let admin: string
let leader: string
let entry: string // the client's entry script, e.g. /assets/index-abc.js

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

/** One request; the body exactly as it came over the wire. */
function raw(path: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((done, fail) => {
    const req = request(`${server.url}${path}`, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', fail)
    })
    req.on('error', fail)
    req.end(o.body)
  })
}
const as = (token: string, more: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, ...more })
const decode = (r: Raw) => {
  const coding = r.headers['content-encoding']
  return coding === 'br' ? brotliDecompressSync(r.body) : coding === 'gzip' ? gunzipSync(r.body) : r.body
}

beforeAll(async () => {
  const index = join(CLIENT_DIR, 'index.html')
  if (!existsSync(index)) throw new Error(`no client build in ${CLIENT_DIR}: run npx vite build (or set CLIENT_DIR)`)
  entry = /<script[^>]+src="([^"]+\.js)"/.exec(readFileSync(index, 'utf8'))![1]!
  const file = await writeUsersFile([
    { username: 'leader1', name: '葡萄沟街道 王主任', role: 'leader', region: TOWNSHIP, password: 'leader-pass-1' },
  ])
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: file, CLIENT_DIR })
  admin = tokenFor(server.url)!
  leader = await login(server.url, 'leader1', 'leader-pass-1')
})
afterAll(async () => {
  await server?.stop()
})

describe('the built client', () => {
  it('sends the entry script as its brotli twin to a browser that takes br, unchanged once decoded', async () => {
    const res = await raw(entry, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } })
    expect(res.status).toBe(200)
    expect(res.headers['content-encoding']).toBe('br')
    expect(res.headers['content-type']).toMatch(/javascript/)
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i)
    expect(res.headers['cache-control']).toMatch(/immutable/)
    // the twin written at build time, not compressed again per request
    expect(Number(res.headers['content-length'])).toBe(readFileSync(join(CLIENT_DIR, `${entry}.br`)).length)
    expect(res.body.length).toBeLessThan(readFileSync(join(CLIENT_DIR, entry)).length)
    expect(brotliDecompressSync(res.body).equals(readFileSync(join(CLIENT_DIR, entry)))).toBe(true)
  })

  it('sends gzip to a client without brotli, and the plain file to one that takes no coding', async () => {
    const gz = await raw(entry, { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(Number(gz.headers['content-length'])).toBe(readFileSync(join(CLIENT_DIR, `${entry}.gz`)).length)
    expect(gunzipSync(gz.body).equals(readFileSync(join(CLIENT_DIR, entry)))).toBe(true)
    for (const accept of ['identity', 'br;q=0, gzip;q=0']) {
      const plain = await raw(entry, { headers: { 'accept-encoding': accept } })
      expect(plain.status).toBe(200)
      expect(plain.headers['content-encoding'], accept).toBeUndefined()
      expect(String(plain.headers.vary)).toMatch(/accept-encoding/i)
      expect(plain.body.equals(readFileSync(join(CLIENT_DIR, entry)))).toBe(true)
    }
  })

  it('never serves a file outside the client folder through an encoded path', async () => {
    // enough steps up from any client folder to reach / and a file every Linux has
    const res = await raw(`/assets/${'..%2f'.repeat(24)}etc%2fpasswd`, { headers: { 'accept-encoding': 'br' } })
    // whatever comes back (the page's fallback, compressed or not), it is not the file outside
    expect(decode(res).toString()).not.toMatch(/^root:/m)
  })
})

describe('JSON', () => {
  it('is compressed on the fly: brotli when offered, else gzip', async () => {
    const br = await raw('/api/v1/categories', { headers: as(admin, { 'accept-encoding': 'gzip, deflate, br' }) })
    expect(br.status).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    const gz = await raw('/api/v1/categories', { headers: as(admin, { 'accept-encoding': 'gzip' }) })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(decode(br).toString())).toEqual(JSON.parse(decode(gz).toString()))
  })

  it('ingest answers uncompressed, whatever the sender accepts', async () => {
    // 40 rejected items make an answer far above the compression threshold
    const bad = Array.from({ length: 40 }, (_, i) => ({ ...caseReported(`BAD-${i}`), region: '999999999999' }))
    const res = await raw('/api/v1/events', {
      method: 'POST', headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json', 'accept-encoding': 'br, gzip' },
      body: JSON.stringify([caseReported('GOOD-1'), ...bad]),
    })
    expect(res.status).toBe(200)
    expect(res.body.length).toBeGreaterThan(1024)
    expect(res.headers['content-encoding']).toBeUndefined()
    const answer = JSON.parse(res.body.toString()) as { accepted: number; rejected: unknown[] }
    expect(answer.accepted).toBe(1)
    expect(answer.rejected).toHaveLength(40)
  })
})

describe('the region GeoJSON', () => {
  it('carries a strong ETag, is compressed, and answers 304 to a browser that has it', async () => {
    const first = await raw('/api/v1/regions', { headers: as(admin, { 'accept-encoding': 'gzip, br' }) })
    expect(first.status).toBe(200)
    expect(first.headers['content-encoding']).toBe('br')
    expect(first.headers['content-type']).toMatch(/application\/geo\+json/)
    expect(first.headers['cache-control']).toMatch(/private/)
    expect(String(first.headers.vary)).toMatch(/accept-encoding/i)
    const etag = String(first.headers.etag)
    expect(etag).toMatch(/^"[^"]+"$/) // strong: no W/
    const regions = JSON.parse(decode(first).toString()) as { features: unknown[] }
    expect(regions.features.length).toBeGreaterThan(100)

    const again = await raw('/api/v1/regions', { headers: as(admin, { 'accept-encoding': 'gzip, br', 'if-none-match': etag }) })
    expect(again.status).toBe(304)
    expect(again.body.length).toBe(0)
    expect(again.headers.etag).toBe(etag)

    // the same bytes to a client without brotli: another representation, the same content
    const gz = await raw('/api/v1/regions', { headers: as(admin, { 'accept-encoding': 'gzip' }) })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.headers.etag).not.toBe(etag)
    expect(decode(gz).equals(decode(first))).toBe(true)
    const plain = await raw('/api/v1/regions', { headers: as(admin, { 'accept-encoding': 'identity' }) })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.equals(decode(first))).toBe(true)
  })

  it('has an ETag of its own per scope: one user’s tag never earns another a 304', async () => {
    const city = await raw('/api/v1/regions', { headers: as(admin, { 'accept-encoding': 'br' }) })
    const township = await raw('/api/v1/regions', { headers: as(leader, { 'accept-encoding': 'br' }) })
    expect(township.status).toBe(200)
    expect(township.headers.etag).not.toBe(city.headers.etag)
    const codes = (JSON.parse(decode(township).toString()) as { features: { properties: { code: string } }[] }).features.map((f) => f.properties.code)
    expect(codes.every((c) => c.startsWith(TOWNSHIP))).toBe(true)

    const crossed = await raw('/api/v1/regions', { headers: as(leader, { 'accept-encoding': 'br', 'if-none-match': String(city.headers.etag) }) })
    expect(crossed.status).toBe(200)
    expect(decode(crossed).equals(decode(township))).toBe(true)
    const own = await raw('/api/v1/regions', { headers: as(leader, { 'accept-encoding': 'br', 'if-none-match': String(township.headers.etag) }) })
    expect(own.status).toBe(304)
  })
})
