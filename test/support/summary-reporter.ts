// Ends the run with one plain line, "tests: N passed, N failed, N skipped",
// that any CI can read whatever runner it knows; with SUMMARY_JSON set, the same
// counts are also written to that file (test/support/run-suite.mjs sums two runs).
import { writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>) {
    const count = { passed: 0, failed: 0, skipped: 0 }
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state
        if (state === 'passed') count.passed++
        else if (state === 'failed') count.failed++
        else count.skipped++
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) count.failed++ // a file that failed to load
    }
    if (process.env.SUMMARY_JSON) writeFileSync(process.env.SUMMARY_JSON, JSON.stringify(count))
    process.stdout.write(`\ntests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`)
  }
}
