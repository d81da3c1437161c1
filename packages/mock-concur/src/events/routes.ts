import {
  EVENT_TOPICS,
  EVENTS_TOPIC_READ,
  EventTopic,
  MAX_SUBSCRIPTIONS_PER_APP,
  SubscriptionPut,
  topicsForScopes,
} from '@concurkit/contract'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { bearerToken } from '../oauth/guard.js'
import { overlaysOf } from '../resources/engine.js'
import { observeReportChanges } from './reports.js'
import { EventsStore, eventsStore, publishEvent, type SubscriptionRecord, subscriptionView } from './store.js'

/** Who called the management API: an application (App JWT) of a company. */
interface AppCaller {
  readonly applicationId: string
  readonly company: MockCompany
  readonly scopes: ReadonlySet<string>
}

async function appCaller(ctx: DcContext, c: Context<MockEnv>): Promise<AppCaller> {
  const token = bearerToken(requestHeader(c, 'authorization'))
  if (!token) throw new ConcurHttpError(401, 'Authorization header missing or malformed')
  const result = await ctx.state.tokens.verify(token)
  if (!result.ok) throw new ConcurHttpError(401, `Invalid token (${result.reason})`)
  const { claims } = result
  if (claims['concur.type'] !== 'app')
    throw new ConcurHttpError(
      403,
      'The Event Subscription Service needs an App JWT (client_credentials grant), not a user or company token',
    )
  const company = ctx.state.company(claims['concur.company'])
  if (!company) throw new ConcurHttpError(401, 'Invalid token')
  if (company.datacenter !== ctx.datacenter)
    throw new ConcurHttpError(
      403,
      `This token was issued by ${ctx.state.baseUrl(company.datacenter)}; subscriptions are per datacenter: obtain a token here`,
    )
  const scopes = new Set(claims['https://api.concursolutions.com/scopes'])
  if (!scopes.has(EVENTS_TOPIC_READ))
    throw new ConcurHttpError(403, `The token lacks the ${EVENTS_TOPIC_READ} scope`)
  return { applicationId: claims['https://api.concursolutions.com/app'], company, scopes }
}

/** Concur's success message bodies (reference §6.1). */
const saved = (id: string) => ({ message: `Subscription '${id}' saved successfully` })
const deleted = (id: string) => ({ message: `Subscription '${id}' marked for deletion` })

/**
 * The ESS management API (reference §6.1) on one datacenter: `GET /events/v4/topics`,
 * `PUT /events/v4/subscriptions/webhook`, `GET /events/v4/subscriptions[/{id}]`,
 * `DELETE /events/v4/subscriptions/{id}`. Also installs the expense-report publisher.
 */
export function eventRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  observeReportChanges(state, overlaysOf(state))
  const app = new Hono<MockEnv>()
  const store = () => eventsStore(state)
  const own = (caller: AppCaller, id: string): SubscriptionRecord => {
    const s = store().subscriptions.get(EventsStore.key(ctx.datacenter, id))
    if (!s || s.applicationId !== caller.applicationId)
      throw new ConcurHttpError(404, `Subscription '${id}' not found`)
    return s
  }

  app.get('/events/v4/topics', async (c) => {
    const caller = await appCaller(ctx, c)
    return c.json(topicsForScopes(caller.scopes))
  })

  app.put('/events/v4/subscriptions/webhook', async (c) => {
    const caller = await appCaller(ctx, c)
    let raw: unknown
    try {
      raw = await c.req.json()
    } catch {
      throw new ConcurHttpError(400, 'The request body is not valid JSON')
    }
    const parsed = SubscriptionPut.safeParse(raw)
    if (!parsed.success) throw new ConcurHttpError(400, z.prettifyError(parsed.error).replace(/\n/g, ' '))
    const body = parsed.data
    const topic = EventTopic.safeParse(body.topic)
    if (!topic.success) throw new ConcurHttpError(400, `Unknown topic '${body.topic}'`)
    if (!topicsForScopes(caller.scopes).includes(topic.data))
      throw new ConcurHttpError(
        403,
        `The application may not subscribe to ${topic.data}: it needs one of the scopes ${EVENT_TOPICS[topic.data].scopes.join(', ')}`,
      )
    const filter = body.filter ?? '.*'
    let regex: RegExp
    try {
      regex = new RegExp(`^(?:${filter})$`)
    } catch {
      throw new ConcurHttpError(400, `filter '${filter}' is not a valid regular expression`)
    }
    const key = EventsStore.key(ctx.datacenter, body.id)
    const existing = store().subscriptions.get(key)
    if (existing && existing.applicationId !== caller.applicationId)
      throw new ConcurHttpError(409, `Subscription id '${body.id}' is used by another application`)
    if (existing) {
      existing.topic = topic.data
      existing.filter = filter
      existing.regex = regex
      existing.endpoint = body.webHookConfig.endpoint
      return c.json(saved(body.id))
    }
    if (store().list(ctx.datacenter, caller.applicationId).length >= MAX_SUBSCRIPTIONS_PER_APP)
      throw new ConcurHttpError(
        400,
        `An application may hold at most ${MAX_SUBSCRIPTIONS_PER_APP} subscriptions; delete one first`,
      )
    store().subscriptions.set(key, {
      id: body.id,
      datacenter: ctx.datacenter,
      topic: topic.data,
      filter,
      regex,
      endpoint: body.webHookConfig.endpoint,
      applicationId: caller.applicationId,
      companyIds: [caller.company.id],
      queue: [],
      inFlight: false,
    })
    // Key material is made once, before the first event needs it.
    void store().material()
    return c.json(saved(body.id))
  })

  app.get('/events/v4/subscriptions', async (c) => {
    const caller = await appCaller(ctx, c)
    return c.json(store().list(ctx.datacenter, caller.applicationId).map(subscriptionView))
  })

  app.get('/events/v4/subscriptions/:id', async (c) => {
    const caller = await appCaller(ctx, c)
    // The reference page shows a one-element array (the swagger a single object).
    return c.json([subscriptionView(own(caller, c.req.param('id')))])
  })

  app.delete('/events/v4/subscriptions/:id', async (c) => {
    const caller = await appCaller(ctx, c)
    const s = own(caller, c.req.param('id'))
    store().subscriptions.delete(EventsStore.key(ctx.datacenter, s.id))
    return c.json(deleted(s.id))
  })
  return app
}

const TrustBody = z.strictObject({ ca: z.string().min(1) })
const ConfigBody = z.strictObject({ ackTimeoutMs: z.number().int().min(1).max(600_000) })
const PublishBody = z.strictObject({
  companyId: z.string().optional(),
  topic: z.string().min(1),
  eventType: z.string().min(1),
  facts: z.record(z.string(), z.unknown()),
  correlationId: z.string().optional(),
})

async function json<T extends z.ZodType>(c: Context<MockEnv>, schema: T): Promise<z.infer<T>> {
  let raw: unknown
  try {
    raw = await c.req.json()
  } catch {
    throw new ConcurHttpError(400, 'body must be JSON')
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) throw new ConcurHttpError(400, z.prettifyError(parsed.error).replace(/\n/g, ' '))
  return parsed.data
}

/**
 * Admin API of the ESS (under `/_mock`): `GET /events` (public key, client CA, subscriptions with
 * their queues, settings), `GET /events/deliveries` (the delivery log), `POST /events/trust` (a CA
 * or self-signed certificate of a receiver), `POST /events/config` (`ackTimeoutMs`),
 * `POST /events/publish` (publish an event of any topic, e.g. one whose API the mock lacks) and
 * `POST /events/flush` (run the due deliveries now and wait for them).
 */
export function eventAdminRoutes(ctx: DcContext): Hono<MockEnv> {
  const { state } = ctx
  const app = new Hono<MockEnv>()
  const store = () => eventsStore(state)
  app.get('/events', async (c) => {
    const m = await store().material()
    return c.json({
      publicKey: m.publicKeyPem,
      clientCa: m.clientCaPem,
      clientCertificate: m.clientCertPem,
      signature: {
        header: 'Concur-Signature',
        algorithm: 'RSA-PSS, MGF1 SHA-256, maximum salt length, SHA-256 over the raw body; Base64',
      },
      ackTimeoutMs: store().ackTimeoutMs,
      trusted: store().trusted.length,
      subscriptions: [...store().subscriptions.values()].map((s) => ({
        ...subscriptionView(s),
        datacenter: s.datacenter,
        pending: s.queue.map((p) => ({
          eventId: p.envelope.id,
          eventType: p.envelope.eventType,
          attempts: p.attempts,
          nextAttemptAt: new Date(p.nextAttemptAt).toISOString(),
          publishedAt: new Date(p.publishedAt).toISOString(),
          ...(p.lastError ? { lastError: p.lastError } : {}),
        })),
      })),
    })
  })
  app.get('/events/deliveries', (c) => c.json({ deliveries: store().log }))
  app.post('/events/trust', async (c) => {
    const { ca } = await json(c, TrustBody)
    try {
      // @peculiar/x509 (pure JS over WebCrypto) needs reflect-metadata loaded first.
      await import('reflect-metadata')
      const { X509Certificate } = await import('@peculiar/x509')
      new X509Certificate(ca)
    } catch {
      throw new ConcurHttpError(400, 'ca must be a PEM X.509 certificate')
    }
    store().trusted.push(ca)
    return c.json({ trusted: store().trusted.length })
  })
  app.post('/events/config', async (c) => {
    const body = await json(c, ConfigBody)
    store().ackTimeoutMs = body.ackTimeoutMs
    return c.json({ ackTimeoutMs: store().ackTimeoutMs })
  })
  app.post('/events/publish', async (c) => {
    const body = await json(c, PublishBody)
    const companyId = body.companyId ?? state.companies[0]!.id
    if (!state.company(companyId)) throw new ConcurHttpError(404, `no company '${companyId}'`)
    const envelope = publishEvent(state, {
      companyId,
      topic: body.topic,
      eventType: body.eventType,
      facts: body.facts,
      ...(body.correlationId ? { correlationId: body.correlationId } : {}),
    })
    return c.json(envelope)
  })
  app.post('/events/flush', async (c) => {
    await store().pump()
    return c.json({ pending: [...store().subscriptions.values()].reduce((n, s) => n + s.queue.length, 0) })
  })
  return app
}
