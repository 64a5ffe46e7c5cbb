// Without REDIS_URL the server starts its own redis-server with AOF under
// DATA_DIR, keeps what it acknowledged across a restart, and stops its Redis on exit.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import type { Snapshot } from '../../server/domain/protocol.ts'
import { caseReported } from '../support/events-factory.ts'
import { spawnServer, type ServerProcess } from '../support/server-process.ts'
import { post, apiFetch } from '../support/test-server.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'sr-embedded-'))
let server: ServerProcess | undefined
afterAll(() => server?.stop())

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

it('embeds redis-server with AOF in DATA_DIR, survives a restart and stops it on exit', async () => {
  server = await spawnServer(undefined, dataDir)
  const m = /embedded redis-server \(pid (\d+)\) with AOF in ([^"\n]+)/.exec(server.output()) // a JSON log line
  expect(m?.[2]).toBe(dataDir)
  const redisPid = Number(m![1])
  expect(alive(redisPid)).toBe(true)
  expect((await apiFetch(`${server.url}/healthz`)).status).toBe(200)
  expect((await post(server.url, caseReported('EMB-1'))).body.accepted).toBe(1)

  await server.stop()
  expect(alive(redisPid)).toBe(false)
  const files = readdirSync(dataDir, { recursive: true }).map(String)
  expect(files.some((f) => f.includes('appendonly'))).toBe(true)

  server = await spawnServer(undefined, dataDir)
  const snap = (await (await apiFetch(`${server.url}/api/v1/snapshot`)).json()) as Snapshot
  expect(snap.kpis.today.caseReported).toBe(1)
  expect((await post(server.url, caseReported('EMB-1'))).body.duplicates).toBe(1)
  expect(existsSync(dataDir)).toBe(true)
}, 60_000)
