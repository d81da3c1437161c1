import junitModule, { type Builder } from 'junit-report-builder'
import type { RunReport } from '../types.js'

// The package is CommonJS (`module.exports = builder`); its typings declare an ES default export.
const junit = ((junitModule as unknown as { default?: Builder }).default ?? junitModule) as unknown as Builder

/**
 * The JUnit XML report: one `<testsuite>` per group, one `<testcase>` per check (`classname` = group,
 * `name` = check id), `<failure>` for failed checks, `<skipped>` for skipped ones; warnings pass
 * with the reason on `<system-out>`.
 *
 * @example
 * await writeFileAtomic('report.xml', formatJunit(report))
 */
export function formatJunit(report: RunReport): string {
  const builder = junit.newBuilder()
  builder.name('concurkit conformance')
  const groups = new Map<string, RunReport['checks'][number][]>()
  for (const c of report.checks) {
    const list = groups.get(c.group) ?? []
    list.push(c)
    groups.set(c.group, list)
  }
  for (const [group, checks] of groups) {
    const suite = builder.testSuite().name(group)
    for (const c of checks) {
      const tc = suite
        .testCase()
        .className(`conformance.${group}`)
        .name(`${c.id}: ${c.title}`)
        .time(c.durationMs / 1000)
      if (c.status === 'fail') tc.failure(c.reason, 'ConformanceFailure')
      else if (c.status === 'skip') tc.skipped().standardOutput(`skipped: ${c.reason}`)
      else tc.standardOutput(`${c.status}: ${c.reason} (reference ${c.reference})`)
    }
  }
  return builder.build()
}
