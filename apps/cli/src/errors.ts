/**
 * Exit codes of every `concurkit` command. They are part of the CLI's contract: scripts and CI
 * match on them, so they never change meaning.
 */
export const EXIT = {
  /** Everything worked (and, for `conformance`, no check failed). */
  OK: 0,
  /** At least one conformance (or callout) check failed. */
  CHECKS_FAILED: 1,
  /** The command line was wrong: unknown option, missing argument, bad value. */
  USAGE: 2,
  /** Authentication failed: bad credentials, expired or revoked tokens, missing profile. */
  AUTH: 3,
  /** The target could not be reached or answered something unusable. */
  NETWORK: 4,
  /** Stopped by SIGINT (Ctrl-C) — commands without a graceful stop (128 + 2, as shells report it). */
  SIGINT: 130,
  /** Stopped by SIGTERM — commands without a graceful stop (128 + 15). */
  SIGTERM: 143,
} as const

export type ExitCode = Exclude<(typeof EXIT)[keyof typeof EXIT], 130 | 143>

/**
 * An error the CLI reports as one line on stderr, exiting with `exitCode`.
 *
 * @example
 * throw new CliError('unknown resource "foo" (see `concurkit resources`)', EXIT.USAGE)
 */
export class CliError extends Error {
  readonly exitCode: ExitCode
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

/** A usage error (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.USAGE)
}

const AUTH_CODES = new Set([
  'CONCUR_BAD_CREDENTIALS',
  'CONCUR_ACCOUNT_LOCKED',
  'CONCUR_ACCOUNT_DISABLED',
  'CONCUR_WRONG_DATACENTER',
  'CONCUR_REFRESH_EXPIRED',
  'CONCUR_SCOPE_EXCEEDED',
  'CONCUR_CLIENT_INVALID',
  'CONCUR_INVALID_REQUEST',
  'CONCUR_GRANT_INVALID',
  'CONCUR_LOGON_DENIED',
  'CONCUR_OTP_FAILED',
  'CONCUR_UNAUTHORIZED',
  'CONCUR_NOT_AUTHENTICATED',
  'CONCUR_AUTHORIZATION_DENIED',
  'CONCUR_ID_TOKEN_INVALID',
  'CONCUR_STORE_INSECURE',
  'CONCUR_STATE_MISMATCH',
])
const USAGE_CODES = new Set(['CONCUR_INVALID_ARGUMENT', 'CONCUR_CHECKPOINT_MISMATCH'])
const NETWORK_CODES = new Set([
  'CONCUR_NETWORK',
  'CONCUR_TIMEOUT',
  'CONCUR_BAD_RESPONSE',
  'CONCUR_SERVER_ERROR',
  'CONCUR_NETWORK_ERROR',
  'CONCUR_INVALID_RESPONSE',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
])

/**
 * The exit code for any error: `CliError` carries its own; errors of `@concurkit/auth` and
 * `@concurkit/client` are mapped by their stable `code`; anything else is a target error (4).
 *
 * @example
 * exitCodeOf(Object.assign(new Error('x'), { code: 'CONCUR_BAD_CREDENTIALS' })) // 3
 */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode
  const code = codeOf(err)
  if (code !== undefined) {
    if (AUTH_CODES.has(code)) return EXIT.AUTH
    if (NETWORK_CODES.has(code)) return EXIT.NETWORK
    if (USAGE_CODES.has(code)) return EXIT.USAGE
    if (code.startsWith('commander.')) return EXIT.USAGE
    const status = (err as { status?: unknown }).status
    if (status === 401 || status === 403) return EXIT.AUTH
  }
  const cause = (err as { cause?: unknown } | undefined)?.cause
  if (cause !== undefined && cause !== err) {
    const inner = exitCodeOf(cause)
    if (inner !== EXIT.NETWORK) return inner
  }
  return EXIT.NETWORK
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  return typeof code === 'string' ? code : undefined
}
