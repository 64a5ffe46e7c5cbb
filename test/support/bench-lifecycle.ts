// What every benchmark script needs around its work: a data folder of its own,
// and one way out (done, Ctrl-C, SIGTERM or a give-up timer) that stops what it
// started in order, kills redis-server by its pid if stopping hangs, and exits.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface BenchLifecycle { dataDir: string; shutdown(code: number): Promise<never> }

export function benchLifecycle(o: {
  name: string
  giveUpMs: number
  hardStopMs?: number
  /** Stop what the bench started, in order; errors are reported, not thrown. */
  stop: () => Promise<void>
  /** The pid of the redis-server the bench started, if any, to kill when stopping hangs. */
  redisPid: () => number | undefined
}): BenchLifecycle {
  const dataDir = mkdtempSync(join(tmpdir(), `sr-bench-${o.name}-`))
  async function shutdown(code: number): Promise<never> {
    const hard = setTimeout(() => {
      const pid = o.redisPid()
      if (pid) process.kill(pid, 'SIGKILL')
      process.exit(code || 1)
    }, o.hardStopMs ?? 10_000)
    await o.stop().catch((err: unknown) => console.error('stop:', err))
    clearTimeout(hard)
    rmSync(dataDir, { recursive: true, force: true })
    process.exit(code)
  }
  process.once('SIGINT', () => void shutdown(130))
  process.once('SIGTERM', () => void shutdown(143))
  setTimeout(() => {
    console.error(`bench still running after ${o.giveUpMs / 60_000} min: stopping`)
    void shutdown(1)
  }, o.giveUpMs).unref()
  return { dataDir, shutdown }
}
