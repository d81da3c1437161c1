import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEventReceiver, type ReceivedEvent } from '@concurkit/client'
import {
  CONCUR_CORRELATION_HEADER,
  EVENTS_TOPIC_READ,
  EventEnvelope,
  factsSchemaOf,
  SubscriptionList,
  SubscriptionMessage,
  TopicList,
  topicsForScopes,
  V4Error,
} from '@concurkit/contract'
import { z } from 'zod'
import type { TargetContext, TokenSet } from '../context.js'
import { appSession, expectTokenResponse, tokenRequest } from '../oauth.js'
import { type CheckDefinition, expect, fail, pass, skip } from '../types.js'
import type { WireResponse } from '../wire.js'

const TOPICS = '/events/v4/topics'
const SUBSCRIPTIONS = '/events/v4/subscriptions'
const REPORT_TOPIC = 'public.concur.expense.report'

/** Keys of a subscription as the reference's GET sample shows them (ess-v4-subscription-get-response.json). */
const SUBSCRIPTION_KEYS = [
  'applicationId',
  'companyIds',
  'filter',
  'groups',
  'id',
  'scope',
  'topic',
  'webHookConfig',
]
/** Keys of an event envelope as every documented expense report sample shows them. */
const ENVELOPE_KEYS = ['correlationId', 'eventType', 'facts', 'id', 'route', 'timeStamp', 'topic']
/** Facts keys of the documented reportCreated / reportUpdated samples (reportDeleted: without href). */
const REPORT_FACTS = [
  'actingUserId',
  'companyId',
  'href',
  'lastModifiedDate',
  'reportId',
  'reportType',
  'userId',
]
/** Facts keys of the documented statusChanged sample. */
const STATUS_FACTS = [
  ...REPORT_FACTS,
  'currentApprovalStatus',
  'currentPaymentStatus',
  'previousApprovalStatus',
  'previousPaymentStatus',
  'processId',
  'startingStep',
  'stepCode',
]
const FACTS_OF: Readonly<Record<string, readonly string[]>> = {
  reportCreated: REPORT_FACTS,
  reportUpdated: REPORT_FACTS,
  statusChanged: STATUS_FACTS,
  reportDeleted: REPORT_FACTS.filter((k) => k !== 'href'),
}

const sorted = (keys: readonly string[]) => [...keys].sort().join(',')
const keysOf = (o: unknown) => sorted(Object.keys((o ?? {}) as object))

/** An App JWT (client_credentials) of the target's app, optionally with a narrower `scope`. */
const appToken = (t: TargetContext, scope?: string): Promise<TokenSet> => appSession(t, scope)

function sharedAppToken(t: TargetContext): Promise<TokenSet> {
  return t.memo('ess:app-token', () => appToken(t))
}

function parseOr<T extends z.ZodType>(schema: T, res: WireResponse, what: string): z.infer<T> {
  let body: unknown
  try {
    body = res.json()
  } catch {
    fail(`${what}: ${res.status} answer is not JSON`)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) fail(`${what}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`)
  return parsed.data
}

function expectV4Error(res: WireResponse, status: number, what: string): void {
  expect(res.status === status, `${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 120)}`)
  parseOr(V4Error, res, `${what}: the ${status} body is not the v4 error shape`)
}

/** Raw ESS management calls with an App JWT. */
function ess(t: TargetContext, token: TokenSet) {
  const base = token.geolocation
  return {
    topics: () =>
      t.wire.request({ url: `${base}${TOPICS}`, token: token.accessToken, accept: 'application/json' }),
    put: (body: unknown) =>
      t.wire.request({
        method: 'PUT',
        url: `${base}${SUBSCRIPTIONS}/webhook`,
        token: token.accessToken,
        accept: 'application/json',
        json: body,
      }),
    list: () =>
      t.wire.request({
        url: `${base}${SUBSCRIPTIONS}`,
        token: token.accessToken,
        accept: 'application/json',
      }),
    get: (id: string) =>
      t.wire.request({
        url: `${base}${SUBSCRIPTIONS}/${encodeURIComponent(id)}`,
        token: token.accessToken,
        accept: 'application/json',
      }),
    remove: (id: string) =>
      t.wire.request({
        method: 'DELETE',
        url: `${base}${SUBSCRIPTIONS}/${encodeURIComponent(id)}`,
        token: token.accessToken,
        accept: 'application/json',
      }),
  }
}

/** A subscription id no one else holds (lowercase, digits, dots and dashes). */
const uniqueId = (what: string) => `concurkit-conformance-${what}-${randomBytes(4).toString('hex')}`
/** An endpoint that refuses connections at once (the discard port): nothing is ever delivered. */
const deadEndpoint = (id: string) => `https://127.0.0.1:9/concurkit-conformance/${id}`

/**
 * Subscribes `id` and guarantees it is deleted again: after `body` (even when it fails), and when
 * the target closes (a check abandoned on timeout). A run never leaves a subscription behind.
 */
async function withSubscription<T>(
  t: TargetContext,
  token: TokenSet,
  id: string,
  body: (api: ReturnType<typeof ess>) => Promise<T>,
): Promise<T> {
  const api = ess(t, token)
  let removed = false
  const cleanup = async () => {
    if (removed) return
    removed = true
    await api.remove(id).catch(() => undefined)
  }
  t.onClose(cleanup)
  try {
    return await body(api)
  } finally {
    await cleanup()
  }
}

/** Subscribes `endpoint` (a local receiver) to the expense report topic; the PUT must answer 200. */
async function subscribeReceiver(
  api: ReturnType<typeof ess>,
  id: string,
  filter: string,
  endpoint: string,
): Promise<void> {
  const put = await api.put({ id, filter, topic: REPORT_TOPIC, webHookConfig: { endpoint } })
  expect(put.status === 200, `PUT …/webhook answered ${put.status}`)
}

/**
 * A verifying receiver on 127.0.0.1 (HTTP: the mock delivers to HTTP endpoints) and its events.
 * It answers the statuses of `script` first (one per delivery, in order; push more at any time),
 * then verifies and acknowledges.
 */
async function startReceiver(t: TargetContext, script: number[] = []) {
  const info = (await t.admin('GET', '/_mock/events')) as { publicKey?: unknown }
  if (typeof info.publicKey !== 'string') fail('GET /_mock/events has no publicKey')
  const events: { received: ReceivedEvent; correlationHeader: string | undefined }[] = []
  const rejected: string[] = []
  const receiver = createEventReceiver({
    publicKey: info.publicKey,
    onEvent: (received) => {
      events.push({ received, correlationHeader: received.correlationId })
    },
    onRejected: (r) => rejected.push(`${r.status} ${r.reason}`),
  })
  const server = createServer((req, res) => {
    const status = script.shift()
    if (status === undefined) return receiver.listener(req, res)
    req.resume()
    req.on('end', () => res.writeHead(status, { 'content-type': 'text/plain' }).end(`scripted ${status}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/concur-events`
  const close = () =>
    new Promise<void>((resolve) => {
      receiver.close()
      server.close(() => resolve())
      server.closeAllConnections()
    })
  t.onClose(close)
  return { url, events, rejected, script, close }
}

/** Changes a report of the first company through the mock's admin dataset API. */
function report(t: TargetContext, action: string, extra: Record<string, unknown>): Promise<unknown> {
  return t.admin('POST', '/_mock/dataset/expense-reports', { action, ...extra })
}

/** Runs the due deliveries now and waits for them. */
const flush = (t: TargetContext) => t.admin('POST', '/_mock/events/flush', {})

/** One line of the mock's delivery log (`GET /_mock/events/deliveries`), as the checks read it. */
interface Delivery {
  readonly subscriptionId: string
  readonly eventId: string
  readonly status: number
  readonly outcome: string
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The delivery log of one subscription. */
async function deliveriesOf(t: TargetContext, id: string): Promise<Delivery[]> {
  const log = (await t.admin('GET', '/_mock/events/deliveries')) as { deliveries?: Delivery[] }
  return (log.deliveries ?? []).filter((d) => d.subscriptionId === id)
}

/**
 * Runs the due deliveries until the subscription's log has `count` lines (an attempt started by
 * a publication may still be in flight when a flush returns): a few milliseconds, bounded.
 */
async function settle(t: TargetContext, id: string, count: number): Promise<Delivery[]> {
  for (let i = 0; ; i++) {
    await flush(t)
    const log = await deliveriesOf(t, id)
    if (log.length >= count || i >= 200) return log
    await delay(5)
  }
}

/** Moves the mock's clock (due retries start at once). */
const advance = (t: TargetContext, seconds: number) =>
  t.admin('POST', '/_mock/clock', { advanceSeconds: seconds })

/** Creates `n` reports of the first company (before any subscription: no events). */
async function createReports(t: TargetContext, n: number, name: string): Promise<string[]> {
  const user = t.fixtures?.companies[0]?.users[0]?.loginId
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const created = (await report(t, 'create', {
      ...(user ? { user } : {}),
      fields: { Name: `${name} ${i}` },
    })) as {
      ID?: unknown
    }
    expect(typeof created.ID === 'string', 'the admin dataset create answered no ID')
    ids.push(created.ID)
  }
  return ids
}

const RECEIVER_UNAVAILABLE =
  'ESS pushes events to a receiver the target must reach, caused by a change on the tenant; a polling judge can neither receive nor cause them'

/** The Event Subscription Service v4 (reference §6): management API, envelopes, deliveries. */
export function eventChecks(): CheckDefinition[] {
  const base = { reference: '6.1', group: 'events' }
  return [
    {
      ...base,
      id: 'ess.topics.scope-rules',
      title: 'GET /events/v4/topics lists the topics of the App JWT scopes; none without a topic scope',
      async run(t) {
        const full = await sharedAppToken(t)
        const api = ess(t, full)
        const res = await api.topics()
        if (res.status === 403 && t.kind === 'remote')
          return skip(`the app lacks ${EVENTS_TOPIC_READ} (GET ${TOPICS} answered 403)`)
        expect(res.status === 200, `GET ${TOPICS} with an App JWT answered ${res.status}`)
        const topics = parseOr(TopicList, res, `GET ${TOPICS} is not an array of topic names`)
        if (full.scope.some((s) => s.startsWith('expense.report.')))
          expect(
            topics.includes(REPORT_TOPIC),
            `the App JWT holds expense.report scopes, but the topics are [${topics.join(', ')}]`,
          )
        const expected = topicsForScopes(full.scope)
        if (full.scope.includes(EVENTS_TOPIC_READ))
          expect(
            sorted(topics) === sorted(expected),
            `topics [${topics.join(', ')}] are not those of the token's scopes [${expected.join(', ')}]`,
          )
        // A token requested with events.topic.read only lists no topic. A real tenant may refuse
        // to narrow an App JWT's scopes: then that rule is not judged (and the reason says so).
        let narrowed = `[] with ${EVENTS_TOPIC_READ} only`
        const narrowGrant = await tokenRequest(t, t.baseUrl, {
          grant_type: 'client_credentials',
          client_id: t.credentials.clientId,
          client_secret: t.credentials.clientSecret,
          scope: EVENTS_TOPIC_READ,
        })
        if (narrowGrant.status !== 200 && t.kind === 'remote') {
          narrowed = `scope=${EVENTS_TOPIC_READ} grant refused (${narrowGrant.status}): the [] rule not judged`
        } else {
          const narrow = expectTokenResponse(
            narrowGrant,
            `client_credentials grant (scope=${EVENTS_TOPIC_READ})`,
            t,
          )
          const none = await ess(t, narrow).topics()
          expect(
            none.status === 200,
            `GET ${TOPICS} with scope ${EVENTS_TOPIC_READ} only answered ${none.status}`,
          )
          const listed = parseOr(TopicList, none, `GET ${TOPICS} (${EVENTS_TOPIC_READ} only)`)
          expect(
            listed.length === 0,
            `a token with ${EVENTS_TOPIC_READ} only was listed [${listed.join(', ')}], not []`,
          )
        }
        const anonymous = await t.wire.request({
          url: `${full.geolocation}${TOPICS}`,
          accept: 'application/json',
        })
        expect(
          anonymous.status === 401,
          `GET ${TOPICS} without a token answered ${anonymous.status}, not 401`,
        )
        const user = await t.session()
        const asUser = await t.wire.request({
          url: `${full.geolocation}${TOPICS}`,
          token: user.accessToken,
          accept: 'application/json',
        })
        expect(asUser.status === 403, `GET ${TOPICS} with a user token answered ${asUser.status}, not 403`)
        return pass(
          `${topics.length} topic(s) incl. ${topics[0] ?? '-'}; ${narrowed}; 401 without a token, 403 for a user`,
        )
      },
    },
    {
      ...base,
      id: 'ess.subscriptions.crud',
      title: 'a webhook subscription is saved, read, listed, updated and deleted as documented',
      requires: ['subscriptions'],
      unavailable:
        'it creates (and deletes) an ESS subscription on the app; opt in with allowSubscriptions to run it against a real tenant',
      async run(t) {
        const token = await sharedAppToken(t)
        const topics = parseOr(TopicList, await ess(t, token).topics(), `GET ${TOPICS}`)
        const topic = topics.includes(REPORT_TOPIC) ? REPORT_TOPIC : topics[0]
        if (!topic) return skip('the app may subscribe to no topic (GET /events/v4/topics answered [])')
        const id = uniqueId('crud')
        return withSubscription(t, token, id, async (api) => {
          const put = await api.put({
            id,
            filter: '.*',
            topic,
            webHookConfig: { endpoint: deadEndpoint(id) },
          })
          expect(put.status === 200, `PUT …/webhook answered ${put.status}: ${put.text.slice(0, 120)}`)
          const saved = parseOr(SubscriptionMessage, put, 'PUT …/webhook')
          expect(
            saved.message === `Subscription '${id}' saved successfully`,
            `PUT answered message "${saved.message}", not the documented "Subscription '<id>' saved successfully"`,
          )
          const one = await api.get(id)
          expect(one.status === 200, `GET …/subscriptions/{id} answered ${one.status}`)
          const got = parseOr(
            SubscriptionList,
            one,
            'GET …/subscriptions/{id} is not an array of subscriptions',
          )
          expect(got.length === 1, `GET …/subscriptions/{id} answered ${got.length} subscriptions, not one`)
          const sub = got[0]!
          expect(sub.id === id, `GET …/subscriptions/${id} answered subscription ${String(sub.id)}`)
          expect(
            keysOf(sub) === sorted(SUBSCRIPTION_KEYS),
            `subscription keys {${keysOf(sub)}} are not the documented {${sorted(SUBSCRIPTION_KEYS)}}`,
          )
          expect(sub.topic === topic, `the subscription's topic is ${String(sub.topic)}, not ${topic}`)
          const listed = parseOr(SubscriptionList, await api.list(), 'GET …/subscriptions')
          expect(
            listed.some((s) => s.id === id),
            `GET …/subscriptions does not list ${id}`,
          )
          const moved = `${deadEndpoint(id)}/moved`
          const update = await api.put({ id, filter: '.*', topic, webHookConfig: { endpoint: moved } })
          expect(update.status === 200, `PUT of the same id answered ${update.status}`)
          const after = parseOr(SubscriptionList, await api.get(id), 'GET after the update')
          const endpoint = (after[0]?.webHookConfig as { endpoint?: unknown } | undefined)?.endpoint
          expect(endpoint === moved, `after a PUT with a new endpoint, GET shows ${String(endpoint)}`)
          const relisted = parseOr(SubscriptionList, await api.list(), 'GET …/subscriptions after the update')
          expect(
            relisted.length === listed.length,
            `the update changed the number of subscriptions (${listed.length} → ${relisted.length})`,
          )
          const del = await api.remove(id)
          expect(del.status === 200, `DELETE …/subscriptions/{id} answered ${del.status}`)
          const gone = parseOr(SubscriptionMessage, del, 'DELETE …/subscriptions/{id}')
          expect(
            gone.message === `Subscription '${id}' marked for deletion`,
            `DELETE answered message "${gone.message}", not the documented "Subscription '<id>' marked for deletion"`,
          )
          const missing = await api.get(id)
          expect(missing.status === 404, `GET of a deleted subscription answered ${missing.status}, not 404`)
          return pass(`saved, read (documented keys), listed, updated in place, deleted, then 404 (${topic})`)
        })
      },
    },
    {
      ...base,
      id: 'ess.subscriptions.validation',
      title: 'an invalid subscription (id, topic, filter) is refused with 400 and the v4 error body',
      requires: ['subscriptions'],
      unavailable:
        'an invalid subscription a tenant accepted would be saved on the app; opt in with allowSubscriptions to run it against a real tenant',
      async run(t) {
        const token = await sharedAppToken(t)
        const api = ess(t, token)
        const good = uniqueId('invalid')
        const cases: { what: string; body: Record<string, unknown> }[] = [
          { what: 'an id with uppercase and underscore', body: { id: `Bad_${good}` } },
          { what: 'an unknown topic', body: { topic: 'public.concur.no.such.topic' } },
          { what: 'a filter that is no regular expression', body: { filter: '(unclosed' } },
          { what: 'a body without webHookConfig', body: { webHookConfig: undefined } },
        ]
        for (const c of cases) {
          const body = {
            id: good,
            filter: '.*',
            topic: REPORT_TOPIC,
            webHookConfig: { endpoint: deadEndpoint(good) },
            ...c.body,
          }
          const res = await api.put(body)
          if (res.status < 300) await api.remove(String(body.id)).catch(() => undefined)
          expectV4Error(res, 400, `PUT …/webhook with ${c.what}`)
        }
        return pass(`${cases.length} invalid subscriptions refused with 400 and {code, message}`)
      },
    },
    {
      ...base,
      id: 'ess.subscriptions.limit',
      title:
        'an app holds at most five subscriptions per datacenter; a token of another datacenter is refused',
      requires: ['fixtures', 'subscriptions'],
      unavailable:
        'it fills all five subscription slots of an app and needs an app of a company in another datacenter, which only the mock seeds',
      exclusive: true,
      async run(t) {
        // the second company's app (another datacenter), so the main app's subscriptions are untouched
        const other = t.fixtures?.companies.find((c) => c.baseUrl !== t.baseUrl)
        const app = other?.apps.find((a) => a.scopes.includes('NOTIF'))
        if (!other || !app) fail('the mock has no second-datacenter company with an ESS app')
        const res = await tokenRequest(t, other.baseUrl, {
          grant_type: 'client_credentials',
          client_id: app.clientId,
          client_secret: app.clientSecret,
        })
        const token = expectTokenResponse(res, 'client_credentials grant of the second company', t)
        const api = ess(t, token)
        const before = parseOr(SubscriptionList, await api.list(), 'GET …/subscriptions').length
        const ids = Array.from({ length: 6 - before }, (_, i) => uniqueId(`limit${i}`))
        t.onClose(async () => {
          for (const id of ids) await api.remove(id).catch(() => undefined)
        })
        try {
          const answers: number[] = []
          for (const id of ids) {
            const put = await api.put({
              id,
              filter: '.*',
              topic: REPORT_TOPIC,
              webHookConfig: { endpoint: deadEndpoint(id) },
            })
            answers.push(put.status)
            if (answers.length === ids.length)
              expectV4Error(put, 400, `a sixth subscription (${before} held before)`)
          }
          expect(
            answers.slice(0, -1).every((s) => s === 200),
            `the first ${ids.length - 1} PUTs answered [${answers.slice(0, -1).join(', ')}], not 200 each`,
          )
          const home =
            t.datacenters[Object.keys(t.datacenters).find((dc) => t.datacenters[dc] === t.baseUrl) ?? '']
          const wrong = await t.wire.request({
            url: `${home ?? t.baseUrl}${SUBSCRIPTIONS}`,
            token: token.accessToken,
            accept: 'application/json',
          })
          expectV4Error(
            wrong,
            403,
            "GET …/subscriptions at another datacenter with this datacenter's App JWT",
          )
          return pass(`5 subscriptions held, the sixth refused with 400; 403 at another datacenter`)
        } finally {
          for (const id of ids) await api.remove(id).catch(() => undefined)
        }
      },
    },
    {
      ...base,
      id: 'ess.delivery.round-trip',
      reference: '6.2',
      title: 'a change is delivered once to a 127.0.0.1 receiver, signed under the published key',
      requires: ['admin', 'writes'],
      unavailable: RECEIVER_UNAVAILABLE,
      exclusive: true,
      async run(t) {
        const token = await sharedAppToken(t)
        const user = t.fixtures?.companies[0]?.users[0]?.loginId
        const created = (await report(t, 'create', {
          ...(user ? { user } : {}),
          fields: { Name: 'ESS round trip' },
        })) as {
          ID?: unknown
        }
        const reportId = String(created.ID ?? '')
        expect(reportId, 'the admin dataset create answered no ID')
        const receiver = await startReceiver(t)
        const id = uniqueId('round-trip')
        try {
          return await withSubscription(t, token, id, async (api) => {
            await subscribeReceiver(api, id, '.*', receiver.url)
            await report(t, 'update', { id: reportId, fields: { Name: 'ESS round trip (renamed)' } })
            await flush(t)
            expect(
              receiver.rejected.length === 0,
              `the receiver refused deliveries: ${receiver.rejected.join('; ')}`,
            )
            expect(
              receiver.events.length === 1,
              `one change, ${receiver.events.length} events delivered (${receiver.events.map((e) => e.received.event.eventType).join(', ')})`,
            )
            const { received, correlationHeader } = receiver.events[0]!
            const facts = received.event.facts as { reportId?: unknown }
            expect(
              received.event.eventType === 'reportUpdated' && facts.reportId === reportId,
              `delivered ${received.event.eventType} of report ${String(facts.reportId)}, not reportUpdated of ${reportId}`,
            )
            expect(
              correlationHeader === received.event.correlationId,
              `the ${CONCUR_CORRELATION_HEADER} header ${String(correlationHeader)} is not the envelope's correlationId`,
            )
            return pass(
              `reportUpdated of ${reportId} delivered once, signature valid, correlation id matches`,
            )
          })
        } finally {
          await report(t, 'delete', { id: reportId }).catch(() => undefined)
          await receiver.close()
        }
      },
    },
    {
      ...base,
      id: 'ess.envelope.samples',
      reference: '6.3',
      title: 'each expense report event has the documented envelope and facts keys and parses',
      requires: ['admin', 'writes'],
      unavailable: RECEIVER_UNAVAILABLE,
      exclusive: true,
      async run(t) {
        const token = await sharedAppToken(t)
        const receiver = await startReceiver(t)
        const id = uniqueId('samples')
        const user = t.fixtures?.companies[0]?.users[0]?.loginId
        try {
          return await withSubscription(t, token, id, async (api) => {
            await subscribeReceiver(api, id, '.*', receiver.url)
            const created = (await report(t, 'create', {
              ...(user ? { user } : {}),
              fields: { Name: 'ESS samples' },
            })) as {
              ID?: unknown
            }
            const reportId = String(created.ID ?? '')
            await report(t, 'update', { id: reportId, fields: { Name: 'ESS samples (renamed)' } })
            await report(t, 'submit', { id: reportId })
            await report(t, 'delete', { id: reportId })
            await flush(t)
            expect(
              receiver.rejected.length === 0,
              `the receiver refused deliveries: ${receiver.rejected.join('; ')}`,
            )
            const events = receiver.events.map((e) => e.received.event)
            const types = events.map((e) => e.eventType).join(', ')
            expect(
              types === 'reportCreated, reportUpdated, statusChanged, reportDeleted',
              `create, update, submit, delete delivered [${types}]`,
            )
            for (const e of events) {
              expect(EventEnvelope.safeParse(e).success, `${e.eventType} is not an ESS envelope`)
              expect(
                keysOf(e) === sorted(ENVELOPE_KEYS),
                `${e.eventType} envelope keys {${keysOf(e)}} are not the documented {${sorted(ENVELOPE_KEYS)}}`,
              )
              const want = FACTS_OF[e.eventType]!
              expect(
                keysOf(e.facts) === sorted(want),
                `${e.eventType} facts keys {${keysOf(e.facts)}} are not the documented {${sorted(want)}}`,
              )
              const schema = factsSchemaOf(e.topic, e.eventType)
              expect(schema, `no facts schema for ${e.topic} ${e.eventType}`)
              const parsed = schema.safeParse(e.facts)
              if (!parsed.success)
                fail(`${e.eventType} facts: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`)
              expect(
                (e.facts as { reportId?: unknown }).reportId === reportId,
                `${e.eventType} names another report`,
              )
            }
            return pass(`${types}: documented envelope and facts keys, facts parse`)
          })
        } finally {
          await receiver.close()
        }
      },
    },
    {
      ...base,
      id: 'ess.delivery.retry',
      reference: '6.2',
      title:
        'a 503 or 429 answer is retried on the clock, in publication order; a 400 is refused, not retried',
      requires: ['clock', 'admin', 'writes'],
      unavailable: `${RECEIVER_UNAVAILABLE}, and it moves the mock's clock`,
      exclusive: true,
      async run(t) {
        const token = await appToken(t)
        const reports = await createReports(t, 3, 'ESS retry')
        const receiver = await startReceiver(t, [503, 429])
        const id = uniqueId('retry')
        try {
          return await withSubscription(t, token, id, async (api) => {
            await subscribeReceiver(api, id, 'reportUpdated', receiver.url)
            for (const r of reports)
              await report(t, 'update', { id: r, fields: { Name: 'ESS retry (renamed)' } })
            let log = await settle(t, id, 1)
            const first = log.map((d) => `${d.status} ${d.outcome}`).join(', ')
            expect(first === '503 retry', `the first delivery logged [${first}], not [503 retry]`)
            expect(receiver.events.length === 0, 'an event arrived although the receiver answered 503')
            await advance(t, 15 * 60)
            log = await settle(t, id, 2)
            await advance(t, 15 * 60)
            log = await settle(t, id, 5)
            const outcomes = log.map((d) => d.outcome).join(',')
            expect(
              outcomes === 'retry,retry,delivered,delivered,delivered',
              `503, 429, then 200 ×3 logged [${outcomes}] (statuses ${log.map((d) => d.status).join(',')})`,
            )
            expect(
              receiver.rejected.length === 0,
              `the receiver refused deliveries: ${receiver.rejected.join('; ')}`,
            )
            const order = receiver.events.map((e) =>
              String((e.received.event.facts as { reportId?: unknown }).reportId),
            )
            expect(
              order.join(',') === reports.join(','),
              `three changes (reports ${reports.join(', ')}) arrived as [${order.join(', ')}]: not in publication order`,
            )
            receiver.script.push(400)
            await report(t, 'update', { id: reports[0]!, fields: { Name: 'ESS retry (refused)' } })
            log = await settle(t, id, 6)
            await advance(t, 15 * 60)
            // a retry would start at once on the moved clock: flush and look again (no new line)
            await flush(t)
            await delay(20)
            log = await deliveriesOf(t, id)
            const tail = log
              .slice(5)
              .map((d) => `${d.status} ${d.outcome}`)
              .join(', ')
            expect(tail === '400 refused', `a 400 answer logged [${tail}], not one [400 refused]`)
            const arrived: number = receiver.events.length
            expect(arrived === 3, `${arrived} events arrived, not 3`)
            return pass(
              '503 → retry, 429 → retry, then 3 events in publication order; 400 → refused, not retried',
            )
          })
        } finally {
          await receiver.close()
        }
      },
    },
    {
      ...base,
      id: 'ess.delivery.retention',
      reference: '6.2',
      title: 'an event never acknowledged is dropped after 72 hours, with one journal entry',
      requires: ['clock', 'admin', 'writes'],
      unavailable: `${RECEIVER_UNAVAILABLE}, and it moves the mock's clock by 72 hours`,
      exclusive: true,
      async run(t) {
        const [reportId] = await createReports(t, 1, 'ESS retention')
        const receiver = await startReceiver(
          t,
          Array.from({ length: 100 }, () => 503),
        )
        const id = uniqueId('retention')
        try {
          const token = await appToken(t)
          const api = ess(t, token)
          await subscribeReceiver(api, id, 'reportUpdated', receiver.url)
          await report(t, 'update', { id: reportId!, fields: { Name: 'ESS retention (renamed)' } })
          const [first] = await settle(t, id, 1)
          expect(first?.outcome === 'retry', `the first delivery to a 503 receiver logged ${first?.outcome}`)
          await advance(t, 71 * 3600)
          let log = await settle(t, id, 2)
          expect(!log.some((d) => d.outcome === 'dropped'), 'the event was dropped before 72 hours')
          await advance(t, 3600)
          log = await settle(t, id, 3)
          const dropped = log.filter((d) => d.outcome === 'dropped')
          expect(
            dropped.length === 1 && dropped[0]!.eventId === first.eventId,
            `after 72 hours the log has ${dropped.length} dropped line(s) for the event`,
          )
          const journal = (await t.admin('GET', '/_mock/journal?limit=10000')) as {
            entries?: { note?: string }[]
          }
          const notes = (journal.entries ?? []).filter(
            (e) => e.note?.includes(`subscription=${id} `) && e.note.includes('dropped'),
          )
          expect(
            notes.length === 1,
            `the journal has ${notes.length} dropped entries for the subscription, not 1`,
          )
          const state = (await t.admin('GET', '/_mock/events')) as {
            subscriptions?: { id: string; pending: unknown[] }[]
          }
          const pending = state.subscriptions?.find((s) => s.id === id)?.pending
          expect(pending?.length === 0, `the queue still holds ${pending?.length ?? '?'} event(s)`)
          expect(receiver.events.length === 0, 'an event arrived although the receiver always answered 503')
          return pass(`${log.length - 1} attempts (503), dropped after 72 h: one journal entry, queue empty`)
        } finally {
          // the clock moved 72 hours: a new App JWT deletes the subscription
          const fresh = await appToken(t).catch(() => undefined)
          if (fresh)
            await ess(t, fresh)
              .remove(id)
              .catch(() => undefined)
          await receiver.close()
        }
      },
    },
  ]
}
