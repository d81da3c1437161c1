import { AUTH_ERROR_CODES, ConcurkitError } from '@concurkit/contract'
/** Wrong username/password, client secret (Concur codes 5, 19, 64, 100). Check the credentials. */
export const CONCUR_BAD_CREDENTIALS = AUTH_ERROR_CODES.BAD_CREDENTIALS
/** The user account is locked (code 14). */
export const CONCUR_ACCOUNT_LOCKED = AUTH_ERROR_CODES.ACCOUNT_LOCKED
/** The user or principal is disabled or logon is denied (codes 10–13, 123). */
export const CONCUR_ACCOUNT_DISABLED = AUTH_ERROR_CODES.ACCOUNT_DISABLED
/** Logon denied by policy, typically an IP restriction (code 20). */
export const CONCUR_LOGON_DENIED = AUTH_ERROR_CODES.LOGON_DENIED
/** The principal lives in another datacenter (code 16); `geolocation` names it. */
export const CONCUR_WRONG_DATACENTER = AUTH_ERROR_CODES.WRONG_DATACENTER
/** The refresh token is bad, expired or revoked (code 108): sign in again. */
export const CONCUR_REFRESH_EXPIRED = AUTH_ERROR_CODES.REFRESH_EXPIRED
/** The requested scope exceeds the app's granted scope (code 54). */
export const CONCUR_SCOPE_EXCEEDED = AUTH_ERROR_CODES.SCOPE_EXCEEDED
/** The app (client) is unknown, disabled, not enabled for the company or may not refresh (53, 59, 61, 107, 115). */
export const CONCUR_CLIENT_INVALID = AUTH_ERROR_CODES.CLIENT_INVALID
/** The authorization code or grant is bad, expired or not for this app/redirect URI (60, 103–105). */
export const CONCUR_GRANT_INVALID = AUTH_ERROR_CODES.GRANT_INVALID
/** The one-time password flow failed (55, 80–85). */
export const CONCUR_OTP_FAILED = AUTH_ERROR_CODES.OTP_FAILED
/** Concur rejected the request as malformed (other `invalid_request` codes) or the library was called wrongly. */
export const CONCUR_INVALID_REQUEST = AUTH_ERROR_CODES.INVALID_REQUEST
/** Concur answered 5xx/429 or an unexpected status. Retry later. */
export const CONCUR_SERVER_ERROR = AUTH_ERROR_CODES.SERVER_ERROR
/** The access token was refused by an API (401/403), e.g. at revocation. */
export const CONCUR_UNAUTHORIZED = AUTH_ERROR_CODES.UNAUTHORIZED
/** The connection failed (refused, reset, DNS, TLS). */
export const CONCUR_NETWORK = AUTH_ERROR_CODES.NETWORK
/** Connecting, waiting for headers/body, or the whole request took too long. */
export const CONCUR_TIMEOUT = AUTH_ERROR_CODES.TIMEOUT
/** Concur's answer did not have the documented shape. */
export const CONCUR_BAD_RESPONSE = AUTH_ERROR_CODES.BAD_RESPONSE
/** A token file is readable by group/others (`chmod 600` it). */
export const CONCUR_STORE_INSECURE = AUTH_ERROR_CODES.STORE_INSECURE
/** A token store could not be read or written (corrupt file, I/O error). */
export const CONCUR_STORE_ERROR = AUTH_ERROR_CODES.STORE_ERROR
/** There is no stored token for the profile: run a grant first. */
export const CONCUR_NOT_AUTHENTICATED = AUTH_ERROR_CODES.NOT_AUTHENTICATED
/** The `state` of an authorization callback does not match the one sent. */
export const CONCUR_STATE_MISMATCH = AUTH_ERROR_CODES.STATE_MISMATCH
/** The authorization callback carried an error instead of a code. */
export const CONCUR_AUTHORIZATION_DENIED = AUTH_ERROR_CODES.AUTHORIZATION_DENIED
/** An id_token failed verification (signature, algorithm, iss, aud, exp, nbf). */
export const CONCUR_ID_TOKEN_INVALID = AUTH_ERROR_CODES.ID_TOKEN_INVALID

/**
 * Every stable error code of `@concurkit/auth`.
 *
 * @example
 * const retryable = (code: ConcurAuthErrorCode) => code === CONCUR_NETWORK || code === CONCUR_TIMEOUT
 */
export type ConcurAuthErrorCode =
  | typeof CONCUR_BAD_CREDENTIALS
  | typeof CONCUR_ACCOUNT_LOCKED
  | typeof CONCUR_ACCOUNT_DISABLED
  | typeof CONCUR_LOGON_DENIED
  | typeof CONCUR_WRONG_DATACENTER
  | typeof CONCUR_REFRESH_EXPIRED
  | typeof CONCUR_SCOPE_EXCEEDED
  | typeof CONCUR_CLIENT_INVALID
  | typeof CONCUR_GRANT_INVALID
  | typeof CONCUR_OTP_FAILED
  | typeof CONCUR_INVALID_REQUEST
  | typeof CONCUR_SERVER_ERROR
  | typeof CONCUR_UNAUTHORIZED
  | typeof CONCUR_NETWORK
  | typeof CONCUR_TIMEOUT
  | typeof CONCUR_BAD_RESPONSE
  | typeof CONCUR_STORE_INSECURE
  | typeof CONCUR_STORE_ERROR
  | typeof CONCUR_NOT_AUTHENTICATED
  | typeof CONCUR_STATE_MISMATCH
  | typeof CONCUR_AUTHORIZATION_DENIED
  | typeof CONCUR_ID_TOKEN_INVALID

const kConcurAuthError = Symbol.for('concurkit.auth.error')
const kNetworkError = Symbol.for('concurkit.auth.error.network')
const kOAuthError = Symbol.for('concurkit.auth.error.oauth')

/** Facts an error may carry (never headers, bodies or credentials). */
export interface ConcurAuthErrorDetails {
  cause?: unknown
  /** HTTP status of the answer, when there was one. */
  status?: number
  /** HTTP method and URL (origin + path, no query) of the failed request. */
  method?: string
  url?: string
}

/**
 * Base class of every error `@concurkit/auth` throws, a `ConcurkitError` (the shared base of
 * `@concurkit/contract`). Match on `err.code` (stable strings, exported as `CONCUR_*` constants);
 * `instanceof` works across duplicate copies of the package.
 *
 * @example
 * try { await passwordGrant(opts) } catch (err) {
 *   if (err instanceof ConcurAuthError && err.code === CONCUR_BAD_CREDENTIALS) askAgain()
 * }
 */
export class ConcurAuthError extends ConcurkitError {
  override name = 'ConcurAuthError'
  declare readonly code: ConcurAuthErrorCode
  readonly status: number | undefined
  readonly method: string | undefined
  readonly url: string | undefined

  constructor(code: ConcurAuthErrorCode, message: string, details: ConcurAuthErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause })
    this.status = details.status
    this.method = details.method
    this.url = details.url
    Object.defineProperty(this, kConcurAuthError, { value: true })
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as never)[kConcurAuthError] === true
  }

  /** A plain, secret-free summary (used by `JSON.stringify`). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.method === undefined ? {} : { method: this.method }),
      ...(this.url === undefined ? {} : { url: this.url }),
    }
  }
}

/**
 * The connection failed or timed out (`CONCUR_NETWORK`, `CONCUR_TIMEOUT`). Shared with
 * `@concurkit/client`. The undici error is kept as `cause`; no headers or bodies are included.
 *
 * @example
 * if (err instanceof ConcurNetworkError && err.code === CONCUR_TIMEOUT) retryLater()
 */
export class ConcurNetworkError extends ConcurAuthError {
  override name = 'ConcurNetworkError'

  constructor(
    code: typeof CONCUR_NETWORK | typeof CONCUR_TIMEOUT,
    message: string,
    details: ConcurAuthErrorDetails = {},
  ) {
    super(code, message, details)
    Object.defineProperty(this, kNetworkError, { value: true })
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as never)[kNetworkError] === true
  }
}

/** Facts of a Concur OAuth2 error answer. */
export interface OAuthErrorFacts extends ConcurAuthErrorDetails {
  /** Concur's numeric code (reference A.5), when given. */
  concurCode?: number
  /** The OAuth2 `error` string, e.g. `invalid_grant`. */
  error?: string
  /** Concur's `error_description`. */
  description?: string
  /** Where the principal lives (code 16). */
  geolocation?: string
}

/**
 * Concur's OAuth2 endpoint refused a request: `{ error, error_description, code, geolocation? }`,
 * mapped to a stable `code` (see {@link codeForConcurError}).
 *
 * @example
 * if (err instanceof ConcurOAuthError && err.concurCode === 14) notifyLockedAccount()
 */
export class ConcurOAuthError extends ConcurAuthError {
  override name = 'ConcurOAuthError'
  readonly concurCode: number | undefined
  readonly error: string | undefined
  readonly description: string | undefined
  readonly geolocation: string | undefined

  constructor(code: ConcurAuthErrorCode, message: string, facts: OAuthErrorFacts = {}) {
    super(code, message, facts)
    this.concurCode = facts.concurCode
    this.error = facts.error
    this.description = facts.description
    this.geolocation = facts.geolocation
    Object.defineProperty(this, kOAuthError, { value: true })
  }

  static override [Symbol.hasInstance](instance: unknown): boolean {
    return typeof instance === 'object' && instance !== null && (instance as never)[kOAuthError] === true
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.concurCode === undefined ? {} : { concurCode: this.concurCode }),
      ...(this.error === undefined ? {} : { error: this.error }),
      ...(this.geolocation === undefined ? {} : { geolocation: this.geolocation }),
    }
  }
}

const BY_CONCUR_CODE: ReadonlyMap<number, ConcurAuthErrorCode> = new Map<number, ConcurAuthErrorCode>([
  [5, CONCUR_BAD_CREDENTIALS],
  [19, CONCUR_BAD_CREDENTIALS],
  [64, CONCUR_BAD_CREDENTIALS],
  [100, CONCUR_BAD_CREDENTIALS],
  [10, CONCUR_ACCOUNT_DISABLED],
  [11, CONCUR_ACCOUNT_DISABLED],
  [12, CONCUR_ACCOUNT_DISABLED],
  [13, CONCUR_ACCOUNT_DISABLED],
  [123, CONCUR_ACCOUNT_DISABLED],
  [14, CONCUR_ACCOUNT_LOCKED],
  [20, CONCUR_LOGON_DENIED],
  [16, CONCUR_WRONG_DATACENTER],
  [108, CONCUR_REFRESH_EXPIRED],
  [54, CONCUR_SCOPE_EXCEEDED],
  [53, CONCUR_CLIENT_INVALID],
  [59, CONCUR_CLIENT_INVALID],
  [61, CONCUR_CLIENT_INVALID],
  [107, CONCUR_CLIENT_INVALID],
  [115, CONCUR_CLIENT_INVALID],
  [60, CONCUR_GRANT_INVALID],
  [103, CONCUR_GRANT_INVALID],
  [104, CONCUR_GRANT_INVALID],
  [105, CONCUR_GRANT_INVALID],
  [55, CONCUR_OTP_FAILED],
  [80, CONCUR_OTP_FAILED],
  [81, CONCUR_OTP_FAILED],
  [82, CONCUR_OTP_FAILED],
  [83, CONCUR_OTP_FAILED],
  [84, CONCUR_OTP_FAILED],
  [85, CONCUR_OTP_FAILED],
])

/**
 * Maps a Concur OAuth2 error (numeric `code`, or the `error` string when no code is given) to a
 * stable `CONCUR_*` code.
 *
 * @example
 * codeForConcurError(14) // 'CONCUR_ACCOUNT_LOCKED'
 */
export function codeForConcurError(concurCode: number | undefined, error?: string): ConcurAuthErrorCode {
  const known = concurCode === undefined ? undefined : BY_CONCUR_CODE.get(concurCode)
  if (known) return known
  switch (error) {
    case 'invalid_client':
    case 'unauthorized_client':
    case 'access_denied':
      return CONCUR_CLIENT_INVALID
    case 'invalid_scope':
      return CONCUR_SCOPE_EXCEEDED
    case 'invalid_grant':
      return CONCUR_GRANT_INVALID
    default:
      return CONCUR_INVALID_REQUEST
  }
}

/**
 * What to do, per stable code (appended to messages).
 *
 * @example
 * ADVICE.CONCUR_STORE_INSECURE // 'Restrict the file to its owner: chmod 600 <file>.'
 */
export const ADVICE: Readonly<Record<ConcurAuthErrorCode, string>> = Object.freeze({
  CONCUR_BAD_CREDENTIALS:
    'Check the username/password (or company UUID/request token) and the client id/secret.',
  CONCUR_ACCOUNT_LOCKED: 'The account is locked; ask the Concur administrator to unlock it, then retry.',
  CONCUR_ACCOUNT_DISABLED:
    'The account or principal is disabled or denied; ask the Concur administrator to enable it.',
  CONCUR_LOGON_DENIED: 'Logon was denied by policy (often an IP restriction); ask the Concur administrator.',
  CONCUR_WRONG_DATACENTER: 'Request the token at the datacenter named by `geolocation`.',
  CONCUR_REFRESH_EXPIRED:
    'The refresh token is expired or revoked; obtain a new token with a grant (e.g. a new company request token).',
  CONCUR_SCOPE_EXCEEDED: "Request only scopes granted to the app (or omit `scope` to get the app's scopes).",
  CONCUR_CLIENT_INVALID:
    'Check the client id/secret and that the app is enabled for this company (App Center connection).',
  CONCUR_GRANT_INVALID:
    'Start the authorization again: the code or grant is invalid, expired or not for this app.',
  CONCUR_OTP_FAILED: 'Request a new one-time password and use it within its lifetime.',
  CONCUR_INVALID_REQUEST: 'Check the request parameters.',
  CONCUR_SERVER_ERROR: 'Concur is unavailable or overloaded; retry later (Concur advises waiting 5 minutes).',
  CONCUR_UNAUTHORIZED: 'The access token was refused; refresh it or sign in again.',
  CONCUR_NETWORK: 'Check the network connection and the base URL, then retry.',
  CONCUR_TIMEOUT: 'Concur did not answer in time; retry later or raise the timeout.',
  CONCUR_BAD_RESPONSE: 'The answer did not have the documented shape; check the base URL points at Concur.',
  CONCUR_STORE_INSECURE: 'Restrict the file to its owner: chmod 600 <file>.',
  CONCUR_STORE_ERROR: 'Check the token store (file path, permissions, JSON content).',
  CONCUR_NOT_AUTHENTICATED: 'Obtain a token with a grant first (e.g. `concurkit auth login`).',
  CONCUR_STATE_MISMATCH: 'Discard this callback and start the authorization again.',
  CONCUR_AUTHORIZATION_DENIED: 'The user or Concur denied the authorization; start it again.',
  CONCUR_ID_TOKEN_INVALID: 'Do not trust this id_token; obtain a new token.',
})

/**
 * Origin + path of a URL, without query or fragment (no credentials ever appear there).
 *
 * @example
 * safeUrl('https://us.api.concursolutions.com/x?code=abc') // 'https://us.api.concursolutions.com/x'
 */
export function safeUrl(url: string | URL): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return '<invalid URL>'
  }
}
