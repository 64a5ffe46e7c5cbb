// A server as a separate OS process (tsx server/main.ts), for tests that need
// two real instances sharing one Redis.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { redisEnvFor } from './redis-topology-env.ts'
import { ADMIN, INGEST_KEY, rememberAdmin } from './test-server.ts'

export interface ServerProcess { url: string; pid: number; output(): string; stop(): Promise<void> }

/** Start `server/main.ts` in its own process; without a redisUrl it embeds its own redis-server. `extra`: more environment. */
export function spawnServer(redisUrl?: string, dataDir = mkdtempSync(join(tmpdir(), 'sr-')), extra: Record<string, string> = {}): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: '0', INGEST_KEYS: INGEST_KEY, DATA_DIR: dataDir, ADMIN_USER: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ...extra,
  }
  delete env.REDIS_URL
  if (redisUrl) Object.assign(env, redisEnvFor(redisUrl))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let listening = false
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start:\n${out}`)) }, 20_000)
    const onData = (b: Buffer) => {
      out += b.toString()
      if (listening) return // later output (request logs among it) is only collected
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out)
      if (!m) return
      listening = true
      clearTimeout(timer)
      const started: ServerProcess = {
        url: m[1]!,
        pid: child.pid!,
        output: () => out,
        stop: () => new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done()
          child.once('exit', () => done())
          child.kill('SIGTERM')
        }),
      }
      rememberAdmin(started.url).then(() => resolve(started), reject)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}`)) })
  })
}
