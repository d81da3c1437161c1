import {
  ERROR_FAMILIES,
  type ErrorAnswer,
  type ErrorFacts,
  type ErrorFamilyName,
  errorFamilyOf,
  OAUTH_ERRORS,
} from '@concurkit/contract'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { requestHeader, requestPath } from './headers.js'
import { wireText } from './text.js'

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

/** Whether the client asked for XML on a v3.0 endpoint (`Accept: application/xml` or `text/xml`). */
export function wantsXml(accept: string | undefined): boolean {
  if (!accept) return false
  const a = accept.toLowerCase()
  const xml = Math.max(a.indexOf('application/xml'), a.indexOf('text/xml'))
  const json = a.indexOf('application/json')
  return xml >= 0 && (json < 0 || xml < json)
}

/** Sends an error answer of a family (JSON body, or the XML document). */
export function sendErrorAnswer(c: Context, status: ContentfulStatusCode, answer: ErrorAnswer): Response {
  if ('xml' in answer) return c.body(answer.xml, status, { 'content-type': 'application/xml; charset=utf-8' })
  return c.json(answer.json as object, status)
}

/**
 * Answers with one family's error body for the request's path (routes whose family names its own
 * codes, e.g. List v4 `error.id`, Request v4 `errorCode`).
 *
 * @example
 * return answerFamilyError(c, 'list-v4', 404, { code: 'list.not.found', message: 'The list was not found', nowMs })
 */
export function answerFamilyError(
  c: Context,
  family: ErrorFamilyName,
  status: ContentfulStatusCode,
  facts: Omit<ErrorFacts, 'status' | 'path' | 'id'>,
): Response {
  // The path as on the request line (percent-escapes kept), as List v4 quotes it.
  const path = new URL(c.req.url).pathname
  const answer = ERROR_FAMILIES[family].render({ ...facts, status, id: '', path })
  return sendErrorAnswer(c, status, answer)
}

/**
 * Renders Concur's error body for the request's API family: the contract's strategy for the path
 * (`errorFamilyOf`, `ERROR_FAMILIES`); the mock's own admin API answers `{"error": message}`.
 */
export function renderError(
  c: Context,
  status: ContentfulStatusCode,
  rawMessage: string,
  options: { oauthCode?: number; geolocation?: string; nowMs: number; correlationId: string },
): Response {
  const path = requestPath(c)
  // The id and the message may quote the request (a correlation id, a parameter, an id, a path).
  const message = wireText(rawMessage)
  if (path.startsWith('/_mock')) return c.json({ error: message }, status)
  const family = ERROR_FAMILIES[errorFamilyOf(path)]
  return sendErrorAnswer(
    c,
    status,
    family.render({
      status,
      message,
      id: wireText(options.correlationId.toUpperCase()),
      nowMs: options.nowMs,
      path: wireText(path),
      wantsXml: wantsXml(requestHeader(c, 'accept')),
      ...(options.oauthCode !== undefined ? { oauthCode: options.oauthCode } : {}),
      ...(options.geolocation ? { geolocation: options.geolocation } : {}),
    }),
  )
}
