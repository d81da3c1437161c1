import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { basename, dirname, join, resolve } from 'node:path'
import type { ConnectorCheck, ConnectorTestReport } from '@concurkit/callout-kit'
import type { RunReport } from '@concurkit/conformance'
import { type Command, Option } from 'commander'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, note, processIo, readStdin, useColor, writeFileAtomic } from '../io.js'

interface TestOptions {
  url?: string
  user?: string
  passwordStdin?: boolean
  ca?: string
  reporter: 'pretty' | 'json' | 'junit'
  out?: string
  require?: string
  timeout: string
}

const CALLOUTS = ['fetchAttendee', 'fetchList', 'notify', 'launchExternalUrl'] as const
type Callout = (typeof CALLOUTS)[number]

/** Where each check is documented (reference section D). */
const REFERENCE: Record<string, string> = {
  testconnection: 'D.1',
  'testconnection-wrong-password': 'D.2',
  'fetch-attendee-v2': 'D.3',
  'fetch-attendee-v1': 'D.3',
  'fetch-list-single': 'D.4',
  'fetch-list-multi': 'D.4',
  notify: 'D.5',
}

function reasonOf(c: ConnectorCheck): string {
  if (c.status === 'pass') return c.httpStatus ? `HTTP ${c.httpStatus}` : 'ok'
  const at = c.element ? ` (element ${c.element})` : ''
  return `${c.message ?? c.outcome ?? 'failed'}${at}`
}

/** The connector report in the conformance suite's report shape (for the JUnit reporter). */
function asRunReport(report: ConnectorTestReport): RunReport {
  return {
    target: report.url,
    summary: {
      passed: report.passed,
      failed: report.failed,
      warned: 0,
      skipped: report.skipped,
      durationMs: report.durationMs,
      coverage: { resources: { exercised: 0, total: 0 }, parameters: { exercised: 0, total: 0 } },
    },
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      group: 'callouts',
      reference: REFERENCE[c.id] ?? 'D.6',
      status: c.status,
      reason: reasonOf(c),
      durationMs: c.durationMs,
    })),
  }
}

function formatPretty(report: ConnectorTestReport, color: boolean, verbose: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text)
  const mark = { pass: paint('32', '✓'), fail: paint('31', '✗'), skip: paint('90', '-') }
  const lines = [`concurkit callout test against ${report.url}`, '']
  for (const c of report.checks) {
    const detail = verbose || c.status !== 'pass' ? ` — ${reasonOf(c)}` : ''
    lines.push(`  ${mark[c.status]} ${c.id}  ${paint('90', c.title)}${detail}`)
  }
  lines.push('')
  lines.push(
    `${paint('32', `${report.passed} passed`)}, ${paint(report.failed ? '31' : '90', `${report.failed} failed`)}, ${report.skipped} skipped in ${report.durationMs} ms`,
  )
  if (report.unreachable) lines.push(paint('31', 'the connector could not be reached'))
  return `${lines.join('\n')}\n`
}

function formatJson(report: ConnectorTestReport): string {
  const out = {
    summary: {
      target: report.url,
      ok: report.ok,
      unreachable: report.unreachable,
      passed: report.passed,
      failed: report.failed,
      skipped: report.skipped,
      durationMs: report.durationMs,
    },
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      status: c.status,
      reason: reasonOf(c),
      reference: REFERENCE[c.id] ?? 'D.6',
      ...(c.element ? { element: c.element } : {}),
      ...(c.httpStatus ? { httpStatus: c.httpStatus } : {}),
      durationMs: c.durationMs,
    })),
  }
  return `${JSON.stringify(out, null, 2)}\n`
}

function kitVersion(): string {
  try {
    const require = createRequire(import.meta.url)
    return (require('@concurkit/callout-kit/package.json') as { version: string }).version
  } catch {
    return '0.1.0'
  }
}

/**
 * Writes the connector template into `dir` (which must be missing or empty) and returns the
 * files written, relative to `dir`.
 *
 * @example
 * await writeConnectorProject('my-connector')
 */
export async function writeConnectorProject(
  dir: string,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const { CONNECTOR_TEMPLATE } = await import('../templates/connector.js')
  const target = resolve(dir)
  const existing = await readdir(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return []
    throw new CliError(`cannot use ${dir}: ${e.code ?? e.message}`, EXIT.USAGE)
  })
  if (existing.length > 0 && !options.force)
    throw usageError(`${dir} is not empty (use --force to write anyway)`)
  const name =
    basename(target)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-._]+/, '') || 'concur-connector'
  const written: string[] = []
  for (const [file, template] of Object.entries(CONNECTOR_TEMPLATE)) {
    const path = join(target, file)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, template.replaceAll('{{NAME}}', name).replaceAll('{{KIT_VERSION}}', kitVersion()))
    written.push(file)
  }
  return written
}

/**
 * Registers `concurkit callout init <dir>` (writes a runnable connector project) and
 * `concurkit callout test` (plays Concur against any connector and reports like the conformance suite).
 *
 * @example
 * registerCalloutCommand(program)
 */
export function registerCalloutCommand(program: Command, io: CliIo = processIo()): Command {
  const callout = program
    .command('callout')
    .description(
      'build and test SAP Concur callout connectors (Fetch Attendee, Fetch List, notifications, Launch External URL v4)',
    )

  callout
    .command('init')
    .description('write a small runnable connector project (one handler per callout, a passing test)')
    .argument('<dir>', 'directory to create (must be missing or empty)')
    .option('--force', 'write into a non-empty directory')
    .action(async (dir: string, opts: { force?: boolean }) => {
      const files = await writeConnectorProject(dir, opts)
      io.stdout.write(
        `wrote ${files.length} files to ${dir}\n\nnext:\n  cd ${dir}\n  npm install\n  npm test\n`,
      )
    })

  callout
    .command('test')
    .description(
      'play Concur against a connector: test connection, every callout with sample requests, validated answers',
    )
    .option('--url <url>', 'base URL of the connector, e.g. https://connector.example.com')
    .option('--user <name>', 'connector user name as registered in Concur')
    .option('--password-stdin', 'read the connector password from stdin (else CONCURKIT_CONNECTOR_PASSWORD)')
    .option(
      '--ca <file>',
      'PEM CA certificate to trust for the connector (e.g. a self-signed development certificate)',
    )
    .addOption(
      new Option('--reporter <name>', 'report format').choices(['pretty', 'json', 'junit']).default('pretty'),
    )
    .option('--out <file>', 'write the report to a file (atomically) instead of stdout')
    .option(
      '--require <callouts>',
      `comma-separated callouts that must be served (${CALLOUTS.join(', ')}); others answering 404 or 401 are reported as not served`,
    )
    .option('--timeout <ms>', 'time to wait for each answer', '10000')
    .addHelpText(
      'after',
      `
Examples:
  $ concurkit callout test --url https://127.0.0.1:8443 --user concur-connector --ca dev-cert.pem --password-stdin < pw.txt
  $ concurkit callout test --url https://connector.example.com --user concur-connector --reporter junit --out callouts.xml

Exit codes: 0 every check passed, 1 a check failed, 2 usage, 4 connector unreachable.`,
    )
    .action(async (opts: TestOptions) => {
      if (!opts.url) throw usageError('--url is required')
      let url: URL
      try {
        url = new URL(opts.url)
      } catch {
        throw usageError(`--url is not a URL: ${opts.url}`)
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:')
        throw usageError('--url must be https:// (or http://)')
      if (!opts.user) throw usageError('--user is required')
      const password = opts.passwordStdin ? await readStdin(io) : io.env.CONCURKIT_CONNECTOR_PASSWORD
      if (!password) throw usageError('no password: use --password-stdin or set CONCURKIT_CONNECTOR_PASSWORD')
      io.redactor.add(password)
      const timeoutMs = Number(opts.timeout)
      if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 120_000)
        throw usageError('--timeout must be an integer between 100 and 120000')
      const required = (opts.require ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
      for (const r of required)
        if (!CALLOUTS.includes(r as Callout))
          throw usageError(`unknown callout "${r}" (known: ${CALLOUTS.join(', ')})`)
      let ca: string | undefined
      if (opts.ca) {
        ca = await readFile(opts.ca, 'utf8').catch((e: NodeJS.ErrnoException) => {
          throw usageError(`cannot read --ca ${opts.ca}: ${e.code ?? e.message}`)
        })
      }
      if (opts.reporter === 'junit' && !opts.out && io.stdout.isTTY)
        throw usageError('--reporter junit writes XML: add --out <file> (or redirect stdout)')

      const { testConnector } = await import('@concurkit/callout-kit')
      const report = await testConnector({
        url: url.toString().replace(/\/$/, ''),
        user: opts.user,
        password,
        timeoutMs,
        ...(ca ? { ca } : {}),
        ...(required.length ? { require: required as Callout[] } : {}),
      })
      let text: string
      if (opts.reporter === 'json') text = formatJson(report)
      else if (opts.reporter === 'junit') {
        const { formatJunit } = await import('@concurkit/conformance')
        text = formatJunit(asRunReport(report))
      } else text = formatPretty(report, !opts.out && useColor(io, io.stdout), io.verbose)
      text = io.redactor.redact(text)
      if (opts.out) {
        await writeFileAtomic(opts.out, text)
        note(io, `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`)
      } else io.stdout.write(text)
      io.exitCode = report.unreachable ? EXIT.NETWORK : report.ok ? EXIT.OK : EXIT.CHECKS_FAILED
    })
  return callout
}
