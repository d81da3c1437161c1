import {
  ListV4BulkResponse,
  ListV4Error,
  ListV4Item,
  ListV4ItemPage,
  ListV4List,
  ListV4ListPage,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { call, issueToken, walk } from './v3-testing.js'

let mock: MockConcur
let company: string
let admin: string
let user: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 21, size: 50, companies: 1, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
  admin = await issueToken(mock, { user: 0 })
  user = await issueToken(mock, { user: 2 })
})

/** A token of app `app` of company 0 with exactly these scopes. */
async function tokenWith(scopes: string[], app = 0): Promise<string> {
  const c = mock.state.companies[0]!
  const { token } = await mock.state.tokens.issueAccessToken({
    type: 'company',
    companyId: c.id,
    subject: c.id,
    clientId: c.apps[app]!.clientId,
    scopes: scopes as never,
    issuer: mock.state.baseUrl(c.datacenter),
  })
  return token
}

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text) as T
}

async function fails(res: Response, status: number, id: string) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  const body = ListV4Error.parse(JSON.parse(text))
  expect(body.error.id).toBe(id)
  expect(body.httpStatus).toMatch(new RegExp(`^${status} - `))
  expect(body.path).toMatch(/^\/list\/v4\//)
  return body
}

const lists = async (query = '', token = company) =>
  ListV4ListPage.parse(await ok(await call(mock, `/list/v4/lists${query}`, token)))
const children = async (path: string, token = company) =>
  ListV4ItemPage.parse(await ok(await call(mock, path, token)))
const listNamed = async (name: string) => (await lists()).content.find((l) => l.value === name)!

describe('List v4 reads: the lists and items of the v3.0 list APIs', () => {
  it('serves every v3.0 list in the page envelope, sorted by name, with stable UUIDs', async () => {
    const page = await lists()
    const v3 = await walk(mock, '/api/v3.0/common/lists', company)
    expect(page.page).toEqual({ size: 100, totalElements: v3.items.length, totalPages: 1, number: 1 })
    expect(page.links).toEqual([])
    expect(page.content.map((l) => l.value)).toEqual(v3.items.map((l) => String(l.Name)).sort())
    const projects = page.content.find((l) => l.value === 'Projects')!
    expect(projects).toMatchObject({ levelCount: 2, searchCriteria: 'TEXT', displayFormat: 'TEXT (CODE)' })
    expect(page.content.find((l) => l.value === 'Preferred Vendors')!.category.type).toBe('Vendor')
    expect(page.content.find((l) => l.value === 'Cost Centers')).toMatchObject({
      searchCriteria: 'CODE',
      displayFormat: '(CODE) TEXT',
      category: { type: 'Normal' },
      managedBy: null,
    })
    // Same seed, same ids; v4 ids are UUIDs, not the v3.0 IDs.
    const again = createMockConcur({ seed: 21, size: 50, companies: 1, datacenters: ['us'] })
    const token = await issueToken(again, { user: 'company' })
    const other = ListV4ListPage.parse(await (await call(again, '/list/v4/lists', token)).json())
    expect(other.content.map((l) => l.id)).toEqual(page.content.map((l) => l.id))
    expect(page.content.map((l) => l.id)).not.toContain(v3.items[0]!.ID)
    const one = ListV4List.parse(await ok(await call(mock, `/list/v4/lists/${projects.id}`, user)))
    expect(one).toEqual(projects)
  })

  it('filters with field=<op>:<value>, sorts, and answers bad parameters with the List v4 error body', async () => {
    const names = async (q: string) => (await lists(q)).content.map((l) => l.value)
    expect(await names('?value=sw:p')).toEqual(['Preferred Vendors', 'Projects'])
    expect(await names('?value=Regions')).toEqual(['Regions'])
    expect(await names('?value=cp:ENT')).toEqual(['Cost Centers', 'Departments'])
    expect(await names('?levelCount=gt:1')).toEqual(['Projects', 'Regions'])
    expect(await names('?levelCount=gt:1&value=ew:s&sortDirection=desc')).toEqual(['Regions', 'Projects'])
    expect(await names('?category.type=eq:Vendor')).toEqual(['Preferred Vendors'])
    expect((await names('?category.type=not:Vendor')).length).toBe(5)
    expect(await names('?isDeleted=true')).toEqual([])
    expect(
      (await lists('?sortBy=levelcount&sortDirection=desc')).content.slice(0, 2).map((l) => l.value),
    ).toEqual(['Regions', 'Projects'])
    const bad = await fails(
      await call(mock, '/list/v4/lists?value=gt:A', company),
      400,
      'request.validation.error',
    )
    expect(bad.validationErrors?.[0]?.source).toBe('value')
    await fails(await call(mock, '/list/v4/lists?page=0', company), 400, 'request.validation.error')
    await fails(await call(mock, '/list/v4/lists?sortBy=id', company), 400, 'request.validation.error')
    await fails(await call(mock, '/list/v4/lists?limit=5', company), 400, 'request.validation.error')
    const past = await lists('?page=2')
    expect(past.content).toEqual([])
    expect(past.page.number).toBe(2)
    await fails(
      await call(mock, '/list/v4/lists/4b8a0c61-0000-4000-8000-000000000000', company),
      404,
      'list.not.found',
    )
    await fails(await call(mock, '/list/v4/nothing', company), 404, 'resource.not.found')
  })

  it('serves the hierarchy: first-level children of a list, children of an item, long codes', async () => {
    const projects = await listNamed('Projects')
    const top = await children(`/list/v4/lists/${projects.id}/children`)
    expect(top.content.length).toBe(8)
    for (const item of top.content) {
      expect(item).toMatchObject({
        level: 1,
        parentId: null,
        code: item.shortCode,
        lists: [{ id: projects.id, hasChildren: true }],
      })
    }
    const parent = top.content[0]!
    const kids = await children(`/list/v4/items/${parent.id}/children?sortBy=shortCode`)
    expect(kids.content.length).toBe(4)
    for (const k of kids.content) {
      expect(k).toMatchObject({ level: 2, parentId: parent.id, code: `${parent.code}-${k.shortCode}` })
      expect(ListV4Item.parse(await ok(await call(mock, `/list/v4/items/${k.id}`, company)))).toEqual(k)
    }
    expect(kids.content.map((k) => k.shortCode)).toEqual([...kids.content.map((k) => k.shortCode)].sort())
    expect(await children(`/list/v4/lists/${projects.id}/items/${parent.id}/children`)).toEqual(
      await children(`/list/v4/items/${parent.id}/children`),
    )
    // The same items v3.0 serves: names and level codes.
    const v3 = await walk(
      mock,
      `/api/v3.0/common/listitems?limit=100&name=${encodeURIComponent(kids.content[0]!.value)}`,
      company,
    )
    expect(
      v3.items.some((i) => i.Level1Code === parent.shortCode && i.Level2Code === kids.content[0]!.shortCode),
    ).toBe(true)
    const costCenters = await listNamed('Cost Centers')
    const cc = await children(`/list/v4/lists/${costCenters.id}/children?shortCodeOrValue=sw:CC100`)
    expect(cc.content.map((i) => i.shortCode)).toEqual([
      'CC1000',
      'CC1001',
      'CC1002',
      'CC1003',
      'CC1004',
      'CC1005',
      'CC1006',
      'CC1007',
      'CC1008',
      'CC1009',
    ])
    expect((await children(`/list/v4/lists/${projects.id}/children?hasChildren=false`)).content).toEqual([])
    const elsewhere = await listNamed('Regions')
    await fails(
      await call(mock, `/list/v4/lists/${elsewhere.id}/items/${parent.id}/children`, company),
      404,
      'item.not.found',
    )
  })
})

describe('List v4 writes share the v3.0 records', () => {
  it('an item added through List Item v4 is listed by v3.0 list items, and the reverse', async () => {
    const cc = await listNamed('Cost Centers')
    const v3List = (await walk(mock, '/api/v3.0/common/lists', company)).items.find(
      (l) => l.Name === 'Cost Centers',
    )!
    const post = await call(
      mock,
      '/list/v4/items',
      admin,
      send('POST', { listId: cc.id, shortCode: 'CC9000', value: 'Cost Center 9000' }),
    )
    const made = ListV4Item.parse(await ok(post, 201))
    expect(post.headers.get('location')).toBe(`${mock.state.baseUrl('us')}/list/v4/items/${made.id}`)
    expect(made).toMatchObject({
      code: 'CC9000',
      level: 1,
      parentId: null,
      isDeleted: false,
      lists: [{ id: cc.id, hasChildren: false }],
    })
    const v3 = await walk(mock, `/api/v3.0/common/listitems?listId=${v3List.ID}&limit=100`, company)
    const seen = v3.items.find((i) => i.Level1Code === 'CC9000')!
    expect(seen).toMatchObject({ Name: 'Cost Center 9000', ListID: v3List.ID, Level2Code: null })

    // v3.0 → v4: a second-level item under a Projects parent, created and renamed through v3.0.
    const projects = await listNamed('Projects')
    const parent = (await children(`/list/v4/lists/${projects.id}/children`)).content[0]!
    const v3Projects = (await walk(mock, '/api/v3.0/common/lists', company)).items.find(
      (l) => l.Name === 'Projects',
    )!
    const created = await ok<{ ID: string }>(
      await call(
        mock,
        '/api/v3.0/common/listitems',
        admin,
        send('POST', {
          ListID: v3Projects.ID,
          Name: 'Night shift',
          Level1Code: parent.shortCode,
          Level2Code: 'NIGHT',
        }),
      ),
    )
    const kids = await children(`/list/v4/items/${parent.id}/children?shortCode=NIGHT`)
    expect(kids.content).toHaveLength(1)
    expect(kids.content[0]).toMatchObject({
      code: `${parent.code}-NIGHT`,
      value: 'Night shift',
      level: 2,
      parentId: parent.id,
    })
    const renamedV3 = await call(
      mock,
      `/api/v3.0/common/listitems/${created.ID}`,
      admin,
      send('PUT', { Name: 'Late shift' }),
    )
    expect(renamedV3.status).toBe(200)
    expect((await children(`/list/v4/items/${parent.id}/children?shortCode=NIGHT`)).content[0]!.value).toBe(
      'Late shift',
    )

    // v4 update and delete show in v3.0.
    const put = ListV4Item.parse(
      await ok(
        await call(
          mock,
          `/list/v4/items/${made.id}`,
          admin,
          send('PUT', { shortCode: 'CC9001', value: 'Renamed' }),
        ),
      ),
    )
    expect(put).toMatchObject({ id: made.id, code: 'CC9001', value: 'Renamed' })
    expect(await ok(await call(mock, `/api/v3.0/common/listitems/${seen.ID}`, admin))).toMatchObject({
      Name: 'Renamed',
      Level1Code: 'CC9001',
    })
    const del = await call(mock, `/list/v4/lists/${cc.id}/items/${made.id}`, admin, { method: 'DELETE' })
    expect(del.status).toBe(204)
    expect(await del.text()).toBe('')
    expect((await call(mock, `/api/v3.0/common/listitems/${seen.ID}`, admin)).status).toBe(404)
    await fails(await call(mock, `/list/v4/items/${made.id}`, admin), 404, 'item.not.found')
  })

  it('creates, renames and deletes a list, items under parentId and parentCode, in both APIs', async () => {
    const res = await call(
      mock,
      '/list/v4/lists',
      company,
      send('POST', { value: 'Custom List', searchCriteria: 'TEXT', displayFormat: '(CODE) TEXT' }),
    )
    const list = ListV4List.parse(await ok(res, 201))
    expect(res.headers.get('location')).toBe(`${mock.state.baseUrl('us')}/list/v4/lists/${list.id}`)
    expect(list).toMatchObject({
      value: 'Custom List',
      levelCount: 1,
      category: { type: 'Normal' },
      managedBy: null,
    })
    expect(await ok(await call(mock, res.headers.get('location')!, company))).toEqual(list)
    const v3 = (await walk(mock, '/api/v3.0/common/lists', company)).items.find(
      (l) => l.Name === 'Custom List',
    )!
    expect(v3).toMatchObject({ SearchCriteriaCode: 'TEXT', DisplayCodeFirst: true, IsVendorList: false })

    const item = ListV4Item.parse(
      await ok(
        await call(
          mock,
          '/list/v4/items',
          company,
          send('POST', { listId: list.id, shortCode: 'ITEM', value: 'ITEM' }),
        ),
        201,
      ),
    )
    const second = ListV4Item.parse(
      await ok(
        await call(
          mock,
          '/list/v4/items',
          company,
          send('POST', {
            listId: list.id,
            parentId: item.id,
            shortCode: 'SECOND LEVEL ITEM',
            value: 'SECOND LEVEL ITEM',
          }),
        ),
        201,
      ),
    )
    expect(second).toMatchObject({ code: 'ITEM-SECOND LEVEL ITEM', parentId: item.id, level: 2 })
    const third = ListV4Item.parse(
      await ok(
        await call(
          mock,
          '/list/v4/items',
          company,
          send('POST', {
            listId: list.id,
            parentCode: 'ITEM-SECOND LEVEL ITEM',
            shortCode: 'C',
            value: 'Third',
          }),
        ),
        201,
      ),
    )
    expect(third).toMatchObject({ code: 'ITEM-SECOND LEVEL ITEM-C', level: 3 })
    expect(
      (await ok<{ levelCount: number }>(await call(mock, `/list/v4/lists/${list.id}`, company))).levelCount,
    ).toBe(3)
    expect(
      ListV4Item.parse(await ok(await call(mock, `/list/v4/items/${item.id}`, company))).lists[0]!
        .hasChildren,
    ).toBe(true)
    // The created list's items are listed by v3.0 list items with their level codes.
    const v3Items = await walk(mock, `/api/v3.0/common/listitems?listId=${v3.ID}`, company)
    expect(v3Items.items.map((i) => [i.Level1Code, i.Level2Code, i.Level3Code])).toEqual([
      ['ITEM', null, null],
      ['ITEM', 'SECOND LEVEL ITEM', null],
      ['ITEM', 'SECOND LEVEL ITEM', 'C'],
    ])

    // A new short code carries to the items below.
    await ok(
      await call(mock, `/list/v4/items/${item.id}`, company, send('PUT', { shortCode: 'TOP', value: 'Top' })),
    )
    expect(ListV4Item.parse(await ok(await call(mock, `/list/v4/items/${third.id}`, company))).code).toBe(
      'TOP-SECOND LEVEL ITEM-C',
    )

    const renamed = ListV4List.parse(
      await ok(
        await call(
          mock,
          `/list/v4/lists/${list.id}`,
          company,
          send('PUT', { value: 'Custom List Renamed', searchCriteria: 'CODE' }),
        ),
      ),
    )
    expect(renamed).toMatchObject({ id: list.id, value: 'Custom List Renamed', searchCriteria: 'CODE' })
    expect(await ok(await call(mock, `/api/v3.0/common/lists/${v3.ID}`, company))).toMatchObject({
      Name: 'Custom List Renamed',
      SearchCriteriaCode: 'CODE',
    })
    expect((await call(mock, `/list/v4/lists/${list.id}`, company, { method: 'DELETE' })).status).toBe(204)
    expect((await call(mock, `/api/v3.0/common/lists/${v3.ID}`, company)).status).toBe(404)
    await fails(await call(mock, `/list/v4/items/${third.id}`, company), 404, 'item.not.found')
  })

  it('rejects bad writes with the documented error ids and changes nothing', async () => {
    const cc = await listNamed('Cost Centers')
    const before = await children(`/list/v4/lists/${cc.id}/children`)
    const post = (body: unknown, token = admin) => call(mock, '/list/v4/items', token, send('POST', body))
    await fails(await post({ listId: cc.id, shortCode: 'CC1000', value: 'dup' }), 400, 'item.duplicate.code')
    const hyphen = await fails(
      await post({ listId: cc.id, shortCode: 'A-B', value: 'x' }),
      400,
      'request.validation.error',
    )
    expect(hyphen.validationErrors?.[0]?.source).toBe('shortCode')
    await fails(
      await post({ listId: cc.id, shortCode: 'X', value: 'x', parentCode: 'NOPE' }),
      400,
      'item.parent.not.found',
    )
    await fails(
      await post({ listId: '4b8a0c61-0000-4000-8000-000000000000', shortCode: 'X', value: 'x' }),
      400,
      'list.not.found',
    )
    await fails(
      await call(mock, '/list/v4/items', admin, {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'text/plain' },
      }),
      415,
      'request.media.type.not.supported',
    )
    await fails(
      await call(mock, '/list/v4/items', admin, {
        method: 'POST',
        body: '{',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'request.body.not.readable',
    )
    // Writes need an administrator and the write scope; reads need the read scope.
    await fails(await post({ listId: cc.id, shortCode: 'X', value: 'x' }, user), 403, 'security.forbidden')
    const readOnly = await tokenWith(['spend.list.read'])
    expect((await call(mock, '/list/v4/lists', readOnly)).status).toBe(200)
    await fails(
      await call(mock, '/list/v4/lists', readOnly, send('POST', { value: 'L' })),
      403,
      'security.forbidden',
    )
    await fails(await call(mock, `/list/v4/lists/${cc.id}/children`, readOnly), 403, 'security.forbidden')
    const items = await tokenWith(['spend.listitem.write'])
    expect((await call(mock, `/list/v4/lists/${cc.id}/children`, items)).status).toBe(200)
    await fails(
      await call(mock, `/list/v4/items/${before.content[0]!.id}`, items, { method: 'DELETE' }),
      403,
      'security.forbidden',
    )
    await fails(await call(mock, '/list/v4/lists', ''), 401, 'security.unauthorized')
    expect(await children(`/list/v4/lists/${cc.id}/children`)).toEqual(before)
  })

  it('lets only the managing app modify a managed list', async () => {
    const mine = await tokenWith(['spend.list.write', 'spend.listitem.write', 'spend.list.delete'], 0)
    const theirs = await tokenWith(['spend.list.write', 'spend.listitem.write', 'spend.list.delete'], 1)
    const list = ListV4List.parse(
      await ok(
        await call(
          mock,
          '/list/v4/lists',
          mine,
          send('POST', { value: 'Custom Managed List', isManaged: true }),
        ),
        201,
      ),
    )
    expect(list.managedBy).toBe(`appId:${mock.state.companies[0]!.apps[0]!.clientId}`)
    const err = await fails(
      await call(mock, `/list/v4/lists/${list.id}`, theirs, send('PUT', { value: 'Hijack' })),
      400,
      'list.is.managed',
    )
    expect(err.error.message).toBe('Modify operation not permitted on this managed list')
    await fails(
      await call(
        mock,
        '/list/v4/items',
        theirs,
        send('POST', { listId: list.id, shortCode: 'A', value: 'A' }),
      ),
      400,
      'list.is.managed',
    )
    await fails(
      await call(mock, `/list/v4/lists/${list.id}`, theirs, { method: 'DELETE' }),
      400,
      'list.is.managed',
    )
    await ok(
      await call(mock, '/list/v4/items', mine, send('POST', { listId: list.id, shortCode: 'A', value: 'A' })),
      201,
    )
    expect((await ok<{ value: string }>(await call(mock, `/list/v4/lists/${list.id}`, theirs))).value).toBe(
      'Custom Managed List',
    )
  })
})

describe('List v4 errors from the rest of the mock', () => {
  it('a faulted 429 on a List v4 path answers the documented rate-limit body with retry-after', async () => {
    const rule = { method: 'POST', path: '/list/v4/lists/*/bulk', retryAfter: 0 }
    const added = await mock.app.request('/_mock/faults', send('POST', rule))
    expect(added.status).toBe(201)
    const cc = await listNamed('Cost Centers')
    const res = await call(
      mock,
      `/list/v4/lists/${cc.id}/bulk`,
      company,
      send('POST', { requests: [{ shortCode: 'RATE', value: 'x' }] }),
    )
    expect(res.headers.get('retry-after')).toBe('0')
    const body = await fails(res, 429, 'security.rate.limit.reached')
    expect(body).toMatchObject({
      httpStatus: '429 - Too Many Requests',
      error: { message: 'Too many requests' },
    })
    expect(body.path).toBe(`/list/v4/lists/${cc.id}/bulk`)
    expect((await children(`/list/v4/lists/${cc.id}/children?shortCode=RATE`)).content).toEqual([])
  })
})

describe('List Item Bulk v4', () => {
  it('runs up to 250 parts in order, pages the result by 100, and answers 201/206/400/200', async () => {
    const list = ListV4List.parse(
      await ok(await call(mock, '/list/v4/lists', company, send('POST', { value: 'Bulk List' })), 201),
    )
    const bulk = (method: string, requests: unknown[]) =>
      call(mock, `/list/v4/lists/${list.id}/bulk`, company, send(method, { requests }))
    const tooMany = await fails(
      await bulk(
        'POST',
        Array.from({ length: 251 }, (_, i) => ({ shortCode: `I${i}`, value: `v${i}` })),
      ),
      400,
      'request.validation.error',
    )
    expect(tooMany.validationErrors).toEqual([
      { source: 'requests', message: 'size must be between 1 and 250' },
    ])
    const parts = Array.from({ length: 250 }, (_, i) => ({
      shortCode: `I${String(i).padStart(3, '0')}`,
      value: `Value ${i}`,
    }))
    expect(ListV4BulkResponse.parse(await ok(await bulk('POST', parts), 201))).toEqual({
      status: 'SUCCESS',
      recordsSucceeded: 250,
      recordsFailed: 0,
      errors: [],
    })

    // Paging: 250 first-level items are 3 pages of at most 100, with links.
    const first = await children(`/list/v4/lists/${list.id}/children?sortBy=shortCode`)
    expect(first.page).toEqual({ size: 100, totalElements: 250, totalPages: 3, number: 1 })
    expect(first.links.map((l) => l.rel)).toEqual(['first', 'next', 'last'])
    const seen = [...first.content]
    let next = first.links.find((l) => l.rel === 'next')?.href
    while (next) {
      const page = await children(next)
      seen.push(...page.content)
      next = page.links.find((l) => l.rel === 'next')?.href
    }
    expect(seen.map((i) => i.shortCode)).toEqual(parts.map((p) => p.shortCode))

    // In order: the child's parent is created by an earlier part of the same request.
    const partial = ListV4BulkResponse.parse(
      await ok(
        await bulk('POST', [
          { shortCode: 'PARENT', value: 'Parent' },
          { shortCode: 'I000', value: 'duplicate' },
          { shortCode: 'CHILD', value: 'Child', parentCode: 'PARENT' },
          { shortCode: 'ORPHAN', value: 'Orphan', parentCode: 'MISSING' },
        ]),
        206,
      ),
    )
    expect(partial).toMatchObject({ status: 'PARTIAL_SUCCESS', recordsSucceeded: 2, recordsFailed: 2 })
    expect(partial.errors.map((e) => [e.id, e.listItem.shortCode])).toEqual([
      ['item.duplicate.code', 'I000'],
      ['item.parent.not.found', 'ORPHAN'],
    ])
    const failed = ListV4BulkResponse.parse(
      await ok(await bulk('POST', [{ shortCode: 'PARENT', value: 'again' }]), 400),
    )
    expect(failed).toMatchObject({ status: 'FAILURE', recordsSucceeded: 0, recordsFailed: 1 })

    const patched = ListV4BulkResponse.parse(
      await ok(
        await bulk('PATCH', [
          { code: 'PARENT-CHILD', value: 'Child updated' },
          { code: 'I001', deleted: true },
        ]),
      ),
    )
    expect(patched.status).toBe('SUCCESS')
    const v3 = (await walk(mock, '/api/v3.0/common/lists', company)).items.find(
      (l) => l.Name === 'Bulk List',
    )!
    const v3Items = await walk(mock, `/api/v3.0/common/listitems?listId=${v3.ID}&limit=100`, company)
    expect(v3Items.items.length).toBe(250 - 1 + 2)
    expect(v3Items.items.find((i) => i.Level2Code === 'CHILD')!.Name).toBe('Child updated')
    expect(v3Items.items.some((i) => i.Level1Code === 'I001')).toBe(false)
    const missing = ListV4BulkResponse.parse(
      await ok(await bulk('PATCH', [{ code: 'I001', value: 'x' }]), 400),
    )
    expect(missing.errors[0]!.id).toBe('item.not.found')
  })
})

describe('List v4 over a socket', () => {
  it('serves reads and writes on a real listener', async () => {
    const running = await mock.listen({ host: '127.0.0.1', port: 0 })
    try {
      const origin = running.datacenters.us!
      const get = (path: string) =>
        fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${company}` } })
      const page = ListV4ListPage.parse(await ok(await get('/list/v4/lists?value=Projects')))
      const projects = page.content[0]!
      const res = await fetch(`${origin}/list/v4/items`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ listId: projects.id, shortCode: 'SOCK', value: 'Socket item' }),
      })
      const item = ListV4Item.parse(await ok(res, 201))
      expect(res.headers.get('location')).toBe(`${origin}/list/v4/items/${item.id}`)
      expect(ListV4Item.parse(await ok(await get(`/list/v4/items/${item.id}`)))).toEqual(item)
      const v3 = (await ok<{ Items: { ID: string; Name: string }[] }>(await get('/api/v3.0/common/lists')))
        .Items
      const v3Items = await ok<{ Items: { Level1Code: string }[] }>(
        await get(`/api/v3.0/common/listitems?listId=${v3.find((l) => l.Name === 'Projects')!.ID}&limit=100`),
      )
      expect(v3Items.Items.some((i) => i.Level1Code === 'SOCK')).toBe(true)
      await fails(await get('/list/v4/lists?page=x'), 400, 'request.validation.error')
    } finally {
      await running.close()
    }
  })
})
