import {
  type AttendeeCalloutVersion,
  CALLOUT_PATHS,
  type CalloutAttendeeInput,
  type EventNotification,
  type FetchAttendeeRequest,
  FetchAttendeeResponse,
  type FetchListItem,
  type FetchListRequest,
  FetchListResponse,
  LaunchExternalUrlV1Query,
  LaunchExternalUrlV4Query,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type ConnectorCredentials, checkBasicAuth } from './basic-auth.js'
import {
  parseEventNotification,
  parseFetchAttendeeRequest,
  parseFetchListRequest,
  serializeFetchAttendeeResponse,
  serializeFetchListResponse,
} from './codec.js'
import { CalloutKitError, CalloutSchemaError, CalloutXmlError, CalloutXmlRefusedError } from './errors.js'
import { type LaunchUrlVersion, verifyLaunchExternalUrl } from './signature.js'
import { buildXml, DEFAULT_XML_LIMITS, type XmlLimits } from './xml.js'

type Awaitable<T> = T | Promise<T>

/** What every handler receives besides the parsed callout. */
export interface HandlerContext {
  /** The raw request (headers, URL); its body has been read already. */
  readonly request: Request
  /** The path the callout arrived on. */
  readonly path: string
}

/** A Launch External URL request, verified: the version and its query. */
export type LaunchExternalUrlRequest =
  | { readonly version: 'v1'; readonly query: LaunchExternalUrlV1Query }
  | { readonly version: 'v4'; readonly query: LaunchExternalUrlV4Query }

/** Typed callout handlers; a callout without a handler is not served (404). */
export interface ConnectorHandlers {
  /** Attendee search: return the matching attendees (missing optional fields become ''). */
  fetchAttendee?: (
    request: FetchAttendeeRequest,
    context: HandlerContext,
  ) => Awaitable<readonly CalloutAttendeeInput[]>
  /** Connected-list lookup: return the matching items. */
  fetchList?: (request: FetchListRequest, context: HandlerContext) => Awaitable<readonly FetchListItem[]>
  /** Event notification: resolve to acknowledge (HTTP 200); throw to leave it FAILED in Concur. */
  notify?: (notification: EventNotification, context: HandlerContext) => Awaitable<void>
  /** Launch External URL (signature already verified): return an HTML page or a `Response`. */
  launchExternalUrl?: (
    launch: LaunchExternalUrlRequest,
    context: HandlerContext,
  ) => Awaitable<string | Response>
}

/** Paths the connector answers on (defaults: Concur's documented ones). */
export interface ConnectorPaths {
  testConnection: string
  /** Fetch Attendee v2.0 (a path containing `v1.0` switches to the v1.0 field set). */
  fetchAttendee: string
  /** Fetch Attendee v1.0 (set to `null` in `paths` to not serve it). */
  fetchAttendeeV1: string | null
  fetchList: string
  notify: string
  launchExternalUrlV1: string
  launchExternalUrlV4: string
}

/** Options of `createConnector`. */
export interface ConnectorOptions {
  /** User name and password registered in Concur for this connector. */
  credentials: ConnectorCredentials
  handlers: ConnectorHandlers
  paths?: Partial<ConnectorPaths>
  /** XML limits (size, depth) for incoming callouts. */
  limits?: XmlLimits
  /** Called with every handler error (the answer never shows it); use it to log. */
  onError?: (error: unknown, info: { readonly path: string }) => void
  /** Realm named in `WWW-Authenticate`. Default `concur-connector`. */
  realm?: string
}

/** The fully resolved default paths. */
export const DEFAULT_CONNECTOR_PATHS: Readonly<ConnectorPaths> = Object.freeze({
  testConnection: CALLOUT_PATHS.testConnection,
  fetchAttendee: CALLOUT_PATHS.fetchAttendee,
  fetchAttendeeV1: CALLOUT_PATHS.fetchAttendeeV1,
  fetchList: CALLOUT_PATHS.fetchList,
  notify: CALLOUT_PATHS.notify,
  launchExternalUrlV1: CALLOUT_PATHS.launchExternalUrlV1,
  launchExternalUrlV4: CALLOUT_PATHS.launchExternalUrlV4,
})

/** The Fetch Attendee version a path selects (`v1.0` in the path → 1.0). */
export function attendeeVersionOf(path: string): AttendeeCalloutVersion {
  return /(^|\/)v1\.0(\/|$)/.test(path) ? '1.0' : '2.0'
}

/** Concur's error body, `<Error><Message/><Server-Time/><Id/></Error>`. */
function errorAnswer(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  headers?: Record<string, string>,
) {
  const body = buildXml({
    Error: {
      Message: message,
      'Server-Time': new Date().toISOString().slice(0, 19),
      Id: globalThis.crypto.randomUUID().toUpperCase(),
    },
  })
  return c.body(body, status, { 'content-type': 'application/xml; charset=utf-8', ...headers })
}

const xml = (c: Context, body: string) =>
  c.body(body, 200, { 'content-type': 'application/xml; charset=utf-8' })

/**
 * Builds a connector: a Hono app that answers Concur's test connection and callouts. Basic auth
 * (constant time) guards everything but Launch External URL, which is checked by its HMAC
 * signature; requests are parsed into typed objects (hardened XML), answers are validated and
 * written as Concur expects, and handler errors become Concur's error body without details.
 *
 * @example
 * const app = createConnector({
 *   credentials: { user: 'concur-connector', password: process.env.CONNECTOR_PASSWORD! },
 *   handlers: { fetchList: (req) => [{ code: 'SF', shortCode: 'SF', text: 'San Francisco', matchValue: 'San Francisco' }] },
 * })
 */
export function createConnector(options: ConnectorOptions): Hono {
  const { credentials, handlers } = options
  if (!credentials?.user || !credentials.password)
    throw new CalloutKitError(
      'CONCUR_CALLOUT_CONFIG_INVALID',
      'credentials.user and credentials.password are required',
    )
  const paths: ConnectorPaths = { ...DEFAULT_CONNECTOR_PATHS, ...options.paths }
  const limits = { ...DEFAULT_XML_LIMITS, ...options.limits }
  const realm = (options.realm ?? 'concur-connector').replace(/["\\]/g, '')
  const launchPaths = new Map<string, LaunchUrlVersion>([
    [paths.launchExternalUrlV1, 'v1'],
    [paths.launchExternalUrlV4, 'v4'],
  ])
  const app = new Hono()

  const fail = (c: Context, error: unknown, path: string) => {
    if (error instanceof CalloutXmlRefusedError) {
      return errorAnswer(c, error.reason === 'too-large' ? 413 : 400, `Request refused: ${error.message}`)
    }
    if (error instanceof CalloutXmlError || error instanceof CalloutSchemaError) {
      return errorAnswer(c, 400, `Bad request: ${error.message}`)
    }
    options.onError?.(error, { path })
    return errorAnswer(c, 500, 'The connector could not process the request.')
  }

  app.use('*', async (c, next) => {
    if (launchPaths.has(c.req.path)) return next()
    if (!checkBasicAuth(c.req.header('authorization'), credentials)) {
      return errorAnswer(c, 401, 'Unauthorized', {
        'www-authenticate': `Basic realm="${realm}", charset="UTF-8"`,
      })
    }
    return next()
  })
  app.use(
    '*',
    bodyLimit({
      maxSize: limits.maxBytes,
      onError: (c) => errorAnswer(c, 413, `Request refused: body larger than ${limits.maxBytes} bytes`),
    }),
  )

  app.get(paths.testConnection, (c) => c.text('OK', 200))

  const context = (c: Context): HandlerContext => ({ request: c.req.raw, path: c.req.path })

  if (handlers.fetchAttendee) {
    const handle = handlers.fetchAttendee
    for (const path of [paths.fetchAttendee, paths.fetchAttendeeV1]) {
      if (!path) continue
      const version = attendeeVersionOf(path)
      app.post(path, async (c) => {
        try {
          const request = parseFetchAttendeeRequest(await c.req.text(), version, limits)
          const attendees = await handle(request, context(c))
          const answer = FetchAttendeeResponse.safeParse({ attendees })
          if (!answer.success) throw new Error(`handler answer invalid: ${answer.error.message}`)
          return xml(c, serializeFetchAttendeeResponse(answer.data, version))
        } catch (error) {
          return fail(c, error, path)
        }
      })
    }
  }

  if (handlers.fetchList) {
    const handle = handlers.fetchList
    app.post(paths.fetchList, async (c) => {
      try {
        const request = parseFetchListRequest(await c.req.text(), limits)
        const items = await handle(request, context(c))
        const answer = FetchListResponse.safeParse({ items })
        if (!answer.success) throw new Error(`handler answer invalid: ${answer.error.message}`)
        return xml(c, serializeFetchListResponse(answer.data))
      } catch (error) {
        return fail(c, error, paths.fetchList)
      }
    })
  }

  if (handlers.notify) {
    const handle = handlers.notify
    app.post(paths.notify, async (c) => {
      try {
        await handle(parseEventNotification(await c.req.text(), limits), context(c))
        return c.text('OK', 200)
      } catch (error) {
        return fail(c, error, paths.notify)
      }
    })
  }

  if (handlers.launchExternalUrl) {
    const handle = handlers.launchExternalUrl
    for (const [path, version] of launchPaths) {
      app.get(path, async (c) => {
        const query = c.req.query()
        if (!query.signature || !query.nonce)
          return errorAnswer(c, 400, 'Bad request: signature and nonce are required')
        if (!verifyLaunchExternalUrl(version, query, credentials))
          return errorAnswer(c, 403, 'Invalid signature')
        const parsed =
          version === 'v1'
            ? LaunchExternalUrlV1Query.safeParse(query)
            : LaunchExternalUrlV4Query.safeParse(query)
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          return errorAnswer(
            c,
            400,
            `Bad request: ${String(issue?.path[0] ?? 'query')}: ${issue?.message ?? 'invalid'}`,
          )
        }
        try {
          const launch = { version, query: parsed.data } as LaunchExternalUrlRequest
          const page = await handle(launch, context(c))
          return typeof page === 'string' ? c.html(page) : page
        } catch (error) {
          return fail(c, error, path)
        }
      })
    }
  }

  app.notFound((c) => errorAnswer(c, 404, 'Not Found'))
  app.onError((error, c) => fail(c, error, c.req.path))
  return app
}
