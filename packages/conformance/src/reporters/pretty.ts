import type { CheckResult, CheckStatus, RunReport } from '../types.js'

const SYMBOLS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '-' }
const COLORS: Record<CheckStatus, string> = { pass: '32', fail: '31', warn: '33', skip: '90' }

/**
 * The human report: checks grouped by area, one line each, then the summary and coverage.
 * Colours only when `color` is set (a TTY without `NO_COLOR`).
 *
 * @example
 * process.stdout.write(formatPretty(report, { color: process.stdout.isTTY === true }))
 */
export function formatPretty(report: RunReport, options: { color: boolean; verbose?: boolean }): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text)
  const lines: string[] = [`concurkit conformance against ${report.target}`, '']
  const groups = new Map<string, CheckResult[]>()
  for (const c of report.checks) {
    const list = groups.get(c.group) ?? []
    list.push(c)
    groups.set(c.group, list)
  }
  for (const [group, checks] of groups) {
    const failed = checks.filter((c) => c.status === 'fail').length
    lines.push(paint('1', `${group} (${checks.length - failed}/${checks.length})`))
    for (const c of checks) {
      const show = options.verbose || c.status !== 'pass'
      const detail = show ? ` — ${c.reason}` : ''
      lines.push(`  ${paint(COLORS[c.status], SYMBOLS[c.status])} ${c.id}  ${paint('90', c.title)}${detail}`)
    }
    lines.push('')
  }
  lines.push(formatSummary(report, paint))
  return `${lines.join('\n')}\n`
}

function formatSummary(report: RunReport, paint: (code: string, text: string) => string): string {
  const s = report.summary
  const parts = [
    paint(COLORS.pass, `${s.passed} passed`),
    paint(s.failed ? COLORS.fail : '90', `${s.failed} failed`),
    paint(s.warned ? COLORS.warn : '90', `${s.warned} warned`),
    paint('90', `${s.skipped} skipped`),
  ]
  const cov = s.coverage
  return [
    `${parts.join(', ')} in ${(s.durationMs / 1000).toFixed(2)} s`,
    `coverage: ${cov.resources.exercised}/${cov.resources.total} registry resources, ${cov.parameters.exercised}/${cov.parameters.total} documented parameters`,
  ].join('\n')
}
