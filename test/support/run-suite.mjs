// `npm test`'s last step: the whole vitest suite, with the soak beside the rest.
// Test files run one at a time (vite.config.ts: fileParallelism false), but the
// 10-minute wall-leak soak mostly waits on the clock: it runs in a vitest process
// of its own, concurrently with the other files, instead of adding its ten
// minutes at the end. Its output goes to test-artifacts/soak.log while it runs and
// is printed whole when both are done. The last line sums both runs,
// "tests: N passed, N failed, N skipped"; the exit code fails if either failed.
// With arguments (`npm test -- test/unit`) it is plain `vitest run <arguments>`.
import { spawn } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const SOAKS = ['test/e2e/wall-leak.test.ts']
const root = fileURLToPath(new URL('../..', import.meta.url))
const vitest = fileURLToPath(new URL('../../node_modules/vitest/vitest.mjs', import.meta.url))
const results = `${root}test-artifacts`
const children = new Set()
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { for (const c of children) c.kill(sig) })

/**
 * `vitest run ...extra`; its output to the terminal, or to `logFile`. Resolves to its
 * exit code and its counts (from the summary reporter's SUMMARY_JSON file).
 */
function run(name, extra, logFile) {
  const summary = `${results}/summary-${name}.json`
  rmSync(summary, { force: true })
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', ...extra], {
      cwd: root,
      env: { ...process.env, SUMMARY_JSON: summary },
      stdio: logFile ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    })
    children.add(child)
    const log = logFile && createWriteStream(logFile)
    if (log) { child.stdout.pipe(log, { end: false }); child.stderr.pipe(log, { end: false }) }
    child.on('close', (code, signal) => {
      children.delete(child)
      const done = () => resolve({
        code: code ?? (signal ? 1 : 0),
        counts: existsSync(summary) ? JSON.parse(readFileSync(summary, 'utf8')) : undefined,
      })
      if (log) log.end(done)
      else done()
    })
  })
}

const args = process.argv.slice(2)
if (args.length > 0) process.exit((await run('args', args)).code)

mkdirSync(results, { recursive: true })
const soakLog = `${results}/soak.log`
console.log(`run-suite: ${SOAKS.join(', ')} runs in a vitest process of its own beside the other files (output in ${soakLog}, printed at the end)\n`)
const soak = run('soak', SOAKS, soakLog)
const rest = await run('rest', SOAKS.flatMap((f) => ['--exclude', f]))
if (children.size > 0) console.log(`\nrun-suite: the other files are done; waiting for ${SOAKS.join(', ')}`)
const soaked = await soak
console.log(`\n──── ${SOAKS.join(', ')}, run beside the files above ────\n${readFileSync(soakLog, 'utf8')}`)

const total = { passed: 0, failed: 0, skipped: 0 }
for (const [name, r] of [['the other files', rest], [SOAKS.join(', '), soaked]]) {
  if (!r.counts) { total.failed++; console.log(`run-suite: ${name} ended (exit ${r.code}) without counts: counted as one failure`); continue }
  for (const k of Object.keys(total)) total[k] += r.counts[k]
}
console.log(`\nrun-suite: both runs together`)
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`)
process.exit(rest.code || soaked.code || (total.failed > 0 ? 1 : 0))
