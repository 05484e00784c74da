import type { Reporter, TestModule } from 'vitest/node'

/**
 * Ends the run with the plain line CI reads, "N passed, N failed, N skipped", after
 * vitest's own report.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const s = t.result().state
        if (s === 'passed') passed++
        else if (s === 'failed') failed++
        else skipped++
      }
      // A file that failed to load holds no tests but is a failure all the same.
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++
    }
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
  }
}
