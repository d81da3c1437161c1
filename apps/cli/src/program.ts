import { createRequire } from 'node:module'
import { Command, Option } from 'commander'
import { registerAuthCommand } from './commands/auth.js'
import { registerCalloutCommand } from './commands/callout.js'
import { registerConformanceCommand } from './commands/conformance.js'
import { registerEventsCommand } from './commands/events.js'
import { registerExtractCommand } from './commands/extract.js'
import { registerMockCommand } from './commands/mock.js'
import { registerResourcesCommand } from './commands/resources.js'
import { registerWatchCommand } from './commands/watch.js'
import { type CliIo, processIo } from './io.js'

const require = createRequire(import.meta.url)
const { version } = require('../package.json') as { version: string }

const EXIT_CODES_HELP = `
Exit codes:
  0  ok (and, for conformance, no check failed)
  1  checks failed
  2  usage error
  3  authentication error
  4  network or target error

Environment:
  CONCUR_CLIENT_ID, CONCUR_CLIENT_SECRET, CONCUR_USERNAME, CONCUR_PASSWORD, CONCUR_BASE_URL
  CONCURKIT_CONFIG_DIR   where profiles live (default: ~/.config/concurkit)
  NO_COLOR               disable colours`

/**
 * Builds the `concurkit` command tree. Commands write through `io` (the real process streams
 * by default), so tests can run them in-process.
 *
 * @example
 * await buildProgram().parseAsync(['node', 'concurkit', 'resources', '--json'])
 */
export function buildProgram(io: CliIo = processIo()): Command {
  const program = new Command('concurkit')
    .description('Build and test SAP Concur integrations offline, then run them against real Concur.')
    .version(version, '-V, --version')
    .addOption(new Option('--verbose', 'debug logs on stderr (secrets redacted), stacks on errors'))
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .addHelpText(
      'after',
      `
Examples:
  $ concurkit conformance                      # the whole suite against the built-in mock
  $ concurkit mock --json                      # run the mock, print its URLs and credentials
  $ concurkit auth login --password-stdin < pw.txt
  $ concurkit extract expense-reports --format csv --out reports.csv
${EXIT_CODES_HELP}`,
    )
    .hook('preAction', (cmd) => {
      io.verbose = Boolean(cmd.optsWithGlobals().verbose)
    })
  program.exitOverride()
  registerCalloutCommand(program, io)
  registerConformanceCommand(program, io)
  registerAuthCommand(program, io)
  registerEventsCommand(program, io)
  registerExtractCommand(program, io)
  registerMockCommand(program, io)
  registerResourcesCommand(program, io)
  registerWatchCommand(program, io)
  for (const cmd of program.commands) {
    cmd.exitOverride()
    cmd.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    for (const sub of cmd.commands) {
      sub.exitOverride()
      sub.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    }
  }
  return program
}
