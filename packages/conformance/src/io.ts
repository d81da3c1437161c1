import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Keeps secrets out of what a run prints: every value registered with `add()` (passwords, client
 * secrets, tokens the checks handled) is replaced by `[redacted]`, and so is anything shaped like a
 * JWT or a `Bearer …` header.
 *
 * @example
 * const r = createRedactor(); r.add('hunter2hunter2'); r.redact('pw hunter2hunter2') // 'pw [redacted]'
 */
export interface Redactor {
  add(secret: string | undefined): void
  redact(text: string): string
}

/** Where a run reports secrets and debug lines (the CLI passes its own redactor and `--verbose` log). */
export interface ConformanceIo {
  readonly redactor: Redactor
  /** One debug line (a request made, the mock's URLs); secrets are redacted before it is called. */
  debug?(line: string): void
}

const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi

/** The default redactor of `runConformance` (registered secrets, JWTs, `Bearer …`). */
export function createRedactor(): Redactor {
  const secrets = new Set<string>()
  return {
    add(secret) {
      if (secret && secret.length >= 4) secrets.add(secret)
    },
    redact(text) {
      let out = text
      for (const s of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join('[redacted]')
      return out.replace(JWT, '[redacted]').replace(BEARER, (_m, scheme: string) => `${scheme} [redacted]`)
    },
  }
}

/** Writes a debug line through `io.debug`, secrets redacted. */
export function debug(io: ConformanceIo, line: string): void {
  io.debug?.(io.redactor.redact(line))
}

/** Writes a whole file atomically (temp file in the same directory, then rename). */
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
