import { CLIENT_ERROR_CODES, type ClientErrorCode, ConcurkitError } from '@concurkit/contract'

const BRAND = Symbol.for('concurkit.client.error')

export { CLIENT_ERROR_CODES, type ClientErrorCode }

/**
 * Base class of every error thrown by `@concurkit/client`, a `ConcurkitError` (the shared base of
 * `@concurkit/contract`). Match on `err.code`, not on the class (the brand survives duplicate
 * copies of the package).
 *
 * @example
 * try { await client.expenseReports.get('x') } catch (err) {
 *   if (ConcurClientError.is(err) && err.code === 'CONCUR_HTTP_ERROR') { ... }
 * }
 */
export class ConcurClientError extends ConcurkitError {
  declare readonly code: ClientErrorCode
  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options)
    this.name = 'ConcurClientError'
    Object.defineProperty(this, BRAND, { value: true })
  }

  /** Whether `err` is an error of this package (works across duplicate installs). */
  static override is(err: unknown): err is ConcurClientError {
    return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true
  }
}

/** The request an error is about, without secrets (no headers, no token, no secret-looking params). */
export interface RequestDescription {
  readonly method: string
  /** Path on the Concur host, e.g. `/api/v3.0/expense/reports`. */
  readonly path: string
  /** Query parameters with secret-looking values replaced by `[redacted]`. */
  readonly query: Readonly<Record<string, string>>
}

/** Details of a failed request. */
export interface RequestErrorDetails {
  readonly request: RequestDescription
  readonly status?: number
  /** Concur's error message (`Error.Message`, `Message`, `error_description`, `errorMessage`). */
  readonly concurMessage?: string
  /** Concur's error code/id when the body carries one (`Error.Id`, OAuth `code`, v4 `errorId`). */
  readonly concurCode?: string
  /** `concur-correlationid` response header. */
  readonly correlationId?: string
  /** How many requests were sent for this call (retries and the one after a token refresh included). */
  readonly attempts?: number
  /** Why a retryable failure was not tried again (e.g. `all 6 retries used`, `POST is never retried`). */
  readonly gaveUp?: string
}

const SECRET_PARAM = /token|secret|password|assertion|code$|signature|otp/i

/** Describes a URL for an error message, redacting secret-looking parameters. */
export function describeRequest(method: string, url: URL): RequestDescription {
  const query: Record<string, string> = {}
  for (const [k, v] of url.searchParams) query[k] = SECRET_PARAM.test(k) ? '[redacted]' : v
  return { method, path: url.pathname, query }
}

function formatQuery(query: Readonly<Record<string, string>>): string {
  const s = new URLSearchParams(query).toString()
  return s ? `?${s}` : ''
}

/**
 * A request to Concur failed: a non-retryable status, retries exhausted, a network error or an
 * invalid body. Names method, path, query (without secrets), status, Concur's message/code and the
 * correlation id; never headers or tokens.
 *
 * @example
 * err.code // 'CONCUR_HTTP_ERROR'
 * err.status // 404
 * err.message // 'GET /api/v3.0/expense/reports/x → 404: Not Found (correlation id 3f…)'
 */
export class ConcurRequestError extends ConcurClientError {
  readonly request: RequestDescription
  readonly status: number | undefined
  readonly concurMessage: string | undefined
  readonly concurCode: string | undefined
  readonly correlationId: string | undefined
  readonly attempts: number | undefined
  readonly gaveUp: string | undefined

  constructor(
    code: ClientErrorCode,
    details: RequestErrorDetails & { reason?: string },
    options?: { cause?: unknown },
  ) {
    const { request, status, concurMessage, concurCode, correlationId, reason } = details
    const what = `${request.method} ${request.path}${formatQuery(request.query)}`
    const parts = [
      status === undefined ? '' : ` → ${status}`,
      concurMessage ? `: ${concurMessage}` : reason ? `: ${reason}` : '',
      concurCode ? ` [${concurCode}]` : '',
      correlationId ? ` (correlation id ${correlationId})` : '',
      details.attempts && (details.attempts > 1 || details.gaveUp)
        ? ` after ${details.attempts} attempt${details.attempts === 1 ? '' : 's'}`
        : '',
      details.gaveUp ? ` (gave up: ${details.gaveUp})` : '',
    ]
    super(code, `${what}${parts.join('')}`, options)
    this.name = 'ConcurRequestError'
    this.request = request
    this.status = status
    this.concurMessage = concurMessage
    this.concurCode = concurCode
    this.correlationId = correlationId
    this.attempts = details.attempts
    this.gaveUp = details.gaveUp
  }
}

/** Throws a `CONCUR_INVALID_ARGUMENT` error. */
export function invalidArgument(message: string): never {
  throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, message)
}
