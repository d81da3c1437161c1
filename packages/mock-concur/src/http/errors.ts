import { OAUTH_ERRORS } from '@concurkit/contract'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { requestHeader, requestPath } from './headers.js'
import { wireText } from './text.js'

/** Which error body an API family uses. */
export type ErrorFamily =
  | 'v3'
  | 'xml'
  | 'oauth'
  | 'v4'
  | 'list-v4'
  | 'request-v4'
  | 'cards-v4'
  | 'itinerary-v4'
  | 'receipts-v4'
  | 'spend-documents-v4'
  | 'admin'

/**
 * An error the mock answers with Concur's body for the API family it happened in. Throw it from
 * any route; `app.onError` renders it (one place maps errors to bodies).
 */
export class ConcurHttpError extends HTTPException {
  readonly concurMessage: string
  /** Concur's numeric OAuth2 code, for `/oauth2/v0` errors. */
  readonly oauthCode: number | undefined
  readonly geolocation: string | undefined
  readonly headers: Record<string, string> | undefined

  constructor(
    status: ContentfulStatusCode,
    message: string,
    options: { oauthCode?: number; geolocation?: string; headers?: Record<string, string> } = {},
  ) {
    super(status, { message })
    this.name = 'ConcurHttpError'
    this.concurMessage = message
    this.oauthCode = options.oauthCode
    this.geolocation = options.geolocation
    this.headers = options.headers
  }
}

/** Throws the documented OAuth2 error for a Concur code (status from the contract's table). */
export function oauthError(code: number, geolocation?: string): ConcurHttpError {
  const known = OAUTH_ERRORS[code]
  const status = known?.status ?? 400
  return new ConcurHttpError(status, known?.description ?? 'invalid_request', {
    oauthCode: code,
    ...(geolocation ? { geolocation } : {}),
  })
}

/** The API family of a request path (decides the error body). */
export function errorFamily(path: string): ErrorFamily {
  if (path.startsWith('/oauth2/') || path.startsWith('/app-mgmt/')) return 'oauth'
  if (path.startsWith('/_mock')) return 'admin'
  if (path.startsWith('/api/v3.0/') || path.startsWith('/api/v3.1/invoice/')) return 'v3'
  if (path.startsWith('/expensereports/v4') || path.startsWith('/profile-service/')) return 'v4'
  if (path.startsWith('/events/v4')) return 'v4'
  if (path.startsWith('/quickexpense/v4/')) return 'v4'
  if (path.startsWith('/expenseconfig/v4/') || path.startsWith('/v4/attendee')) return 'v4'
  if (path.startsWith('/receipts/') || path === '/receipts') return 'receipts-v4'
  if (path.startsWith('/spend-documents/v4/')) return 'spend-documents-v4'
  if (path.startsWith('/list/v4/') || path === '/list/v4') return 'list-v4'
  if (path.startsWith('/travelrequest/v4/') || path === '/travelrequest/v4') return 'request-v4'
  if (path.startsWith('/cards/v4/')) return 'cards-v4'
  if (path.startsWith('/travel/v4/')) return 'itinerary-v4'
  if (path.startsWith('/localities/v5/')) return 'v4'
  return 'xml'
}

const HTTP_STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/** The List v4 error id the mock uses for a status when the route gave none. */
export function listV4ErrorId(status: number): string {
  if (status === 401) return 'security.unauthorized'
  if (status === 403) return 'security.forbidden'
  if (status === 404) return 'resource.not.found'
  if (status === 429) return 'security.rate.limit.reached'
  return status >= 500 ? 'internal.server.error' : 'request.error'
}

/** The Request v4 `errorCode` the mock uses for a status when the route gave none (documented codes). */
export function requestV4ErrorCode(status: number): string {
  if (status === 401) return 'invalidUser'
  if (status === 403) return 'permissionDenied'
  if (status === 404) return 'notFound'
  if (status === 408) return 'timeOut'
  if (status === 429) return 'tooManyRequests'
  if (status === 503) return 'circuitBreaker'
  return status >= 500 ? 'internalServerError' : 'badParam'
}

/**
 * The List v4 error body: `{timestamp, httpStatus: "400 - Bad Request", error{id, message}, validationErrors?, path}`.
 *
 * @example
 * listV4ErrorBody(404, 'list.not.found', 'The list was not found', '/list/v4/lists/x', Date.now())
 */
export function listV4ErrorBody(
  status: number,
  id: string,
  message: string,
  path: string,
  nowMs: number,
  validationErrors?: readonly { source: string; message: string }[],
): object {
  return {
    timestamp: new Date(nowMs).toISOString().replace('Z', '+00:00'),
    httpStatus: `${status} - ${HTTP_STATUS_TEXT[status] ?? 'Error'}`,
    error: { id, message: status === 429 ? 'Too many requests' : message },
    ...(validationErrors ? { validationErrors } : {}),
    path,
  }
}

/** Concur's `Server-Time` format: server local time without zone, `yyyy-MM-ddTHH:mm:ss`. */
export function serverTime(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19)
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Whether the client asked for XML on a v3.0 endpoint (`Accept: application/xml` or `text/xml`). */
export function wantsXml(accept: string | undefined): boolean {
  if (!accept) return false
  const a = accept.toLowerCase()
  const xml = Math.max(a.indexOf('application/xml'), a.indexOf('text/xml'))
  const json = a.indexOf('application/json')
  return xml >= 0 && (json < 0 || xml < json)
}

/**
 * Renders Concur's error body for the request's API family.
 * v3: `{"Error":{"Message","Server-Time","Id"}}` (or its XML form when Accept asks for XML);
 * v1.x/v2.0/extract: `<Error><Message/><Server-Time/><Id/></Error>`; OAuth2: `{"error","error_description","code"}`;
 * v4 (and Quick Expense v4): `ErrorMessage`; Receipts v4: `{"message"}`; Spend Documents v4:
 * `{"timestamp","status","message"}`; admin API: `{"error": message}`.
 */
export function renderError(
  c: Context,
  status: ContentfulStatusCode,
  rawMessage: string,
  options: { oauthCode?: number; geolocation?: string; nowMs: number; correlationId: string },
): Response {
  const family = errorFamily(requestPath(c))
  // The id and the message may quote the request (a correlation id, a parameter, an id, a path).
  const id = wireText(options.correlationId.toUpperCase())
  const message = wireText(rawMessage)
  switch (family) {
    case 'oauth': {
      const code = options.oauthCode ?? (status === 401 ? 61 : 60)
      const known = OAUTH_ERRORS[code]
      return c.json(
        {
          error: known?.error ?? 'invalid_request',
          error_description: known?.description ?? message,
          code,
          ...(options.geolocation ? { geolocation: options.geolocation } : {}),
        },
        status,
      )
    }
    case 'admin':
      return c.json({ error: message }, status)
    case 'v4':
      return c.json(
        {
          errorId: id,
          errorMessage: message,
          // Expense v4's ErrorMessage spells the code and its phrase ("409 Conflict").
          httpStatus: /^\/(expensereports|expenseconfig)\//.test(requestPath(c))
            ? `${status} ${HTTP_STATUS_TEXT[status] ?? 'Error'}`
            : `${status}`,
          path: wireText(requestPath(c)),
          timestamp: new Date(options.nowMs).toISOString(),
        },
        status,
      )
    case 'cards-v4':
      return c.json(
        [{ errorCode: status === 429 ? 'tooManyRequests' : 'error', errorMessage: message }],
        status,
      )
    case 'itinerary-v4':
      return c.json(
        { errors: [{ errorCode: status === 503 ? 'serviceUnavailable' : 'error', errorMessage: message }] },
        status,
      )
    case 'receipts-v4':
      return c.json({ message }, status)
    case 'spend-documents-v4':
      return c.json({ timestamp: new Date(options.nowMs).toISOString(), status, message }, status)
    case 'list-v4':
      return c.json(
        listV4ErrorBody(status, listV4ErrorId(status), message, requestPath(c), options.nowMs),
        status,
      )
    case 'request-v4':
      return c.json({ errors: [{ errorCode: requestV4ErrorCode(status), errorMessage: message }] }, status)
    case 'v3':
      if (!wantsXml(requestHeader(c, 'accept'))) {
        return c.json(
          { Error: { Message: message, 'Server-Time': serverTime(options.nowMs), Id: id } },
          status,
        )
      }
      return xmlError(c, status, message, options.nowMs, id)
    default:
      return xmlError(c, status, message, options.nowMs, id)
  }
}

function xmlError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  nowMs: number,
  id: string,
): Response {
  const body = `<?xml version="1.0" encoding="utf-8"?>\n<Error><Message>${xmlEscape(message)}</Message><Server-Time>${serverTime(nowMs)}</Server-Time><Id>${xmlEscape(id)}</Id></Error>`
  return c.body(body, status, { 'content-type': 'application/xml; charset=utf-8' })
}
