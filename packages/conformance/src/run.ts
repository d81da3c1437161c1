import { buildCatalogue } from './catalogue.js'
import { type ConformanceIo, createRedactor } from './io.js'
import { type ConformanceResult, formatJson, toConformanceResult } from './reporters/json.js'
import { formatJunit } from './reporters/junit.js'
import { formatPretty } from './reporters/pretty.js'
import { runChecks } from './runner.js'
import { type Shape, type ShapeRecorder, withShapeComparison } from './shapes.js'
import {
  type MockTargetOptions,
  type OpenTarget,
  openMockTarget,
  openRemoteTarget,
  type RemoteTargetOptions,
} from './targets.js'
import type { CheckResult, RunReport } from './types.js'

/** A report format: `pretty` (people), `json` (scripts), `junit` (CI). */
export type ReporterName = 'pretty' | 'json' | 'junit'

/** Options of {@link runConformance}. */
export interface RunConformanceOptions {
  /**
   * What to check: `'mock'` (default) starts the built-in mock on free `127.0.0.1` ports and runs
   * every check; a remote target (real Concur, or anything answering like it) runs every check its
   * credentials allow and skips the rest with the reason.
   */
  target?: 'mock' | RemoteTargetOptions
  /** Seed and size of the built-in mock (ignored for a remote target). */
  mock?: Omit<MockTargetOptions, 'recorder'>
  /** Only checks whose id starts with one of these prefixes (`oauth`, `reports.locations`). */
  only?: readonly string[]
  /** Also format the result: `output` then holds the report text. */
  reporter?: ReporterName
  /** Colours in the pretty report (default off). */
  color?: boolean
  /** Reasons of passing checks too, in the pretty report. */
  verbose?: boolean
  /** Checks running at once (default 8). */
  concurrency?: number
  /** Per-check time limit in ms (default 20 s). */
  timeoutMs?: number
  /** Aborts the run: `runConformance` rejects with the signal's reason after closing the target. */
  signal?: AbortSignal
  /** Secrets and debug lines (default: an own redactor, no debug output). */
  io?: ConformanceIo
  /** Records response shapes (`--record`). */
  recorder?: ShapeRecorder
  /** Compares the shapes this run received with a recording (`--compare`); needs `recorder`. */
  compareWith?: ReadonlyMap<string, Shape>
  /** Called as each check finishes. */
  onResult?: (result: CheckResult) => void
}

/** What {@link runConformance} resolves to: the JSON report object, plus the formatted text when asked. */
export interface RunConformanceResult extends ConformanceResult {
  /** The report in the `reporter` format (absent without `reporter`). */
  readonly output?: string
}

/**
 * Runs the conformance suite and resolves to the same object `concurkit conformance --reporter json`
 * prints (`summary`, `checks`). A failed check is a result, not an exception: look at
 * `summary.failed`. It rejects only when the target cannot be opened or `signal` aborts.
 *
 * @example
 * const result = await runConformance({ only: ['oauth'] })
 * if (result.summary.failed > 0) process.exitCode = 1
 *
 * @example
 * // real Concur: every check the credentials allow (one refresh token rotation is consumed)
 * await runConformance({ target: { baseUrl: 'https://us.api.concursolutions.com', credentials }, reporter: 'junit' })
 */
export async function runConformance(options: RunConformanceOptions = {}): Promise<RunConformanceResult> {
  options.signal?.throwIfAborted()
  const io = options.io ?? { redactor: createRedactor() }
  const recorder = options.recorder ? { recorder: options.recorder } : {}
  const open: OpenTarget =
    options.target === undefined || options.target === 'mock'
      ? await openMockTarget(io, { ...options.mock, ...recorder })
      : openRemoteTarget(io, { ...options.target, ...recorder })
  try {
    const report = await runChecks(buildCatalogue(), open.target, {
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.only?.length ? { only: options.only } : {}),
      ...(options.onResult ? { onResult: options.onResult } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })
    const final =
      options.compareWith && options.recorder
        ? withShapeComparison(report, options.compareWith, options.recorder.entries())
        : report
    const result = toConformanceResult(final)
    if (!options.reporter) return result
    return { ...result, output: formatReport(final, options.reporter, options) }
  } finally {
    await open.close()
  }
}

/**
 * Formats a run in one of the reporters.
 *
 * @example
 * process.stdout.write(formatReport(report, 'pretty', { color: true }))
 */
export function formatReport(
  report: RunReport,
  reporter: ReporterName,
  options: { color?: boolean; verbose?: boolean } = {},
): string {
  if (reporter === 'json') return formatJson(report)
  if (reporter === 'junit') return formatJunit(report)
  return formatPretty(report, {
    color: options.color ?? false,
    ...(options.verbose ? { verbose: true } : {}),
  })
}

/**
 * The catalogue without running it: id, reference and title of every check, in report order.
 *
 * @example
 * for (const c of listChecks()) console.log(c.id)
 */
export function listChecks(): { id: string; reference: string; title: string; group: string }[] {
  return buildCatalogue().map((c) => ({ id: c.id, reference: c.reference, title: c.title, group: c.group }))
}
