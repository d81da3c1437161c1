import { XMLParser } from 'fast-xml-parser'
import type { ShapeRecorder } from './shapes.js'

/** A response as the conformance checks see it: status, headers and the whole body. */
export interface WireResponse {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly contentType: string
  /** The body parsed as JSON (throws a one-line error when it is not JSON). */
  json(): unknown
  /** The body parsed as XML into plain objects (attributes under `@_name`). */
  xml(): Record<string, unknown>
}

/** One raw HTTP request of a check. */
export interface WireRequest {
  method?: string
  url: string
  /** Bearer access token. */
  token?: string
  accept?: string
  /** Form-encoded body (OAuth2 endpoints). */
  form?: Record<string, string | undefined>
  /** JSON body. */
  json?: unknown
  /** Raw body with its content type. */
  body?: { contentType: string; data: string | Uint8Array }
  headers?: Record<string, string>
  /** Record this response's shape under this key (with `--record`/`--compare`). */
  record?: string
}

/** Statuses a server sends for a passing condition (throttling, gateway, outage). */
const TRANSIENT: ReadonlySet<number> = new Set([429, 502, 503, 504])
/** Requests sent at most for one wire request (the first and its retries). */
const WIRE_ATTEMPTS = 5
const MAX_WAIT_MS = 5_000

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const backoff = (attempt: number) => Math.min(MAX_WAIT_MS, 100 * 2 ** (attempt - 1))
const isTimeout = (err: unknown) => err instanceof Error && err.name === 'TimeoutError'

/** `Retry-After` in ms (seconds or an HTTP-date), capped; `undefined` when absent or unreadable. */
function retryAfter(value: string | null): number | undefined {
  if (value === null) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now()
  return Number.isFinite(ms) ? Math.min(MAX_WAIT_MS, Math.max(0, ms)) : undefined
}

/** Raw HTTP for checks that judge the wire itself (status codes, error bodies, negotiation). */
export interface Wire {
  request(req: WireRequest): Promise<WireResponse>
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
})

/** Parses XML into plain objects the way the checks (and shapes) read it. */
export function parseXml(text: string): Record<string, unknown> {
  return parser.parse(text) as Record<string, unknown>
}

/**
 * Creates the raw HTTP layer of a conformance run over `fetch`.
 *
 * @example
 * const wire = createWire({ recorder }); const res = await wire.request({ url: `${base}/oauth2/v0/jwks` })
 */
export function createWire(options: {
  fetch?: typeof globalThis.fetch
  recorder?: ShapeRecorder
  timeoutMs?: number
  onRequest?: (line: string) => void
}): Wire {
  const doFetch = options.fetch ?? globalThis.fetch
  return {
    async request(req) {
      const headers = new Headers(req.headers)
      if (req.token) headers.set('authorization', `Bearer ${req.token}`)
      if (req.accept) headers.set('accept', req.accept)
      let body: string | Uint8Array | undefined
      if (req.form) {
        const params = new URLSearchParams()
        for (const [k, v] of Object.entries(req.form)) if (v !== undefined) params.set(k, v)
        body = params.toString()
        headers.set('content-type', 'application/x-www-form-urlencoded')
      } else if (req.json !== undefined) {
        body = JSON.stringify(req.json)
        headers.set('content-type', 'application/json')
      } else if (req.body) {
        body = req.body.data
        headers.set('content-type', req.body.contentType)
      }
      const method = req.method ?? (body === undefined ? 'GET' : 'POST')
      const url = new URL(req.url)
      const idempotent = method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE'
      // A transient answer (throttling, a gateway or an outage: 429/502/503/504) or, for idempotent
      // requests, a dropped connection or a cut body is not the behaviour a check judges: retried a
      // few times (Retry-After honoured, capped), as every Concur client must. The last answer is
      // judged when they persist. 500 and every other status are judged as they come.
      let res: Response
      let text: string
      for (let attempt = 1; ; attempt++) {
        options.onRequest?.(`${method} ${url.origin}${url.pathname}`)
        try {
          res = await doFetch(url, {
            method,
            headers,
            body: body as RequestInit['body'],
            redirect: 'manual',
            signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
          })
          text = await res.text()
        } catch (err) {
          if (!idempotent || attempt >= WIRE_ATTEMPTS || isTimeout(err)) throw err
          await delay(backoff(attempt))
          continue
        }
        if (!TRANSIENT.has(res.status) || attempt >= WIRE_ATTEMPTS) break
        await delay(retryAfter(res.headers.get('retry-after')) ?? backoff(attempt))
      }
      const contentType = res.headers.get('content-type') ?? ''
      const response: WireResponse = {
        status: res.status,
        headers: res.headers,
        text,
        contentType,
        json() {
          try {
            return JSON.parse(text) as unknown
          } catch {
            throw new Error(`${method} ${url.pathname} answered ${res.status} with a body that is not JSON`)
          }
        },
        xml() {
          try {
            return parseXml(text)
          } catch {
            throw new Error(`${method} ${url.pathname} answered ${res.status} with a body that is not XML`)
          }
        },
      }
      if (req.record && options.recorder && res.status < 300 && text.length > 0) {
        try {
          const parsed = contentType.includes('xml') ? response.xml() : response.json()
          options.recorder.add(req.record, parsed)
        } catch {
          // bodies that are neither JSON nor XML (images, CSV) have no shape to record
        }
      }
      return response
    },
  }
}
