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
      options.onRequest?.(`${method} ${url.origin}${url.pathname}`)
      const res = await doFetch(url, {
        method,
        headers,
        body: body as RequestInit['body'],
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      })
      const text = await res.text()
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
