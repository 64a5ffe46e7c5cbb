// A real server on port 0 against the test run's redis-server, in a Redis
// database of its own (flushed first), so test files never see each other's keys.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { io, type Socket } from 'socket.io-client'
import type { ClientToServer, ServerToClient } from '../../server/domain/protocol.ts'
import { loadConfig } from '../../server/config.ts'
import { start, type Running } from '../../server/main.ts'
import { freshTopologyUrl, redisEnvFor, runTopology } from './redis-topology-env.ts'

export const INGEST_KEY = 'test-ingest-key'
export const ADMIN = { username: 'admin', password: 'test-admin-password' }

const tokens = new Map<string, string>() // server url → a session token of its admin

/** Log in; the bearer token of the new session. */
export async function login(url: string, username = ADMIN.username, password = ADMIN.password): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  })
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

/** Remember the admin token of a server (by its url) for apiFetch and connect. */
export async function rememberAdmin(url: string): Promise<string> {
  const token = await login(url)
  tokens.set(url, token)
  return token
}

export function tokenFor(url: string): string | undefined {
  for (const [base, token] of tokens) if (url.startsWith(base)) return token
  return undefined
}

/** fetch to one of our test servers as its admin (every API route but ingest needs a user). */
export function apiFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const token = tokenFor(url)
  const headers = new Headers(init.headers)
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`)
  return fetch(url, { ...init, headers })
}

/** A redis URL on a database of its own, emptied. */
export async function freshRedisUrl(baseUrl: string, db = 1 + Math.floor(Math.random() * 15)): Promise<string> {
  const topology = runTopology()
  if (topology) return freshTopologyUrl(topology) // a Cluster has database 0 only: every master emptied instead
  const url = `${baseUrl}/${db}`
  const r = new Redis(url)
  await r.flushdb()
  r.disconnect()
  return url
}

export async function startTestServer(redisUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const running = await start(loadConfig({
    PORT: '0', ...redisEnvFor(redisUrl), INGEST_KEYS: INGEST_KEY, DATA_DIR: mkdtempSync(join(tmpdir(), 'sr-data-')),
    ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, LOG_LEVEL: 'warn', // a request log line each would bury the test output
    ...(process.env.CLIENT_DIR ? { CLIENT_DIR: process.env.CLIENT_DIR } : {}),
    // PARTITION_LEVEL=district npx vitest run …: the same tests on a channel split into partitions (DESIGN §11)
    ...(process.env.PARTITION_LEVEL ? { PARTITION_LEVEL: process.env.PARTITION_LEVEL } : {}), ...env,
  }))
  await rememberAdmin(running.url)
  return running
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INGEST_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

export type TestSocket = Socket<ServerToClient, ClientToServer>

export function connect(url: string, channel = 'live', token = tokenFor(url)): Promise<TestSocket> {
  const s: TestSocket = io(url, { transports: ['websocket'], query: { channel }, auth: { token }, reconnection: false, forceNew: true })
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s))
    s.once('connect_error', reject)
  })
}

/** Wait until `check` passes (polling), or fail with its last error. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > until) throw err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

/** Wait until `find` returns something. */
export function waitFor<T>(find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  return eventually(() => {
    const v = find()
    if (v === undefined) throw new Error('not there yet')
    return v
  }, timeoutMs)
}
