import {
  Subscription,
  SubscriptionList,
  SubscriptionMessage,
  type SubscriptionPut,
  TopicList,
} from '@concurkit/contract'
import { type Dispatcher, request } from 'undici'
import { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurRequestError, describeRequest, invalidArgument } from '../errors.js'
import { parseErrorBody, type TokenSource } from '../http.js'

/** Options of every Event Subscription Service management call. */
export interface EventsCallOptions {
  /** The datacenter's base URL (subscriptions are per datacenter), e.g. `https://us2.api.concursolutions.com`. */
  baseUrl: string
  /** An App JWT (`client_credentials`) holding `events.topic.read` and the topics' scopes. */
  auth: TokenSource
  /** undici dispatcher (TLS options, a proxy, a mock agent). */
  dispatcher?: Dispatcher
  signal?: AbortSignal
}

async function call<T extends z.ZodType>(
  method: 'GET' | 'PUT' | 'DELETE',
  path: string,
  options: EventsCallOptions,
  schema: T,
  body?: unknown,
): Promise<z.infer<T>> {
  let base: URL
  try {
    base = new URL(options.baseUrl)
  } catch {
    return invalidArgument(`baseUrl "${options.baseUrl}" is not a URL`)
  }
  const url = new URL(path, base.href.endsWith('/') ? base.href : `${base.href}/`)
  const described = describeRequest(method, url)
  const token = await options.auth.getAccessToken(options.signal ? { signal: options.signal } : {})
  let res: Dispatcher.ResponseData
  try {
    res = await request(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } catch (err) {
    throw new ConcurRequestError(
      options.signal?.aborted ? CLIENT_ERROR_CODES.ABORTED : CLIENT_ERROR_CODES.NETWORK,
      { request: described, reason: err instanceof Error ? err.message : String(err) },
      { cause: err },
    )
  }
  const bytes = Buffer.from(await res.body.arrayBuffer())
  const header = res.headers['concur-correlationid']
  const correlationId = Array.isArray(header) ? header[0] : header
  if (res.statusCode < 200 || res.statusCode >= 300) {
    const info = parseErrorBody(bytes, new URL(url).pathname)
    throw new ConcurRequestError(CLIENT_ERROR_CODES.HTTP, {
      request: described,
      status: res.statusCode,
      ...(info.message ? { concurMessage: info.message } : {}),
      ...(info.code ? { concurCode: info.code } : {}),
      ...(correlationId ? { correlationId } : {}),
    })
  }
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch (err) {
    throw new ConcurRequestError(
      CLIENT_ERROR_CODES.INVALID_RESPONSE,
      { request: described, status: res.statusCode, reason: 'the body is not JSON' },
      { cause: err },
    )
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success)
    throw new ConcurRequestError(CLIENT_ERROR_CODES.INVALID_RESPONSE, {
      request: described,
      status: res.statusCode,
      reason: 'unexpected body shape',
    })
  return parsed.data
}

/**
 * `GET /events/v4/topics`: the topics the app may subscribe to (empty with `events.topic.read` alone).
 *
 * @example
 * const topics = await listTopics({ baseUrl, auth: staticToken(appJwt) }) // ['public.concur.expense.report', …]
 * @see https://developer.concur.com/event-topics/
 */
export function listTopics(options: EventsCallOptions): Promise<string[]> {
  return call('GET', 'events/v4/topics', options, TopicList)
}

/**
 * `PUT /events/v4/subscriptions/webhook`: creates the subscription, or updates the one with this `id`.
 *
 * @example
 * await subscribe({ id: 'my-app-reports', topic: 'public.concur.expense.report', filter: '.*',
 *   webHookConfig: { endpoint: 'https://hooks.example.com/concur' } }, { baseUrl, auth })
 */
export function subscribe(
  subscription: SubscriptionPut,
  options: EventsCallOptions,
): Promise<SubscriptionMessage> {
  return call('PUT', 'events/v4/subscriptions/webhook', options, SubscriptionMessage, subscription)
}

/**
 * `GET /events/v4/subscriptions`: the app's subscriptions in this datacenter.
 *
 * @example
 * for (const s of await listSubscriptions({ baseUrl, auth })) console.log(s.id, s.webHookConfig.endpoint)
 */
export function listSubscriptions(options: EventsCallOptions): Promise<Subscription[]> {
  return call('GET', 'events/v4/subscriptions', options, SubscriptionList)
}

/**
 * `GET /events/v4/subscriptions/{id}`: one subscription (Concur answers a one-element array or an
 * object; both are accepted).
 *
 * @example
 * const s = await getSubscription('my-app-reports', { baseUrl, auth })
 */
export async function getSubscription(id: string, options: EventsCallOptions): Promise<Subscription> {
  const out = await call(
    'GET',
    `events/v4/subscriptions/${encodeURIComponent(id)}`,
    options,
    z.union([Subscription, z.array(Subscription).length(1)]),
  )
  return Array.isArray(out) ? out[0]! : out
}

/**
 * `DELETE /events/v4/subscriptions/{id}`.
 *
 * @example
 * await unsubscribe('my-app-reports', { baseUrl, auth }) // { message: "Subscription 'my-app-reports' marked for deletion" }
 */
export function unsubscribe(id: string, options: EventsCallOptions): Promise<SubscriptionMessage> {
  if (!id) invalidArgument('unsubscribe needs a subscription id')
  return call('DELETE', `events/v4/subscriptions/${encodeURIComponent(id)}`, options, SubscriptionMessage)
}
