import {
  digestRecords,
  EventEnvelope,
  getResource,
  IdentityError,
  IdentityListResponseV41,
  IdentityUser,
  type JsonPaging,
  SCIM_BULK_REQUEST,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_SEARCH_REQUEST,
  SCIM_USER_SCHEMA,
  UPS_SPEND_APPROVER_SCHEMA,
  UPS_SPEND_USER_SCHEMA,
  UPS_TRAVEL_USER_SCHEMA,
  UpsProvisionStatus,
  UpsSpendProfile,
  UpsSpendProfileList,
  UpsUserResponse,
  UserProvisioningFacts,
} from '@concurkit/contract'
import { firstPageParams, readJsonPage } from '@concurkit/contract/internal'
import { describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { manifestEntry } from './manifest.js'
import { essSubscriber, example, json, passwordSignIn, patchOp } from './scim-testing.js'
import { call, issueToken } from './v3-testing.js'

const companyToken = (mock: MockConcur, scopes?: readonly string[]) =>
  issueToken(mock, { user: 'company', ...(scopes ? { scopes } : {}) })

/** The documented UPS POST body, made valid JSON and pointed at the mock's company. */
function newUser(mock: MockConcur, userName: string, extra: Record<string, unknown> = {}) {
  const c = mock.state.companies[0]!
  return {
    schemas: [SCIM_USER_SCHEMA],
    userName,
    password: 'Provisioned-Pw-1',
    active: true,
    name: { familyName: 'Doe', givenName: 'John', middleName: 'Joe' },
    emails: [{ value: userName, type: 'work', verified: true }],
    entitlements: ['Expense', 'Travel'],
    [SCIM_ENTERPRISE_SCHEMA]: { employeeNumber: `EMP-${userName.split('@')[0]}`, companyId: c.id },
    ...extra,
  }
}

/** Provisions a user through `POST /profile/v4/Users` (the documented body) and parses the answer. */
async function provision(mock: MockConcur, token: string, userName: string) {
  const res = await call(mock, '/profile/v4/Users', token, json('POST', newUser(mock, userName)))
  return UpsUserResponse.parse(await res.json())
}

async function status(mock: MockConcur, token: string, id: string, query = '') {
  const res = await call(mock, `/profile/v4/provisions/${id}/status${query}`, token)
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

async function findByUserName(mock: MockConcur, token: string, userName: string) {
  const res = await call(
    mock,
    '/profile/identity/v4.1/Users/.search',
    token,
    json('POST', { schemas: [SCIM_SEARCH_REQUEST], filter: `userName eq "${userName}"` }),
  )
  return IdentityListResponseV41.parse(await res.json()).Resources
}

describe('User Provisioning v4 (mock)', () => {
  it('POST /Users: 201 with provisionId and statusUrl; pending → completed on the mock clock; extensions applied then', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const spend = { reimbursementCurrency: 'EUR', country: 'DE', locale: 'de-DE', ledgerCode: 'DEFAULT' }
    const travel = { ruleClass: { id: 624905 }, groups: [143519480] }
    const res = await call(
      mock,
      '/profile/v4/Users/',
      token,
      json(
        'POST',
        newUser(mock, 'jane.new@example.org', {
          [UPS_SPEND_USER_SCHEMA]: spend,
          [UPS_TRAVEL_USER_SCHEMA]: travel,
        }),
      ),
    )
    expect(res.status).toBe(201)
    const user = UpsUserResponse.parse(await res.json())
    expect(user).not.toHaveProperty('password')
    expect(user.meta.statusUrl).toBe(
      `${mock.state.baseUrl(c.datacenter)}/profile/v4/provisions/${user.meta.provisionId}/status`,
    )
    expect(user[SCIM_ENTERPRISE_SCHEMA]).toMatchObject({ companyId: c.id, organization: c.name })
    expect(user.name).toMatchObject({ formatted: 'Doe, John Joe', middleInitial: 'J' })

    const pending = await status(mock, token, user.meta.provisionId, '?attributes=operations')
    expect(pending.status).toBe(200)
    const p = UpsProvisionStatus.parse(pending.body)
    expect(p.status).toEqual({ completed: false, success: null })
    expect(p.operationsCount).toEqual({ total: 1, success: 0, failed: 0, pending: 1 })
    expect(p.meta.provisionType).toBe('User')
    // Not provisioned yet: the spend profile is not there.
    expect(
      (await (await call(mock, `/profile/spend/v4.1/Users/${user.id}`, token)).json()) as object,
    ).not.toHaveProperty(UPS_SPEND_USER_SCHEMA)

    mock.state.clock.advance(3)
    const done = UpsProvisionStatus.parse(
      (await status(mock, token, user.meta.provisionId, '?attributes=operations')).body,
    )
    expect(done.status).toEqual({ completed: true, success: true })
    expect(done.operationsCount).toEqual({ total: 1, success: 1, failed: 0, pending: 0 })
    expect(done.meta.completed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/)
    const exts = new Map(done.operations![0]!.extensions!.map((e) => [e.name, e.status.result]))
    expect(exts.get(UPS_SPEND_USER_SCHEMA)).toBe('success')
    expect(exts.get(UPS_TRAVEL_USER_SCHEMA)).toBe('success')
    expect(exts.get(UPS_SPEND_APPROVER_SCHEMA)).toBe('no-op')
    expect(done.operations![0]!.resource).toEqual({ id: user.id, type: 'User' })

    // The extensions as stored, from the spend and travel retrieval endpoints.
    const spendRes = (await (
      await call(mock, `/profile/spend/v4.1/Users/${user.id}`, token)
    ).json()) as Record<string, unknown>
    expect(spendRes[UPS_SPEND_USER_SCHEMA]).toEqual(spend)
    const travelRes = (await (
      await call(mock, `/profile/travel/v4/Users/${user.id}`, token)
    ).json()) as Record<string, unknown>
    expect(travelRes[UPS_TRAVEL_USER_SCHEMA]).toEqual(travel)

    // Summary status without operations.
    const summary = (await status(mock, token, user.meta.provisionId)).body
    expect(summary).not.toHaveProperty('operations')
  })

  it('seeded users have a derived spend/travel profile; a PATCH through UPS changes it after the provision completes', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const traveller = c.users[2]!
    const spendOf = async (id: string) =>
      (await (await call(mock, `/profile/spend/v4.1/Users/${id}`, token)).json()) as Record<
        string,
        Record<string, unknown>
      >
    const before = await spendOf(traveller.id)
    expect(before.id as unknown).toBe(traveller.id)
    expect(before[UPS_SPEND_USER_SCHEMA]).toMatchObject({
      country: expect.stringMatching(/^[A-Z]{2}$/),
      ledgerCode: 'DEFAULT',
    })
    expect(before[UPS_SPEND_APPROVER_SCHEMA]).toEqual({
      report: [
        { approver: { value: c.users[1]!.id, employeeNumber: c.users[1]!.employeeId }, primary: true },
      ],
    })
    const travel = await call(mock, `/profile/travel/v4/Users/${traveller.id}`, token)
    expect(travel.status).toBe(200)
    // User 0 (the administrator) is no travel user: no travel profile.
    expect((await call(mock, `/profile/travel/v4/Users/${c.users[0]!.id}`, token)).status).toBe(404)
    expect(
      (await call(mock, '/profile/spend/v4.1/Users/00000000-0000-4000-8000-000000000000', token)).status,
    ).toBe(404)

    // The derived profile is what a PatchOp path addresses.
    const orgUnit = await call(
      mock,
      `/profile/v4/Users/${traveller.id}`,
      token,
      patchOp([
        {
          op: 'replace',
          path: `${UPS_SPEND_USER_SCHEMA}:customData[id eq "orgUnit1"].value`,
          value: 'CC-NEW',
        },
      ]),
    )
    expect(orgUnit.status).toBe(200)
    mock.state.clock.advance(3)
    expect((await spendOf(traveller.id))[UPS_SPEND_USER_SCHEMA]!.customData).toEqual([
      { id: 'orgUnit1', value: 'CC-NEW' },
    ])
    const patch = await call(
      mock,
      `/profile/v4/Users/${traveller.id}`,
      token,
      patchOp([
        {
          op: 'replace',
          path: UPS_SPEND_USER_SCHEMA,
          value: { reimbursementCurrency: 'CHF', country: 'CH', locale: 'de-CH' },
        },
      ]),
    )
    expect(patch.status).toBe(200)
    expect((await spendOf(traveller.id))[UPS_SPEND_USER_SCHEMA]!.country).toBe(
      before[UPS_SPEND_USER_SCHEMA]!.country,
    )
    mock.state.clock.advance(3)
    expect((await spendOf(traveller.id))[UPS_SPEND_USER_SCHEMA]).toEqual({
      reimbursementCurrency: 'CHF',
      country: 'CH',
      locale: 'de-CH',
    })
  })

  it('a provisioned user signs in with the password grant, shows in Identity, v3.0 users and user v1.0; a report it creates is its own', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const created = await provision(mock, token, 'sam.signin@example.org')
    const signIn = await passwordSignIn(mock, 'sam.signin@example.org', 'Provisioned-Pw-1')
    expect(signIn.status).toBe(200)
    const userToken = (signIn.body as { access_token: string }).access_token
    const sub = JSON.parse(Buffer.from(userToken.split('.')[1]!, 'base64url').toString()).sub
    expect(sub).toBe(created.id)
    const wrong = await passwordSignIn(mock, 'sam.signin@example.org', 'not-the-password')
    expect(wrong.status).not.toBe(200)

    const found = await findByUserName(mock, token, 'sam.signin@example.org')
    expect(found.map((u) => u.id)).toEqual([created.id])
    // The walk without a filter visits it after the seeded users.
    const all = IdentityListResponseV41.parse(
      await (await call(mock, '/profile/identity/v4.1/Users?count=1000', token)).json(),
    )
    expect(all.totalResults).toBe(c.userCount + 1)
    expect(all.Resources.at(-1)!.id).toBe(created.id)

    const v3 = (await (await call(mock, '/api/v3.0/common/users', userToken)).json()) as {
      Items: Record<string, unknown>[]
    }
    expect(v3.Items).toEqual([
      expect.objectContaining({ LoginID: 'sam.signin@example.org', FirstName: 'John', Active: true }),
    ])
    const v1 = await call(mock, '/api/user/v1.0/user?loginID=sam.signin@example.org', token)
    expect(v1.status).toBe(200)
    const profile = await v1.text()
    expect(profile).toContain('<LoginId>sam.signin@example.org</LoginId>')
    expect(profile).toContain('<EmpId>EMP-sam.signin</EmpId>')
    expect(profile).toContain('<Active>Y</Active>')

    const report = await call(
      mock,
      '/api/v3.0/expense/reports',
      userToken,
      json('POST', { Name: 'First trip' }),
    )
    expect(report.status).toBe(200)
    const { ID } = (await report.json()) as { ID: string }
    const mine = (await (await call(mock, '/api/v3.0/expense/reports', userToken)).json()) as {
      Items: Record<string, unknown>[]
    }
    expect(mine.Items).toEqual([
      expect.objectContaining({ ID, OwnerLoginID: 'sam.signin@example.org', OwnerName: 'John Doe' }),
    ])

    // An administrator (company token) reads that user's reports by login, as for seeded users.
    const theirs = (await (
      await call(mock, '/api/v3.0/expense/reports?user=sam.signin@example.org', token)
    ).json()) as { Items: { ID: string }[] }
    expect(theirs.Items.map((r) => r.ID)).toEqual([ID])

    // A user with transaction history cannot be hard-deleted.
    const del = await call(mock, `/profile/v4/Users/${created.id}`, token, { method: 'DELETE' })
    expect(del.status).toBe(409)
    expect(IdentityError.parse(await del.json()).status).toBe('409')
  })

  it('PATCH (the documented PatchOp paths) and PUT change the user everywhere; DELETE removes a user without history', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const created = UpsUserResponse.parse(
      await (
        await call(
          mock,
          '/profile/v4/Users',
          token,
          json(
            'POST',
            newUser(mock, 'pat.ch@example.org', {
              [UPS_SPEND_USER_SCHEMA]: {
                reimbursementCurrency: 'USD',
                country: 'US',
                locale: 'en-US',
                customData: [{ id: 'custom2', value: 'before' }],
              },
            }),
          ),
        )
      ).json(),
    )
    const patch = await call(
      mock,
      `/profile/v4/Users/${created.id}`,
      token,
      patchOp([
        { op: 'add', path: 'entitlements', value: ['Request'] },
        { op: 'replace', path: 'userName', value: 'pat.renamed@example.org' },
        {
          op: 'replace',
          path: `${SCIM_ENTERPRISE_SCHEMA}:employeeNumber`,
          value: 'Updated_employeeNumber',
        },
        { op: 'replace', path: 'emails[type eq "work"].verified', value: false },
        {
          op: 'replace',
          path: `${UPS_SPEND_USER_SCHEMA}:customData[id eq "custom2"].value`,
          value: 'Replaced_Value',
        },
        { op: 'add', path: 'nickName', value: 'Patty' },
      ]),
    )
    expect(patch.status).toBe(200)
    const patched = UpsUserResponse.parse(await patch.json())
    expect(patched.userName).toBe('pat.renamed@example.org')
    expect(patched.entitlements).toEqual(['Expense', 'Travel', 'Request'])
    expect(patched.emails?.[0]?.verified).toBe(false)
    expect(patched.displayName).toBe('Patty Doe')
    expect(patched.meta.version).toBe(1)
    expect(patched.meta.provisionId).not.toBe(created.meta.provisionId)
    mock.state.clock.advance(3)
    const spend = (await (
      await call(mock, `/profile/spend/v4.1/Users/${created.id}`, token)
    ).json()) as Record<string, Record<string, unknown>>
    expect(spend[UPS_SPEND_USER_SCHEMA]!.customData).toEqual([{ id: 'custom2', value: 'Replaced_Value' }])
    expect(await findByUserName(mock, token, 'pat.ch@example.org')).toEqual([])
    expect((await findByUserName(mock, token, 'pat.renamed@example.org'))[0]!.id).toBe(created.id)

    // A filter that selects nothing, a read-only path: 400, nothing changes.
    for (const op of [
      { op: 'replace', path: 'emails[type eq "home"].value', value: 'x@y.z' },
      { op: 'replace', path: 'id', value: 'x' },
      { op: 'remove', path: 'userName' },
    ]) {
      const bad = await call(mock, `/profile/v4/Users/${created.id}`, token, patchOp([op]))
      expect(bad.status).toBe(400)
      expect(IdentityError.parse(await bad.json()).scimType).toMatch(/noTarget|mutability|invalidValue/)
    }
    const v4 = IdentityUser.parse(
      await (await call(mock, `/profile/identity/v4/Users/${created.id}`, token)).json(),
    )
    expect(v4.userName).toBe('pat.renamed@example.org')
    expect(v4.meta?.version).toBe(1)

    // PUT is a full replace: omitted attributes are cleared.
    const put = await call(
      mock,
      `/profile/v4/Users/${created.id}`,
      token,
      json('PUT', {
        ...newUser(mock, 'pat.renamed@example.org'),
        entitlements: undefined,
        password: undefined,
      }),
    )
    expect(put.status).toBe(200)
    const replaced = UpsUserResponse.parse(await put.json())
    expect(replaced.entitlements).toEqual([])
    expect(replaced.nickName).toBeNull()
    mock.state.clock.advance(3)
    expect(
      await (await call(mock, `/profile/spend/v4.1/Users/${created.id}`, token)).json(),
    ).not.toHaveProperty(UPS_SPEND_USER_SCHEMA)

    const v3Logins = async () => {
      const res = await call(mock, '/api/v3.0/common/users?limit=100', token)
      expect(res.status).toBe(200)
      return ((await res.json()) as { Items: { LoginID: string }[] }).Items.map((u) => u.LoginID)
    }
    expect(await v3Logins()).toContain('pat.renamed@example.org')
    const del = await call(mock, `/profile/v4/Users/${created.id}/`, token, { method: 'DELETE' })
    expect(del.status).toBe(204)
    expect((await call(mock, `/profile/identity/v4.1/Users/${created.id}`, token)).status).toBe(404)
    expect(await findByUserName(mock, token, 'pat.renamed@example.org')).toEqual([])
    expect(await v3Logins()).not.toContain('pat.renamed@example.org')
    expect(mock.state.userSource?.find('pat.renamed@example.org')).toBeUndefined()
  })

  it('after writes, a full identity-users walk still equals the manifest (count and checksum)', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const created = await provision(mock, token, 'walk.one@example.org')
    await call(mock, '/profile/v4/Users', token, json('POST', newUser(mock, 'walk.two@example.org')))
    await call(
      mock,
      `/profile/identity/v4.1/Users/${c.users[1]!.id}`,
      token,
      patchOp([{ op: 'replace', path: 'title', value: 'Approver' }]),
    )
    await call(mock, `/profile/v4/Users/${created.id}`, token, { method: 'DELETE' })
    const row = getResource('identity-users')
    const paging = row.paging as JsonPaging
    const items: unknown[] = []
    const first = new URL(`${mock.state.baseUrl(c.datacenter)}${row.path}`)
    for (const [k, v] of Object.entries(firstPageParams(paging, 7))) first.searchParams.set(k, v)
    let url: string | undefined = first.href
    while (url) {
      const res = await call(mock, url, token)
      expect(res.status).toBe(200)
      const page = readJsonPage(paging, await res.json(), url)
      items.push(...page.items)
      url = page.next
    }
    const manifest = manifestEntry(mock.state, c, 'identity-users')
    expect(manifest.count).toBe(c.userCount + 1)
    expect(digestRecords(items)).toEqual(manifest)
    expect(items.map((u) => (u as { userName: string }).userName)).toContain('walk.two@example.org')
  })

  it('spend-users: a fan-out walk over identity-users equals the manifest; the list pages and filters', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const spend = { reimbursementCurrency: 'CHF', country: 'CH', locale: 'de-CH' }
    const created = UpsUserResponse.parse(
      await (
        await call(
          mock,
          '/profile/v4/Users',
          token,
          json('POST', newUser(mock, 'sp@example.org', { [UPS_SPEND_USER_SCHEMA]: spend })),
        )
      ).json(),
    )
    mock.state.clock.advance(3)
    const row = getResource('spend-users')
    // The fan-out: one GET of the item path per Identity user, in Identity's walk order.
    const identity = IdentityListResponseV41.parse(
      await (await call(mock, '/profile/identity/v4.1/Users?count=1000&attributes=id', token)).json(),
    )
    const items: unknown[] = []
    for (const u of identity.Resources) {
      const res = await call(mock, row.itemPath!.replace('{id}', u.id), token)
      expect(res.status).toBe(200)
      items.push(UpsSpendProfile.parse(await res.json()))
    }
    const manifest = manifestEntry(mock.state, c, 'spend-users')
    expect(manifest.count).toBe(c.userCount + 1)
    expect(digestRecords(items)).toEqual(manifest)
    // The list endpoint: the same records, 1-based startIndex, count ≤ 100.
    const page = (q: string) => call(mock, `/profile/spend/v4.1/Users${q}`, token)
    const first = UpsSpendProfileList.parse(await (await page('?count=10')).json())
    expect(first).toMatchObject({ totalResults: c.userCount + 1, startIndex: 1, itemsPerPage: 10 })
    expect(first.Resources).toEqual(items.slice(0, 10))
    const last = UpsSpendProfileList.parse(
      await (await page(`?startIndex=${c.userCount + 1}&count=5`)).json(),
    )
    expect(last.Resources.map((r) => r.id)).toEqual([created.id])
    // Pages of 7 walked to the end: every record once, in walk order, across the boundary between
    // seeded and provisioned users.
    const walked: unknown[] = []
    for (let s = 1; s <= c.userCount + 1; s += 7)
      walked.push(
        ...UpsSpendProfileList.parse(await (await page(`?startIndex=${s}&count=7`)).json()).Resources,
      )
    expect(walked).toEqual(items)
    const chf = UpsSpendProfileList.parse(await (await page('?filter=country eq "CH"')).json())
    expect(chf.Resources.map((r) => r.id)).toEqual([created.id])
    const notUs = UpsSpendProfileList.parse(
      await (
        await page(`?filter=${encodeURIComponent(`${UPS_SPEND_USER_SCHEMA}:reimbursementCurrency ne "USD"`)}`)
      ).json(),
    )
    expect(notUs.Resources.every((r) => r[UPS_SPEND_USER_SCHEMA]?.reimbursementCurrency !== 'USD')).toBe(true)
    expect(notUs.Resources.map((r) => r.id)).toContain(created.id)
    // A filtered page is that page of the filtered walk; totalResults counts every match.
    const kept = (items as { [UPS_SPEND_USER_SCHEMA]?: { testEmployee?: boolean } }[]).filter(
      (r) => r[UPS_SPEND_USER_SCHEMA]?.testEmployee === false,
    )
    expect(kept.length).toBeGreaterThan(6)
    const mid = UpsSpendProfileList.parse(
      await (await page('?filter=testEmployee eq false&startIndex=3&count=4')).json(),
    )
    expect(mid).toMatchObject({ totalResults: kept.length, startIndex: 3, itemsPerPage: 4 })
    expect(mid.Resources).toEqual(kept.slice(2, 6))
    // Bad queries: the spend error body (status an integer).
    for (const q of ['?count=101', '?startIndex=0', '?filter=userName eq "x"', '?sort=id']) {
      const res = await page(q)
      expect(res.status, q).toBe(400)
      expect(await res.json()).toMatchObject({ status: 400, detail: expect.any(String) })
    }
    expect(
      await (
        await call(mock, `/profile/spend/v4.1/Users/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, token)
      ).json(),
    ).toMatchObject({ status: 404 })
  })

  it("one mock's provisioned users never show in another mock with the same seed (shared filter cache)", async () => {
    const a = createMockConcur()
    const b = createMockConcur()
    const search = async (mock: MockConcur) => {
      const res = await call(
        mock,
        '/profile/identity/v4.1/Users/.search',
        await companyToken(mock),
        json('POST', { schemas: [SCIM_SEARCH_REQUEST], filter: 'emails.value ew "isolated.example.org"' }),
      )
      return IdentityListResponseV41.parse(await res.json()).totalResults
    }
    // Both mocks make one write, so a per-mock generation counter alone would be equal.
    const ra = await call(
      a,
      '/profile/v4/Users',
      await companyToken(a),
      json('POST', newUser(a, 'x@isolated.example.org')),
    )
    const rb = await call(
      b,
      '/profile/v4/Users',
      await companyToken(b),
      json('POST', newUser(b, 'y@elsewhere.example.org')),
    )
    expect([ra.status, rb.status]).toEqual([201, 201])
    expect(await search(a)).toBe(1)
    expect(await search(b)).toBe(0)
  })

  it('bad input answers SCIM errors and changes nothing', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    const seeded = c.users[2]!
    await call(mock, `/profile/identity/v4.1/Users/${seeded.id}`, token)
    const generation = () =>
      (mock.state.stores.get('ups-directory') as { generation: number } | undefined)?.generation
    const before = generation()
    expect(before).toBeDefined()
    const cases: [RequestInit, number, string][] = [
      [json('POST', '{not json'), 400, 'invalidSyntax'],
      [json('POST', { ...newUser(mock, 'a@b.example'), name: { givenName: 'A' } }), 400, 'invalidValue'],
      [json('POST', { ...newUser(mock, 'a@b.example'), emails: [] }), 400, 'invalidValue'],
      [json('POST', { ...newUser(mock, 'a@b.example'), favouriteColour: 'blue' }), 400, 'invalidSyntax'],
      [json('POST', newUser(mock, seeded.loginId)), 409, 'uniqueness'],
      [
        json('POST', {
          ...newUser(mock, 'a@b.example'),
          [SCIM_ENTERPRISE_SCHEMA]: { companyId: mock.state.companies[1]!.id },
        }),
        400,
        'mutability',
      ],
      [
        json('POST', {
          ...newUser(mock, 'a@b.example'),
          [SCIM_ENTERPRISE_SCHEMA]: { employeeNumber: seeded.employeeId },
        }),
        409,
        'uniqueness',
      ],
      [
        json('POST', {
          ...newUser(mock, 'a@b.example'),
          [UPS_SPEND_USER_SCHEMA]: { reimbursementCurrency: 'US Dollar', country: 'US', locale: 'en-US' },
        }),
        400,
        'invalidValue',
      ],
      [
        json('POST', {
          ...newUser(mock, 'a@b.example'),
          [SCIM_ENTERPRISE_SCHEMA]: { manager: { value: '00000000-0000-4000-8000-000000000000' } },
        }),
        400,
        'invalidValue',
      ],
    ]
    for (const [init, code, scimType] of cases) {
      const res = await call(mock, '/profile/v4/Users', token, init)
      expect(res.status, String(init.body)).toBe(code)
      const err = IdentityError.parse(await res.json())
      expect(err).toMatchObject({ status: String(code), scimType })
      expect(err.detail).not.toMatch(/at .*\.ts|Error:/)
    }
    expect(generation()).toBe(before)
    expect(await findByUserName(mock, token, 'a@b.example')).toEqual([])

    // Bulk: > 100 operations, missing bulkId, duplicate bulkId, wrong path: 4xx and nothing provisioned.
    const op = (i: number) => ({
      method: 'POST',
      path: '/Users',
      bulkId: `b${i}`,
      data: newUser(mock, `bulk${i}@example.org`),
    })
    const bulks: [unknown, number][] = [
      [{ schemas: [SCIM_BULK_REQUEST], Operations: Array.from({ length: 101 }, (_, i) => op(i)) }, 413],
      [{ schemas: [SCIM_BULK_REQUEST], Operations: [] }, 400],
      [{ schemas: [SCIM_BULK_REQUEST], Operations: [op(1), { ...op(2), bulkId: undefined }] }, 400],
      [{ schemas: [SCIM_BULK_REQUEST], Operations: [op(1), { ...op(2), bulkId: 'b1' }] }, 400],
      [
        { schemas: [SCIM_BULK_REQUEST], Operations: [op(1), { method: 'PATCH', path: '/Users', data: {} }] },
        400,
      ],
      [{ schemas: ['urn:x'], Operations: [op(1)] }, 400],
    ]
    for (const [body, code] of bulks) {
      const res = await call(mock, '/profile/v4/Bulk', token, json('POST', body))
      expect(res.status).toBe(code)
      IdentityError.parse(await res.json())
    }
    expect(await findByUserName(mock, token, 'bulk1@example.org')).toEqual([])

    // Tokens: a user token and an app without USER are refused; an unknown provision is 404.
    const userToken = await issueToken(mock, { user: 2 })
    expect(
      (await call(mock, '/profile/v4/Users', userToken, json('POST', newUser(mock, 'u@t.example')))).status,
    ).toBe(403)
    const readOnly = await companyToken(mock, ['EXPRPT'])
    expect(
      (await call(mock, '/profile/v4/Users', readOnly, json('POST', newUser(mock, 'u@t.example')))).status,
    ).toBe(403)
    expect((await status(mock, token, '00000000-0000-4000-8000-000000000000')).status).toBe(404)
    expect((await status(mock, token, 'x', '?attributes=everything')).status).toBe(400)
  })

  it('POST /Bulk: 202 pending status; operations run in order, failures reported per operation, failOnErrors stops the rest', async () => {
    const mock = createMockConcur()
    const token = await companyToken(mock)
    const c = mock.state.companies[0]!
    // The documented example, pointed at the mock's company.
    const doc = example('ups-v4-bulk-post-request.json') as {
      Operations: { data: Record<string, Record<string, unknown>> }[]
    }
    doc.Operations[0]!.data[SCIM_ENTERPRISE_SCHEMA]!.companyId = c.id
    const res = await call(mock, '/profile/v4/Bulk/', token, json('POST', doc))
    expect(res.status).toBe(202)
    const accepted = UpsProvisionStatus.parse(await res.json())
    expect(accepted).toMatchObject({
      status: { completed: false, success: null },
      meta: { provisionType: 'Bulk', resourceType: 'ProvisionRequest' },
    })
    expect((await findByUserName(mock, token, 'Chris.doe198@sap.com'))[0]?.timezone).toBe(
      'America/Los_Angeles',
    )

    const seeded = c.users[2]!
    const bulk = {
      schemas: [SCIM_BULK_REQUEST],
      failOnErrors: 2,
      Operations: [
        { method: 'POST', path: '/Users', bulkId: 'ok', data: newUser(mock, 'ok@example.org') },
        { method: 'POST', path: '/Users', bulkId: 'dup', data: newUser(mock, seeded.loginId) },
        {
          method: 'PATCH',
          path: `/Users/${seeded.id}`,
          data: { Operations: [{ op: 'replace', path: 'title', value: 'Lead' }] },
        },
        { method: 'DELETE', path: '/Users/00000000-0000-4000-8000-000000000000' },
        { method: 'POST', path: '/Users', bulkId: 'late', data: newUser(mock, 'late@example.org') },
      ],
    }
    const second = UpsProvisionStatus.parse(
      await (await call(mock, '/profile/v4/Bulk', token, json('POST', bulk))).json(),
    )
    mock.state.clock.advance(3)
    const done = UpsProvisionStatus.parse(
      (await status(mock, token, second.id, '?attributes=operations')).body,
    )
    expect(done.status).toEqual({ completed: true, success: false })
    expect(done.operationsCount).toEqual({ total: 5, success: 2, failed: 3, pending: 0 })
    expect(done.operations!.map((o) => [o.bulkId, o.status.code, o.status.success])).toEqual([
      ['ok', '201', true],
      ['dup', '409', false],
      ['gen-temp-bulk-id', '200', true],
      ['gen-temp-bulk-id', '404', false],
      ['late', '412', false],
    ])
    expect(await findByUserName(mock, token, 'late@example.org')).toEqual([])
    const failed = UpsProvisionStatus.parse(
      (await status(mock, token, second.id, '?attributes=operations&state=failed&count=1&startIndex=2')).body,
    )
    expect(failed).toMatchObject({ totalResults: 3, itemsPerPage: 1, startIndex: 2 })
    expect(failed.operations![0]!.bulkId).toBe('gen-temp-bulk-id')
    // The seeded user changed through the bulk PATCH: Identity shows it, and a seeded user cannot be deleted.
    expect(
      IdentityUser.parse(await (await call(mock, `/profile/identity/v4.1/Users/${seeded.id}`, token)).json())
        .title,
    ).toBe('Lead')
    expect((await call(mock, `/profile/v4/Users/${seeded.id}`, token, { method: 'DELETE' })).status).toBe(409)
  })

  it('publishes provisionCompleted to an ESS subscriber when the provision completes', async () => {
    const mock = createMockConcur()
    const ess = await essSubscriber(mock, 'ups-sub', 'public.concur.user.provisioning')
    try {
      const token = await companyToken(mock)
      const created = await provision(mock, token, 'ev@example.org')
      expect(ess.got).toEqual([])
      mock.state.clock.advance(3)
      const got = await ess.received(1)
      expect(got).toHaveLength(1)
      const event = EventEnvelope.parse(JSON.parse(got[0]!))
      const documented = example('event-user-provisioning-provisionCompleted.json')
      expect(Object.keys(event).sort()).toEqual(Object.keys(documented).sort())
      expect(event).toMatchObject({
        topic: 'public.concur.user.provisioning',
        eventType: 'provisionCompleted',
        subtopic: created.meta.provisionId,
      })
      const facts = UserProvisioningFacts.parse(event.facts)
      expect(facts).toEqual({
        originator: 'com.concur.provisioning',
        provisionId: created.meta.provisionId,
        provisionStatusHref: created.meta.statusUrl,
        success: true,
      })
    } finally {
      await ess.close()
    }
  })
})
