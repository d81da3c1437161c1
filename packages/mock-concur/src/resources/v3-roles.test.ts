import { readdirSync, readFileSync } from 'node:fs'
import { RESOURCES } from '@concurkit/contract'
import { XMLParser } from 'fast-xml-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { rowProviderOf } from './row-providers.js'
import { call, issueToken, walk } from './v3-testing.js'

const V3 = RESOURCES.filter((r) => r.api === 'v3.0' && !rowProviderOf(r.name))
const OWNED = V3.filter((r) => r.userParam && r.name !== 'expense-group-configurations')

let mock: MockConcur
let admin: string
let user: string
let other: string
let companyToken: string

beforeAll(async () => {
  mock = createMockConcur({ seed: 5, size: 120, companies: 2, datacenters: ['us'] })
  admin = await issueToken(mock, { user: 0 })
  user = await issueToken(mock, { user: 2 })
  other = await issueToken(mock, { company: 1, user: 0 })
  companyToken = await issueToken(mock, { user: 'company' })
})

const login = (i: number, company = 0) => mock.state.user(mock.state.companies[company]!, i)!.loginId

describe('roles', () => {
  for (const row of OWNED) {
    it(`${row.name}: users see their own records, admins anyone's or ALL, others get 403`, async () => {
      const own = await walk(mock, `${row.path}?limit=100`, user)
      const all = await walk(mock, `${row.path}?limit=100&user=ALL`, admin)
      const asAdmin = await walk(mock, `${row.path}?limit=100&user=${encodeURIComponent(login(2))}`, admin)
      expect(own.items.length).toBeGreaterThan(0)
      expect(all.items.length).toBeGreaterThan(own.items.length)
      expect(asAdmin.items).toEqual(own.items)
      const self = await walk(mock, `${row.path}?limit=100&user=${encodeURIComponent(login(2))}`, user)
      expect(self.items).toEqual(own.items)
      for (const q of ['user=ALL', `user=${encodeURIComponent(login(3))}`]) {
        const res = await call(mock, `${row.path}?${q}`, user)
        expect(res.status, q).toBe(403)
        expect(((await res.json()) as { Error: { Message: string } }).Error.Message).toMatch(/Forbidden/)
      }
      const company = await walk(mock, `${row.path}?limit=100`, companyToken)
      expect(company.items).toEqual(all.items)
      const foreign = all.items.find((i) => !own.items.some((o) => o.ID === i.ID))!
      const res = await call(mock, `${row.itemPath!.replace('{id}', String(foreign.ID))}`, user)
      expect(res.status).toBe(403)
    })
  }

  it("one company's token never reads another company's data", async () => {
    const mine = await walk(mock, '/api/v3.0/expense/reports?user=ALL&limit=100', admin)
    const theirs = await walk(mock, '/api/v3.0/expense/reports?user=ALL&limit=100', other, 1)
    expect(theirs.items.some((t) => mine.items.some((m) => m.ID === t.ID))).toBe(false)
    const id = String(mine.items[0]!.ID)
    expect((await call(mock, `/api/v3.0/expense/reports/${id}`, other, { company: 1 })).status).toBe(404)
    const res = await call(mock, `/api/v3.0/expense/reports?user=${encodeURIComponent(login(2))}`, other, {
      company: 1,
    })
    expect(res.status).toBe(400)
  })

  it('refuses user=ALL on a GET by id, a missing token (401) and a token without the scope (403)', async () => {
    const list = (await (await call(mock, '/api/v3.0/expense/reports?limit=1', admin)).json()) as {
      Items: { ID: string }[]
    }
    const res = await call(mock, `/api/v3.0/expense/reports/${list.Items[0]!.ID}?user=ALL`, admin)
    expect(res.status).toBe(400)
    expect((await mock.app.request('/api/v3.0/expense/reports')).status).toBe(401)
    const narrow = await issueToken(mock, { user: 0, scopes: ['EXPRPT', 'openid'] })
    expect((await call(mock, '/api/v3.0/expense/attendees', narrow)).status).toBe(403)
    expect((await call(mock, '/api/v3.0/common/users', narrow)).status).toBe(403)
    const reader = await issueToken(mock, { user: 0, scopes: ['user_read'] })
    expect((await call(mock, '/api/v3.0/common/users', reader)).status).toBe(200)
  })

  it('lets a user list only their own user record; admins list everyone', async () => {
    const own = await walk(mock, '/api/v3.0/common/users', user)
    expect(own.items.map((u) => u.LoginID)).toEqual([login(2)])
    const all = await walk(mock, '/api/v3.0/common/users?limit=100', admin)
    expect(all.items.length).toBe(mock.state.companies[0]!.userCount)
    // `user` filters by login; `user=ALL` is everyone, for administrators only
    const everyone = await walk(mock, '/api/v3.0/common/users?limit=100&user=ALL', admin)
    expect(everyone.items.map((u) => u.LoginID)).toEqual(all.items.map((u) => u.LoginID))
    const one = await walk(mock, `/api/v3.0/common/users?user=${encodeURIComponent(login(2))}`, admin)
    expect(one.items.map((u) => u.LoginID)).toEqual([login(2)])
    expect((await call(mock, '/api/v3.0/common/users?user=all', user)).status).toBe(403)
  })
})

describe('JSON and XML by Accept', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false })
  for (const row of V3) {
    it(`${row.name}`, async () => {
      const q = row.userParam ? '?user=ALL&limit=3' : '?limit=3'
      const json = (await (await call(mock, `${row.path}${q}`, admin)).json()) as {
        Items: Record<string, unknown>[]
        NextPage: string | null
      }
      const res = await call(mock, `${row.path}${q}`, admin, { headers: { accept: 'application/xml' } })
      expect(res.headers.get('content-type')).toMatch(/application\/xml/)
      expect(res.headers.get('concur-correlationid')).toBeTruthy()
      const doc = parser.parse(await res.text()) as Record<string, Record<string, unknown>>
      const root = doc[row.xml!.listRoot]!
      expect(root['@_xmlns']).toBe(row.xml!.namespace)
      const raw = (root.Items as Record<string, unknown>)[row.xml!.item]
      const items = (Array.isArray(raw) ? raw : [raw]) as Record<string, unknown>[]
      expect(items.map((i) => i.ID)).toEqual(json.Items.map((i) => i.ID))
      expect(Object.keys(items[0]!)).toEqual(Object.keys(json.Items[0]!))
      if (json.NextPage) expect(root.NextPage).toBe(json.NextPage)
      const one = await call(mock, row.itemPath!.replace('{id}', String(json.Items[0]!.ID)), admin, {
        headers: { accept: 'application/xml' },
      })
      const single = parser.parse(await one.text()) as Record<string, Record<string, unknown>>
      const name = row.name === 'receipt-images' ? 'Image' : row.xml!.item
      expect(single[name], row.name).toBeDefined()
    })
  }

  it('renders errors as XML when XML is asked for', async () => {
    const res = await call(mock, '/api/v3.0/expense/reports?limit=0', admin, {
      headers: { accept: 'application/xml' },
    })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/<Error><Message>.*'limit'.*<\/Message>/)
  })
})

describe('the documentation examples', () => {
  const dir = new URL('../../../../fixtures/concur-examples/', import.meta.url)
  const files = readdirSync(dir).filter(
    (f) => /^expense-v3-.*\.json$/.test(f) && !f.includes('create-response'),
  )
  const byExample: Record<string, string> = {
    allocation: 'expense-allocations',
    attendee: 'expense-attendees',
    attendeetype: 'expense-attendee-types',
    entryattendeeassociation: 'entry-attendee-associations',
    expensegroupconfiguration: 'expense-group-configurations',
    itemization: 'expense-itemizations',
    report: 'expense-reports',
  }
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
  // The documentation abbreviates this list sample (no AttendeeTypes, ID, URI); its GET sample has the full item.
  const ABBREVIATED = new Set(['expense-v3-expensegroupconfigurations-list.json'])
  const sameShape = (example: Record<string, unknown>, actual: Record<string, unknown>, where: string) => {
    if (ABBREVIATED.has(where.split(' ')[0]!))
      expect(Object.keys(actual)).toEqual(expect.arrayContaining(Object.keys(example)))
    else expect(Object.keys(actual).sort(), where).toEqual(Object.keys(example).sort())
    for (const [k, v] of Object.entries(example)) {
      if (v === null || actual[k] === null) continue
      expect(typeOf(actual[k]), `${where}.${k}`).toBe(typeOf(v))
    }
  }

  for (const file of files) {
    it(file, async () => {
      const example = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>
      const key = file
        .replace(/^expense-v3-/, '')
        .replace(/-(get|list)\.json$/, '')
        .replace(/s$/, '')
      const row = RESOURCES.find((r) => r.name === byExample[key])!
      const list = (await (
        await call(mock, `${row.path}?limit=100${row.userParam ? '&user=ALL' : ''}`, admin)
      ).json()) as {
        Items: Record<string, unknown>[]
      }
      const exampleItem = (Array.isArray(example.Items) ? example.Items[0] : example) as Record<
        string,
        unknown
      >
      for (const item of list.Items) sameShape(exampleItem, item, `${file} ${String(item.ID)}`)
      if (Array.isArray(example.Items))
        expect(Object.keys(example).every((k) => k === 'Items' || k === 'NextPage')).toBe(true)
    })
  }

  it('create responses have the documented {ID, URI} shape', async () => {
    const res = await call(mock, '/api/v3.0/expense/reports', user, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Name: 'Example' }),
    })
    const example = JSON.parse(readFileSync(new URL('expense-v3-report-create-response.json', dir), 'utf8'))
    const body = (await res.json()) as Record<string, unknown>
    expect(Object.keys(body)).toEqual(Object.keys(example))
  })
})
