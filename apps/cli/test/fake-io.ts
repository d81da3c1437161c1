import { PassThrough, Readable } from 'node:stream'
import type { CliIo } from '../src/io.js'
import { createRedactor } from '../src/redact.js'

/** A `CliIo` for in-process command tests: captures stdout/stderr, optional stdin text and env. */
export function fakeIo(
  options: { env?: NodeJS.ProcessEnv; input?: string } = {},
): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d: Buffer) => {
    out += d.toString()
  })
  stderr.on('data', (d: Buffer) => {
    err += d.toString()
  })
  return {
    stdout,
    stderr,
    stdin: options.input === undefined ? new PassThrough() : Readable.from([options.input]),
    env: options.env ?? {},
    redactor: createRedactor(),
    verbose: false,
    exitCode: 0,
    out: () => out,
    err: () => err,
  }
}
