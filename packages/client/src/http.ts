import { setTimeout as sleepTimer } from 'node:timers/promises'
import { createHttp, type Http } from '@concurkit/auth'
import { toNetworkError } from '@concurkit/auth/internal'
import {
  ERROR_FAMILIES,
  type ErrorFamily,
  type ErrorFamilyName,
  type ErrorReading,
  errorFamilyOf,
  LooseErrorBody,
  LooseErrorFields,
} from '@concurkit/contract'
import type { Dispatcher } from 'undici'
import type { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurClientError, ConcurRequestError, describeRequest } from './errors.js'
import { isSchemaMismatch, parseXml } from './parse.js'

/**
 * Where access tokens come from: `@concurkit/auth`'s token manager (`createTokenManager(...)`) as it
 * is, or any object with `getAccessToken()` (a static token too, see `staticToken`). The optional
 * members are used when present.
 */
export interface TokenSource {
  /** A currently valid access token. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>
  /**
   * Forget the access token so the next `getAccessToken()` refreshes it. Given `token`, only if it
   * is still the current one (the token manager's contract).
   */
  invalidate?(token?: string): void
  /**
   * Refresh now and return the new access token. With `staleToken`, a source that already moved
   * past that token returns the current one instead of refreshing again (many concurrent 401s →
   * one refresh).
   */
  forceRefresh?(options?: { signal?: AbortSignal; staleToken?: string }): Promise<string>
  /** The token's `geolocation` (base URL), when known. */
  getGeolocation?(): string | undefined | Promise<string | undefined>
  /** The token manager's `getToken()`: its `geolocation` is the base URL when `getGeolocation` is absent. */
  getToken?(options?: { signal?: AbortSignal }): Promise<{ readonly geolocation?: string | undefined }>
}

/**
 * A token source for a fixed access token (no refresh).
 *
 * @example
 * const client = createConcurClient({ auth: staticToken(process.env.CONCUR_TOKEN!, 'https://us.api.concursolutions.com') })
 */
export function staticToken(accessToken: string, geolocation?: string): TokenSource {
  return {
    getAccessToken: async () => accessToken,
    getGeolocation: () => geolocation,
  }
}

/** Retry policy (defaults filled in one place: `resolveRetry`). */
export interface RetryOptions {
  /** Retries after the first attempt. Default 6. */
  maxRetries?: number
  /** First backoff in ms. Default 500. */
  minTimeout?: number
  /** Largest wait in ms (also caps `Retry-After`). Default 30 000. */
  maxTimeout?: number
  /** Backoff growth per retry. Default 2. */
  timeoutFactor?: number
  /** Fraction of each wait that is randomised ("full jitter" when 1). Default 0.5. */
  jitter?: number
}

export type ResolvedRetry = Required<RetryOptions>

export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  const r = {
    maxRetries: options.maxRetries ?? 6,
    minTimeout: options.minTimeout ?? 500,
    maxTimeout: options.maxTimeout ?? 30_000,
    timeoutFactor: options.timeoutFactor ?? 2,
    jitter: options.jitter ?? 0.5,
  }
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isFinite(v) || v < 0) {
      throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, `retry.${k} must be a number ≥ 0`)
    }
  }
  if (r.jitter > 1)
    throw new ConcurClientError(CLIENT_ERROR_CODES.INVALID_ARGUMENT, 'retry.jitter must be 0..1')
  return r
}

/** Backoff before retry number `attempt` (1-based), honouring a `Retry-After` header (seconds or date). */
export function backoffDelay(retry: ResolvedRetry, attempt: number, retryAfter?: string | string[]): number {
  const header = (Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)?.trim()
  if (header) {
    // Seconds (`0` = now) or an HTTP date (one in the past = now); waited exactly, capped by maxTimeout.
    const ms = /^\d+$/.test(header) ? Number(header) * 1000 : new Date(header).getTime() - Date.now()
    if (!Number.isNaN(ms)) return Math.min(Math.max(ms, 0), retry.maxTimeout)
  }
  const base = Math.min(retry.minTimeout * retry.timeoutFactor ** Math.max(0, attempt - 1), retry.maxTimeout)
  return base * (1 - retry.jitter) + Math.random() * base * retry.jitter
}

/** Status codes retried on idempotent requests. */
export const RETRY_STATUS = [408, 429, 500, 502, 503, 504] as const

const RETRY_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]

/**
 * Concur's 400 bodies that mean "try again later" (reference E: request limit exceeded, database
 * deadlock). Matched against the error message.
 */
export const RETRYABLE_400 = /request limit|rate limit|too many requests|deadlock|throttl|try again later/i

/** Timeouts of the HTTP layer the client creates (`@concurkit/auth`'s `createHttp`). */
export interface HttpLayerOptions {
  /** ms to wait for response headers. Default 60 000 (Concur answers within 60 s). */
  headersTimeout?: number
  /** ms of silence allowed while reading a body. Default 60 000. */
  bodyTimeout?: number
  /** ms to open a connection. Default 10 000. */
  connectTimeout?: number
}

/** Whether `v` is `@concurkit/auth`'s `Http` (an object with `request()` and a `dispatcher`). */
export function isHttpLayer(v: unknown): v is Http {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Http).request === 'function' &&
    typeof (v as Http).dispatcher === 'object' &&
    (v as Http).dispatcher !== null
  )
}

/** A raw answer: status, lower-case headers and the complete body. */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Buffer
  readonly url: URL
}

/** One HTTP request. */
export interface SendRequest {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Absolute URL or a path resolved against the base URL. */
  readonly url: string | URL
  readonly query?: Readonly<Record<string, string | undefined>>
  readonly accept?: string
  /** Text (JSON, XML) or bytes (a multipart form, an image). */
  readonly body?: string | Uint8Array
  readonly contentType?: string
  /** Further request headers (e.g. Receipts v4's `link`); never `authorization`. */
  readonly headers?: Readonly<Record<string, string>>
  readonly signal?: AbortSignal
  /** Send the bearer token. Default true. */
  readonly auth?: boolean
  /**
   * Whether sending the request twice is harmless. Default: every method but POST and PATCH. A
   * DELETE of "the latest comment" is not (a second one deletes the comment before it).
   */
  readonly idempotent?: boolean
}

/** The transport a client uses: authenticated requests with retries, body-level checks, token refresh. */
export interface Transport {
  /** Resolves the base URL (override, or the token's geolocation). */
  baseUrl(): Promise<string>
  /**
   * Sends a request and hands a 2xx response to `parse`. A `parse` failure on an idempotent
   * request counts as a truncated body and is retried.
   */
  send<T>(request: SendRequest, parse: (res: RawResponse) => T | Promise<T>): Promise<T>
  /** Requests made (attempts, including retries at this layer). */
  readonly stats: { requests: number; retries: number; refreshes: number }
  close(): Promise<void>
}

export interface TransportOptions {
  auth: TokenSource
  baseUrl?: string
  /**
   * The HTTP layer to send through: `@concurkit/auth`'s `Http` (e.g. the one the token manager
   * uses) or timeouts for the layer the transport creates. Never closed by the transport when given.
   */
  http?: Http | HttpLayerOptions
  /** An undici dispatcher to send through (instead of `http`). Never closed by the transport. */
  dispatcher?: Dispatcher
  retry?: RetryOptions
  signal?: AbortSignal
  userAgent?: string
}

interface ConcurErrorInfo {
  message?: string
  code?: string
}

/** `{ message, code }` without the keys whose value is absent or empty. */
function errorInfo(message: string | undefined, code: string | undefined): ConcurErrorInfo {
  return { ...(message ? { message } : {}), ...(code ? { code } : {}) }
}

/** Reads the message and code of one error body family once its schema accepts the body. */
interface ErrorFamilyReader {
  readonly schema: z.ZodType
  read(body: unknown): ConcurErrorInfo
}

/** The contract's strategy for an error family, as a reader (`undefined` for the XML-only family). */
function readerOf(name: ErrorFamilyName): ErrorFamilyReader | undefined {
  const f: ErrorFamily = ERROR_FAMILIES[name]
  if (!f.schema || !f.read) return undefined
  const read = f.read as (body: unknown) => ErrorReading
  return {
    schema: f.schema,
    read: (b) => {
      const r = read(b)
      return errorInfo(r.message, r.code)
    },
  }
}

const LOOSE: ErrorFamilyReader = {
  schema: LooseErrorBody,
  read: (body) => {
    const b = body as LooseErrorBody
    if (typeof b.error === 'string') return errorInfo(b.error_description ?? b.error, b.code ?? b.error)
    const inner = b.Error ?? b.error ?? b
    return errorInfo(
      inner.Message ?? inner.message ?? b.errorMessage ?? b.Message,
      inner.Id ?? inner.code ?? inner.id ?? b.errorId ?? b.code ?? b.errorCode,
    )
  },
}

/**
 * Concur's JSON error body families tried when the request path names none (or its family's schema
 * does not accept the body), most specific first: the contract's strategies; `LooseErrorBody` catches
 * the rest (ASP.NET's `{"Message"}`, the admin API's `{"error"}`, a partial `{"Error"}`).
 */
const JSON_ERROR_FAMILIES: readonly ErrorFamilyReader[] = [
  ...(['web-services', 'oauth', 'v4', 'list-v4', 'scim'] as const).map((name) => readerOf(name)!),
  LOOSE,
]

/** The `<Error>` element of an XML error body (at the root, or the first of `<Errors>`). */
function xmlErrorInfo(body: Buffer): ConcurErrorInfo {
  let doc: Record<string, unknown>
  try {
    doc = parseXml(body, ['Error'])
  } catch {
    return {}
  }
  const errors = (doc.Error ?? (doc.Errors as Record<string, unknown> | undefined)?.Error) as unknown
  const fields = LooseErrorFields.safeParse(Array.isArray(errors) ? errors[0] : errors)
  return fields.success ? errorInfo(fields.data.Message, fields.data.Id) : {}
}

/**
 * Extracts Concur's error message/code from any of its error body families, each parsed with the
 * contract's schema and read by the contract's strategy (`ERROR_FAMILIES`): the family of the request
 * `path` first when given, then `WebServiceError` (JSON or XML), `OAuthErrorBody`, `V4Error`,
 * `ListV4Error`, `IdentityError`, else `LooseErrorBody`; a text body is its own message.
 *
 * @example
 * parseErrorBody(Buffer.from('{"Error":{"Message":"Forbidden Request","Server-Time":"…","Id":"65F6…"}}'))
 * // { message: 'Forbidden Request', code: '65F6…' }
 */
export function parseErrorBody(body: Buffer, path?: string): ConcurErrorInfo {
  const text = body.toString('utf8').slice(0, 20_000).trim()
  if (!text) return {}
  if (text.startsWith('<')) return xmlErrorInfo(Buffer.from(text))
  if (!text.startsWith('{') && !text.startsWith('[')) return { message: text.slice(0, 200) }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { message: text.slice(0, 200) }
  }
  // The family of the request's API first (the contract's strategy for its path).
  const own = path === undefined ? undefined : readerOf(errorFamilyOf(path))
  const parsedOwn = own?.schema.safeParse(json)
  if (own && parsedOwn?.success) {
    const info = own.read(parsedOwn.data)
    if (info.message !== undefined || info.code !== undefined) return info
  }
  // Cards v4 answers an array of errors; Itinerary v4 `{errors:[…]}`: the first one speaks.
  if (Array.isArray(json)) json = json[0] ?? {}
  const nested = (json as { errors?: unknown } | null)?.errors
  if (Array.isArray(nested) && (json as Record<string, unknown>).errorCode === undefined)
    json = nested[0] ?? {}
  for (const { schema, read } of JSON_ERROR_FAMILIES) {
    const parsed = schema.safeParse(json)
    // A family whose schema accepts the body but that names no message or code lets the next try.
    const info = parsed.success ? read(parsed.data) : {}
    if (info.message !== undefined || info.code !== undefined) return info
  }
  return {}
}

function header(h: RawResponse['headers'], name: string): string | undefined {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

function abortError(signal: AbortSignal): ConcurClientError {
  return new ConcurClientError(CLIENT_ERROR_CODES.ABORTED, 'the operation was aborted', {
    cause: signal.reason,
  })
}

async function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleepTimer(ms, undefined, signal ? { signal } : undefined)
  } catch (err) {
    if (signal?.aborted) throw abortError(signal)
    throw err
  }
}

/** Whether an error is a transient network/body failure worth another attempt. */
function isTransient(err: unknown): boolean {
  const e = err as { code?: string; name?: string } | undefined
  if (!e) return false
  if (e.code && RETRY_ERROR_CODES.includes(e.code)) return true
  if (e.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || e.code === 'UND_ERR_ABORTED') return true
  return e.name === 'TypeError' && /terminated|other side closed/i.test(String((err as Error).message))
}

/**
 * Creates the transport: one dispatcher, a token source, base URL resolution and the one retry
 * layer of the client (network errors, 408/429/5xx, Concur's throttling 400s, truncated bodies,
 * `Retry-After`; one refresh on 401/403).
 *
 * @example
 * const t = createTransport({ auth: staticToken('…'), baseUrl: 'http://127.0.0.1:4010' })
 * const json = await t.send({ url: '/api/v3.0/expense/reports' }, (r) => JSON.parse(r.body.toString()))
 */
export function createTransport(options: TransportOptions): Transport {
  const retry = resolveRetry(options.retry)
  const given = options.dispatcher ?? (isHttpLayer(options.http) ? options.http.dispatcher : undefined)
  const layer = isHttpLayer(options.http) ? {} : (options.http ?? {})
  // No retry interceptor: every retry happens in `send()`, so a request that keeps failing opens
  // exactly maxRetries + 1 requests, and `attempts` counts them. The waits between attempts are
  // referenced timers: a process that awaits a retry stays alive.
  const own = given
    ? undefined
    : createHttp({
        headersTimeoutMs: layer.headersTimeout ?? 60_000,
        bodyTimeoutMs: layer.bodyTimeout ?? 60_000,
        connectTimeoutMs: layer.connectTimeout ?? 10_000,
      })
  const dispatcher: Dispatcher = given ?? own!.dispatcher
  const auth = options.auth
  if (!auth || typeof auth.getAccessToken !== 'function') {
    throw new ConcurClientError(
      CLIENT_ERROR_CODES.INVALID_ARGUMENT,
      'auth must provide getAccessToken() (a token manager or staticToken())',
    )
  }
  let override: URL | undefined
  if (options.baseUrl !== undefined) {
    try {
      override = new URL(options.baseUrl)
    } catch {
      throw new ConcurClientError(
        CLIENT_ERROR_CODES.INVALID_ARGUMENT,
        `baseUrl is not a URL: ${options.baseUrl}`,
      )
    }
  }
  const stats = { requests: 0, retries: 0, refreshes: 0 }

  async function baseUrl(): Promise<string> {
    if (override) return override.href.replace(/\/$/, '')
    const geo = auth.getGeolocation
      ? await auth.getGeolocation()
      : auth.getToken
        ? (await auth.getToken()).geolocation
        : undefined
    if (!geo) {
      throw new ConcurClientError(
        CLIENT_ERROR_CODES.INVALID_ARGUMENT,
        'no base URL: pass baseUrl or a token source that knows its geolocation',
      )
    }
    return geo.replace(/\/$/, '')
  }

  async function resolveUrl(req: SendRequest): Promise<URL> {
    const raw = String(req.url)
    let url: URL
    if (/^https?:\/\//i.test(raw)) {
      url = new URL(raw)
      // Base URL Override: every call goes to the override, including absolute NextPage links.
      if (override && url.origin !== override.origin) {
        url = new URL(url.pathname + url.search, override)
      }
    } else {
      const base = `${await baseUrl()}/`
      url = new URL(raw.replace(/^\/?/, '/'), base)
      const basePath = new URL(base).pathname.replace(/\/$/, '')
      if (basePath && !url.pathname.startsWith(basePath))
        url = new URL(basePath + url.pathname + url.search, url)
    }
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
    return url
  }

  async function send<T>(req: SendRequest, parse: (res: RawResponse) => T | Promise<T>): Promise<T> {
    const method = req.method ?? 'GET'
    // POST and PATCH are never sent twice: Expense v4's workflow PATCHes change state, SCIM `add` appends.
    const idempotent = req.idempotent ?? (method !== 'POST' && method !== 'PATCH')
    const signal =
      req.signal && options.signal
        ? AbortSignal.any([req.signal, options.signal])
        : (req.signal ?? options.signal)
    const url = await resolveUrl(req)
    const described = describeRequest(method, url)
    let refreshed = false
    let attempt = 0
    let retries = 0
    /**
     * Decides whether a failure is tried again: waits (a referenced, abortable timer) and returns
     * true, or returns why it gives up.
     */
    async function again(retryAfter?: string, refused = false): Promise<true | string> {
      // A 429 refuses the request before it is processed (Concur's rate limits), so even a POST is
      // sent again once the wait the answer names is over; other POST failures never are.
      if (!idempotent && !refused) return `${method} is never retried`
      if (retries >= retry.maxRetries) {
        return retry.maxRetries === 0
          ? 'retries are off, maxRetries 0'
          : `${retry.maxRetries === 1 ? 'the only retry' : `all ${retry.maxRetries} retries`} used`
      }
      retries += 1
      stats.retries += 1
      await sleep(backoffDelay(retry, retries, retryAfter), signal)
      return true
    }
    for (;;) {
      if (signal?.aborted) throw abortError(signal)
      attempt += 1
      stats.requests += 1
      const headers: Record<string, string> = {
        ...Object.fromEntries(
          Object.entries(req.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'authorization'),
        ),
        accept: req.accept ?? 'application/json',
        'user-agent': options.userAgent ?? 'concurkit-client',
      }
      let token: string | undefined
      if (req.auth !== false) {
        token = await auth.getAccessToken(signal ? { signal } : undefined)
        headers.authorization = `Bearer ${token}`
      }
      if (req.contentType) headers['content-type'] = req.contentType
      let res: RawResponse
      try {
        const r = await dispatcher.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method,
          headers,
          ...(req.body === undefined ? {} : { body: req.body }),
          ...(signal ? { signal } : {}),
        })
        const body = Buffer.from(await r.body.arrayBuffer())
        const declared = r.headers['content-length']
        if (declared !== undefined && Number(declared) !== body.length) {
          throw Object.assign(new Error(`body length ${body.length} ≠ content-length ${declared}`), {
            code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
          })
        }
        res = { status: r.statusCode, headers: r.headers, body, url }
      } catch (err) {
        if (signal?.aborted) throw abortError(signal)
        const transient = isTransient(err)
        const verdict = transient ? await again() : 'not a transient network error'
        if (verdict === true) continue
        // The cause is `@concurkit/auth`'s ConcurNetworkError (code CONCUR_NETWORK or CONCUR_TIMEOUT).
        const network = toNetworkError(err, { method, url: `${url.origin}${url.pathname}` })
        throw new ConcurRequestError(
          CLIENT_ERROR_CODES.NETWORK,
          {
            request: described,
            reason: network.message,
            attempts: attempt,
            ...(transient ? { gaveUp: verdict } : {}),
          },
          { cause: network },
        )
      }

      const correlationId = header(res.headers, 'concur-correlationid')
      if (res.status >= 200 && res.status < 300) {
        try {
          return await parse(res)
        } catch (err) {
          if (ConcurClientError.is(err) && err.code !== CLIENT_ERROR_CODES.INVALID_RESPONSE) throw err
          if (isSchemaMismatch(err)) throw err
          // A 200 whose body does not parse was most likely cut short: read it again.
          const verdict = await again()
          if (verdict === true) continue
          if (ConcurClientError.is(err)) throw err
          throw new ConcurRequestError(
            CLIENT_ERROR_CODES.INVALID_RESPONSE,
            {
              request: described,
              status: res.status,
              reason: (err as Error).message,
              ...(correlationId ? { correlationId } : {}),
              attempts: attempt,
              gaveUp: verdict,
            },
            { cause: err },
          )
        }
      }

      const info = parseErrorBody(res.body, url.pathname)
      // 401 (missing/invalid) and Concur's 403 for an expired/revoked token: refresh once, retry once.
      if (
        (res.status === 401 || res.status === 403) &&
        req.auth !== false &&
        !refreshed &&
        (auth.forceRefresh || auth.invalidate)
      ) {
        refreshed = true
        stats.refreshes += 1
        if (auth.forceRefresh)
          await auth.forceRefresh({ ...(signal ? { signal } : {}), ...(token ? { staleToken: token } : {}) })
        else auth.invalidate?.(token)
        continue
      }
      const retryable =
        (RETRY_STATUS as readonly number[]).includes(res.status) ||
        (res.status === 400 && RETRYABLE_400.test(info.message ?? ''))
      const verdict = retryable
        ? await again(header(res.headers, 'retry-after'), res.status === 429)
        : undefined
      if (verdict === true) continue
      throw new ConcurRequestError(CLIENT_ERROR_CODES.HTTP, {
        request: described,
        status: res.status,
        ...(info.message ? { concurMessage: info.message } : {}),
        ...(info.code ? { concurCode: info.code } : {}),
        ...(correlationId ? { correlationId } : {}),
        attempts: attempt,
        ...(verdict ? { gaveUp: verdict } : {}),
      })
    }
  }

  return {
    baseUrl,
    send,
    stats,
    async close() {
      await own?.close()
    },
  }
}
