import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { clientCredentialsGrant, companyRequestTokenGrant, createHttp, passwordGrant } from '@concurkit/auth'
import { ConcurRequestError, createConcurClient, staticToken } from '@concurkit/client'
import { EventEnvelope, RequestFacts, RequestV4Page } from '@concurkit/contract'
import { createMockConcur } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Request v4 end to end over sockets: the mock listening on 127.0.0.1, a company token from the
 * company request token grant and the approver's user token from the password grant (`@concurkit/auth`),
 * every call through `@concurkit/client`'s `requestV4` accessor, and the `public.concur.request`
 * events delivered by the mock's ESS to a webhook receiver subscribed through the management API.
 */
describe('Request v4 (auth + client + mock + events over sockets)', () => {
  const mock = createMockConcur({ seed: 2404, size: 200, companies: 1, datacenters: ['us'] })
  const company = mock.state.companies[0]!
  const http = createHttp()
  const received: EventEnvelope[] = []
  let receiver: Server
  let running: Awaited<ReturnType<typeof mock.listen>>
  let base: string
  let companyToken: string
  let approverToken: string

  beforeAll(async () => {
    running = await mock.listen({ host: '127.0.0.1', port: 0 })
    base = running.datacenters[company.datacenter]!
    const issued = await fetch(`${running.admin}/_mock/companies/${company.id}/request-token`, {
      method: 'POST',
    })
    const { requestToken } = (await issued.json()) as { requestToken: string }
    const app = company.apps[0]!
    const tokens = await companyRequestTokenGrant({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      companyId: company.id,
      requestToken,
      baseUrl: base,
      http,
    })
    companyToken = tokens.accessToken.reveal()
    const approver = company.users[1]!
    approverToken = (
      await passwordGrant({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        username: approver.loginId,
        password: approver.password,
        baseUrl: base,
        http,
      })
    ).accessToken.reveal()

    receiver = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        received.push(EventEnvelope.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        res.writeHead(200).end()
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    const appJwt = (
      await clientCredentialsGrant({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        baseUrl: base,
        http,
      })
    ).accessToken.reveal()
    const sub = await fetch(`${base}/events/v4/subscriptions/webhook`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${appJwt}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        id: 'request-v4-e2e',
        topic: 'public.concur.request',
        filter: '.*',
        webHookConfig: { endpoint: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook` },
      }),
    })
    expect(sub.status, await sub.text()).toBe(200)
  })
  afterAll(async () => {
    await http.close()
    await running.close()
    await new Promise((r) => receiver.close(r))
  })

  async function until<T>(find: () => T | undefined, ms = 10_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
      const hit = find()
      if (hit !== undefined) return hit
      if (Date.now() > end) throw new Error('timed out waiting for the event')
      await new Promise((r) => setTimeout(r, 25))
    }
  }

  it('creates with a company token and userId, submits, the approver approves, view=APPROVED lists it, events arrive', async () => {
    const client = createConcurClient({ auth: staticToken(companyToken, base), retry: { maxRetries: 0 } })
    const traveller = company.users[2]!
    const body = {
      name: 'Partner workshop in Lyon',
      businessPurpose: 'Workshop with the Lyon integration partner',
      startDate: '2027-03-08',
      endDate: '2027-03-10',
      startTime: '07:15',
      endTime: '19:00',
      mainDestination: { city: 'Lyon, FRANCE', countryCode: 'FR', name: 'Lyon, FRANCE' },
    }

    const refused = await client.requestV4.create(body).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(ConcurRequestError)
    expect(refused).toMatchObject({ status: 400, concurCode: 'missingRequiredParam' })

    const created = await client.requestV4.create(body, { userId: traveller.id })
    expect(created).toMatchObject({
      approvalStatus: { code: 'NOT_SUBMITTED' },
      owner: { id: traveller.id },
      approver: { id: company.users[1]!.id },
      href: `${base}/travelrequest/v4/requests/${created.id}`,
    })
    await client.requestV4.createExpense(
      created.id,
      {
        expenseType: { id: 'LODNG', name: 'Hotel' },
        transactionDate: '2027-03-08',
        transactionAmount: { value: 240.5, currency: 'USD' },
      },
      { userId: traveller.id },
    )

    const submitted = await client.requestV4.submit(created.id, { userId: traveller.id })
    expect(submitted).toMatchObject({ approvalStatus: { code: 'SUBMITTED' }, pendingApproval: true })
    expect(submitted.totalApprovedAmount).toEqual({ value: 240.5, currency: 'USD' })

    const asApprover = createConcurClient({
      auth: staticToken(approverToken, base),
      retry: { maxRetries: 0 },
    })
    const waiting = []
    for await (const r of asApprover.requestV4.list({ view: 'TOAPPROVE', limit: 100 })) waiting.push(r.id)
    expect(waiting).toContain(created.id)
    const approved = await asApprover.requestV4.approve(created.id)
    expect(approved).toMatchObject({ approvalStatus: { code: 'APPROVED' }, approved: true })
    expect(approved.operations).toEqual([])

    const listed = []
    for await (const r of client.requestV4.list({ view: 'APPROVED', userId: traveller.id, limit: 2 }))
      listed.push(r)
    const mine = listed.find((r) => r.id === created.id)
    expect(mine?.approvalStatus).toEqual({ code: 'APPROVED', name: 'Approved' })
    expect(listed.every((r) => r.approvalStatus.code === 'APPROVED' && r.owner?.id === traveller.id)).toBe(
      true,
    )

    // The raw page is the documented envelope: data plus operations links on this origin.
    const raw = await fetch(
      `${base}/travelrequest/v4/requests?view=APPROVED&userId=${traveller.id}&limit=1`,
      {
        headers: { authorization: `Bearer ${companyToken}` },
      },
    )
    const page = RequestV4Page.parse(await raw.json())
    expect(page.data).toHaveLength(1)
    expect(page.operations.find((o) => o.rel === 'first')?.href).toBe(
      `${base}/travelrequest/v4/requests?view=APPROVED&userId=${traveller.id}&limit=1&start=0`,
    )

    const pending = await until(() =>
      received.find(
        (e) => e.eventType === 'statusChange.PENDING.RequestManager' && e.facts.id === created.id,
      ),
    )
    expect(RequestFacts.parse(pending.facts)).toMatchObject({
      userId: traveller.id,
      recipientId: company.users[1]!.id,
      status: 'PendingRequestManagerApproval',
    })
    const event = await until(() =>
      received.find((e) => e.eventType === 'statusChange.APPROVED' && e.facts.id === created.id),
    )
    expect(event.topic).toBe('public.concur.request')
    expect(RequestFacts.parse(event.facts)).toMatchObject({
      companyId: company.id,
      requestId: created.requestId,
      userId: traveller.id,
      actingUserId: company.users[1]!.id,
      status: 'APPROVED',
      isClosed: 'false',
      href: created.href,
    })
  })
})
