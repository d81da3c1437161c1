import type { z } from 'zod'
import { OAUTH_ERRORS, OAuthErrorBody, V4Error, WebServiceError } from './errors.js'
import { CardsV4Error } from './resources/cards-v4.js'
import { ExpenseV4Error } from './resources/expense-v4.js'
import { IdentityError, SCIM_CONCUR_ERROR, SCIM_ERROR } from './resources/identity.js'
import { ItineraryV4Error } from './resources/itinerary-v4.js'
import { ListV4Error } from './resources/list-v4.js'
import { ReceiptsV4Error } from './resources/receipts-v4.js'
import { RequestV4Error } from './resources/request-v4.js'
import { SpendDocumentsError } from './resources/spend-documents-v4.js'
import { SpendScimError } from './resources/ups.js'

/**
 * Concur's error bodies, one named strategy per API family: which schema the body has and how an
 * answer of that family spells a status and a message. The mock renders every error through these
 * (so its bodies are the contract's), the client reads them with the schemas, and a registry row's
 * `errorBody` is the schema of the family its path belongs to (a test holds the two together). A new
 * API family with a new error body is a new entry here, not a branch in the mock.
 */

/** The facts of one error answer, whatever its family spells them as. */
export interface ErrorFacts {
  readonly status: number
  /** What went wrong, as the family's message field says it. */
  readonly message: string
  /** The answer's correlation id (upper case in the web-services bodies). */
  readonly id: string
  /** The server's clock, ms since the epoch. */
  readonly nowMs: number
  /** The request path (List v4, the v4 `ErrorMessage` and Spend Documents quote it). */
  readonly path: string
  /** Concur's numeric OAuth2 code (`/oauth2/v0` errors). */
  readonly oauthCode?: number
  /** The datacenter the user lives on (OAuth2 error 16). */
  readonly geolocation?: string
  /** The client asked for XML (`Accept`); only the v3.0 family answers in both formats. */
  readonly wantsXml?: boolean
  /** The family's own error code, when the route names one (List v4 `error.id`, Request v4 `errorCode`, SCIM `messages[].code`). */
  readonly code?: string
  /** SCIM `scimType` (`invalidFilter`, `invalidPath`, …). */
  readonly scimType?: string
  /** Field-level problems (List v4 `validationErrors`). */
  readonly validationErrors?: readonly { readonly source: string; readonly message: string }[]
}

/** An error answer: a JSON body, or an XML document's text. */
export type ErrorAnswer = { readonly json: unknown } | { readonly xml: string }

/** What a client reads from an error body: Concur's message and its code or correlation id. */
export interface ErrorReading {
  readonly message?: string | undefined
  readonly code?: string | undefined
}

/**
 * One API family's error body: its schema (JSON families), how a server spells the facts
 * (`render`) and how a client reads them back (`read`, on a body the schema accepted).
 */
export interface ErrorFamily {
  /** The body's schema; absent for the XML-only family. */
  readonly schema?: z.ZodType
  readonly render: (facts: ErrorFacts) => ErrorAnswer
  readonly read?: (body: never) => ErrorReading
}

/** A JSON family: `read` takes what `schema` parsed. */
const json = <S extends z.ZodType>(
  schema: S,
  render: (facts: ErrorFacts) => ErrorAnswer,
  read: (body: z.output<S>) => ErrorReading,
) => ({ schema, render, read })

/** The reason phrase of an HTTP status, as the v4 bodies spell it. */
export const HTTP_STATUS_TEXT: Readonly<Record<number, string>> = Object.freeze({
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
})

/** Concur's `Server-Time` format: server local time without zone, `yyyy-MM-ddTHH:mm:ss`. */
export function serverTime(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 19)
}

const xmlEscape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The web-services error as XML: `<Error><Message/><Server-Time/><Id/></Error>`. */
const webServicesXml = (f: ErrorFacts): ErrorAnswer => ({
  xml: `<?xml version="1.0" encoding="utf-8"?>\n<Error><Message>${xmlEscape(f.message)}</Message><Server-Time>${serverTime(f.nowMs)}</Server-Time><Id>${xmlEscape(f.id)}</Id></Error>`,
})

/** The List v4 `error.id` for a status when the route named none. */
export function listV4ErrorId(status: number): string {
  if (status === 401) return 'security.unauthorized'
  if (status === 403) return 'security.forbidden'
  if (status === 404) return 'resource.not.found'
  if (status === 429) return 'security.rate.limit.reached'
  return status >= 500 ? 'internal.server.error' : 'request.error'
}

/** The Request v4 `errorCode` for a status when the route named none (documented codes). */
export function requestV4ErrorCode(status: number): string {
  if (status === 401) return 'invalidUser'
  if (status === 403) return 'permissionDenied'
  if (status === 404) return 'notFound'
  if (status === 408) return 'timeOut'
  if (status === 429) return 'tooManyRequests'
  if (status === 503) return 'circuitBreaker'
  return status >= 500 ? 'internalServerError' : 'badParam'
}

const SCIM_CODE_OF_STATUS: Readonly<Record<number, string>> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  500: 'INTERNAL_ERROR',
  501: 'NOT_IMPLEMENTED',
}

/** The v4 `ErrorMessage`; Expense v4 and Expense Configuration v4 spell the status with its phrase (`409 Conflict`). */
const v4ErrorMessage =
  (phrase: boolean) =>
  (f: ErrorFacts): ErrorAnswer => ({
    json: {
      errorId: f.id,
      errorMessage: f.message,
      httpStatus: phrase ? `${f.status} ${HTTP_STATUS_TEXT[f.status] ?? 'Error'}` : `${f.status}`,
      path: f.path,
      timestamp: new Date(f.nowMs).toISOString(),
    },
  })

/**
 * The error-body strategies, by family name.
 *
 * @example
 * ERROR_FAMILIES[errorFamilyOf('/list/v4/lists/x')].render({ status: 404, message: 'Not Found', id: 'A1', nowMs: 0, path: '/list/v4/lists/x' })
 */
export const ERROR_FAMILIES = {
  /** v3.0 (and Invoice v3.1): `{"Error":{"Message","Server-Time","Id"}}`, or its XML form when `Accept` asks for XML. */
  'web-services': json(
    WebServiceError,
    (f) =>
      f.wantsXml
        ? webServicesXml(f)
        : { json: { Error: { Message: f.message, 'Server-Time': serverTime(f.nowMs), Id: f.id } } },
    (b) => ({ message: b.Error.Message, code: b.Error.Id }),
  ),
  /** v1.x, v2.0, extract and everything else outside a JSON family: `<Error>` XML. */
  'web-services-xml': { render: webServicesXml },
  /** `/oauth2/v0`: `{"error","error_description","code","geolocation"?}` from the documented code table. */
  oauth: json(
    OAuthErrorBody,
    (f) => {
      const code = f.oauthCode ?? (f.status === 401 ? 61 : 60)
      const known = OAUTH_ERRORS[code]
      return {
        json: {
          error: known?.error ?? 'invalid_request',
          error_description: known?.description ?? f.message,
          code,
          ...(f.geolocation ? { geolocation: f.geolocation } : {}),
        },
      }
    },
    (b) => ({ message: b.error_description, code: String(b.code) }),
  ),
  /** The v4 `ErrorMessage` (events, Quick Expense, Attendees, Localities, profile service): `httpStatus` is the code alone. */
  v4: json(V4Error, v4ErrorMessage(false), (b) => ({ message: b.errorMessage, code: b.errorId })),
  /** Expense v4 and Expense Configuration v4: `ErrorMessage` with `httpStatus` "409 Conflict". */
  'expense-v4': json(ExpenseV4Error, v4ErrorMessage(true), (b) => ({
    message: b.errorMessage,
    code: b.errorId,
  })),
  /** List v4: `{timestamp, httpStatus: "400 - Bad Request", error{id, message}, validationErrors?, path}`. */
  'list-v4': json(
    ListV4Error,
    (f) => ({
      json: {
        timestamp: new Date(f.nowMs).toISOString().replace('Z', '+00:00'),
        httpStatus: `${f.status} - ${HTTP_STATUS_TEXT[f.status] ?? 'Error'}`,
        error: {
          id: f.code ?? listV4ErrorId(f.status),
          message: f.status === 429 ? 'Too many requests' : f.message,
        },
        ...(f.validationErrors ? { validationErrors: f.validationErrors } : {}),
        path: f.path,
      },
    }),
    (b) => ({ message: b.error.message, code: b.error.id }),
  ),
  /** Request v4: `{errors: [{errorCode, errorMessage}]}`. */
  'request-v4': json(
    RequestV4Error,
    (f) => ({
      json: { errors: [{ errorCode: f.code ?? requestV4ErrorCode(f.status), errorMessage: f.message }] },
    }),
    (b) => ({ message: b.errors[0]?.errorMessage, code: b.errors[0]?.errorCode }),
  ),
  /** Cards v4: a bare array `[{errorCode, errorMessage}]`. */
  'cards-v4': json(
    CardsV4Error,
    (f) => ({
      json: [
        { errorCode: f.code ?? (f.status === 429 ? 'tooManyRequests' : 'error'), errorMessage: f.message },
      ],
    }),
    (b) => ({ message: b[0]?.errorMessage, code: b[0]?.errorCode }),
  ),
  /** Itinerary v4: `{errors: [{errorCode, errorMessage}]}` (`model.ErrorAPIResponse`). */
  'itinerary-v4': json(
    ItineraryV4Error,
    (f) => ({
      json: {
        errors: [
          {
            errorCode: f.code ?? (f.status === 503 ? 'serviceUnavailable' : 'error'),
            errorMessage: f.message,
          },
        ],
      },
    }),
    (b) => ({ message: b.errors[0]?.errorMessage, code: b.errors[0]?.errorCode }),
  ),
  /** Receipts v4: `{"message"}`. */
  'receipts-v4': json(
    ReceiptsV4Error,
    (f) => ({ json: { message: f.message } }),
    (b) => ({ message: b.message }),
  ),
  /** Spend Documents v4: `{"timestamp","status","message"}`. */
  'spend-documents-v4': json(
    SpendDocumentsError,
    (f) => ({
      json: { timestamp: new Date(f.nowMs).toISOString(), status: f.status, message: f.message },
    }),
    (b) => ({ message: b.message }),
  ),
  /** Identity v4/v4.1 and User Provisioning v4: the SCIM error plus Concur's `messages[]` extension. */
  scim: json(
    IdentityError,
    (f) => {
      const code = f.code ?? SCIM_CODE_OF_STATUS[f.status] ?? 'INVALID_INPUT'
      return {
        json: {
          schemas: [SCIM_ERROR, SCIM_CONCUR_ERROR],
          status: String(f.status),
          ...(f.scimType ? { scimType: f.scimType } : {}),
          detail: f.message,
          [SCIM_CONCUR_ERROR]: { messages: [{ code, message: f.message, type: 'error' }] },
        },
      }
    },
    (b) => ({ message: b.detail ?? undefined, code: b.scimType ?? undefined }),
  ),
  /** Spend User Retrieval (`/profile/spend`): the SCIM error, `status` an integer, no `messages[]`. */
  'scim-spend': json(
    SpendScimError,
    (f) => ({
      json: {
        schemas: [SCIM_ERROR],
        ...(f.scimType ? { scimType: f.scimType } : {}),
        detail: f.message,
        status: f.status,
      },
    }),
    (b) => ({ message: b.detail, code: b.scimType }),
  ),
} as const satisfies Record<string, ErrorFamily>

/** The name of an error-body family. */
export type ErrorFamilyName = keyof typeof ERROR_FAMILIES

/**
 * Which family answers a path's errors: the first prefix that matches, in order (longest first where
 * two overlap); anything else is the web-services XML body of the older APIs.
 */
export const ERROR_FAMILY_PREFIXES: readonly (readonly [prefix: string, family: ErrorFamilyName])[] = [
  ['/oauth2/', 'oauth'],
  ['/app-mgmt/', 'oauth'],
  ['/api/v3.0/', 'web-services'],
  ['/api/v3.1/invoice/', 'web-services'],
  ['/expensereports/v4', 'expense-v4'],
  ['/expenseconfig/v4/', 'expense-v4'],
  ['/profile-service/', 'v4'],
  ['/events/v4', 'v4'],
  ['/quickexpense/v4/', 'v4'],
  ['/v4/attendee', 'v4'],
  ['/localities/v5/', 'v4'],
  ['/receipts/', 'receipts-v4'],
  ['/spend-documents/v4/', 'spend-documents-v4'],
  ['/list/v4/', 'list-v4'],
  ['/travelrequest/v4/', 'request-v4'],
  ['/cards/v4/', 'cards-v4'],
  ['/travel/v4/', 'itinerary-v4'],
  ['/profile/identity/', 'scim'],
  ['/profile/v4/', 'scim'],
  ['/profile/travel/', 'scim'],
  ['/profile/spend/', 'scim-spend'],
]

/** Collection paths answered without their trailing slash (`/receipts`, `/list/v4`, `/travelrequest/v4`). */
const BARE: Readonly<Record<string, ErrorFamilyName>> = {
  '/receipts': 'receipts-v4',
  '/list/v4': 'list-v4',
  '/travelrequest/v4': 'request-v4',
}

/**
 * The error family of a request path.
 *
 * @example
 * errorFamilyOf('/api/v3.0/expense/reports') // 'web-services'
 * errorFamilyOf('/api/expense/expensereport/v2.0/Reports') // 'web-services-xml'
 */
export function errorFamilyOf(path: string): ErrorFamilyName {
  const bare = BARE[path]
  if (bare) return bare
  for (const [prefix, family] of ERROR_FAMILY_PREFIXES) if (path.startsWith(prefix)) return family
  return 'web-services-xml'
}
