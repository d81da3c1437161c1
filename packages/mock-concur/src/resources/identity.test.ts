import {
  IdentityError,
  IdentityListResponseV4,
  IdentityListResponseV41,
  IdentityUser,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_SEARCH_REQUEST,
} from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { passwordFields, postToken } from '../oauth/__tests__/helpers.js'
import { call, issueToken } from './v3-testing.js'

const V4 = '/profile/identity/v4'
const V41 = '/profile/identity/v4.1'

const companyToken = (mock: MockConcur, scopes?: readonly string[]) =>
  issueToken(mock, { user: 'company', ...(scopes ? { scopes } : {}) })

async function search(mock: MockConcur, token: string, body: Record<string, unknown>) {
  const res = await call(mock, `${V41}/Users/.search`, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schemas: [SCIM_SEARCH_REQUEST], ...body }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

describe('Identity v4 / v4.1 (mock)', () => {
  it('serves the seeded users: id = token sub, userName = login, same e-mail and employee number', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const u = c.users[2]!
    const res = await call(mock, `${V41}/Users/${u.id}`, token)
    expect(res.status).toBe(200)
    const user = IdentityUser.parse(await res.json())
    expect(user).toMatchObject({ id: u.id, userName: u.loginId, active: true })
    expect(user.emails?.[0]?.value).toBe(u.email)
    expect(user.name).toMatchObject({ givenName: u.firstName, familyName: u.lastName })
    expect(user[SCIM_ENTERPRISE_SCHEMA]).toMatchObject({ employeeNumber: u.employeeId, companyId: c.id })
    expect(user.meta?.location).toBe(`${mock.state.baseUrl(c.datacenter)}${V41}/Users/${u.id}`)
    // The same person in the v3.0 users list.
    const v3 = (await (await call(mock, `/api/v3.0/common/users?user=${u.loginId}`, token)).json()) as {
      Items: { LoginID: string; EmployeeID: string; PrimaryEmail: string }[]
    }
    expect(v3.Items[0]).toMatchObject({ LoginID: u.loginId, EmployeeID: u.employeeId, PrimaryEmail: u.email })
    // Deterministic: another instance with the same seed serves the same person (v4 and v4.1 alike).
    const other = createMockConcur()
    const res2 = await call(other, `${V4}/Users/${u.id}`, await companyToken(other))
    const v4user = (await res2.json()) as Record<string, unknown>
    expect({ ...v4user, meta: undefined }).toEqual({ ...user, meta: undefined })
  })

  it('v4: filters with eq on userName / employeeNumber / externalId and pages by index (count ≤ 100)', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const u = mock.state.companies[0]!.users[1]!
    const byEmp = await call(
      mock,
      `${V4}/Users?filter=${encodeURIComponent(`employeeNumber eq "${u.employeeId}"`)}`,
      token,
    )
    const list = IdentityListResponseV4.parse(await byEmp.json())
    expect(list).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 })
    expect(list.Resources[0]!.id).toBe(u.id)
    const byName = IdentityListResponseV4.parse(
      await (
        await call(
          mock,
          `${V4}/Users?filter=${encodeURIComponent(`userName eq "${u.loginId.toUpperCase()}"`)}`,
          token,
        )
      ).json(),
    )
    expect(byName.Resources.map((r) => r.id)).toEqual([u.id])
    const all = IdentityListResponseV4.parse(await (await call(mock, `${V4}/Users`, token)).json())
    expect(all.totalResults).toBe(mock.state.companies[0]!.userCount)
    expect(all.itemsPerPage).toBe(10)
    const page2 = IdentityListResponseV4.parse(
      await (await call(mock, `${V4}/Users?startIndex=11&count=500`, token)).json(),
    )
    expect(page2.startIndex).toBe(11)
    expect(page2.itemsPerPage).toBe(all.totalResults - 10)
    expect(page2.Resources[0]!.id).not.toBe(all.Resources[0]!.id)
    const bad = await call(mock, `${V4}/Users?filter=${encodeURIComponent('name.givenName eq "x"')}`, token)
    expect(bad.status).toBe(400)
    expect(IdentityError.parse(await bad.json())).toMatchObject({ status: '400', scimType: 'invalidFilter' })
  })

  it('v4.1: cursor paging walks every user once; nextCursor is absent on the last page', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const ids: string[] = []
    let url = `${V41}/Users?count=7&attributes=userName`
    let pages = 0
    for (;;) {
      const page = IdentityListResponseV41.parse(await (await call(mock, url, token)).json())
      pages++
      ids.push(...page.Resources.map((r) => r.id))
      for (const r of page.Resources) expect(Object.keys(r).sort()).toEqual(['id', 'schemas', 'userName'])
      if (!page.nextCursor) break
      expect(page.itemsPerPage).toBe(7)
      url = `${V41}/Users?count=7&attributes=userName&cursor=${encodeURIComponent(page.nextCursor)}`
    }
    const total = mock.state.companies[0]!.userCount
    expect(ids).toHaveLength(total)
    expect(new Set(ids).size).toBe(total)
    expect(pages).toBe(Math.ceil(total / 7))
    const single = IdentityListResponseV41.parse(
      await (await call(mock, `${V41}/Users?count=1000`, token)).json(),
    )
    expect(single.nextCursor).toBeUndefined()
    expect(single.itemsPerPage).toBe(total)
    expect((await call(mock, `${V41}/Users?startIndex=2`, token)).status).toBe(400)
    expect((await call(mock, `${V41}/Users?cursor=not-a-cursor`, token)).status).toBe(400)
  })

  it('v4.1 .search: filters, attributes, excludedAttributes and cursors of the query', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const u = mock.state.companies[0]!.users[3]!
    const byLogin = await search(mock, token, { filter: `userName eq "${u.loginId}"` })
    expect(byLogin.status).toBe(200)
    expect(IdentityListResponseV41.parse(byLogin.body).Resources.map((r) => r.id)).toEqual([u.id])
    const byEmail = IdentityListResponseV41.parse(
      (
        await search(mock, token, {
          filter: `emails[type eq "work" and value eq "${u.email}"]`,
          attributes: ['emails'],
        })
      ).body,
    )
    expect(byEmail.Resources).toEqual([
      { schemas: expect.any(Array), id: u.id, emails: [expect.objectContaining({ value: u.email })] },
    ])
    const active = IdentityListResponseV41.parse(
      (await search(mock, token, { filter: 'active eq true', count: 1000 })).body,
    )
    const inactive = IdentityListResponseV41.parse(
      (await search(mock, token, { filter: 'not (active eq true)' })).body,
    )
    expect(active.totalResults + inactive.totalResults).toBe(mock.state.companies[0]!.userCount)
    expect(inactive.Resources.every((r) => r.active === false)).toBe(true)
    const excluded = IdentityListResponseV41.parse(
      (
        await search(mock, token, {
          filter: `id eq ${u.id}`,
          excludedAttributes: ['localeOverrides', 'name.familyNamePrefix', SCIM_ENTERPRISE_SCHEMA],
        })
      ).body,
    ).Resources[0]!
    expect(excluded.localeOverrides).toBeUndefined()
    expect(excluded[SCIM_ENTERPRISE_SCHEMA]).toBeUndefined()
    expect(excluded.name).not.toHaveProperty('familyNamePrefix')
    expect(excluded.name?.givenName).toBe(u.firstName)
    const sub = IdentityListResponseV41.parse(
      (
        await search(mock, token, {
          filter: `id eq "${u.id}"`,
          attributes: [`${SCIM_ENTERPRISE_SCHEMA}:employeeNumber`, 'name.givenName'],
        })
      ).body,
    ).Resources[0]!
    expect(sub).toEqual({
      schemas: expect.any(Array),
      id: u.id,
      [SCIM_ENTERPRISE_SCHEMA]: { employeeNumber: u.employeeId },
      name: { givenName: u.firstName },
    })
    // A cursor continues its own query only.
    const first = IdentityListResponseV41.parse(
      (await search(mock, token, { filter: 'active eq true', count: 5 })).body,
    )
    expect(first.nextCursor).toBeDefined()
    const second = IdentityListResponseV41.parse(
      (await search(mock, token, { filter: 'active eq true', count: 5, cursor: first.nextCursor })).body,
    )
    expect(second.startIndex).toBe(6)
    expect(second.Resources[0]!.id).not.toBe(first.Resources[0]!.id)
    const foreign = await search(mock, token, { filter: 'active eq false', cursor: first.nextCursor })
    expect(foreign.status).toBe(400)
  })

  it('answers bad input with the SCIM error body', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: 'userName eq' }, 'invalidFilter'],
      [{ filter: 'emails[type ne "work"]' }, 'invalidFilter'],
      [{ attributes: ['noSuchAttribute'] }, 'invalidPath'],
      [{ count: 1001 }, 'invalidSyntax'],
      [{ unknownMember: 1 }, 'invalidSyntax'],
    ]
    for (const [body, scimType] of cases) {
      const res = await search(mock, token, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      const err = IdentityError.parse(res.body)
      expect(err).toMatchObject({ status: '400', scimType })
      expect(err['urn:ietf:params:scim:api:messages:concur:2.0:Error']?.messages[0]).toMatchObject({
        type: 'error',
      })
    }
    const noSchemas = await call(mock, `${V41}/Users/.search`, token, {
      method: 'POST',
      body: '{"filter":"active eq true"}',
    })
    expect(noSchemas.status).toBe(400)
    const badCount = await call(mock, `${V4}/Users?count=ten`, token)
    expect(badCount.status).toBe(400)
    expect(IdentityError.parse(await badCount.json()).scimType).toBe('invalidValue')
    // The token check answers with the SCIM body too.
    const c = mock.state.companies[0]!
    const anonymous = await mock.fetch(`${mock.state.baseUrl(c.datacenter)}${V41}/Users`)
    expect(anonymous.status).toBe(401)
    expect(IdentityError.parse(await anonymous.json()).status).toBe('401')
    const unknown = await call(mock, `${V4}/Users/.search`, token, { method: 'POST', body: '{}' })
    expect(unknown.status).toBe(404)
    expect(IdentityError.parse(await unknown.json()).detail).toBe(
      'No Identity endpoint POST /profile/identity/v4/Users/.search',
    )
    const missing = await call(mock, `${V41}/Users/00000000-0000-4000-8000-000000000000`, token)
    expect(missing.status).toBe(404)
    expect(IdentityError.parse(await missing.json()).status).toBe('404')
  })

  it('refuses user tokens and tokens without Identity read scopes; omits groups the token lacks', async () => {
    const mock = createMockConcur()
    const u = mock.state.companies[0]!.users[0]!
    const userToken = await issueToken(mock, { user: 0 })
    const refused = await call(mock, `${V41}/Users/${u.id}`, userToken)
    expect(refused.status).toBe(403)
    expect(IdentityError.parse(await refused.json()).detail).toMatch(
      /company-level access tokens only; this is a user token/,
    )
    expect((await call(mock, `${V41}/Users/${u.id}`, await companyToken(mock, ['EXPRPT']))).status).toBe(403)
    expect((await call(mock, `${V41}/Users/${u.id}`, 'Bearer-less')).status).toBe(403)
    const idsOnly = await companyToken(mock, ['identity.user.ids.read', 'identity.user.core.read'])
    const partial = (await (await call(mock, `${V41}/Users/${u.id}`, idsOnly)).json()) as Record<
      string,
      unknown
    >
    expect(partial).toMatchObject({ id: u.id, userName: u.loginId, active: true })
    expect(partial.emails).toBeUndefined()
    expect(partial[SCIM_ENTERPRISE_SCHEMA]).toBeUndefined()
    // A filter on an attribute the token cannot read matches nobody.
    const hidden = await search(mock, idsOnly, { filter: `emails.value eq "${u.email}"` })
    expect(IdentityListResponseV41.parse(hidden.body).totalResults).toBe(0)
  })

  it('serves ResourceTypes, ServiceProviderConfig and Schemas', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const types = (await (await call(mock, `${V4}/ResourceTypes`, token)).json()) as { endpoint: string }[]
    expect(types[0]).toMatchObject({ name: 'User', endpoint: '/Users' })
    const spc = (await (await call(mock, `${V41}/ServiceProviderConfig`, token)).json()) as Record<
      string,
      unknown
    >
    expect(spc.pagination).toMatchObject({ cursor: true, index: false, maxPageSize: 1000 })
    const schema = (await (
      await call(mock, `${V41}/Schemas/urn:ietf:params:scim:schemas:core:2.0:User`, token)
    ).json()) as { id: string; attributes: { name: string }[] }
    expect(schema.id).toBe('urn:ietf:params:scim:schemas:core:2.0:User')
    expect(schema.attributes.map((a) => a.name)).toContain('userName')
    expect((await call(mock, `${V41}/Schemas/nope`, token)).status).toBe(404)
  })

  it('over a socket: a company token from the authtoken grant searches and reads a user', async () => {
    const mock = createMockConcur()
    const running = await mock.listen()
    try {
      const c = mock.state.companies[0]!
      const base = running.datacenters[c.datacenter]!
      const issued = await fetch(`${running.admin}/_mock/companies/${c.id}/request-token`, { method: 'POST' })
      const { requestToken } = (await issued.json()) as { requestToken: string }
      const grant = await fetch(`${base}/oauth2/v0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: c.apps[0]!.clientId,
          client_secret: c.apps[0]!.clientSecret,
          grant_type: 'password',
          credtype: 'authtoken',
          username: c.id,
          password: requestToken,
        }),
      })
      const { access_token } = (await grant.json()) as { access_token: string }
      const u = c.users[2]!
      const res = await fetch(`${base}${V41}/Users/.search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ schemas: [SCIM_SEARCH_REQUEST], filter: `userName eq "${u.loginId}"` }),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('concur-correlationid')).toMatch(/^[0-9a-f-]{36}$/)
      expect(IdentityListResponseV41.parse(await res.json()).Resources[0]!.id).toBe(u.id)
      // The password grant's user token is refused with the SCIM body.
      const userGrant = await postToken(mock, passwordFields(c, 2), base)
      const refused = await fetch(`${base}${V41}/Users/${u.id}`, {
        headers: { authorization: `Bearer ${userGrant.body.access_token as string}` },
      })
      expect(refused.status).toBe(403)
      expect(IdentityError.parse(await refused.json()).status).toBe('403')
    } finally {
      await running.close()
    }
  })
})
