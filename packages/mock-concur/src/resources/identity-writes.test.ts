import {
  EventEnvelope,
  IdentityError,
  IdentityProfileFacts,
  IdentityUser,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_PATCH_OP,
  UPS_SPEND_USER_SCHEMA,
} from '@concurkit/contract'
import { describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { essSubscriber, example, json, patchOp } from './scim-testing.js'
import { call, issueToken } from './v3-testing.js'

/** A documented Identity request body pointed at the mock's first company. */
function documented(mock: MockConcur, file: string): Record<string, unknown> {
  const body = example(file)
  const ent = body[SCIM_ENTERPRISE_SCHEMA] as Record<string, unknown>
  return { ...body, [SCIM_ENTERPRISE_SCHEMA]: { ...ent, companyId: mock.state.companies[0]!.id } }
}

describe('Identity v4 / v4.1 writes (mock)', () => {
  it.each(['v4', 'v4.1'] as const)(
    '%s: POST (200), PUT, PATCH (documented bodies) and DELETE (204)',
    async (v) => {
      const mock = createMockConcur()
      const token = await issueToken(mock, { user: 'company' })
      const base = `/profile/identity/${v}`
      const post = await call(
        mock,
        `${base}/Users`,
        token,
        json('POST', documented(mock, `identity-${v}-user-post-request.json`)),
      )
      expect(post.status).toBe(200)
      const created = IdentityUser.parse(await post.json())
      const response = example(`identity-${v}-user-post-response.json`)
      // The answer carries the documented response's attributes.
      for (const k of [
        'schemas',
        'id',
        'userName',
        'active',
        'name',
        'emails',
        'meta',
        SCIM_ENTERPRISE_SCHEMA,
      ])
        if (k in response) expect(created).toHaveProperty([k])
      expect(created.meta?.location).toBe(
        `${mock.state.baseUrl(mock.state.companies[0]!.datacenter)}${base}/Users/${created.id}`,
      )
      const got = IdentityUser.parse(await (await call(mock, `${base}/Users/${created.id}`, token)).json())
      expect(got).toEqual(created)

      const patch = await call(
        mock,
        `${base}/Users/${created.id}`,
        token,
        json('PATCH', example(`identity-${v}-user-patch-request.json`)),
      )
      expect(patch.status).toBe(200)
      const patched = IdentityUser.parse(await patch.json())
      expect(patched.nickName).toMatch(/^Updated_/)
      expect(patched.meta?.version).toBe((created.meta?.version ?? 0) + 1)

      const put = await call(
        mock,
        `${base}/Users/${created.id}`,
        token,
        json('PUT', documented(mock, `identity-${v}-user-put-request.json`)),
      )
      expect(put.status).toBe(200)
      const replaced = IdentityUser.parse(await put.json())
      expect(replaced.nickName).toBeNull()
      expect(replaced.id).toBe(created.id)

      expect((await call(mock, `${base}/Users/${created.id}`, token, { method: 'DELETE' })).status).toBe(204)
      expect((await call(mock, `${base}/Users/${created.id}`, token)).status).toBe(404)
      expect((await call(mock, `${base}/Users/${created.id}`, token, { method: 'DELETE' })).status).toBe(404)
    },
  )

  it('changes a seeded user in Identity and in the legacy users view; never deletes one', async () => {
    const mock = createMockConcur()
    const token = await issueToken(mock, { user: 'company' })
    const u = mock.state.companies[0]!.users[3]!
    const res = await call(
      mock,
      `/profile/identity/v4.1/Users/${u.id}`,
      token,
      patchOp([
        { op: 'replace', path: 'name.familyName', value: 'Renamed' },
        { op: 'replace', path: 'active', value: false },
      ]),
    )
    expect(res.status).toBe(200)
    const user = IdentityUser.parse(await res.json())
    expect(user).toMatchObject({
      id: u.id,
      userName: u.loginId,
      active: false,
      displayName: `${u.firstName} Renamed`,
    })
    const v3 = (await (await call(mock, `/api/v3.0/common/users?user=${u.loginId}`, token)).json()) as {
      Items: Record<string, unknown>[]
    }
    expect(v3.Items[0]).toMatchObject({ LoginID: u.loginId, LastName: 'Renamed', Active: false })
    const v1 = await (await call(mock, `/api/user/v1.0/user?loginID=${u.loginId}`, token)).text()
    expect(v1).toContain('<LastName>Renamed</LastName>')
    expect(v1).toContain('<Active>N</Active>')
    const search = await call(
      mock,
      '/profile/identity/v4.1/Users/.search',
      token,
      json('POST', {
        schemas: ['urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest'],
        filter: 'name.familyName eq "Renamed"',
      }),
    )
    expect(((await search.json()) as { Resources: { id: string }[] }).Resources.map((r) => r.id)).toEqual([
      u.id,
    ])
    const del = await call(mock, `/profile/identity/v4/Users/${u.id}`, token, { method: 'DELETE' })
    expect(del.status).toBe(409)
    expect(IdentityError.parse(await del.json()).detail).toContain('transaction history')
  })

  it('refuses spend extensions, user tokens, tokens without a write scope; bad PatchOps change nothing', async () => {
    const mock = createMockConcur()
    const token = await issueToken(mock, { user: 'company' })
    const body = documented(mock, 'identity-v4.1-user-post-request.json')
    const spend = await call(
      mock,
      '/profile/identity/v4.1/Users',
      token,
      json('POST', {
        ...body,
        [UPS_SPEND_USER_SCHEMA]: { reimbursementCurrency: 'USD', country: 'US', locale: 'en-US' },
      }),
    )
    expect(spend.status).toBe(400)
    expect(IdentityError.parse(await spend.json())).toMatchObject({
      scimType: 'invalidSyntax',
      detail: expect.stringContaining('User Provisioning v4'),
    })
    const asUser = await issueToken(mock, { user: 2 })
    expect((await call(mock, '/profile/identity/v4.1/Users', asUser, json('POST', body))).status).toBe(403)
    const readOnly = await issueToken(mock, { user: 'company', scopes: ['EXPRPT'] })
    expect((await call(mock, '/profile/identity/v4.1/Users', readOnly, json('POST', body))).status).toBe(403)
    const u = mock.state.companies[0]!.users[2]!
    const generation = () =>
      (mock.state.stores.get('dataset-overlay') as { generation: number } | undefined)?.generation
    const before = generation()
    for (const patch of [
      { Operations: [{ op: 'replace', path: 'nickName', value: 'x' }] },
      { schemas: [SCIM_PATCH_OP], Operations: [{ op: 'move', path: 'nickName' }] },
      { schemas: [SCIM_PATCH_OP], Operations: [{ op: 'replace', path: 'no such [path', value: 1 }] },
      {
        schemas: [SCIM_PATCH_OP],
        Operations: [{ op: 'replace', path: `${SCIM_ENTERPRISE_SCHEMA}:companyId`, value: 'x' }],
      },
      { schemas: [SCIM_PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: 'yes' }] },
    ]) {
      const res = await call(mock, `/profile/identity/v4.1/Users/${u.id}`, token, json('PATCH', patch))
      expect(res.status, JSON.stringify(patch)).toBe(400)
      IdentityError.parse(await res.json())
    }
    const after = IdentityUser.parse(
      await (await call(mock, `/profile/identity/v4.1/Users/${u.id}`, token)).json(),
    )
    expect(after.nickName).toBeNull()
    expect(after.active).toBe(true)
    expect(generation()).toBe(before)
  })

  it('publishes IdentityProfileCreated / Updated (changed attributes) / Deleted to an ESS subscriber', async () => {
    const mock = createMockConcur()
    const c = mock.state.companies[0]!
    const ess = await essSubscriber(mock, 'identity-sub', 'public.concur.user.profile.identity')
    try {
      const token = await issueToken(mock, { user: 'company' })
      const body = documented(mock, 'identity-v4.1-user-post-request.json')
      const created = IdentityUser.parse(
        await (await call(mock, '/profile/identity/v4.1/Users', token, json('POST', body))).json(),
      )
      await call(
        mock,
        `/profile/identity/v4.1/Users/${created.id}`,
        token,
        patchOp([
          { op: 'replace', path: 'name.familyName', value: 'Roe' },
          { op: 'replace', path: 'active', value: false },
        ]),
      )
      await call(mock, `/profile/identity/v4.1/Users/${created.id}`, token, { method: 'DELETE' })
      const events = (await ess.received(3)).map((b) => EventEnvelope.parse(JSON.parse(b)))
      expect(events.map((e) => e.eventType)).toEqual([
        'IdentityProfileCreated',
        'IdentityProfileUpdated',
        'IdentityProfileDeleted',
      ])
      // The envelope keys of the documented sample (its copy is not strict JSON: a closing brace is missing).
      expect(Object.keys(events[0]!).sort()).toEqual(
        ['correlationId', 'eventType', 'facts', 'id', 'subtopic', 'timeStamp', 'topic'].sort(),
      )
      const facts = events.map((e) => IdentityProfileFacts.parse(e.facts))
      expect(facts[0]).toEqual({
        originator: 'com.concur.profile',
        companyId: c.id,
        userId: created.id,
        userHref: `${mock.state.baseUrl(c.datacenter)}/profile/identity/v4/Users/${created.id}`,
        attributes: null,
      })
      expect(facts[1]!.attributes?.sort()).toEqual([
        'active',
        'displayName',
        'name.familyName',
        'name.formatted',
      ])
      expect(events.every((e) => e.subtopic === created.id)).toBe(true)
    } finally {
      await ess.close()
    }
  })
})
