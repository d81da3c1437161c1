import { CommanderError } from 'commander'
import { EXIT, exitCodeOf } from './errors.js'
import { type CliIo, processIo } from './io.js'
import { buildProgram } from './program.js'

/**
 * Runs the CLI and returns its exit code: errors become ONE readable line on stderr (with the
 * stack only under `--verbose`), secrets redacted.
 *
 * @example
 * process.exitCode = await main(process.argv)
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io)
  try {
    await program.parseAsync([...argv])
    return io.exitCode
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version "errors" are successes; commander already printed the usage error line
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return EXIT.OK
      return EXIT.USAGE
    }
    const message = err instanceof Error ? err.message : String(err)
    const verbose = io.verbose || argv.includes('--verbose')
    const detail = verbose && err instanceof Error && err.stack ? `\n${err.stack}` : ''
    io.stderr.write(`${io.redactor.redact(`error: ${oneLine(message)}${detail}`)}\n`)
    return exitCodeOf(err)
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim()
}
