// Issue 10, HTTP side: what a hostile browser page, a password guesser or a
// slow client can do to a real server on real Redis. One test per item:
// 7 login counting, 8 redirects, 10 malformed cookie, 12 headers and Origin,
// 13 no existence leak outside one's scope, 15 slow requests, and 415 for
// encodings we cannot read. Different client addresses come in through
// X-Forwarded-For, which the server trusts from loopback (a local proxy).
import { connect as tcpConnect } from 'node:net'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { caseReported } from '../support/events-factory.ts'
import type { Snapshot } from '../../server/domain/protocol.ts'
import { ADMIN, eventually, freshRedisUrl, login, post, startTestServer, tokenFor, type TestSocket } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'

const TOWNSHIP = '650402003'
const OWN_GRID = '650402003001001'
const OTHER_GRID = '650421100001001'
const EVIL = 'https://evil.example'
const PORTAL = 'https://portal.example.org'
const LIMITS = {
  LOGIN_MAX_PER_ADDRESS: '30', LOGIN_MAX_PER_USER_ADDRESS: '5', LOGIN_WINDOW_SEC: '900',
  LOGIN_USER_FREE_FAILS: '10', LOGIN_USER_DELAY_MS: '300', LOGIN_USER_DELAY_MAX_MS: '1200',
  REQUEST_TIMEOUT_MS: '1500', HEADERS_TIMEOUT_MS: '1000',
  ALLOWED_ORIGINS: PORTAL, FRAME_ANCESTORS: `'self' ${PORTAL}`, MAP_TILES_URL: 'https://tiles.example.org/{z}/{x}/{y}.png',
}
let server: Running
let leader: string
const sockets: TestSocket[] = []

beforeAll(async () => {
  const file = await writeUsersFile([
    { username: 'leader1', name: '葡萄沟街道 王主任', role: 'leader', region: TOWNSHIP, password: 'leader-pass-1' },
    { username: 'op1', name: '值班员', role: 'operator', password: 'operator-pass-1' },
    { username: 'op2', name: '值班员二', role: 'operator', password: 'operator-pass-2' },
  ])
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: file, ...LIMITS })
  leader = await login(server.url, 'leader1', 'leader-pass-1')
  await post(server.url, [caseReported('OWN-1', undefined, OWN_GRID), caseReported('OTHER-1', undefined, OTHER_GRID)])
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await server?.stop()
})

const loginFrom = (address: string, username: string, password: string) => fetch(`${server.url}/api/v1/auth/login`, {
  method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ username, password }),
})
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error
const statuses = (list: Response[]) => list.reduce<Record<number, number>>((m, r) => ({ ...m, [r.status]: (m[r.status] ?? 0) + 1 }), {})

describe('7. login attempts', () => {
  it('evaluates at most LOGIN_MAX_PER_USER_ADDRESS of 100 parallel guesses, and the user still logs in from elsewhere', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => loginFrom('10.7.0.1', 'op1', 'wrong-password')))
    const counts = statuses(answers)
    console.log('100 parallel wrong guesses for one user from one address →', counts)
    expect(counts).toEqual({ 401: 5, 429: 95 }) // counted before the password check: exactly 5 were evaluated
    const limited = answers.find((r) => r.status === 429)!
    expect(await errorOf(limited)).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' })
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    // the guesser's address is held; the real operator at another address is not locked out
    expect((await loginFrom('10.7.0.1', 'op1', 'operator-pass-1')).status).toBe(429)
    expect((await loginFrom('10.7.0.2', 'op1', 'operator-pass-1')).status).toBe(200)
  })

  it('holds an address that guesses many users after LOGIN_MAX_PER_ADDRESS attempts', async () => {
    const answers: Response[] = []
    for (let i = 0; i < 35; i++) answers.push(await loginFrom('10.7.1.1', `nobody${i}`, 'x'))
    expect(statuses(answers)).toEqual({ 401: 30, 429: 5 })
    expect((await loginFrom('10.7.1.1', 'op2', 'operator-pass-2')).status).toBe(429)
    expect((await loginFrom('10.7.1.2', 'op2', 'operator-pass-2')).status).toBe(200)
  })

  it('spaces out guesses at one user from many addresses with a short delay, never a lock-out', async () => {
    // 4 addresses × 5 failures: past LOGIN_USER_FREE_FAILS (10) the user's attempts need a growing gap
    const answers: Response[] = []
    for (let a = 0; a < 4; a++) for (let i = 0; i < 5; i++) answers.push(await loginFrom(`10.7.2.${a}`, ADMIN.username, 'wrong'))
    const counts = statuses(answers)
    console.log('20 sequential guesses at the admin from 4 addresses →', counts)
    expect(counts[429]).toBeGreaterThan(0)
    expect(counts[401]).toBeGreaterThanOrEqual(10)
    // the admin, at a fresh address, gets in after at most a few Retry-After waits (LOGIN_USER_DELAY_MAX_MS = 1.2 s)
    const waits: number[] = []
    for (;;) {
      const res = await loginFrom('10.7.3.1', ADMIN.username, ADMIN.password)
      if (res.status === 200) break
      expect(res.status).toBe(429)
      const wait = Number(res.headers.get('retry-after'))
      expect(wait).toBeLessThanOrEqual(2) // never the 15-minute lock of before
      waits.push(wait)
      expect(waits.length).toBeLessThan(5)
      await new Promise((r) => setTimeout(r, wait * 1000))
    }
    console.log(`the admin got in after ${waits.length} wait(s) of ${waits.join(', ') || 0} s`)
  })
})

describe('8. redirects stay on our origin', () => {
  it('sends an anonymous page request to /login with the path as a relative next, whatever the path holds', async () => {
    for (const path of ['/wall?x=%09//evil.example', '/tablet/%2F%2Fevil.example', '//evil.example/%2e%2e', '/%5Cevil.example', '/assets', '//assets']) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' })
      const location = res.headers.get('location')
      if (location === null) continue // not a redirect at all
      expect(new URL(location, server.url).origin, `${path} → ${location}`).toBe(new URL(server.url).origin)
      expect(location, path).toMatch(/^\/(?!\/|\\)/)
    }
  })
})

describe('10. malformed session cookie', () => {
  const BAD = { cookie: 'sr_session=%E0%A4%A' }
  it('is no session: 401 on the API, the login page and login itself work, never a 500', async () => {
    expect((await fetch(`${server.url}/api/v1/auth/me`, { headers: BAD })).status).toBe(401)
    expect((await fetch(`${server.url}/login`, { headers: BAD })).status).toBe(200)
    expect((await fetch(`${server.url}/wall`, { headers: BAD, redirect: 'manual' })).status).toBe(302)
    expect((await fetch(`${server.url}/healthz`, { headers: BAD })).status).toBe(200)
    const res = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { ...BAD, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'leader1', password: 'leader-pass-1' }),
    })
    expect(res.status).toBe(200)
  })
  it('is refused on the socket handshake as unauthorized', async () => {
    const s: TestSocket = io(server.url, { transports: ['websocket'], extraHeaders: BAD, reconnection: false, forceNew: true })
    sockets.push(s)
    const outcome = await new Promise<string>((resolve) => {
      s.once('connect', () => resolve('connected'))
      s.once('connect_error', (err) => resolve((err as Error & { data?: { code?: string } }).data?.code ?? err.message))
    })
    expect(outcome).toBe('UNAUTHORIZED')
  })
})

describe('12. security headers and Origin checks', () => {
  it('puts CSP, nosniff, frame-ancestors and Referrer-Policy on every response', async () => {
    for (const path of ['/healthz', '/login', '/api/v1/snapshot', '/api/v1/nothing', '/wall']) {
      const res = await fetch(`${server.url}${path}`, { redirect: 'manual' })
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("default-src 'self'")
      expect(csp, path).toContain("script-src 'self';")
      expect(csp, path).toContain(`frame-ancestors 'self' ${PORTAL}`)
      expect(csp, path).toContain("img-src 'self' data: blob: https://tiles.example.org") // the configured tile host
      expect(csp, path).toContain("worker-src 'self' blob:") // maplibre's workers
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin')
    }
  })

  it('refuses a cross-origin text/plain POST that carries the cookie, and changes nothing', async () => {
    const cookie = `sr_session=${tokenFor(server.url)}`
    const channels = async () => ((await (await fetch(`${server.url}/api/v1/channels`, { headers: { cookie } })).json()) as unknown[]).length
    const before = await channels()
    const drill = JSON.stringify({ scenario: 'normal-weekday', speed: 1, seed: 1 })
    const forged = await fetch(`${server.url}/api/v1/channels`, { method: 'POST', headers: { cookie, origin: EVIL, 'content-type': 'text/plain' }, body: drill })
    expect(forged.status).toBe(403)
    expect(await errorOf(forged)).toMatchObject({ code: 'CROSS_ORIGIN', message: expect.stringContaining(EVIL) })
    const byReferer = await fetch(`${server.url}/api/v1/channels`, { method: 'POST', headers: { cookie, referer: `${EVIL}/page`, 'content-type': 'text/plain' }, body: drill })
    expect(byReferer.status).toBe(403)
    const nullOrigin = await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, origin: 'null' } })
    expect(nullOrigin.status).toBe(403)
    const asJson = await fetch(`${server.url}/api/v1/channels`, { method: 'POST', headers: { cookie, origin: EVIL, 'content-type': 'application/json' }, body: drill })
    expect(asJson.status).toBe(403)
    expect(await channels()).toBe(before)
    // the same JSON request from our own page, or from an ALLOWED_ORIGINS one, goes through: the Origin was the only difference
    const own = await fetch(`${server.url}/api/v1/channels`, { method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: drill })
    expect(own.status).toBe(201)
    const { id } = (await own.json()) as { id: string }
    const portal = await fetch(`${server.url}/api/v1/channels/${id}`, { method: 'DELETE', headers: { cookie, origin: PORTAL } })
    expect(portal.status).toBe(200)
    expect(await channels()).toBe(before)
  })

  it('refuses a login form posted from a foreign page (login CSRF), but not a script with a bearer token', async () => {
    const foreignLogin = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json', 'x-forwarded-for': '10.12.1.1' }, body: JSON.stringify({ username: 'leader1', password: 'leader-pass-1' }),
    })
    expect(foreignLogin.status).toBe(403)
    expect(foreignLogin.headers.get('set-cookie')).toBeNull()
    // a page cannot add Authorization to a cross-origin request (no CORS here), so a bearer request is no forgery
    const token = await login(server.url, 'leader1', 'leader-pass-1')
    const bearer = await fetch(`${server.url}/api/v1/auth/logout`, { method: 'POST', headers: { origin: EVIL, authorization: `Bearer ${token}` } })
    expect(bearer.status).toBe(200)
  })

  it('lets ingest through from any origin, since it authenticates by key, not cookie', async () => {
    const res = await post(server.url, [caseReported('XO-1', undefined, OWN_GRID)], { origin: EVIL })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accepted: 1 })
  })

  it('refuses a socket.io handshake from a foreign origin, even with a valid token', async () => {
    const tryOrigin = (origin: string) => {
      const s: TestSocket = io(server.url, { transports: ['websocket'], auth: { token: tokenFor(server.url) }, extraHeaders: { origin }, reconnection: false, forceNew: true })
      sockets.push(s)
      return new Promise<string>((resolve) => {
        s.once('connect', () => resolve('connected'))
        s.once('connect_error', () => resolve('refused'))
      })
    }
    expect(await tryOrigin(EVIL)).toBe('refused')
    expect(await tryOrigin(server.url)).toBe('connected')
    expect(await tryOrigin(PORTAL)).toBe('connected')
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, { headers: { origin: EVIL } })
    expect(polling.status).toBe(403)
  })

  it('marks the session cookie Secure when the request came over TLS (via a trusted proxy)', async () => {
    const viaTls = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': '10.12.0.1' },
      body: JSON.stringify({ username: 'leader1', password: 'leader-pass-1' }),
    })
    expect(viaTls.status).toBe(200)
    expect(viaTls.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
    const plain = await loginFrom('10.12.0.2', 'leader1', 'leader-pass-1')
    expect(plain.headers.get('set-cookie')).not.toMatch(/;\s*Secure/i)
  })
})

describe('13. outside one\'s scope, existing and unknown look alike', () => {
  const as = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${leader}` } })
  const answer = async (path: string) => {
    const res = await as(path)
    const error = await errorOf(res)
    return { status: res.status, code: error.code, message: error.message }
  }
  it('answers a case of another township exactly like one that does not exist, naming no grid', async () => {
    const other = await answer('/api/v1/subjects/case/OTHER-1')
    const unknown = await answer('/api/v1/subjects/case/NO-SUCH-CASE')
    expect(other).toMatchObject({ status: 403, code: 'FORBIDDEN_REGION' })
    expect(unknown).toEqual({ ...other, message: other.message.replace('OTHER-1', 'NO-SUCH-CASE') })
    expect(other.message).not.toContain(OTHER_GRID)
    expect(other.message).not.toContain('650421')
    expect((await as('/api/v1/subjects/case/OWN-1')).status).toBe(200) // the leader's own case still reads
  })
  it('answers an alert of another township like one that does not exist, and leaves it active', async () => {
    await post(server.url, [{ ...caseReported('OTHER-URG', undefined, OTHER_GRID), attrs: { source: 'grid', priority: 'urgent' } }])
    const adminSnap = async () => ((await (await fetch(`${server.url}/api/v1/snapshot?region=650421`, { headers: { authorization: `Bearer ${tokenFor(server.url)}` } })).json()) as Snapshot).alerts
    const alert = await eventually(async () => {
      const found = (await adminSnap()).find((a) => a.subject === 'OTHER-URG')
      expect(found).toBeDefined()
      return found!
    })
    const ack = (id: string) => fetch(`${server.url}/api/v1/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', headers: { authorization: `Bearer ${leader}` } })
    const res = await ack(alert.id)
    const other = { status: res.status, ...(await errorOf(res)) }
    const none = await ack('no-such-alert')
    expect(other).toMatchObject({ status: 404, code: 'UNKNOWN_ALERT' })
    expect({ status: none.status, ...(await errorOf(none)) }).toEqual({ ...other, message: other.message.replace(alert.id, 'no-such-alert') })
    expect(other.message).not.toContain('650421')
    expect((await adminSnap()).map((a) => a.id)).toContain(alert.id) // nothing was acknowledged
  })
  it('answers a region outside scope like an unknown code, on every region read', async () => {
    for (const route of ['/api/v1/open?region=', '/api/v1/snapshot?region=']) {
      const other = await answer(`${route}650421100`)
      const unknown = await answer(`${route}650499999`)
      expect(other, route).toMatchObject({ status: 403, code: 'FORBIDDEN_REGION' })
      expect(unknown, route).toEqual({ ...other, message: other.message.replace('650421100', '650499999') })
    }
  })
})

describe('15. slow clients', () => {
  /** Trickle `head` then `body` a byte every `everyMs`; resolves with what the server said and how much was sent when it hung up. */
  function trickle(head: string, body: string, everyMs: number) {
    const { port } = server
    return new Promise<{ reply: string; sent: number; total: number; ms: number }>((resolve) => {
      const started = Date.now()
      const socket = tcpConnect(port, '127.0.0.1')
      const bytes = Buffer.from(head + body)
      let sent = 0
      let reply = ''
      const timer = setInterval(() => {
        if (sent < bytes.length && !socket.destroyed) socket.write(bytes.subarray(sent, ++sent))
      }, everyMs)
      socket.on('data', (d) => { reply += d.toString() })
      socket.on('error', () => {})
      socket.on('close', () => {
        clearInterval(timer)
        resolve({ reply, sent, total: bytes.length, ms: Date.now() - started })
      })
    })
  }

  it('cuts a slowloris body after REQUEST_TIMEOUT_MS instead of holding it for minutes', async () => {
    const body = JSON.stringify({ username: 'leader1', password: 'x'.repeat(400) })
    const head = `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
    const r = await new Promise<{ reply: string; sent: number; ms: number }>((resolve) => {
      const started = Date.now()
      const socket = tcpConnect(server.port, '127.0.0.1', () => socket.write(head))
      let sent = 0
      let reply = ''
      const timer = setInterval(() => {
        if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!)
      }, 50) // the whole body would take 20 s
      socket.on('data', (d) => { reply += d.toString() })
      socket.on('error', () => {})
      socket.on('close', () => {
        clearInterval(timer)
        resolve({ reply, sent, ms: Date.now() - started })
      })
    })
    console.log(`slow body: cut after ${r.ms} ms with ${r.sent} of ${body.length} body bytes sent (REQUEST_TIMEOUT_MS=1500)`)
    expect(r.sent).toBeLessThan(body.length) // the server hung up before the body was complete
    expect(r.reply).toMatch(/^HTTP\/1\.1 408/)
  }, 30_000)

  it('cuts slow headers after HEADERS_TIMEOUT_MS', async () => {
    const head = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Pad: aaaaaaaaaaaaaaaaaaaa\r\n'.repeat(20)}\r\n`
    const r = await trickle(head, '', 50) // the head would take ~30 s
    console.log(`slow headers: cut after ${r.ms} ms with ${r.sent} of ${r.total} bytes sent (HEADERS_TIMEOUT_MS=1000)`)
    expect(r.sent).toBeLessThan(r.total)
    expect(r.reply).toMatch(/^HTTP\/1\.1 408/)
  }, 30_000)
})

describe('body encodings we cannot read', () => {
  const send = (headers: Record<string, string>, body = '{"username":"a","password":"b"}') =>
    fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'x-forwarded-for': '10.15.0.1', ...headers }, body })
  it('answers 415 with a code and a reason for an unknown Content-Encoding or charset, not 500', async () => {
    const cases: Record<string, string>[] = [
      { 'content-type': 'application/json', 'content-encoding': 'x-foo' },
      { 'content-type': 'application/json', 'content-encoding': 'compress' },
      { 'content-type': 'application/json', 'content-encoding': 'zstd' },
      { 'content-type': 'application/json; charset=x-unknown' },
    ]
    for (const headers of cases) {
      const res = await send(headers)
      expect(res.status, JSON.stringify(headers)).toBe(415)
      const error = await errorOf(res)
      expect(error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
      expect(error.message).toMatch(/not supported/)
    }
  })
})
