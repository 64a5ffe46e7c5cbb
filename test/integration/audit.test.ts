// The audit trail: every audited action leaves exactly one entry with who,
// role, address, action, target and time; admins read it (JSON and CSV with
// BOM, filtered, newest first); a leader cannot.
import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Running } from '../../server/main.ts'
import { globalKeys, keys } from '../../server/store/keys.ts'
import { caseReported } from '../support/events-factory.ts'
import { ADMIN, freshRedisUrl, login, post, startTestServer } from '../support/test-server.ts'
import { writeUsersFile } from '../support/users-file.ts'

interface Entry { id: string; who: string; role: string; address: string; action: string; target: string; at: string }
let server: Running
let admin: string
let leader: string
let redisUrl: string
let usersFile: string

beforeAll(async () => {
  const file = await writeUsersFile([
    { username: 'leader1', name: '王主任', role: 'leader', region: '650402003', password: 'leader-pass-1' },
    { username: 'trainer1', name: '培训员', role: 'trainer', password: 'trainer-pass-1' },
  ])
  usersFile = file
  redisUrl = await freshRedisUrl(inject('redisUrl'))
  server = await startTestServer(redisUrl, { USERS_FILE: file })
  admin = await login(server.url, ADMIN.username, ADMIN.password)
  leader = await login(server.url, 'leader1', 'leader-pass-1')
})
afterAll(async () => {
  await server?.stop()
})

const as = (token: string, path: string, init: RequestInit & { json?: unknown } = {}) => fetch(`${server.url}${path}`, {
  ...init,
  headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) },
  ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
})
const streamLength = () => server.store.xlen(globalKeys.audit)
const newest = async (n: number) => ((await (await as(admin, `/api/v1/audit?limit=${n}`)).json()) as { entries: Entry[] }).entries

/** Run an action and return the entries it added (asserting how many). */
async function entriesOf(action: () => Promise<unknown>, count = 1): Promise<Entry[]> {
  const before = await streamLength()
  await action()
  expect(await streamLength()).toBe(before + count)
  return newest(count)
}

describe('each audited action leaves exactly one entry', () => {
  it('login, failed login and logout', async () => {
    let token = ''
    const [ok] = await entriesOf(async () => { token = await login(server.url, 'trainer1', 'trainer-pass-1') })
    expect(ok).toMatchObject({ who: 'trainer1', role: 'trainer', action: 'login', target: 'trainer1' })
    expect(ok!.address).toMatch(/127\.0\.0\.1|::1/)
    expect(Math.abs(Date.parse(ok!.at) - Date.now())).toBeLessThan(60_000)

    const [bad] = await entriesOf(() => fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'trainer1', password: 'wrong' }),
    }).then((r) => expect(r.status).toBe(401)))
    expect(bad).toMatchObject({ who: 'trainer1', action: 'login.failed' })

    const [out] = await entriesOf(() => as(token, '/api/v1/auth/logout', { method: 'POST' }).then((r) => expect(r.status).toBe(200)))
    expect(out).toMatchObject({ who: 'trainer1', role: 'trainer', action: 'logout' })
  })

  it('display token create and revoke', async () => {
    let id = ''
    const [made] = await entriesOf(async () => {
      const res = await as(admin, '/api/v1/auth/display-tokens', { method: 'POST', json: { name: '指挥中心大屏', region: '650402003' } })
      expect(res.status).toBe(201)
      id = ((await res.json()) as { id: string }).id
    })
    expect(made).toMatchObject({ who: ADMIN.username, role: 'admin', action: 'display-token.create', target: '指挥中心大屏 (650402003)' })
    const [revoked] = await entriesOf(() => as(admin, `/api/v1/auth/display-tokens/${id}`, { method: 'DELETE' }).then((r) => expect(r.status).toBe(200)))
    expect(revoked).toMatchObject({ action: 'display-token.revoke', target: id })
  })

  it('alert acknowledgement; a refused one leaves none', async () => {
    await post(server.url, [{ ...caseReported('AUD-URG-1'), attrs: { source: 'grid', priority: 'urgent' } }])
    const alertId = Object.keys(await server.store.hgetall(keys('live').alertsById))[0]!
    expect(alertId).toBeTruthy()
    const [ack] = await entriesOf(() => as(admin, `/api/v1/alerts/${alertId}/ack`, { method: 'POST' }).then((r) => expect(r.status).toBe(200)))
    expect(ack).toMatchObject({ action: 'alert.ack', target: `live ${alertId}` })
    await entriesOf(() => as(admin, `/api/v1/alerts/${alertId}/ack`, { method: 'POST' }).then((r) => expect(r.status).toBe(404)), 0)
  })

  it('drill start, pause, resume, speed, seek, inject and delete', async () => {
    const t0 = Date.parse('2026-11-20T09:00:00+08:00')
    const recording = [0, 1, 2].map((i) => JSON.stringify(caseReported(`DRILL-${i}`, t0 + i * 1_800_000))).join('\n')
    let id = ''
    const [start] = await entriesOf(async () => {
      const res = await as(admin, '/api/v1/channels', { method: 'POST', json: { recording, speed: 1 } })
      expect(res.status).toBe(201)
      id = ((await res.json()) as { id: string }).id
    })
    expect(start).toMatchObject({ action: 'drill.start', target: id })
    const patch = async (json: object, action: string) => {
      const [e] = await entriesOf(() => as(admin, `/api/v1/channels/${id}`, { method: 'PATCH', json }).then((r) => expect(r.status).toBe(200)))
      expect(e!.action).toBe(action)
      expect(e!.target.startsWith(id)).toBe(true)
    }
    await patch({ paused: true }, 'drill.pause')
    await patch({ paused: false }, 'drill.resume')
    await patch({ speed: 10 }, 'drill.speed')
    await patch({ seekTo: new Date(t0 + 3_600_000).toISOString(), paused: true }, 'drill.pause+seek')
    const [inj] = await entriesOf(() => as(admin, `/api/v1/channels/${id}/events`, { method: 'POST', json: caseReported('DRILL-INJ') }).then((r) => expect(r.status).toBe(200)))
    expect(inj).toMatchObject({ action: 'drill.inject', target: `${id} 1 accepted` })
    const [del] = await entriesOf(() => as(admin, `/api/v1/channels/${id}`, { method: 'DELETE' }).then((r) => expect(r.status).toBe(200)))
    expect(del).toMatchObject({ action: 'drill.delete', target: id })
  }, 60_000)
})

/** npm run users:add with the password on stdin; its exit code. */
function addUser(args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'server/cli/add-user.ts', ...args, '--file', usersFile], { env: { ...process.env, ...env }, stdio: ['pipe', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code) => resolve(code ?? -1))
    child.stdin.end('new-user-pass-1\n')
  })
}

describe('user changes (users:add)', () => {
  it('leave one entry each when the CLI is given the server\'s Redis, and none without it', async () => {
    const args = ['--username', 'op9', '--name', '新值班员', '--role', 'operator']
    const [added] = await entriesOf(async () => expect(await addUser(args, { REDIS_URL: redisUrl })).toBe(0))
    expect(added).toMatchObject({ role: 'cli', action: 'user.add', target: 'op9 (operator)' })
    expect(added!.who).toMatch(/^cli:/)
    const [changed] = await entriesOf(async () => expect(await addUser([...args.slice(0, 5), 'leader', '--region', '650402003'], { REDIS_URL: redisUrl })).toBe(0))
    expect(changed).toMatchObject({ action: 'user.change', target: 'op9 (leader, 650402003)' })
    await entriesOf(async () => expect(await addUser(args, { REDIS_URL: '' })).toBe(0), 0)
  }, 60_000)
})

describe('reading the audit', () => {
  it('is refused to a leader (403), in JSON and CSV', async () => {
    for (const path of ['/api/v1/audit', '/api/v1/audit.csv']) {
      const res = await as(leader, path)
      expect(res.status).toBe(403)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN')
    }
  })
  it('filters by user, action (or its prefix) and time, newest first', async () => {
    const get = async (q: string) => ((await (await as(admin, `/api/v1/audit?${q}`)).json()) as { entries: Entry[] }).entries
    const trainer = await get('user=trainer1')
    expect(trainer.map((e) => e.action)).toEqual(['logout', 'login.failed', 'login'])
    const drill = await get('action=drill')
    expect(drill.map((e) => e.action)).toEqual(['drill.delete', 'drill.inject', 'drill.pause+seek', 'drill.speed', 'drill.resume', 'drill.pause', 'drill.start'])
    expect(await get(`to=${encodeURIComponent('2020-01-01T00:00:00Z')}`)).toEqual([])
    const all = await get('limit=1000')
    expect(await get(`from=${encodeURIComponent(all[0]!.at)}`)).toContainEqual(all[0])
    expect((await as(admin, '/api/v1/audit?from=yesterday')).status).toBe(400)
  })
  it('exports CSV in UTF-8 with a BOM, one row per entry', async () => {
    const res = await as(admin, '/api/v1/audit.csv?action=display-token')
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n')
    expect(lines[0]).toBe('at,who,role,address,action,target')
    expect(lines.slice(1).map((l) => l.split(',')[4])).toEqual(['display-token.revoke', 'display-token.create'])
    expect(lines[2]).toContain('指挥中心大屏 (650402003)')
  })
})
