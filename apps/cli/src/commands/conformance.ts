import type { ConformanceResult, RunConformanceOptions } from '@concurkit/conformance'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { parseBaseUrl, requireFields, resolveCredentials } from '../credentials.js'
import { CliError, EXIT, usageError } from '../errors.js'
import { type CliIo, debug, note, useColor, writeFileAtomic } from '../io.js'

interface ConformanceOptions {
  target?: string | true
  clientId?: string
  username?: string
  passwordStdin?: boolean
  allowSubscriptions?: boolean
  reporter: 'pretty' | 'json' | 'junit'
  json?: boolean
  out?: string
  only?: string[]
  record?: string
  compare?: string
  seed: number
  size: number
  concurrency: number
  list?: boolean
}

/** Parses a positive integer option. */
export function intOption(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer ${min}..${max}`)
    return n
  }
}

/**
 * `concurkit conformance`: starts the mock in-process (or uses `--target`), runs the catalogue
 * and reports. Exit 0 only when no check failed.
 */
export function registerConformanceCommand(program: Command, io: CliIo): void {
  program
    .command('conformance')
    .description(
      'Prove, check by check, that an integration works end to end (offline against the built-in mock).',
    )
    .addOption(
      new Option(
        '--target [url]',
        'run the read-only checks against this Concur base URL (default: CONCUR_BASE_URL)',
      ),
    )
    .option('--client-id <id>', 'OAuth client id for --target (or CONCUR_CLIENT_ID)')
    .option('--username <login>', 'user for the password grant with --target (or CONCUR_USERNAME)')
    .option('--password-stdin', 'read the password from standard input (or CONCUR_PASSWORD)')
    .option(
      '--allow-subscriptions',
      'with --target: also run the ESS subscription checks, which create and delete a subscription on the app',
    )
    .addOption(
      new Option('--reporter <name>', 'report format').choices(['pretty', 'json', 'junit']).default('pretty'),
    )
    .option('--json', 'same as --reporter json')
    .option('--out <file>', 'write the report to a file (atomically) instead of stdout')
    .option(
      '--only <prefix...>',
      'run only checks whose id starts with these prefixes (e.g. oauth reports.locations)',
    )
    .option('--record <dir>', "store each response's shape (names, types, nullability; no values) in <dir>")
    .option('--compare <dir>', "diff the mock's response shapes against a recording made with --record")
    .addOption(
      new Option('--seed <n>', 'seed of the built-in mock').argParser(intOption(0, 2 ** 31)).default(42),
    )
    .addOption(
      new Option('--size <n>', 'expense reports per company of the built-in mock')
        .argParser(intOption(1, 100_000))
        .default(10),
    )
    .addOption(
      new Option('--concurrency <n>', 'checks running at once').argParser(intOption(1, 64)).default(8),
    )
    .option('--list', 'list the checks (id, reference, title) without running them')
    .addHelpText(
      'after',
      `
Examples:
  $ concurkit conformance                                   # offline, against the built-in mock
  $ concurkit conformance --reporter junit --out report.xml
  $ concurkit conformance --json --only oauth
  $ CONCUR_CLIENT_ID=… CONCUR_CLIENT_SECRET=… CONCUR_USERNAME=… CONCUR_PASSWORD=… \\
      concurkit conformance --target https://us.api.concursolutions.com --record shapes/
  $ concurkit conformance --compare shapes/                 # where does the mock differ from that recording?

Against --target every check the credentials allow runs (one refresh token rotation is consumed);
checks needing the mock's clock, faults, writes, admin API or other principals are skipped with the reason.
Exit codes: 0 no check failed, 1 a check failed, 2 usage, 3 auth, 4 network/target.`,
    )
    .action(async (opts: ConformanceOptions) => {
      // loaded on use: `concurkit --help` stays fast
      const conformance = await import('@concurkit/conformance')
      const reporter = opts.json ? 'json' : opts.reporter
      if (opts.list) {
        for (const c of conformance.listChecks()) io.stdout.write(`${c.id}\t${c.reference}\t${c.title}\n`)
        return
      }
      if (reporter === 'junit' && !opts.out && io.stdout.isTTY) {
        throw usageError('--reporter junit writes XML: add --out <file> (or redirect stdout)')
      }
      if (opts.allowSubscriptions && opts.target === undefined)
        throw usageError('--allow-subscriptions goes with --target (against the mock every check runs)')
      if (opts.compare && opts.target !== undefined)
        throw usageError('--compare runs against the built-in mock: drop --target')
      const recorder = opts.record || opts.compare ? conformance.createShapeRecorder() : undefined
      const recording = opts.compare ? await loadRecording(opts.compare) : undefined

      let target: RunConformanceOptions['target'] = 'mock'
      if (opts.target !== undefined) {
        const creds = await resolveCredentials(io, {
          ...(opts.clientId ? { clientId: opts.clientId } : {}),
          ...(opts.username ? { username: opts.username } : {}),
          ...(opts.passwordStdin ? { passwordStdin: true } : {}),
        })
        const raw = opts.target === true ? creds.baseUrl : opts.target
        if (!raw) throw usageError('--target needs a URL (or CONCUR_BASE_URL)')
        requireFields(creds, ['clientId', 'clientSecret', 'username', 'password'], 'needed with --target')
        target = {
          baseUrl: parseBaseUrl(raw, '--target'),
          ...(opts.allowSubscriptions ? { allowSubscriptions: true } : {}),
          credentials: {
            clientId: creds.clientId,
            clientSecret: creds.clientSecret,
            username: creds.username,
            password: creds.password,
          },
        }
      }

      if (target !== 'mock') await expectSignIn(target)
      const result = await conformance.runConformance({
        target,
        mock: { seed: opts.seed, size: opts.size },
        concurrency: opts.concurrency,
        ...(opts.only ? { only: opts.only } : {}),
        reporter,
        color: !opts.out && useColor(io, io.stdout),
        verbose: io.verbose,
        io: { redactor: io.redactor, debug: (line) => debug(io, line) },
        ...(recorder ? { recorder } : {}),
        ...(recording ? { compareWith: recording } : {}),
      })
      if (opts.record && recorder) {
        const n = await conformance.saveShapes(opts.record, recorder)
        note(io, `recorded ${n} response shapes in ${opts.record}`)
      }
      const text = result.output ?? ''
      if (opts.out) {
        await writeFileAtomic(opts.out, text)
        if (reporter !== 'pretty') note(io, summaryLine(result))
      } else {
        io.stdout.write(text)
      }
      io.exitCode = result.summary.failed > 0 ? EXIT.CHECKS_FAILED : EXIT.OK
    })
}

/**
 * Signs in once before the run: a target that cannot be reached (refused, unknown host, timeout,
 * untrusted certificate) is a network error (exit 4) and refused credentials an auth error
 * (exit 3), each one line, instead of a report of checks that all fail for the same reason. The
 * checks then judge everything else (their own grants included).
 */
async function expectSignIn(
  target: Exclude<RunConformanceOptions['target'], 'mock' | undefined>,
): Promise<void> {
  const { passwordGrant } = await import('@concurkit/auth')
  await passwordGrant({ ...target.credentials, baseUrl: target.baseUrl })
}

function summaryLine(r: ConformanceResult): string {
  const s = r.summary
  return `${s.passed} passed, ${s.failed} failed, ${s.warned} warned, ${s.skipped} skipped`
}

async function loadRecording(dir: string) {
  const { loadShapes } = await import('@concurkit/conformance')
  try {
    return await loadShapes(dir)
  } catch (err) {
    throw new CliError(`--compare ${dir}: ${(err as Error).message}`, EXIT.USAGE, { cause: err })
  }
}
