import type { ErrorCode } from '@concurkit/contract'
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

/**
 * The exit code of every concurkit error code. `satisfies Record<ErrorCode, ExitCode>` makes a code
 * added to `@concurkit/contract` without a decision here a type error (apps/cli/README.md lists
 * the same table).
 */
export const EXIT_CODE_OF = {
  // Sign-in failed or cannot be attempted: exit 3.
  CONCUR_BAD_CREDENTIALS: EXIT.AUTH,
  CONCUR_ACCOUNT_LOCKED: EXIT.AUTH,
  CONCUR_ACCOUNT_DISABLED: EXIT.AUTH,
  CONCUR_LOGON_DENIED: EXIT.AUTH,
  CONCUR_WRONG_DATACENTER: EXIT.AUTH,
  CONCUR_REFRESH_EXPIRED: EXIT.AUTH,
  CONCUR_SCOPE_EXCEEDED: EXIT.AUTH,
  CONCUR_CLIENT_INVALID: EXIT.AUTH,
  CONCUR_GRANT_INVALID: EXIT.AUTH,
  CONCUR_OTP_FAILED: EXIT.AUTH,
  CONCUR_INVALID_REQUEST: EXIT.AUTH,
  CONCUR_UNAUTHORIZED: EXIT.AUTH,
  CONCUR_NOT_AUTHENTICATED: EXIT.AUTH,
  CONCUR_STATE_MISMATCH: EXIT.AUTH,
  CONCUR_AUTHORIZATION_DENIED: EXIT.AUTH,
  CONCUR_ID_TOKEN_INVALID: EXIT.AUTH,
  CONCUR_STORE_INSECURE: EXIT.AUTH,
  // The stored profile cannot be read or written (corrupt or unreadable file, I/O error): the
  // command cannot authenticate, like a missing profile.
  CONCUR_STORE_ERROR: EXIT.AUTH,
  // The target could not be reached or answered something unusable: exit 4.
  CONCUR_SERVER_ERROR: EXIT.NETWORK,
  CONCUR_NETWORK: EXIT.NETWORK,
  CONCUR_TIMEOUT: EXIT.NETWORK,
  CONCUR_BAD_RESPONSE: EXIT.NETWORK,
  // An HTTP error is a target error unless its status (401/403) or its cause says otherwise
  // (see exitCodeOf).
  CONCUR_HTTP_ERROR: EXIT.NETWORK,
  CONCUR_NETWORK_ERROR: EXIT.NETWORK,
  CONCUR_INVALID_RESPONSE: EXIT.NETWORK,
  // An aborted walk (the CLI aborts on a deadline or a dropped connection; Ctrl-C is handled by
  // the commands themselves) did not finish talking to the target.
  CONCUR_ABORTED: EXIT.NETWORK,
  // An output that could not be written (a Parquet file, a DuckDB database) is reported like any
  // other write error (no space, /dev/full): exit 4, nothing changed.
  CONCUR_OUTPUT_ERROR: EXIT.NETWORK,
  WEBHOOK_ATTEMPT_FAILED: EXIT.NETWORK,
  WEBHOOK_DELIVERY_FAILED: EXIT.NETWORK,
  CONCUR_CALLOUT_XML_INVALID: EXIT.NETWORK,
  CONCUR_CALLOUT_XML_REFUSED: EXIT.NETWORK,
  CONCUR_CALLOUT_SCHEMA_INVALID: EXIT.NETWORK,
  // What the user gave is wrong: exit 2.
  CONCUR_INVALID_ARGUMENT: EXIT.USAGE,
  CONCUR_CHECKPOINT_MISMATCH: EXIT.USAGE,
  CONCUR_CALLOUT_CONFIG_INVALID: EXIT.USAGE,
  CONCUR_MOCK_BAD_PARAMETER: EXIT.USAGE,
} as const satisfies Record<ErrorCode, ExitCode>

/** Node and undici network error codes (not concurkit's): the target could not be reached. */
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
])

const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(EXIT_CODE_OF, code)

/**
 * The exit code for any error: `CliError` carries its own; errors of every concurkit package are
 * mapped by their stable `code` (`EXIT_CODE_OF`); socket errors are target errors; anything else
 * is decided by its status or cause, else a target error (4).
 *
 * @example
 * exitCodeOf(Object.assign(new Error('x'), { code: 'CONCUR_BAD_CREDENTIALS' })) // 3
 */
export function exitCodeOf(err: unknown): ExitCode {
  if (err instanceof CliError) return err.exitCode
  const code = codeOf(err)
  if (code !== undefined) {
    // An HTTP error is decided by its status (and cause) first; its table entry is the default.
    if (isErrorCode(code) && code !== 'CONCUR_HTTP_ERROR') return EXIT_CODE_OF[code]
    if (SOCKET_CODES.has(code)) return EXIT.NETWORK
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
