import { getResource, RESOURCES, V3Collection } from '@concurkit/contract'
import { beforeAll, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { digestRecords } from './legacy/manifest.js'
import { rowProviderOf } from './row-providers.js'
import { call, issueToken, walk, withoutUri } from './v3-testing.js'

const V3 = RESOURCES.filter((r) => r.api === 'v3.0' && !rowProviderOf(r.name))

let mock: MockConcur
let admin: string
let manifest: { companies: { id: string; resources: Record<string, { count: number; sha256: string }> }[] }

beforeAll(async () => {
  mock = createMockConcur({ seed: 7, size: 60, companies: 2, datacenters: ['us'] })
  admin = await issueToken(mock, { user: 0 })
  const c = mock.state.companies[0]!
  manifest = { companies: [{ id: c.id, resources: {} }] }
  for (const row of V3) {
    const res = await mock.app.request(`/_mock/manifest?company=${c.id}&resource=${row.name}`)
    expect(res.status).toBe(200)
    const body = (await res.json()) as typeof manifest
    Object.assign(manifest.companies[0]!.resources, body.companies[0]!.resources)
  }
})

describe('v3.0 resources: walking every page matches the manifest', () => {
  for (const row of V3) {
    it(`${row.name}`, async () => {
      const c = mock.state.companies[0]!
      const q = row.userParam ? '?user=ALL&limit=7' : '?limit=7'
      const { items, pages } = await walk(mock, `${row.path}${q}`, admin)
      const expected = manifest.companies.find((x) => x.id === c.id)!.resources[row.name]!
      expect(items.length).toBe(expected.count)
      expect(digestRecords(withoutUri(items))).toEqual(expected)
      expect(new Set(items.map((i) => i.ID)).size).toBe(items.length)
      if (expected.count > 7) expect(pages).toBeGreaterThan(1)
      const schema = V3Collection(row.item)
      for (const item of items.slice(0, 20)) expect(() => schema.parse({ Items: [item] })).not.toThrow()
      for (const item of items)
        expect(String(item.URI)).toBe(
          `${mock.state.baseUrl(c.datacenter)}${row.itemPath!.replace('{id}', String(item.ID))}`,
        )
    })
  }

  it('gets one record by id with the same fields as in the list, and 404 for an unknown id', async () => {
    for (const row of V3) {
      const list = (await (
        await call(mock, `${row.path}?limit=1${row.userParam ? '&user=ALL' : ''}`, admin)
      ).json()) as {
        Items: Record<string, unknown>[]
      }
      const first = list.Items[0]!
      const res = await call(mock, `${row.itemPath!.replace('{id}', String(first.ID))}`, admin)
      expect(res.status, row.name).toBe(200)
      const body = (await res.json()) as Record<string, unknown>
      if (row.name === 'receipt-images') expect(Object.keys(body)).toEqual(['Id', 'Url'])
      else expect(body).toEqual(first)
      const missing = await call(mock, `${row.itemPath!.replace('{id}', 'NOPE0000')}`, admin)
      expect(missing.status).toBe(404)
      expect(((await missing.json()) as { Error: { Message: string } }).Error.Message).toBeTruthy()
    }
  })
})

describe('paging', () => {
  it('refuses bad limits and tampered offsets with the v3 error body', async () => {
    for (const limit of ['0', '101', 'abc', '-1', '2.5']) {
      const res = await call(mock, `/api/v3.0/expense/reports?limit=${limit}`, admin)
      expect(res.status).toBe(400)
      const body = (await res.json()) as { Error: { Message: string } }
      expect(body.Error.Message).toContain("'limit'")
    }
    const first = (await (await call(mock, '/api/v3.0/expense/reports?user=ALL&limit=5', admin)).json()) as {
      NextPage: string
    }
    const offset = new URL(first.NextPage).searchParams.get('offset')!
    for (const bad of ['garbage', `${offset}x`, offset.slice(0, -2), 'MTIzLmFiY2RlZjAxMjM0NQ']) {
      const res = await call(mock, `/api/v3.0/expense/reports?user=ALL&offset=${bad}`, admin)
      expect(res.status).toBe(400)
      expect(((await res.json()) as { Error: { Message: string } }).Error.Message).toContain("'offset'")
    }
  })

  it('defaults to 25 items (10 for expense group configurations) and ends with NextPage null', async () => {
    const res = await call(mock, '/api/v3.0/expense/entries?user=ALL', admin)
    const body = (await res.json()) as { Items: unknown[]; NextPage: string | null }
    expect(body.Items.length).toBe(25)
    expect(body.NextPage).toMatch(/^http:\/\/us\.concur\.localhost\/api\/v3\.0\/expense\/entries\?/)
    expect(getResource('expense-group-configurations').paging).toMatchObject({
      defaultLimit: 10,
      maxLimit: 100,
    })
    const last = (await (await call(mock, '/api/v3.0/expense/reports?user=ALL&limit=100', admin)).json()) as {
      NextPage: string | null
    }
    expect(last.NextPage).toBeNull()
  })

  it('visits every existing record exactly once while records are added during the walk', async () => {
    const m = createMockConcur({ seed: 3, size: 30, companies: 1, datacenters: ['us'] })
    const token = await issueToken(m, { user: 0 })
    const before = (await (
      await m.app.request('/_mock/manifest?resource=expense-reports')
    ).json()) as typeof manifest
    const seen: string[] = []
    let url: string | null = '/api/v3.0/expense/reports?user=ALL&limit=4'
    let added = 0
    while (url) {
      const body = (await (await call(m, url, token)).json()) as {
        Items: { ID: string }[]
        NextPage: string | null
      }
      seen.push(...body.Items.map((i) => i.ID))
      url = body.NextPage
      if (added < 3) {
        const res = await call(m, '/api/v3.0/expense/reports', token, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ Name: `Added ${added}` }),
        })
        expect(res.status).toBe(200)
        added++
      }
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBe(before.companies[0]!.resources['expense-reports']!.count + 3)
  })
})

describe('manifest', () => {
  it('lists every company and every counted resource, and refuses unknown names and stray filters', async () => {
    const m = createMockConcur({ seed: 1, size: 5, companies: 2, datacenters: ['us'] })
    const all = (await (await m.app.request('/_mock/manifest')).json()) as typeof manifest
    expect(all.companies.map((c) => c.id)).toEqual(m.state.companies.map((c) => c.id))
    for (const row of V3)
      expect(all.companies[0]!.resources[row.name]).toMatchObject({ count: expect.any(Number) })
    expect((await m.app.request('/_mock/manifest?resource=nope')).status).toBe(400)
    expect((await m.app.request('/_mock/manifest?approvalStatusCode=A_APPR')).status).toBe(400)
    expect((await m.app.request('/_mock/manifest?company=nope')).status).toBe(404)
    expect((await m.app.request('/_mock/manifest?resource=expense-reports&hasVAT=maybe')).status).toBe(400)
    const locked = createMockConcur({ size: 5, companies: 1, adminKey: 'k-123' })
    expect((await locked.app.request('/_mock/manifest')).status).toBe(401)
    expect(
      (await locked.app.request('/_mock/manifest', { headers: { 'x-mock-admin-key': 'k-123' } })).status,
    ).toBe(200)
    const change = { method: 'POST', body: JSON.stringify({ action: 'create', fields: {} }) }
    expect((await locked.app.request('/_mock/dataset/expense-reports', change)).status).toBe(401)
  })
})

describe('lists (read alongside list items)', () => {
  it('serves /common/lists and every list item points at a served list and an existing parent', async () => {
    const lists = await walk(mock, '/api/v3.0/common/lists?limit=2', admin)
    expect(lists.items.length).toBe(6)
    expect(lists.pages).toBe(3)
    const one = await call(mock, `/api/v3.0/common/lists/${String(lists.items[1]!.ID)}`, admin)
    expect(await one.json()).toEqual(lists.items[1])
    const ids = new Set(lists.items.map((l) => l.ID))
    const items = await walk(mock, '/api/v3.0/common/listitems?limit=100', admin)
    const itemIds = new Set(items.items.map((i) => i.ID))
    for (const item of items.items) {
      expect(ids.has(item.ListID)).toBe(true)
      if (item.ParentID !== null) expect(itemIds.has(item.ParentID)).toBe(true)
    }
    const children = await walk(
      mock,
      `/api/v3.0/common/listitems?listId=${String(lists.items[1]!.ID)}`,
      admin,
    )
    expect(children.items.every((i) => i.ListID === lists.items[1]!.ID)).toBe(true)
  })
})
