import { createHttp, passwordGrant } from '@concurkit/auth'
import { createIdentityClient, createProvisioningClient, staticToken } from '@concurkit/client'
import {
  SCIM_ENTERPRISE_SCHEMA,
  UPS_SPEND_USER_SCHEMA,
  UPS_TRAVEL_USER_SCHEMA,
  type UpsProvisionStatus,
  type UpsUserWrite,
} from '@concurkit/contract'
import { createMockConcur } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { companyTokens } from './company-token.ts'

/**
 * User Provisioning v4 end to end over sockets: a user provisioned through `@concurkit/client`'s
 * `createProvisioningClient` completes on the mock clock, signs in with `@concurkit/auth`'s password
 * grant, is found by Identity v4.1 search and owns the report it creates through v3.0.
 */
describe('User Provisioning v4 (auth + client + mock over sockets)', () => {
  const mock = createMockConcur()
  const http = createHttp()
  let running: Awaited<ReturnType<typeof mock.listen>>
  let base: string
  let companyToken: string
  const company = mock.state.companies[0]!

  beforeAll(async () => {
    running = await mock.listen()
    base = running.datacenters[company.datacenter]!
    const tokens = await companyTokens(running.admin, base, company, http)
    companyToken = tokens.accessToken.reveal()
  })
  afterAll(async () => {
    await http.close()
    await running.close()
  })

  const newUser = (userName: string): UpsUserWrite => ({
    userName,
    password: 'Welcome-to-Concur-1',
    active: true,
    name: { givenName: 'Avery', familyName: 'Quinn' },
    emails: [{ value: userName, type: 'work' }],
    entitlements: ['Expense', 'Travel'],
    [SCIM_ENTERPRISE_SCHEMA]: { employeeNumber: `UPS-${userName.split('@')[0]}`, companyId: company.id },
    [UPS_SPEND_USER_SCHEMA]: { reimbursementCurrency: 'USD', country: 'US', locale: 'en-US' },
    [UPS_TRAVEL_USER_SCHEMA]: { ruleClass: { name: 'Default Travel Class' } },
  })

  it('provision → status completed → password grant → Identity v4.1 search → owns a v3.0 report', async () => {
    const ups = createProvisioningClient({ auth: staticToken(companyToken, base), retry: { maxRetries: 0 } })
    const identity = createIdentityClient({ auth: staticToken(companyToken, base), retry: { maxRetries: 0 } })
    try {
      const userName = 'avery.quinn@provisioned.example.org'
      const created = await ups.createUser(newUser(userName))
      expect(created.userName).toBe(userName)
      expect(created.meta.statusUrl).toBe(`${base}/profile/v4/provisions/${created.meta.provisionId}/status`)

      // Polled until completed: pending first, completed on the mock clock (2 s), never sleeping longer than asked.
      const polls: UpsProvisionStatus[] = []
      const started = Date.now()
      const done = await ups.waitForProvision(created.meta.provisionId, {
        intervalMs: 200,
        maxIntervalMs: 400,
        timeoutMs: 10_000,
        operations: true,
        onPoll: (s) => polls.push(s),
      })
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(polls[0]!.status).toEqual({ completed: false, success: null })
      expect(done.status).toEqual({ completed: true, success: true })
      expect(done.operations?.[0]?.resource).toEqual({ id: created.id, type: 'User' })
      const spend = done.operations?.[0]?.extensions?.find((e) => e.name === UPS_SPEND_USER_SCHEMA)
      expect(spend?.status).toMatchObject({ completed: true, success: true, result: 'success' })

      // The new user signs in with the password grant at the company's geolocation.
      const signIn = await passwordGrant({
        clientId: company.apps[0]!.clientId,
        clientSecret: company.apps[0]!.clientSecret,
        username: userName,
        password: 'Welcome-to-Concur-1',
        baseUrl: base,
        http,
      })
      expect(signIn.geolocation).toBe(base)
      const userToken = signIn.accessToken.reveal()
      const claims = JSON.parse(Buffer.from(userToken.split('.')[1]!, 'base64url').toString('utf8')) as {
        sub: string
      }
      expect(claims.sub).toBe(created.id)

      // Identity v4.1 search by userName finds exactly that user.
      const found = []
      for await (const u of identity.searchUsers({ filter: `userName eq "${userName}"` })) found.push(u)
      expect(found.map((u) => [u.id, u.userName])).toEqual([[created.id, userName]])

      // A report created through v3.0 with the new user's token is theirs.
      const post = await fetch(`${base}/api/v3.0/expense/reports`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${userToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ Name: 'Onboarding trip' }),
      })
      expect(post.status).toBe(200)
      const { ID } = (await post.json()) as { ID: string }
      const read = async (token: string, path: string) => {
        const res = await fetch(`${base}${path}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        })
        expect(res.status).toBe(200)
        return (await res.json()) as Record<string, unknown>
      }
      expect(await read(userToken, `/api/v3.0/expense/reports/${ID}`)).toMatchObject({
        ID,
        Name: 'Onboarding trip',
        OwnerLoginID: userName,
        OwnerName: 'Avery Quinn',
      })
      const own = (await read(userToken, '/api/v3.0/expense/reports')) as { Items: { ID: string }[] }
      expect(own.Items.map((r) => r.ID)).toEqual([ID])
      // And the legacy users view shows the person.
      const me = (await read(userToken, '/api/v3.0/common/users')) as { Items: Record<string, unknown>[] }
      expect(me.Items).toEqual([
        expect.objectContaining({ LoginID: userName, FirstName: 'Avery', LastName: 'Quinn' }),
      ])
    } finally {
      await ups.close()
      await identity.close()
    }
  })

  it('refuses bad input before sending, surfaces Concur SCIM errors, and refuses a user token', async () => {
    const ups = createProvisioningClient({ auth: staticToken(companyToken, base), retry: { maxRetries: 0 } })
    try {
      const before = mock.state.journal.list().length
      await expect(
        ups.createUser({ ...newUser('x@provisioned.example.org'), emails: [] }),
      ).rejects.toMatchObject({ code: 'CONCUR_INVALID_ARGUMENT', message: expect.stringContaining('emails') })
      await expect(ups.bulk({ operations: [] })).rejects.toMatchObject({ code: 'CONCUR_INVALID_ARGUMENT' })
      expect(mock.state.journal.list().length).toBe(before)

      const taken = company.users[2]!.loginId
      await expect(ups.createUser(newUser(taken))).rejects.toMatchObject({
        code: 'CONCUR_HTTP_ERROR',
        status: 409,
        concurMessage: expect.stringContaining('already in use'),
      })
      await expect(ups.provisionStatus('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
        code: 'CONCUR_HTTP_ERROR',
        status: 404,
      })

      // A bulk request: the pending provision, completed with one success and one failure.
      const pending = await ups.bulk({
        operations: [
          {
            method: 'POST',
            path: '/Users',
            bulkId: 'one',
            data: newUser('bulk.one@provisioned.example.org'),
          },
          { method: 'POST', path: '/Users', bulkId: 'two', data: newUser(taken) },
        ],
      })
      expect(pending.status.completed).toBe(false)
      const done = await ups.waitForProvision(pending.id, {
        intervalMs: 200,
        maxIntervalMs: 400,
        timeoutMs: 10_000,
      })
      expect(done.status).toEqual({ completed: true, success: false })
      expect(done.operationsCount).toMatchObject({ total: 2, success: 1, failed: 1 })

      // A timeout shorter than the provision: CONCUR_ABORTED naming the provision.
      const again = await ups.createUser(newUser('slow@provisioned.example.org'))
      await expect(
        ups.waitForProvision(again.meta.provisionId, { intervalMs: 100, timeoutMs: 300 }),
      ).rejects.toMatchObject({
        code: 'CONCUR_ABORTED',
        message: expect.stringContaining(again.meta.provisionId),
      })
    } finally {
      await ups.close()
    }

    const signIn = await passwordGrant({
      clientId: company.apps[0]!.clientId,
      clientSecret: company.apps[0]!.clientSecret,
      username: company.users[2]!.loginId,
      password: company.users[2]!.password,
      baseUrl: base,
      http,
    })
    const asUser = createProvisioningClient({ auth: staticToken(signIn.accessToken.reveal(), base) })
    try {
      await expect(asUser.createUser(newUser('u@provisioned.example.org'))).rejects.toMatchObject({
        code: 'CONCUR_INVALID_ARGUMENT',
        message: expect.stringMatching(/company-level access tokens only; this is a user token/),
      })
    } finally {
      await asUser.close()
    }
  })
})
