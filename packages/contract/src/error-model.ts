/**
 * The error codes of every concurkit package, one group per package. Codes are stable strings:
 * match on `err.code`, never on the message; a code is never renamed once released.
 *
 * @example
 * if (ConcurkitError.is(err) && err.code === AUTH_ERROR_CODES.BAD_CREDENTIALS) askAgain()
 */
export const AUTH_ERROR_CODES = Object.freeze({
  /** Wrong username/password, client secret (Concur codes 5, 19, 64, 100). Check the credentials. */
  BAD_CREDENTIALS: 'CONCUR_BAD_CREDENTIALS',
  /** The user account is locked (code 14). */
  ACCOUNT_LOCKED: 'CONCUR_ACCOUNT_LOCKED',
  /** The user or principal is disabled or logon is denied (codes 10–13, 123). */
  ACCOUNT_DISABLED: 'CONCUR_ACCOUNT_DISABLED',
  /** Logon denied by policy, typically an IP restriction (code 20). */
  LOGON_DENIED: 'CONCUR_LOGON_DENIED',
  /** The principal lives in another datacenter (code 16); `geolocation` names it. */
  WRONG_DATACENTER: 'CONCUR_WRONG_DATACENTER',
  /** The refresh token is bad, expired or revoked (code 108): sign in again. */
  REFRESH_EXPIRED: 'CONCUR_REFRESH_EXPIRED',
  /** The requested scope exceeds the app's granted scope (code 54). */
  SCOPE_EXCEEDED: 'CONCUR_SCOPE_EXCEEDED',
  /** The app (client) is unknown, disabled, not enabled for the company or may not refresh (53, 59, 61, 107, 115). */
  CLIENT_INVALID: 'CONCUR_CLIENT_INVALID',
  /** The authorization code or grant is bad, expired or not for this app/redirect URI (60, 103–105). */
  GRANT_INVALID: 'CONCUR_GRANT_INVALID',
  /** The one-time password flow failed (55, 80–85). */
  OTP_FAILED: 'CONCUR_OTP_FAILED',
  /** Concur rejected the request as malformed (other `invalid_request` codes) or the library was called wrongly. */
  INVALID_REQUEST: 'CONCUR_INVALID_REQUEST',
  /** Concur answered 5xx/429 or an unexpected status. Retry later. */
  SERVER_ERROR: 'CONCUR_SERVER_ERROR',
  /** The access token was refused by an API (401/403), e.g. at revocation. */
  UNAUTHORIZED: 'CONCUR_UNAUTHORIZED',
  /** The connection failed (refused, reset, DNS, TLS). */
  NETWORK: 'CONCUR_NETWORK',
  /** Connecting, waiting for headers/body, or the whole request took too long. */
  TIMEOUT: 'CONCUR_TIMEOUT',
  /** Concur's answer did not have the documented shape. */
  BAD_RESPONSE: 'CONCUR_BAD_RESPONSE',
  /** A token file is readable by group/others (`chmod 600` it). */
  STORE_INSECURE: 'CONCUR_STORE_INSECURE',
  /** A token store could not be read or written (corrupt file, I/O error). */
  STORE_ERROR: 'CONCUR_STORE_ERROR',
  /** There is no stored token for the profile: run a grant first. */
  NOT_AUTHENTICATED: 'CONCUR_NOT_AUTHENTICATED',
  /** The `state` of an authorization callback does not match the one sent. */
  STATE_MISMATCH: 'CONCUR_STATE_MISMATCH',
  /** The authorization callback carried an error instead of a code. */
  AUTHORIZATION_DENIED: 'CONCUR_AUTHORIZATION_DENIED',
  /** An id_token failed verification (signature, algorithm, iss, aud, exp, nbf). */
  ID_TOKEN_INVALID: 'CONCUR_ID_TOKEN_INVALID',
} as const)

/** Stable error codes of `@concurkit/client` (report reads, extracts, webhooks). */
export const CLIENT_ERROR_CODES = Object.freeze({
  /** Concur answered a non-retryable 4xx, or a retryable status after every retry. */
  HTTP: 'CONCUR_HTTP_ERROR',
  /** The connection failed (reset, refused, timeout) after every retry. */
  NETWORK: 'CONCUR_NETWORK_ERROR',
  /** A 200 body could not be parsed or did not match the registry schema. */
  INVALID_RESPONSE: 'CONCUR_INVALID_RESPONSE',
  /** The caller aborted (AbortSignal). */
  ABORTED: 'CONCUR_ABORTED',
  /** Bad options or arguments (unknown resource, unknown filter, bad date ...). */
  INVALID_ARGUMENT: 'CONCUR_INVALID_ARGUMENT',
  /** A checkpoint or cursor does not match the file or request it is resumed with. */
  CHECKPOINT_MISMATCH: 'CONCUR_CHECKPOINT_MISMATCH',
  /** A Parquet file or DuckDB database could not be written (the load changed nothing). */
  OUTPUT: 'CONCUR_OUTPUT_ERROR',
} as const)

/** Stable error codes of the client's webhook delivery (`deliverWebhooks`, `concurkit watch`). */
export const WEBHOOK_ERROR_CODES = Object.freeze({
  /** One delivery attempt failed (the receiver answered non-2xx or could not be reached). */
  ATTEMPT_FAILED: 'WEBHOOK_ATTEMPT_FAILED',
  /** An event failed every attempt and there is no dead-letter file. */
  DELIVERY_FAILED: 'WEBHOOK_DELIVERY_FAILED',
} as const)

/** Stable error codes of `@concurkit/callout-kit`. */
export const CALLOUT_ERROR_CODES = Object.freeze({
  /** A callout document that is not well-formed, has the wrong root, or misses an element. */
  XML_INVALID: 'CONCUR_CALLOUT_XML_INVALID',
  /** A document refused before parsing (DTD, too deep, too large). */
  XML_REFUSED: 'CONCUR_CALLOUT_XML_REFUSED',
  /** A well-formed document whose values break Concur's rules. */
  SCHEMA_INVALID: 'CONCUR_CALLOUT_SCHEMA_INVALID',
  /** The connector's own configuration is wrong (credentials, TLS files, handlers). */
  CONFIG_INVALID: 'CONCUR_CALLOUT_CONFIG_INVALID',
} as const)

/** Stable error codes of `@concurkit/mock-concur`. */
export const MOCK_ERROR_CODES = Object.freeze({
  /** A query parameter the mock refuses (answered with Concur's 400 body). */
  BAD_PARAMETER: 'CONCUR_MOCK_BAD_PARAMETER',
} as const)

type ValueOf<T> = T[keyof T]

/** A code of `@concurkit/auth`. */
export type AuthErrorCode = ValueOf<typeof AUTH_ERROR_CODES>
/** A code of `@concurkit/client` (webhook codes apart). */
export type ClientErrorCode = ValueOf<typeof CLIENT_ERROR_CODES>
/** A code of the client's webhook delivery. */
export type WebhookErrorCode = ValueOf<typeof WEBHOOK_ERROR_CODES>
/** A code of `@concurkit/callout-kit`. */
export type CalloutErrorCode = ValueOf<typeof CALLOUT_ERROR_CODES>
/** A code of `@concurkit/mock-concur`. */
export type MockErrorCode = ValueOf<typeof MOCK_ERROR_CODES>

/** Any concurkit error code. */
export type ErrorCode = AuthErrorCode | ClientErrorCode | WebhookErrorCode | CalloutErrorCode | MockErrorCode

/**
 * Every concurkit error code, each once (e.g. to check a table keyed by code is complete).
 *
 * @example
 * ERROR_CODES.includes('CONCUR_STORE_ERROR') // true
 */
export const ERROR_CODES: readonly ErrorCode[] = Object.freeze([
  ...Object.values(AUTH_ERROR_CODES),
  ...Object.values(CLIENT_ERROR_CODES),
  ...Object.values(WEBHOOK_ERROR_CODES),
  ...Object.values(CALLOUT_ERROR_CODES),
  ...Object.values(MOCK_ERROR_CODES),
])

const BRAND = Symbol.for('concurkit.error')

/**
 * Base of every error a concurkit package throws: a stable `code` and the underlying `cause`.
 * `ConcurkitError.is(err)` and `err instanceof ConcurkitError` hold across duplicate copies of the
 * packages (a `Symbol.for` brand); `instanceof` a subclass keeps its own meaning.
 *
 * @example
 * try { await client.expenseReports.get(id) } catch (err) {
 *   if (ConcurkitError.is(err)) console.error(err.code, err.message)
 * }
 */
export class ConcurkitError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ConcurkitError'
    this.code = code
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** Whether `err` is an error of any concurkit package (works across duplicate installs). */
  static is(err: unknown): err is ConcurkitError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true
  }

  /** `instanceof ConcurkitError` checks the brand; on a subclass, the ordinary prototype chain. */
  static override [Symbol.hasInstance](instance: unknown): boolean {
    // `this` is the class on the right of `instanceof`: subclasses inherit this method.
    // biome-ignore lint/complexity/noThisInStatic: the receiver decides which check applies
    if (this === ConcurkitError) return ConcurkitError.is(instance)
    // biome-ignore lint/complexity/noThisInStatic: the ordinary check against the receiver's prototype
    return Function.prototype[Symbol.hasInstance].call(this, instance)
  }
}
