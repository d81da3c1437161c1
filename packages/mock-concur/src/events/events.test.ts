import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  EventEnvelope,
  ExpenseReportFacts,
  ExpenseReportStatusFacts,
  Subscription,
  SubscriptionMessage,
  verifyConcurEventSignature,
} from '@concurkit/contract'
import { afterEach, describe, expect, it } from 'vitest'
import type { MockCompany } from '../companies.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { homeOf, passwordFields, postToken } from '../oauth/__tests__/helpers.js'

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../fixtures/concur-examples-v4/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>

async function appToken(mock: MockConcur, c: MockCompany, scope?: string, appIndex = 0): Promise<string> {
  const app = c.apps[appIndex]!
  const { status, body } = await postToken(
    mock,
    {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'client_credentials',
      ...(scope ? { scope } : {}),
    },
    homeOf(mock, c),
  )
  expect(status).toBe(200)
  return body.access_token as string
}

function call(
  mock: MockConcur,
  c: MockCompany,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  return mock.fetch(`${homeOf(mock, c)}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

interface Received {
  readonly body: string
  readonly headers: IncomingMessage['headers']
}

/** A receiver on 127.0.0.1 answering with `answer()`'s status. */
async function receiver(
  answer: (n: number) => number,
): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = []
  let n = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = answer(n++)
      if (status >= 200 && status < 300)
        got.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers })
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got, server }
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 20))
  }
}

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
})

async function admin(mock: MockConcur, path: string, body?: unknown) {
  const res = await mock.app.request(`/_mock${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('ESS management API', () => {
  it('lists topics by scope: events.topic.read alone gives an empty list', async () => {
    const mock = createMockConcur({ size: 20 })
    const c = mock.state.companies[0]!
    const full = await call(mock, c, await appToken(mock, c), 'GET', '/events/v4/topics')
    expect(full.status).toBe(200)
    expect(await full.json()).toContain('public.concur.expense.report')
    const bare = await call(mock, c, await appToken(mock, c, 'events.topic.read'), 'GET', '/events/v4/topics')
    expect(await bare.json()).toEqual([])
    const expense = await call(
      mock,
      c,
      await appToken(mock, c, 'events.topic.read expense.report.read'),
      'GET',
      '/events/v4/topics',
    )
    expect(await expense.json()).toEqual(['public.concur.expense.report'])
    // The read-only EXPRPT app holds no events.topic.read.
    const reader = await call(mock, c, await appToken(mock, c, undefined, 1), 'GET', '/events/v4/topics')
    expect(reader.status).toBe(403)
    expect(((await reader.json()) as { errorMessage: string }).errorMessage).toContain('events.topic.read')
    expect((await call(mock, c, undefined, 'GET', '/events/v4/topics')).status).toBe(401)
    const user = await postToken(mock, passwordFields(c, 0), homeOf(mock, c))
    expect((await call(mock, c, user.body.access_token as string, 'GET', '/events/v4/topics')).status).toBe(
      403,
    )
  })

  it('creates, updates, reads and deletes subscriptions with the documented bodies', async () => {
    const mock = createMockConcur({ size: 20 })
    const c = mock.state.companies[0]!
    const token = await appToken(mock, c)
    const put = { ...fixture('ess-v4-subscription-put-request.json'), topic: 'public.concur.expense.report' }
    const saved = await call(mock, c, token, 'PUT', '/events/v4/subscriptions/webhook', put)
    expect(saved.status).toBe(200)
    expect(await saved.json()).toEqual(fixture('ess-v4-subscription-put-response.json'))
    const one = await call(mock, c, token, 'GET', '/events/v4/subscriptions/my-unique-subscription-id')
    const [sub] = (await one.json()) as unknown[]
    const documented = (
      fixture('ess-v4-subscription-get-response.json') as unknown as Record<string, unknown>[]
    )[0]!
    expect(Object.keys(Subscription.parse(sub)).sort()).toEqual(Object.keys(documented).sort())
    expect(sub).toMatchObject({
      id: 'my-unique-subscription-id',
      filter: '.*',
      webHookConfig: { endpoint: 'https://my-valid-endpoint' },
      applicationId: c.apps[0]!.clientId,
      scope: '',
      groups: [],
      companyIds: [c.id],
    })
    // Update by id: the same subscription, a new endpoint.
    await call(mock, c, token, 'PUT', '/events/v4/subscriptions/webhook', {
      ...put,
      webHookConfig: { endpoint: 'https://other.example' },
    })
    const all = (await (
      await call(mock, c, token, 'GET', '/events/v4/subscriptions')
    ).json()) as Subscription[]
    expect(all.map((s) => s.webHookConfig.endpoint)).toEqual(['https://other.example'])
    const del = await call(mock, c, token, 'DELETE', '/events/v4/subscriptions/my-unique-subscription-id')
    expect(SubscriptionMessage.parse(await del.json())).toEqual(
      fixture('ess-v4-subscription-delete-response.json'),
    )
    expect(
      (await call(mock, c, token, 'GET', '/events/v4/subscriptions/my-unique-subscription-id')).status,
    ).toBe(404)
  })

  it('refuses bad bodies, topics beyond the scopes, a sixth subscription and other datacenters', async () => {
    const mock = createMockConcur({ size: 20 })
    const [c, other] = mock.state.companies as [MockCompany, MockCompany]
    const token = await appToken(mock, c)
    const body = (id: string, topic = 'public.concur.expense.report') => ({
      id,
      topic,
      filter: '.*',
      webHookConfig: { endpoint: 'https://example.com/hook' },
    })
    const put = (b: unknown, t = token) => call(mock, c, t, 'PUT', '/events/v4/subscriptions/webhook', b)
    expect((await put(body('Upper-Case'))).status).toBe(400)
    expect((await put('{not json')).status).toBe(400)
    expect((await put(body('x', 'public.nope'))).status).toBe(400)
    expect((await put({ ...body('x'), filter: '(' })).status).toBe(400)
    const narrow = await appToken(mock, c, 'events.topic.read user.provision.read')
    expect((await put(body('x'), narrow)).status).toBe(403)
    for (let i = 0; i < 5; i++) expect((await put(body(`s${i}`))).status).toBe(200)
    const sixth = await put(body('s5'))
    expect(sixth.status).toBe(400)
    expect(((await sixth.json()) as { errorMessage: string }).errorMessage).toContain('at most 5')
    // The other company's app lives in the other datacenter: its token is refused here.
    const otherToken = await appToken(mock, other)
    expect((await call(mock, c, otherToken, 'GET', '/events/v4/subscriptions')).status).toBe(403)
    // … and sees none of these subscriptions at home.
    const home = await call(mock, other, otherToken, 'GET', '/events/v4/subscriptions')
    expect(await home.json()).toEqual([])
  })
})

describe('ESS delivery', () => {
  async function setup(answer: (n: number) => number, filter = '.*') {
    const mock = createMockConcur({ size: 20 })
    const c = mock.state.companies[0]!
    const r = await receiver(answer)
    servers.push(r.server)
    const token = await appToken(mock, c)
    const res = await call(mock, c, token, 'PUT', '/events/v4/subscriptions/webhook', {
      id: 'sub-1',
      topic: 'public.concur.expense.report',
      filter,
      webHookConfig: { endpoint: r.url },
    })
    expect(res.status).toBe(200)
    const publicKey = (await admin(mock, '/events')).body.publicKey as string
    return { mock, c, r, publicKey }
  }

  it('publishes created / submitted / approved / deleted reports, signed, in order', async () => {
    const { mock, c, r, publicKey } = await setup(() => 200)
    const created = await admin(mock, '/dataset/expense-reports', {
      action: 'create',
      user: c.users[2]!.loginId,
      fields: { Name: 'Trip' },
    })
    const id = created.body.ID as string
    await admin(mock, '/dataset/expense-reports', { action: 'submit', id })
    await admin(mock, '/dataset/expense-reports', { action: 'approve', id })
    await until(() => r.got.length === 3)
    // The href resolves on the mock with a company token.
    const href = ExpenseReportFacts.parse(JSON.parse(r.got[0]!.body).facts).href!
    const company = await admin(mock, `/companies/${c.id}/request-token`, {})
    const tok = await postToken(mock, {
      client_id: c.apps[0]!.clientId,
      client_secret: c.apps[0]!.clientSecret,
      grant_type: 'password',
      credtype: 'authtoken',
      username: c.id,
      password: company.body.requestToken as string,
    })
    const res = await mock.fetch(href, { headers: { authorization: `Bearer ${tok.body.access_token}` } })
    expect(res.status).toBe(200)
    const report = (await res.json()) as { reportId: string; userId: string }
    expect(report).toMatchObject({ reportId: id, userId: c.users[2]!.id })
    expect(href).toBe(
      `${mock.state.baseUrl(c.datacenter)}/expensereports/v4/users/${c.users[2]!.id}/context/TRAVELER/reports/${id}`,
    )
    await admin(mock, '/dataset/expense-reports', { action: 'delete', id })
    await until(() => r.got.length === 4)
    const events = r.got.map((g) => EventEnvelope.parse(JSON.parse(g.body)))
    expect(events.map((e) => e.eventType)).toEqual([
      'reportCreated',
      'statusChanged',
      'statusChanged',
      'reportDeleted',
    ])
    for (const g of r.got) {
      expect(verifyConcurEventSignature(g.body, g.headers['concur-signature'], publicKey)).toBe(true)
      expect(verifyConcurEventSignature(`${g.body} `, g.headers['concur-signature'], publicKey)).toBe(false)
      expect(g.headers['concur-correlationid']).toBe(JSON.parse(g.body).correlationId)
    }
    const submit = ExpenseReportStatusFacts.parse(events[1]!.facts)
    expect(submit).toMatchObject({
      reportId: id,
      companyId: c.id,
      userId: c.users[2]!.id,
      previousApprovalStatus: 'A_NOTF',
      currentApprovalStatus: 'A_PEND',
      stepCode: 'MANAGER',
    })
    expect(submit.startingStep?.stepInstances[0]?.assignedUserId).toBe(c.users[1]!.id)
    expect(ExpenseReportStatusFacts.parse(events[2]!.facts).currentApprovalStatus).toBe('A_APPR')
    const deleted = ExpenseReportFacts.parse(events[3]!.facts)
    expect(deleted.href).toBeUndefined()
    // The documented keys of the samples, no more, no fewer.
    const sample = fixture('event-expense-report-statusChanged-submit.json')
    expect(Object.keys(events[1]!).sort()).toEqual(Object.keys(sample).sort())
    expect(Object.keys(events[1]!.facts).sort()).toEqual(
      Object.keys(sample.facts as Record<string, unknown>).sort(),
    )
    const log = (await admin(mock, '/events/deliveries')).body.deliveries as { outcome: string }[]
    expect(log.map((l) => l.outcome)).toEqual(['delivered', 'delivered', 'delivered', 'delivered'])
    expect(mock.state.journal.list().filter((j) => j.note?.startsWith('ess delivery')).length).toBe(4)
  })

  it('retries 5xx/401/403/429 on the mock clock in publication order; other 4xx are not retried', async () => {
    const answers = [503, 401, 403, 429, 200, 200, 400]
    const { mock, c, r } = await setup((n) => answers[n] ?? 200)
    const first = await admin(mock, '/dataset/expense-reports', { action: 'create', fields: { Name: 'A' } })
    await admin(mock, '/dataset/expense-reports', { action: 'create', fields: { Name: 'B' } })
    const log = async () =>
      (await admin(mock, '/events/deliveries')).body.deliveries as {
        outcome: string
        status: number
        eventId: string
      }[]
    await until(() => mock.state.journal.list().some((j) => j.note?.includes('retry at')))
    // Waiting for the mock clock: nothing more happens in real time.
    await new Promise((r) => setTimeout(r, 100))
    expect((await log()).length).toBe(1)
    for (let i = 0; i < 4; i++) {
      mock.state.clock.advance(15 * 60)
      await admin(mock, '/events/flush', {})
    }
    await until(() => r.got.length === 2)
    const ids = r.got.map((g) => JSON.parse(g.body).facts.reportId)
    expect(ids[0]).toBe(first.body.ID)
    expect((await log()).map((l) => l.status)).toEqual([503, 401, 403, 429, 200, 200])
    // A 400 is final: refused, not retried.
    await admin(mock, '/dataset/expense-reports', {
      action: 'update',
      id: first.body.ID as string,
      fields: { Name: 'C' },
    })
    await until(() => mock.state.journal.list().some((j) => j.note?.includes('refused')))
    mock.state.clock.advance(3600)
    await admin(mock, '/events/flush', {})
    expect((await log()).map((l) => l.outcome).slice(-1)).toEqual(['refused'])
    expect(r.got.length).toBe(2)
    void c
  })

  it('drops an event after 72 hours of mock time and says so in the journal', async () => {
    const { mock, r } = await setup(() => 503, 'reportCreated')
    await admin(mock, '/dataset/expense-reports', { action: 'create', fields: { Name: 'A' } })
    await until(() => mock.state.journal.list().some((j) => j.note?.includes('retry at')))
    mock.state.clock.advance(71 * 3600)
    await admin(mock, '/events/flush', {})
    expect(mock.state.journal.list().some((j) => j.note?.includes('dropped'))).toBe(false)
    mock.state.clock.advance(3600)
    await admin(mock, '/events/flush', {})
    const dropped = mock.state.journal.list().find((j) => j.note?.includes('dropped'))
    expect(dropped?.note).toMatch(
      /not delivered within 72 h of publication \(2 attempt\(s\), last: HTTP 503\)/,
    )
    expect(r.got).toEqual([])
    const state = (await admin(mock, '/events')).body.subscriptions as { pending: unknown[] }[]
    expect(state[0]!.pending).toEqual([])
  })
})
