// Trying to break authentication and region scope: anonymous calls, wrong
// and tampered and expired tokens, a township leader reaching outside their
// township (HTTP and socket), a display token after revocation. Every refusal
// has a clear code and leaks no data; we assert on what the socket received.
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { LiveEvent } from '../../server/domain/protocol.ts'
import type { Running } from '../../server/main.ts'
import { caseReported } from '../support/events-factory.ts'
import { apiFetch, freshRedisUrl, login, post, startTestServer, tokenFor, waitFor, type TestSocket } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'

const TOWNSHIP = '650402003' // 葡萄沟街道
const OWN_GRID = '650402003001001'
const OTHER_GRID = '650421100001001' // 鄯善县
let server: Running
let leader: string
const sockets: TestSocket[] = []

beforeAll(async () => {
  const file = await writeUsersFile([
    { username: 'leader1', name: '葡萄沟街道 王主任', role: 'leader', region: TOWNSHIP, password: 'leader-pass-1' },
    { username: 'op1', name: '值班员', role: 'operator', password: 'operator-pass-1' },
  ])
  server = await startTestServer(await freshRedisUrl(inject('redisUrl')), { USERS_FILE: file })
  leader = await login(server.url, 'leader1', 'leader-pass-1')
  await post(server.url, [caseReported('OWN-1', undefined, OWN_GRID), caseReported('OTHER-1', undefined, OTHER_GRID)])
})
afterAll(async () => {
  for (const s of sockets) s.disconnect()
  await server?.stop()
})

const as = (token: string | null, path: string, init: RequestInit = {}) =>
  fetch(`${server.url}${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) }, redirect: 'manual' })
const codeOf = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code

/** A socket's connect outcome: connected, or the refusal's code. */
function tryConnect(token: string | undefined, channel = 'live'): Promise<{ socket?: TestSocket; code?: string }> {
  const s: TestSocket = io(server.url, { transports: ['websocket'], query: { channel }, auth: { token }, reconnection: false, forceNew: true })
  sockets.push(s)
  return new Promise((resolve) => {
    s.once('connect', () => resolve({ socket: s }))
    s.once('connect_error', (err) => resolve({ code: (err as Error & { data?: { code?: string } }).data?.code ?? err.message }))
  })
}

describe('without authentication', () => {
  it('answers only /healthz, login and the login page', async () => {
    expect((await as(null, '/healthz')).status).toBe(200)
    for (const path of ['/api/v1/snapshot', '/api/v1/regions', '/api/v1/categories', '/api/v1/open', '/api/v1/wall-config', '/api/v1/channels']) {
      const res = await as(null, path)
      expect(res.status, path).toBe(401)
      expect(await codeOf(res)).toBe('UNAUTHORIZED')
    }
    for (const page of ['/wall', '/tablet/650400', '/trainer', '/']) {
      const res = await as(null, page)
      expect(res.status, page).toBe(302)
      expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(page)}`)
    }
    expect((await as(null, '/login')).status).toBe(200)
    expect(await tryConnect(undefined)).toEqual({ code: 'UNAUTHORIZED' })
  })

  it('refuses wrong passwords, then rate limits the user', async () => {
    const attempt = () => as(null, '/api/v1/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'op1', password: 'wrong-password' }),
    })
    for (let i = 0; i < 5; i++) expect(await codeOf(await attempt())).toBe('UNAUTHORIZED')
    const limited = await attempt()
    expect(limited.status).toBe(429)
    expect(await codeOf(limited)).toBe('TOO_MANY_ATTEMPTS')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    await expect(login(server.url, 'op1', 'operator-pass-1')).rejects.toThrow('429') // even the right password waits
  })

  it('refuses a tampered token and an expired one', async () => {
    const tampered = `${leader.slice(0, -2)}xx`
    expect(await codeOf(await as(tampered, '/api/v1/snapshot'))).toBe('UNAUTHORIZED')
    expect(await tryConnect(tampered)).toEqual({ code: 'UNAUTHORIZED' })
    const { token } = await server.sessions.create({ username: 'op1', name: 'x', role: 'operator', region: '650400' }, 1)
    expect((await as(token, '/api/v1/snapshot')).status).toBe(200)
    await new Promise((r) => setTimeout(r, 1500))
    expect(await codeOf(await as(token, '/api/v1/snapshot'))).toBe('UNAUTHORIZED')
  })
})

describe('a township leader', () => {
  it('sees their township by default and nothing outside it over HTTP', async () => {
    const own = await as(leader, '/api/v1/snapshot')
    expect(((await own.json()) as { region: string }).region).toBe(TOWNSHIP)
    for (const path of ['/api/v1/snapshot?region=650400', '/api/v1/snapshot?region=650421', '/api/v1/open?region=650402', '/api/v1/subjects/case/OTHER-1']) {
      const res = await as(leader, path)
      expect(res.status, path).toBe(403)
      const body = (await res.json()) as Record<string, unknown>
      expect(body).toEqual({ error: { code: 'FORBIDDEN_REGION', message: expect.stringContaining('outside your scope') } })
    }
    const regionsRes = await as(leader, '/api/v1/regions')
    expect(regionsRes.headers.get('cache-control')).toBe('private, no-cache') // per user: never reused for the next user of a tablet
    const regions = (await regionsRes.json()) as { root: string; features: { properties: { code: string } }[] }
    expect(regions.root).toBe(TOWNSHIP)
    expect(regions.features.every((f) => f.properties.code.startsWith(TOWNSHIP))).toBe(true)
    expect(regions.features.length).toBeGreaterThan(5)
    expect(await codeOf(await as(leader, '/api/v1/channels'))).toBe('FORBIDDEN')
    const subject = (await (await as(leader, '/api/v1/subjects/case/OWN-1')).json()) as { history: unknown[] }
    expect(subject.history).toHaveLength(1)
  })

  it('cannot subscribe outside the township, and its socket receives nothing from outside', async () => {
    const { socket } = await tryConnect(leader)
    const received: LiveEvent[] = []
    const alerts: unknown[] = []
    socket!.on('events', (b) => received.push(...b.items))
    socket!.on('alert', (a) => alerts.push(a))
    const city = await socket!.emitWithAck('subscribe', { region: '650400' })
    expect(city).toEqual({ ok: false, code: 'FORBIDDEN_REGION', message: expect.stringContaining('outside your scope') })
    const own = await socket!.emitWithAck('subscribe', { region: TOWNSHIP })
    expect(own.ok).toBe(true)
    if (own.ok) expect(own.data.events.map((e) => e.subject)).toEqual(['OWN-1'])
    const urgent = (id: string, grid: string) => ({ ...caseReported(id, undefined, grid), attrs: { priority: 'urgent' } })
    await post(server.url, [urgent('OTHER-2', OTHER_GRID), urgent('OWN-2', OWN_GRID)])
    await waitFor(() => received.find((e) => e.subject === 'OWN-2'))
    await new Promise((r) => setTimeout(r, 300))
    expect(received.map((e) => e.subject)).toEqual(['OWN-2'])
    expect(alerts.map((a) => (a as { alert: { subject: string } }).alert.subject)).toEqual(['OWN-2'])
  })
})

describe('display tokens and logout', () => {
  it('shows only its region, and stops working everywhere once revoked', async () => {
    const admin = tokenFor(server.url)!
    const created = await as(admin, '/api/v1/auth/display-tokens', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '鄯善县大屏', region: '650421' }),
    })
    expect(created.status).toBe(201)
    const display = (await created.json()) as { token: string; id: string }
    expect((await as(null, `/api/v1/snapshot?region=650421&token=${display.token}`)).status).toBe(200)
    expect(await codeOf(await as(null, `/api/v1/snapshot?region=650402&token=${display.token}`))).toBe('FORBIDDEN_REGION')
    expect((await as(null, `/wall?token=${display.token}`)).status).toBe(200)
    const { socket } = await tryConnect(display.token)
    expect((await socket!.emitWithAck('subscribe', { region: '650421' })).ok).toBe(true)
    const gone = new Promise((resolve) => socket!.once('disconnect', resolve))

    expect((await as(admin, `/api/v1/auth/display-tokens/${display.id}`, { method: 'DELETE' })).status).toBe(200)
    expect(await codeOf(await as(null, `/api/v1/snapshot?region=650421&token=${display.token}`))).toBe('UNAUTHORIZED')
    // the wall page itself still loads, to show 令牌无效或已吊销 (test/e2e/token-wall.test.ts); its data stays refused
    expect((await as(null, `/wall?token=${display.token}`)).status).toBe(200)
    expect((await as(null, '/wall?token=wall_made_up')).status).toBe(200)
    expect((await as(null, '/tablet?token=wall_made_up')).status).toBe(302)
    await gone // the open socket is closed within the 10 s recheck
    expect(await tryConnect(display.token)).toEqual({ code: 'UNAUTHORIZED' })
  }, 20_000)

  it('lets a trainer make a display token for a drill channel only', async () => {
    const { token } = await server.sessions.create({ username: 't1', name: '教员', role: 'trainer', region: '650400' })
    const make = (body: object) => as(token, '/api/v1/auth/display-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expect(await codeOf(await make({ name: '大屏' }))).toBe('FORBIDDEN')
    expect(await codeOf(await make({ name: '大屏', channel: 'live' }))).toBe('FORBIDDEN')
    expect((await make({ name: '演练大屏', channel: 'sim-drill1' })).status).toBe(201)
  })

  it('revokes the display tokens of a drill when the drill is deleted, and no other token', async () => {
    const { token } = await server.sessions.create({ username: 't2', name: '教员', role: 'trainer', region: '650400' })
    const json = (body: object) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const started = await as(token, '/api/v1/channels', json({ scenario: 'festival-crowd', speed: 1 }))
    expect(started.status).toBe(201)
    const drill = ((await started.json()) as { id: string }).id
    const makeFor = async (channel: string) => ((await (await as(token, '/api/v1/auth/display-tokens', json({ name: '演练大屏', channel }))).json()) as { token: string })
    const own = await makeFor(drill)
    const other = await makeFor('sim-elsewhere') // a token of another drill: untouched
    expect((await as(null, `/api/v1/snapshot?region=650400&channel=${drill}&token=${own.token}`)).status).toBe(200)

    expect((await as(token, `/api/v1/channels/${drill}`, { method: 'DELETE' })).status).toBe(200)
    expect(await codeOf(await as(null, `/api/v1/snapshot?region=650400&channel=${drill}&token=${own.token}`))).toBe('UNAUTHORIZED')
    const listed = (await (await as(tokenFor(server.url)!, '/api/v1/auth/display-tokens')).json()) as { channel?: string }[]
    expect(listed.filter((d) => d.channel === drill)).toEqual([])
    expect(listed.filter((d) => d.channel === 'sim-elsewhere').length).toBeGreaterThan(0)
    expect(await codeOf(await as(null, `/api/v1/auth/me?token=${other.token}`))).not.toBe('UNAUTHORIZED')
  }, 30_000)

  it('ends a session at logout', async () => {
    const token = await login(server.url, 'leader1', 'leader-pass-1')
    expect((await as(token, '/api/v1/auth/me')).status).toBe(200)
    expect((await as(token, '/api/v1/auth/logout', { method: 'POST' })).status).toBe(200)
    expect(await codeOf(await as(token, '/api/v1/auth/me'))).toBe('UNAUTHORIZED')
    expect((await apiFetch(`${server.url}/api/v1/auth/me`)).status).toBe(200) // other sessions go on
  })
})
