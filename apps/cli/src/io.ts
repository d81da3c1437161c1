import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { createRedactor, type Redactor } from './redact.js'

/** The process streams and environment a command uses (injectable for tests). */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean }
  readonly stderr: Writable & { isTTY?: boolean; columns?: number }
  readonly stdin: Readable & { isTTY?: boolean }
  readonly env: NodeJS.ProcessEnv
  readonly redactor: Redactor
  /** Debug logging to stderr (secrets redacted), on with `--verbose`. */
  verbose: boolean
  /** The exit code a command asks for when it completes without throwing (e.g. 1: checks failed). */
  exitCode: number
}

/** The real process's streams. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    redactor: createRedactor(),
    verbose: false,
    exitCode: 0,
  }
}

/** Writes a debug line to stderr when `--verbose` is on, secrets redacted. */
export function debug(io: CliIo, message: string): void {
  if (io.verbose) io.stderr.write(`${io.redactor.redact(`debug: ${message}`)}\n`)
}

/** Writes a line to stderr, secrets redacted. */
export function note(io: CliIo, message: string): void {
  io.stderr.write(`${io.redactor.redact(message)}\n`)
}

/** Whether output to this stream may be coloured: a TTY and `NO_COLOR` unset. */
export function useColor(io: CliIo, stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && !io.env.NO_COLOR && io.env.TERM !== 'dumb'
}

/** Reads all of stdin as text (for `--password-stdin`), trimming the trailing newline. */
export async function readStdin(io: CliIo): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '')
}

/**
 * Writes a whole file atomically: a temp file in the same directory, renamed over the target
 * only when complete, so a reader never sees half a file.
 *
 * @example
 * await writeFileAtomic('report.xml', xml)
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(tmp, data, { mode: 0o644 })
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}
