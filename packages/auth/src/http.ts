import { Agent, type Dispatcher, request as undiciRequest } from 'undici'
import {
  CONCUR_BAD_RESPONSE,
  CONCUR_NETWORK,
  CONCUR_TIMEOUT,
  ConcurAuthError,
  ConcurNetworkError,
  safeUrl,
} from './errors.js'

const inspectCustom = Symbol.for('nodejs.util.inspect.custom')

/** Options of {@link createHttp}. Defaults are filled in one place, in `createHttp`. */
export interface HttpOptions {
  /**
   * The undici dispatcher to send through (an `Agent`, a `MockAgent`, or one composed with
   * interceptors such as `interceptors.retry`). When given, `close()` leaves it open: its owner closes it.
   * Default: a pooled keep-alive `Agent` owned by this instance.
   */
  dispatcher?: Dispatcher
  /** Deadline of a whole request (connect, headers and body), ms. Default 120 000. */
  timeoutMs?: number
  /** TCP/TLS connect timeout, ms (own agent only). Default 10 000. */
  connectTimeoutMs?: number
  /**
   * CA certificates (PEM) to trust instead of Node's bundled ones (own agent only), as `tls.connect`'s
   * `ca`: e.g. the CA of `concurkit mock --tls` (its `tls.ca` file). Default: Node's trust store, which
   * includes `NODE_EXTRA_CA_CERTS` — set that instead to trust the mock and keep the public CAs.
   *
   * @example
   * const http = createHttp({ ca: readFileSync(running.tls.ca) })
   */
  ca?: string | Uint8Array | readonly (string | Uint8Array)[]
  /** Time to wait for response headers, ms. Default 60 000 (Concur answers within 60 s). */
  headersTimeoutMs?: number
  /** Max idle time between body chunks, ms. Default 60 000. */
  bodyTimeoutMs?: number
  /** Largest response body read into memory, bytes. Default 64 MiB. */
  maxResponseBytes?: number
  /** `User-Agent` header. Default `concurkit`. */
  userAgent?: string
}

/** One request. `url` is absolute. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD'
  url: string | URL
  headers?: Readonly<Record<string, string>>
  body?: string | Uint8Array
  signal?: AbortSignal
  /** Overrides the instance's `timeoutMs` for this request. */
  timeoutMs?: number
}

/**
 * A fully read answer. `body` is non-enumerable and hidden from `util.inspect`/`JSON.stringify`
 * because token answers hold credentials.
 */
export interface HttpResponse {
  readonly status: number
  /** Lower-case header names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  /** The request URL without query (for error messages). */
  readonly url: string
  readonly body: Uint8Array
  /** The body decoded as UTF-8. */
  text(): string
}

/** The HTTP layer shared by `@concurkit/auth` and `@concurkit/client`. */
export interface Http {
  /** The dispatcher every request goes through (compose interceptors on it, or reuse it). */
  readonly dispatcher: Dispatcher
  /** Sends a request and reads the whole body. Network failures become {@link ConcurNetworkError}. */
  request(req: HttpRequest): Promise<HttpResponse>
  /** Closes the agent if this instance created it. */
  close(): Promise<void>
}

/**
 * Creates the undici HTTP layer: one pooled keep-alive `Agent` (or your dispatcher), connect/headers/body
 * timeouts plus an overall deadline, and typed network errors that never carry headers or bodies.
 *
 * @example
 * const http = createHttp({ timeoutMs: 30_000 })
 * const res = await http.request({ method: 'GET', url: 'https://us.api.concursolutions.com/oauth2/v0/jwks' })
 * res.status // 200
 * await http.close()
 */
export function createHttp(options: HttpOptions = {}): Http {
  const timeoutMs = options.timeoutMs ?? 120_000
  const headersTimeout = options.headersTimeoutMs ?? 60_000
  const bodyTimeout = options.bodyTimeoutMs ?? 60_000
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024
  const userAgent = options.userAgent ?? 'concurkit'
  const owned = options.dispatcher === undefined
  const dispatcher =
    options.dispatcher ??
    new Agent({
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      connections: 16,
      headersTimeout,
      bodyTimeout,
      connect: {
        timeout: options.connectTimeoutMs ?? 10_000,
        ...(options.ca === undefined ? {} : { ca: caList(options.ca) }),
      },
    })
  let closed = false

  return {
    dispatcher,
    async request(req) {
      const method = req.method
      const shownUrl = safeUrl(req.url)
      if (closed)
        throw new ConcurAuthError(CONCUR_NETWORK, `${method} ${shownUrl}: the HTTP layer is closed.`)
      const deadline = req.timeoutMs ?? timeoutMs
      const timeout = AbortSignal.timeout(deadline)
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout
      const headers: Record<string, string> = { 'user-agent': userAgent }
      for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v
      try {
        const res = await undiciRequest(req.url, {
          dispatcher,
          method,
          headers,
          ...(req.body === undefined ? {} : { body: req.body }),
          signal,
          headersTimeout,
          bodyTimeout,
        })
        const chunks: Uint8Array[] = []
        let size = 0
        for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
          size += chunk.byteLength
          if (size > maxBytes) {
            res.body.destroy()
            throw new ConcurAuthError(
              CONCUR_BAD_RESPONSE,
              `${method} ${shownUrl}: the response body exceeds ${maxBytes} bytes. Raise maxResponseBytes if this is expected.`,
              { status: res.statusCode, method, url: shownUrl },
            )
          }
          chunks.push(chunk)
        }
        return makeResponse(res.statusCode, normaliseHeaders(res.headers), shownUrl, Buffer.concat(chunks))
      } catch (err) {
        if (err instanceof ConcurAuthError) throw err
        if (req.signal?.aborted) throw req.signal.reason
        if (timeout.aborted) {
          throw new ConcurNetworkError(
            CONCUR_TIMEOUT,
            `${method} ${shownUrl}: no complete answer within ${deadline} ms. Retry later or raise timeoutMs.`,
            { cause: err, method, url: shownUrl },
          )
        }
        throw toNetworkError(err, { method, url: req.url })
      }
    },
    async close() {
      if (closed) return
      closed = true
      if (owned) await dispatcher.close()
    },
  }
}

/** `ca` as `tls.connect` takes it (strings and Buffers). */
function caList(ca: NonNullable<HttpOptions['ca']>): (string | Buffer)[] {
  const list: readonly (string | Uint8Array)[] =
    typeof ca === 'string' || ca instanceof Uint8Array ? [ca] : ca
  return list.map((c) => (typeof c === 'string' ? c : Buffer.from(c)))
}

/** Node's codes for a certificate the client does not trust (unknown CA, self-signed, wrong host, expired). */
const CERTIFICATE_CODE =
  /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_[A-Z_]+|ERR_TLS_CERT_ALTNAME_INVALID)$/

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
])

/**
 * Turns any error thrown by undici (or by a composed interceptor) into a {@link ConcurNetworkError}
 * with `CONCUR_TIMEOUT` or `CONCUR_NETWORK`, keeping it as `cause`. Errors of this package pass through.
 *
 * @example
 * try { await undici.request(url, { dispatcher: http.dispatcher }) }
 * catch (err) { throw toNetworkError(err, { method: 'GET', url }) }
 */
export function toNetworkError(
  err: unknown,
  request: { method: string; url: string | URL },
): ConcurAuthError {
  if (err instanceof ConcurAuthError) return err
  const shownUrl = safeUrl(request.url)
  const code =
    typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined
  const name = (err as { name?: unknown })?.name
  if ((code && TIMEOUT_CODES.has(code)) || name === 'TimeoutError') {
    return new ConcurNetworkError(
      CONCUR_TIMEOUT,
      `${request.method} ${shownUrl}: timed out (${code ?? name}). Retry later or raise the timeout.`,
      { cause: err, method: request.method, url: shownUrl },
    )
  }
  const status = (err as { statusCode?: unknown })?.statusCode
  if (code && CERTIFICATE_CODE.test(code)) {
    return new ConcurNetworkError(
      CONCUR_NETWORK,
      `${request.method} ${shownUrl}: the server's TLS certificate is not trusted (${code}). For concurkit mock --tls, trust its CA file (NODE_EXTRA_CA_CERTS, or createHttp({ ca })).`,
      { cause: err, method: request.method, url: shownUrl },
    )
  }
  return new ConcurNetworkError(
    CONCUR_NETWORK,
    `${request.method} ${shownUrl}: request failed (${code ?? (typeof name === 'string' ? name : 'error')}). Check the network and the base URL, then retry.`,
    { cause: err, method: request.method, url: shownUrl, ...(typeof status === 'number' ? { status } : {}) },
  )
}

function normaliseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
  }
  return out
}

function makeResponse(
  status: number,
  headers: Record<string, string>,
  url: string,
  body: Uint8Array,
): HttpResponse {
  const summary = () => ({
    status,
    url,
    headers: { 'content-type': headers['content-type'] },
    bytes: body.length,
  })
  const res = {
    status,
    headers,
    url,
    text: () => Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
    toJSON: summary,
    [inspectCustom]: summary,
  }
  Object.defineProperty(res, 'body', { value: body, enumerable: false })
  return res as unknown as HttpResponse
}
