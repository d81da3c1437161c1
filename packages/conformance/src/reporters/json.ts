import type { CheckStatus, RunReport } from '../types.js'

/** One check as the JSON report (and `runConformance`) gives it. */
export interface ConformanceCheck {
  readonly id: string
  readonly title: string
  readonly status: CheckStatus
  readonly reason: string
  readonly reference: string
  readonly group: string
  readonly durationMs: number
}

/** The result of a run: exactly the object `concurkit conformance --reporter json` prints. */
export interface ConformanceResult {
  readonly summary: RunReport['summary']
  readonly checks: readonly ConformanceCheck[]
}

/**
 * The JSON report object: `{"summary": {...}, "checks": [{"id","title","status","reason",...}]}`.
 *
 * @example
 * const result = toConformanceResult(report) // what `runConformance` resolves to
 */
export function toConformanceResult(report: RunReport): ConformanceResult {
  return {
    summary: report.summary,
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      reason: c.reason,
      reference: c.reference,
      group: c.group,
      durationMs: c.durationMs,
    })),
  }
}

/**
 * The JSON report: exactly one object, `{"summary": {...}, "checks": [{"id","title","status","reason"}]}`.
 *
 * @example
 * process.stdout.write(formatJson(report))
 */
export function formatJson(report: RunReport): string {
  return `${JSON.stringify(toConformanceResult(report), null, 2)}\n`
}
