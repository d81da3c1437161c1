import { createHttp, passwordGrant } from '@concurkit/auth'
import { createIdentityClient, staticToken } from '@concurkit/client'
import { SCIM_ENTERPRISE_SCHEMA } from '@concurkit/contract'
import { createMockConcur } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { companyTokens } from './company-token.ts'

/**
 * Identity v4.1 end to end over sockets: the mock listening, tokens from `@concurkit/auth`'s grants,
 * reads through `@concurkit/client`'s `createIdentityClient`.
 */
describe('Identity v4.1 (auth + client + mock over sockets)', () => {
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
    expect(tokens.geolocation).toBe(base)
  })
  afterAll(async () => {
    await http.close()
    await running.close()
  })

  it('a user who signs in with the password grant is found by userName; GET by id returns the token sub', async () => {
    const user = company.users[2]!
    const signIn = await passwordGrant({
      clientId: company.apps[0]!.clientId,
      clientSecret: company.apps[0]!.clientSecret,
      username: user.loginId,
      password: user.password,
      baseUrl: base,
      http,
    })
    const payload = signIn.accessToken.reveal().split('.')[1]!
    const sub = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub: string }).sub

    const identity = createIdentityClient({ auth: staticToken(companyToken, base), retry: { maxRetries: 0 } })
    try {
      const found = []
      for await (const u of identity.searchUsers({ filter: `userName eq "${user.loginId}"` })) found.push(u)
      expect(found).toHaveLength(1)
      expect(found[0]!.userName).toBe(user.loginId)
      expect(found[0]!.id).toBe(sub)
      const byId = await identity.getUser(found[0]!.id)
      expect(byId.id).toBe(sub)
      expect(byId.emails?.[0]?.value).toBe(user.email)
      expect(byId[SCIM_ENTERPRISE_SCHEMA]?.companyId).toBe(company.id)
    } finally {
      await identity.close()
    }

    // The user's own token is refused before any request, naming the token kind.
    const asUser = createIdentityClient({ auth: staticToken(signIn.accessToken.reveal(), base) })
    try {
      await expect(asUser.getUser(sub)).rejects.toMatchObject({
        code: 'CONCUR_INVALID_ARGUMENT',
        message: expect.stringMatching(/company-level access tokens only; this is a user token/),
      })
      const before = mock.state.journal.list().length
      await expect(
        asUser.searchUsers({ filter: 'active eq true' })[Symbol.asyncIterator]().next(),
      ).rejects.toThrow(/user token/)
      expect(mock.state.journal.list().length).toBe(before)
    } finally {
      await asUser.close()
    }
  })

  it('walks every user with v4.1 cursor paging, and search pages end without nextCursor', async () => {
    const identity = createIdentityClient({ auth: staticToken(companyToken, base) })
    try {
      const ids: string[] = []
      for await (const u of identity.listUsers({ count: 4, attributes: ['userName'] })) ids.push(u.id)
      expect(ids).toHaveLength(company.userCount)
      expect(new Set(ids).size).toBe(company.userCount)
      expect(ids).toContain(company.users[0]!.id)
      const pages = []
      for await (const p of identity.searchPages({ filter: 'active eq true', count: 5 })) pages.push(p)
      expect(pages.at(-1)!.nextCursor).toBeUndefined()
      expect(pages.slice(0, -1).every((p) => p.nextCursor !== undefined && p.users.length === 5)).toBe(true)
      expect(pages.flatMap((p) => p.users)).toHaveLength(pages[0]!.totalResults)
      // A bad filter is Concur's SCIM 400, surfaced with its detail.
      await expect(
        identity.searchUsers({ filter: 'userName eq' })[Symbol.asyncIterator]().next(),
      ).rejects.toMatchObject({
        code: 'CONCUR_HTTP_ERROR',
        status: 400,
      })
      await expect(identity.getUser('not a uuid')).rejects.toMatchObject({ code: 'CONCUR_INVALID_ARGUMENT' })
    } finally {
      await identity.close()
    }
  })
})
