// A server as a separate OS process (tsx server/main.ts), for tests that need
// two real instances sharing one Redis.
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { INGEST_KEY } from './test-server.ts'

export interface ServerProcess { url: string; pid: number; stop(): Promise<void> }

export function spawnServer(redisUrl: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', REDIS_URL: redisUrl, INGEST_KEYS: INGEST_KEY, DATA_DIR: mkdtempSync(join(tmpdir(), 'sr-')) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`server did not start:\n${out}`)) }, 20_000)
    const onData = (b: Buffer) => {
      out += b.toString()
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out)
      if (!m) return
      clearTimeout(timer)
      resolve({
        url: m[1]!,
        pid: child.pid!,
        stop: () => new Promise((done) => {
          if (child.exitCode !== null) return done()
          child.once('exit', () => done())
          child.kill('SIGTERM')
        }),
      })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${out}`)) })
  })
}
