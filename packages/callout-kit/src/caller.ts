import type {
  AttendeeCalloutVersion,
  CalloutExchangeResult,
  CalloutOutcome,
  EventNotification,
  FetchAttendeeRequest,
  FetchAttendeeResponse,
  FetchListRequest,
  FetchListResponse,
} from '@concurkit/contract'
import type { Agent, Dispatcher } from 'undici'
import { basicAuthHeader, type ConnectorCredentials } from './basic-auth.js'
import { fromUtf8, utf8Length } from './bytes.js'
import {
  parseFetchAttendeeResponse,
  parseFetchListResponse,
  serializeEventNotification,
  serializeFetchAttendeeRequest,
  serializeFetchListRequest,
} from './codec.js'
import { attendeeVersionOf, DEFAULT_CONNECTOR_PATHS } from './connector.js'
import { CalloutSchemaError, CalloutXmlError, CalloutXmlRefusedError } from './errors.js'
import { buildLaunchExternalUrl, type LaunchFields, type LaunchUrlVersion } from './signature.js'

/** The result of one call to a connector, with the parsed answer when it is valid. */
export type CalloutExchange<T> = Omit<CalloutExchangeResult, 'value'> & { value?: T }

/** Options of `createCalloutCaller`. */
export interface CalloutCallerOptions {
  /** Base URL of the connector (`https://host[:port]`). */
  url: string
  user: string
  password: string
  /** PEM CA certificate(s) to trust for the connector's TLS certificate (in addition to none else). */
  ca?: string | readonly string[]
  /** Time to wait for an answer (ms). Default 10000 (Concur allows up to 60 s). */
  timeoutMs?: number
  /** Largest answer read (bytes). Default 1 MiB. */
  maxResponseBytes?: number
  /** A dispatcher to use instead of the caller's own agent (e.g. undici `MockAgent`). */
  dispatcher?: Dispatcher
}

/** Calls a connector's callouts as Concur does. `close()` releases its connections. */
export interface CalloutCaller {
  testConnection(options?: { path?: string; password?: string }): Promise<CalloutExchange<null>>
  fetchAttendee(request: FetchAttendeeRequest, path?: string): Promise<CalloutExchange<FetchAttendeeResponse>>
  fetchList(request: FetchListRequest, path?: string): Promise<CalloutExchange<FetchListResponse>>
  notify(notification: EventNotification, path?: string): Promise<CalloutExchange<null>>
  launchExternalUrl<V extends LaunchUrlVersion>(
    version: V,
    fields: Omit<LaunchFields<V>, 'nonce'> & { nonce?: string },
    options?: { path?: string; tamper?: boolean },
  ): Promise<CalloutExchange<{ contentType: string; bytes: number }>>
  close(): Promise<void>
}

type Callout = CalloutExchangeResult['callout']
type Answer<T> = { value: T } | { problem: string; element?: string; outcome?: CalloutOutcome }

const XML_HEADERS = { 'content-type': 'application/xml; charset=utf-8' }

/**
 * undici (the HTTPS client with a custom CA) is loaded on the first call, so importing the package's
 * `.` entry pulls in no Node built-ins; only a caller that actually calls needs Node.
 */
let undici: Promise<typeof import('undici')> | undefined
const loadUndici = () => {
  undici ??= import('undici')
  return undici
}

function describeNetworkError(error: unknown): { outcome: CalloutOutcome; problem: string } {
  const e = error as {
    name?: string
    code?: string
    message?: string
    cause?: { code?: string; message?: string }
  }
  const code = e.code ?? e.cause?.code
  if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { outcome: 'timeout', problem: 'no answer within the timeout' }
  }
  const detail = e.cause?.message ?? e.message ?? 'connection failed'
  return { outcome: 'network', problem: `${code ? `${code}: ` : ''}${detail}` }
}

/**
 * Plays Concur's side of callouts against a connector: Basic auth, Concur's XML, timeouts, and
 * validation of the answers against the contract (the element at fault is reported). Never
 * retries (Concur retries none of the synchronous callouts).
 *
 * @example
 * const caller = createCalloutCaller({ url: 'https://127.0.0.1:8443', user: 'concur-user', password, ca })
 * const result = await caller.fetchList(request)
 * await caller.close()
 */
export function createCalloutCaller(options: CalloutCallerOptions): CalloutCaller {
  const base = new URL(options.url)
  const timeoutMs = options.timeoutMs ?? 10_000
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024
  const ca =
    options.ca === undefined
      ? undefined
      : Array.isArray(options.ca)
        ? [...options.ca]
        : [options.ca as string]
  let own: Agent | undefined
  let closed = false
  const dispatcherOf = (lib: typeof import('undici')): Dispatcher => {
    if (options.dispatcher) return options.dispatcher
    own ??= new lib.Agent({
      connect: { ...(ca ? { ca } : {}), minVersion: 'TLSv1.2', timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
    return own
  }
  const credentials: ConnectorCredentials = { user: options.user, password: options.password }

  const urlOf = (path: string) => new URL(path, base).toString()

  async function exchange<T>(
    callout: Callout,
    path: string,
    init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; url?: string },
    read: (
      status: number,
      text: string,
      contentType: string,
    ) => { value: T } | { problem: string; element?: string; outcome?: CalloutOutcome },
  ): Promise<CalloutExchange<T>> {
    const started = performance.now()
    const done = (r: Omit<CalloutExchange<T>, 'callout' | 'path' | 'durationMs'>): CalloutExchange<T> => ({
      callout,
      path,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...r,
    })
    let status: number
    let text: string
    let contentType: string
    try {
      if (closed) return done({ outcome: 'network', problem: 'the caller is closed' })
      const lib = await loadUndici()
      const res = await lib.request(init.url ?? urlOf(path), {
        dispatcher: dispatcherOf(lib),
        method: init.method,
        headers: init.headers,
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: AbortSignal.timeout(timeoutMs),
      })
      status = res.statusCode
      contentType = String(res.headers['content-type'] ?? '')
      const chunks: Uint8Array[] = []
      let size = 0
      for await (const chunk of res.body) {
        size += (chunk as Uint8Array).length
        if (size > maxBytes) {
          res.body.destroy()
          return done({ outcome: 'invalid', status, problem: `answer larger than ${maxBytes} bytes` })
        }
        chunks.push(chunk as Uint8Array)
      }
      const all = new Uint8Array(size)
      let at = 0
      for (const chunk of chunks) {
        all.set(chunk, at)
        at += chunk.length
      }
      text = fromUtf8(all)
    } catch (error) {
      return done(describeNetworkError(error))
    }
    const result = read(status, text, contentType)
    if ('value' in result) return done({ outcome: 'ok', status, value: result.value })
    return done({
      outcome: result.outcome ?? 'invalid',
      status,
      problem: result.problem,
      ...(result.element ? { element: result.element } : {}),
    })
  }

  const httpError = (status: number) => ({
    outcome: 'http-error' as const,
    problem:
      status === 401 || status === 403
        ? `the connector refused the credentials (HTTP ${status})`
        : `the connector answered HTTP ${status}`,
  })

  function parseAnswer<T>(status: number, text: string, parse: (xml: string) => T): Answer<T> {
    if (status !== 200) return httpError(status)
    try {
      return { value: parse(text) }
    } catch (error) {
      if (error instanceof CalloutXmlError || error instanceof CalloutSchemaError) {
        return { problem: error.message, ...(error.element ? { element: error.element } : {}) }
      }
      if (error instanceof CalloutXmlRefusedError) return { problem: `answer refused: ${error.message}` }
      throw error
    }
  }

  return {
    testConnection(opts = {}) {
      const path = opts.path ?? DEFAULT_CONNECTOR_PATHS.testConnection
      const auth = basicAuthHeader({ ...credentials, password: opts.password ?? credentials.password })
      return exchange<null>(
        'testConnection',
        path,
        { method: 'GET', headers: { authorization: auth } },
        (status) => (status >= 200 && status < 300 ? { value: null } : httpError(status)),
      )
    },
    fetchAttendee(req, path) {
      const p =
        path ??
        (req.version === '1.0'
          ? DEFAULT_CONNECTOR_PATHS.fetchAttendeeV1!
          : DEFAULT_CONNECTOR_PATHS.fetchAttendee)
      const version: AttendeeCalloutVersion = path ? attendeeVersionOf(path) : req.version
      const body = serializeFetchAttendeeRequest({ ...req, version })
      return exchange(
        'fetchAttendee',
        p,
        { method: 'POST', headers: { authorization: basicAuthHeader(credentials), ...XML_HEADERS }, body },
        (status, text) =>
          parseAnswer(status, text, (xml) => parseFetchAttendeeResponse(xml, version, { maxBytes })),
      )
    },
    fetchList(req, path) {
      const p = path ?? DEFAULT_CONNECTOR_PATHS.fetchList
      const body = serializeFetchListRequest(req)
      return exchange(
        'fetchList',
        p,
        { method: 'POST', headers: { authorization: basicAuthHeader(credentials), ...XML_HEADERS }, body },
        (status, text) => {
          const result = parseAnswer(status, text, (xml) => parseFetchListResponse(xml, { maxBytes }))
          if (!('value' in result)) return result
          const items = result.value.items
          if (items.length > req.numToReturn)
            return {
              problem: `${items.length} items exceed num-to-return ${req.numToReturn}`,
              element: 'fetch-list-response/item',
            }
          for (const [i, item] of items.entries()) {
            const expected = req.longCode ? `${req.longCode}-${item.shortCode}` : item.shortCode
            if (item.code !== expected)
              return {
                problem: `code "${item.code}" should be long-code + "-" + short-code ("${expected}")`,
                element: `fetch-list-response/item[${i + 1}]/code`,
              }
          }
          return result
        },
      )
    },
    notify(notification, path) {
      const p = path ?? DEFAULT_CONNECTOR_PATHS.notify
      const body = serializeEventNotification(notification)
      return exchange<null>(
        'notify',
        p,
        { method: 'POST', headers: { authorization: basicAuthHeader(credentials), ...XML_HEADERS }, body },
        (status) => (status === 200 ? { value: null } : httpError(status)),
      )
    },
    launchExternalUrl(version, fields, opts = {}) {
      const p =
        opts.path ??
        (version === 'v1'
          ? DEFAULT_CONNECTOR_PATHS.launchExternalUrlV1
          : DEFAULT_CONNECTOR_PATHS.launchExternalUrlV4)
      let url = buildLaunchExternalUrl(urlOf(p), version, fields, credentials)
      if (opts.tamper) {
        const u = new URL(url)
        u.searchParams.set('nonce', `${u.searchParams.get('nonce') ?? ''}x`)
        url = u.toString()
      }
      return exchange(
        'launchExternalUrl',
        p,
        { method: 'GET', headers: {}, url },
        (status, text, contentType) =>
          status >= 200 && status < 300
            ? { value: { contentType, bytes: utf8Length(text) } }
            : httpError(status),
      )
    },
    async close() {
      closed = true
      await own?.close()
    },
  }
}
