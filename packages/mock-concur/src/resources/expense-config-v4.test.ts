import {
  AttendeesV4Error,
  AttendeesV4Page,
  AttendeeTypeV4,
  AttendeeV4Created,
  ExpenseConfigV4Error,
  ExpenseConfigV4ExpenseType,
  ExpenseConfigV4Group,
  ExpenseConfigV4GroupConfig,
  ExpenseConfigV4PaymentType,
  ExpenseConfigV4Policy,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { datasetOf } from '../dataset/dataset.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { attendeeIndexOfV4Id, attendeeV4Id } from './expense-config-v4.js'
import { call, issueToken, walk } from './v3-testing.js'

let mock: MockConcur
let company: string
let admin: string
let user: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 22, size: 120, companies: 2, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
  admin = await issueToken(mock, { user: 0 })
  user = await issueToken(mock, { user: 5 })
})

const companyOf = (c = 0) => mock.state.companies[c]!
const userId = (u: number, c = 0) => mock.state.user(companyOf(c), u)!.id
const ds = () => datasetOf(mock.state.options.seed, companyOf())

async function ok<T = unknown>(res: Response, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return (text ? JSON.parse(text) : undefined) as T
}

const json = (method: string, body: unknown, token = admin) => ({
  method,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify(body),
})

/** Every attendee of a walk of /v4/attendees from a first URL. */
async function walkV4(first: string, token: string) {
  const items: z.infer<typeof AttendeesV4Page>['items'] & {} = []
  let url: string | undefined = first
  let pages = 0
  while (url) {
    const page = AttendeesV4Page.parse(await ok(await call(mock, url, token)))
    items.push(...(page.items ?? []))
    url = page.nextPage ?? undefined
    pages++
    expect(pages).toBeLessThan(200)
  }
  return { items, pages }
}

describe('Expense Configuration v4', () => {
  it('serves a user the same configuration as the v3.0 group configurations', async () => {
    const u = userId(5)
    const v3 = await walk(mock, '/api/v3.0/expense/expensegroupconfigurations', user)
    const first = v3.items[0] as {
      Name: string
      Policies: { ID: string; Name: string }[]
      PaymentTypes: { ID: string; Name: string; IsDefault: boolean }[]
      AttendeeTypes: { Code: string; Name: string }[]
    }
    const config = ExpenseConfigV4GroupConfig.parse(
      await ok(await call(mock, `/expenseconfig/v4/users/${u}/groupconfigs`, user)),
    )
    expect(config.groupName).toBe(first.Name)
    expect(config.paymentTypes).toEqual(
      first.PaymentTypes.map((p) => ({
        paymentTypeId: p.ID,
        paymentTypeName: p.Name,
        isDefault: p.IsDefault,
      })),
    )
    expect(config.attendeeTypes?.map((t) => t.attendeeTypeCode)).toEqual(
      first.AttendeeTypes.map((t) => t.Code),
    )
    const policies = z
      .array(ExpenseConfigV4Policy)
      .parse(await ok(await call(mock, `/expenseconfig/v4/users/${u}/policies`, user)))
    const v3Policies = v3.items.flatMap((g) => (g as typeof first).Policies.map((p) => p.ID))
    expect(policies.map((p) => p.policyId)).toEqual(v3Policies)
    expect(policies.filter((p) => p.isDefault)).toHaveLength(1)
    const types = z
      .array(ExpenseConfigV4ExpenseType)
      .parse(
        await ok(
          await call(
            mock,
            `/expenseconfig/v4/users/${u}/policies/${policies[1]!.policyId}/expensetypes`,
            user,
          ),
        ),
      )
    expect(types.length).toBeGreaterThan(5)
    expect(types.find((t) => t.expenseTypeId === 'AIRFR')).toMatchObject({ expenseTypeName: 'Airfare' })
    z.array(ExpenseConfigV4PaymentType).parse(
      await ok(await call(mock, `/expenseconfig/v4/users/${u}/paymenttypes`, company)),
    )
  })

  it('serves the company groups and one group by hierarchyNodeId, under /companies/ and /company/', async () => {
    const c = companyOf().id
    const groups = z
      .array(ExpenseConfigV4Group)
      .parse(await ok(await call(mock, `/expenseconfig/v4/companies/${c}/groupconfigs`, company)))
    expect(groups.map((g) => g.groupName)).toEqual(['United States', 'Canada', 'United Kingdom'])
    expect(groups[0]!.hierarchyNodeId).toMatch(/^[0-9A-F]{32}$/)
    const one = ExpenseConfigV4GroupConfig.parse(
      await ok(
        await call(
          mock,
          `/expenseconfig/v4/company/${c}/groupconfigs/${groups[1]!.hierarchyNodeId}`,
          company,
        ),
      ),
    )
    expect(one).toMatchObject(groups[1]!)
    expect(one.policies).toHaveLength(1)
  })

  it('answers the ErrorMessage body: 403 for another user or company or a missing scope, 404 unknown, 401 without a token', async () => {
    const err = async (res: Response, status: number) => {
      const text = await res.text()
      expect(res.status, text).toBe(status)
      return ExpenseConfigV4Error.parse(JSON.parse(text))
    }
    const e = await err(await call(mock, `/expenseconfig/v4/users/${userId(6)}/policies`, user), 403)
    expect(e.httpStatus).toBe('403 Forbidden')
    expect(e.path).toBe(`/expenseconfig/v4/users/${userId(6)}/policies`)
    await err(await call(mock, `/expenseconfig/v4/companies/${companyOf(1).id}/groupconfigs`, company), 403)
    await err(await call(mock, `/expenseconfig/v4/users/${userId(0, 1)}/policies`, company), 404)
    await err(await call(mock, `/expenseconfig/v4/users/${userId(5)}/policies/nope/expensetypes`, user), 404)
    await err(
      await call(mock, `/expenseconfig/v4/companies/${companyOf().id}/groupconfigs/ABC`, company),
      404,
    )
    await err(
      await mock.fetch(`${mock.state.baseUrl('us')}/expenseconfig/v4/users/${userId(5)}/policies`),
      401,
    )
    const noScope = await issueToken(mock, { user: 5, scopes: ['ATTEND'] })
    await err(await call(mock, `/expenseconfig/v4/users/${userId(5)}/policies`, noScope), 403)
    const scoped = await issueToken(mock, { user: 5, scopes: ['expense.config.policies.restricted.read'] })
    await ok(await call(mock, `/expenseconfig/v4/users/${userId(5)}/policies`, scoped))
  })
})

describe('Attendee Types v4', () => {
  it('serves the v3.0 attendee types to company tokens, with a type created through v3.0', async () => {
    const v3 = await walk(mock, '/api/v3.0/expense/attendeetypes', company)
    const res = await call(
      mock,
      '/api/v3.0/expense/attendeetypes',
      company,
      json('POST', { Code: 'VENDOR', Name: 'Vendor' }, company),
    )
    expect(res.status, await res.text()).toBe(200)
    const types = z.array(AttendeeTypeV4).parse(await ok(await call(mock, '/v4/attendeetypes', company)))
    expect(types.map((t) => t.code)).toEqual([...v3.items.map((t) => t.Code), 'VENDOR'])
    const guest = types.find((t) => t.code === 'BUSGUEST')!
    expect(guest.duplicateSearchFields).toEqual(['title', 'company', 'ownerEmpName', 'firstName', 'lastName'])
    expect(new Set(types.map((t) => t.id)).size).toBe(types.length)
    const e = await call(mock, '/v4/attendeetypes', admin)
    expect(e.status).toBe(403)
    AttendeesV4Error.parse(await e.json())
  })
})

describe('Attendees v4', () => {
  it('ids turn back into the v3.0 record index and belong to one company', () => {
    const id = attendeeV4Id(ds(), 1234)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(attendeeIndexOfV4Id(ds(), id)).toBe(1234)
    expect(attendeeIndexOfV4Id(datasetOf(22, companyOf(1)), id)).toBeUndefined()
    expect(attendeeIndexOfV4Id(ds(), 'not-a-uuid')).toBeUndefined()
  })

  it('lists every attendee of the company in pages, the same records and values as v3.0', async () => {
    const v4 = await walkV4('/v4/attendees?limit=7', company)
    const v3 = await walk(mock, '/api/v3.0/expense/attendees?user=ALL&limit=100', company)
    expect(v4.items).toHaveLength(v3.items.length)
    expect(v4.pages).toBe(Math.ceil(v3.items.length / 7))
    v4.items.forEach((a, k) => {
      const b = v3.items[k]!
      expect([a.lastName, a.firstName, a.externalId, a.attendeeTypeCode, a.totalAmountYtd]).toEqual([
        b.LastName,
        b.FirstName,
        b.ExternalID,
        b.AttendeeTypeCode,
        b.TotalAmountYTD,
      ])
    })
    expect(new Set(v4.items.map((a) => a.id)).size).toBe(v4.items.length)
    expect(v4.items[0]!.uri).toBe(`${mock.state.baseUrl('us')}/v4/attendees/${v4.items[0]!.id}`)
  })

  it('a user token lists its own attendees; filters narrow by type and external id', async () => {
    const own = await walkV4('/v4/attendees?limit=100', user)
    expect(own.items.length).toBeGreaterThan(0)
    expect(new Set(own.items.map((a) => a.ownerUserId))).toEqual(new Set([userId(5)]))
    const guests = await walkV4('/v4/attendees?attendeeTypeCode=SPOUSE&limit=100', company)
    expect(guests.items.length).toBeGreaterThan(0)
    expect(guests.items.every((a) => a.attendeeTypeCode === 'SPOUSE')).toBe(true)
    const picked = guests.items.slice(0, 3).map((a) => a.externalId!)
    const byExt = await walkV4(`/v4/attendees?externalId=${picked.join(',')}`, company)
    expect(byExt.items.map((a) => a.externalId)).toEqual(picked)
    const byIds = AttendeesV4Page.parse(
      await ok(await call(mock, `/v4/attendees?id=${guests.items[1]!.id},${guests.items[0]!.id}`, company)),
    )
    expect(byIds.items?.map((a) => a.id)).toEqual([guests.items[1]!.id, guests.items[0]!.id])
    const byUser = await walkV4(`/v4/attendees?userId=${userId(5)}&limit=100`, company)
    expect(byUser.items).toEqual(own.items)
    expect((await call(mock, `/v4/attendees?userId=${userId(6)}`, user)).status).toBe(403)
    expect((await call(mock, '/v4/attendees?limit=101', company)).status).toBe(400)
    expect((await call(mock, '/v4/attendees?offset=abc', company)).status).toBe(400)
    expect((await call(mock, `/v4/attendees?externalId=${'a,'.repeat(11)}`, company)).status).toBe(400)
  })

  it('a create through v4 shows in v3.0, a v3.0 update shows in v4, a v4 update in v3.0', async () => {
    const created = AttendeeV4Created.parse(
      await ok(
        await call(mock, '/v4/attendees', user, {
          ...json('POST', {
            attendeeTypeCode: 'BUSGUEST',
            firstName: 'Olive',
            lastName: 'Tree',
            company: 'The Lumbermill Company',
            externalId: 'OLIVE-1',
            custom8: 'NYC',
          }),
          headers: { 'content-type': 'application/json' },
        }),
      ),
    )
    expect(created.uri).toBe(`${mock.state.baseUrl('us')}/v4/attendees/${created.id}`)
    const v3 = (await walk(mock, '/api/v3.0/expense/attendees?externalID=OLIVE-1', user)).items
    expect(v3).toHaveLength(1)
    expect(v3[0]).toMatchObject({ LastName: 'Tree', FirstName: 'Olive', AttendeeTypeCode: 'BUSGUEST' })
    // the owner's own list (walked by stride over the seeded records) ends with the created one
    const own = await walkV4('/v4/attendees?limit=100', user)
    expect(own.items.at(-1)!.id).toBe(created.id)
    expect((await walkV4('/v4/attendees?externalId=OLIVE-1', user)).items.map((a) => a.id)).toEqual([
      created.id,
    ])
    expect((v3[0]!.Custom8 as { Value: string }).Value).toBe('NYC')
    const v3Id = String(v3[0]!.ID)
    await ok(
      await call(mock, `/api/v3.0/expense/attendees/${v3Id}`, user, json('PUT', { Title: 'Arborist' }, user)),
    )
    const one = AttendeesV4Page.parse(await ok(await call(mock, `/v4/attendees/${created.id}`, user)))
    expect(one.items![0]).toMatchObject({
      id: created.id,
      title: 'Arborist',
      ownerUserId: userId(5),
      custom8: { type: 'Text', value: 'NYC' },
      versionNumber: 1,
    })
    await ok(
      await call(mock, `/v4/attendees/${created.id}`, user, json('PUT', { lastName: 'Timber' }, user)),
      204,
    )
    const after = (await walk(mock, '/api/v3.0/expense/attendees?externalID=OLIVE-1', user)).items[0]!
    expect(after).toMatchObject({
      LastName: 'Timber',
      Title: 'Arborist',
      FirstName: 'Olive',
      VersionNumber: 2,
    })
    // a seeded attendee, updated through v4, changes in place in v3.0
    const seeded = (await walkV4('/v4/attendees?limit=1', user)).items[0]!
    await ok(
      await call(mock, `/v4/attendees/${seeded.id}`, user, json('PUT', { company: 'Moved Inc.' }, user)),
      204,
    )
    const v3Seeded = (await walk(mock, `/api/v3.0/expense/attendees?externalID=${seeded.externalId}`, user))
      .items
    expect(v3Seeded[0]!.Company).toBe('Moved Inc.')
  })

  it('refuses bad writes with validationErrors: missing fields, unknown type, NOSHOWS, duplicates', async () => {
    const post = async (body: unknown, token = user, query = '') => {
      const res = await call(mock, `/v4/attendees${query}`, token, json('POST', body, token))
      const text = await res.text()
      return {
        status: res.status,
        body:
          res.status >= 400 ? AttendeesV4Error.parse(JSON.parse(text)) : AttendeesV4Error.partial().parse({}),
      }
    }
    const missing = await post({ firstName: 'No' })
    expect(missing.status).toBe(400)
    expect(missing.body.validationErrors?.map((v) => v.source)).toEqual(
      expect.arrayContaining(['attendeeTypeCode', 'lastName']),
    )
    expect((await post({ attendeeTypeCode: 'NOPE', lastName: 'X' })).status).toBe(400)
    expect((await post({ attendeeTypeCode: 'NOSHOWS', lastName: 'X' })).status).toBe(400)
    const first = { attendeeTypeCode: 'SPOUSE', firstName: 'Sam', lastName: 'Same' }
    expect((await call(mock, '/v4/attendees', user, json('POST', first, user))).status).toBe(200)
    const dup = await post(first)
    expect(dup.status).toBe(400)
    expect(dup.body.validationErrors?.[0]?.id).toBe('duplicate')
    const noOwner = await post({ attendeeTypeCode: 'SPOUSE', lastName: 'Z' }, company)
    expect(noOwner.status).toBe(400)
    expect(
      (await post({ attendeeTypeCode: 'SPOUSE', lastName: 'Z' }, company, `?userId=${userId(7)}`)).status,
    ).toBe(200)
    const bad = await call(mock, '/v4/attendees', user, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    })
    expect(bad.status).toBe(400)
    const other = (await walkV4(`/v4/attendees?userId=${userId(6)}&limit=1`, company)).items[0]!
    expect((await call(mock, `/v4/attendees/${other.id}`, user)).status).toBe(404)
    expect((await call(mock, `/v4/attendees/${attendeeV4Id(ds(), 10 ** 7)}`, company)).status).toBe(404)
    const readOnly = await issueToken(mock, { user: 5, scopes: ['attendee.read'] })
    expect((await call(mock, '/v4/attendees', readOnly, json('POST', first, readOnly))).status).toBe(403)
    expect((await call(mock, '/v4/attendees', readOnly)).status).toBe(200)
  })
})

describe('Attendees v4 over a socket', () => {
  it('creates through v4 and reads through v3.0 on a real listener', async () => {
    const running = await mock.listen({ host: '127.0.0.1', port: 0 })
    try {
      const origin = running.datacenters.us!
      const res = await fetch(`${origin}/v4/attendees`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user}`, 'content-type': 'application/json' },
        body: JSON.stringify({ attendeeTypeCode: 'BUSGUEST', lastName: 'Socket', externalId: 'SOCK-1' }),
      })
      const created = AttendeeV4Created.parse(await ok(res))
      expect(created.uri).toBe(`${origin}/v4/attendees/${created.id}`)
      const v3 = await ok<{ Items: { LastName: string }[] }>(
        await fetch(`${origin}/api/v3.0/expense/attendees?externalID=SOCK-1`, {
          headers: { authorization: `Bearer ${user}`, accept: 'application/json' },
        }),
      )
      expect(v3.Items.map((a) => a.LastName)).toEqual(['Socket'])
    } finally {
      await running.close()
    }
  })
})
