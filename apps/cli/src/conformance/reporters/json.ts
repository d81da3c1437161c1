import type { RunReport } from '../types.js'

/**
 * The JSON report: exactly one object, `{"summary": {...}, "checks": [{"id","title","status","reason"}]}`.
 *
 * @example
 * process.stdout.write(formatJson(report))
 */
export function formatJson(report: RunReport): string {
  const out = {
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
  return `${JSON.stringify(out, null, 2)}\n`
}
