import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { call, issueToken, walk } from './v3-testing.js'

let mock: MockConcur
let admin: string
let user: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 9, size: 50, companies: 1, datacenters: ['us'] })
  admin = await issueToken(mock, { user: 0 })
  user = await issueToken(mock, { user: 2 })
})

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

async function create(path: string, token: string, body: unknown): Promise<{ ID: string; URI: string }> {
  const res = await call(mock, path, token, json('POST', body))
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as { ID: string; URI: string }
}

describe('v3.0 writes go to the overlay and show up in reads', () => {
  it('creates, updates and reads back a report, entry, itemization, attendee and association', async () => {
    const report = await create('/api/v3.0/expense/reports', user, { Name: 'Offsite', Custom1: 'Blue' })
    expect(report.URI).toBe(`${mock.state.baseUrl('us')}/api/v3.0/expense/reports/${report.ID}`)
    const got = (await (await call(mock, `/api/v3.0/expense/reports/${report.ID}`, user)).json()) as Record<
      string,
      unknown
    >
    expect(got).toMatchObject({
      Name: 'Offsite',
      ApprovalStatusCode: 'A_NOTF',
      Custom1: { Type: 'Text', Value: 'Blue' },
    })
    const mine = await walk(mock, '/api/v3.0/expense/reports?limit=100', user)
    expect(mine.items.at(-1)!.ID).toBe(report.ID)

    mock.state.clock.advance(600)
    const put = await call(
      mock,
      `/api/v3.0/expense/reports/${report.ID}`,
      user,
      json('PUT', { Name: 'Offsite 2' }),
    )
    expect(put.status).toBe(200)
    expect(await put.text()).toBe('')
    const after = (await (await call(mock, `/api/v3.0/expense/reports/${report.ID}`, user)).json()) as Record<
      string,
      string
    >
    expect(after.Name).toBe('Offsite 2')
    expect(after.LastModifiedDate! > String(got.LastModifiedDate)).toBe(true)

    const entry = await create('/api/v3.0/expense/entries', user, {
      ReportID: report.ID,
      ExpenseTypeCode: 'BUSML',
      TransactionAmount: 80,
      TransactionCurrencyCode: 'USD',
      TransactionDate: '2025-06-01T00:00:00',
    })
    const totals = (await (
      await call(mock, `/api/v3.0/expense/reports/${report.ID}`, user)
    ).json()) as Record<string, unknown>
    expect(totals).toMatchObject({ Total: 80, TotalClaimedAmount: 80 })
    const entries = await walk(mock, `/api/v3.0/expense/entries?reportID=${report.ID}`, user)
    expect(entries.items.map((e) => e.ID)).toEqual([entry.ID])
    expect(entries.items[0]).toMatchObject({ ExpenseTypeName: 'Entertainment - Clients', PostedAmount: 80 })

    const item = await create('/api/v3.0/expense/itemizations', user, {
      EntryID: entry.ID,
      ExpenseTypeCode: 'LUNCH',
      TransactionAmount: 30,
      TransactionDate: '2025-06-01T00:00:00',
    })
    const items = await walk(mock, `/api/v3.0/expense/itemizations?entryID=${entry.ID}`, user)
    expect(items.items.map((i) => i.ID)).toEqual([item.ID])

    const types = await walk(mock, '/api/v3.0/expense/attendeetypes', user)
    const attendee = await create('/api/v3.0/expense/attendees', user, {
      AttendeeTypeID: types.items[0]!.ID,
      FirstName: 'Ada',
      LastName: 'Lovelace',
      ExternalID: 'EXT-ADA',
    })
    const found = await walk(mock, '/api/v3.0/expense/attendees?externalID=EXT-ADA', user)
    expect(found.items.map((a) => a.ID)).toEqual([attendee.ID])
    const link = await create('/api/v3.0/expense/entryattendeeassociations', user, {
      EntryID: entry.ID,
      AttendeeID: attendee.ID,
      Amount: 80,
    })
    const links = await walk(mock, `/api/v3.0/expense/entryattendeeassociations?entryID=${entry.ID}`, user)
    expect(links.items.map((l) => l.ID)).toEqual([link.ID])

    expect(
      (await call(mock, `/api/v3.0/expense/entries/${entry.ID}`, user, { method: 'DELETE' })).status,
    ).toBe(200)
    expect((await call(mock, `/api/v3.0/expense/entries/${entry.ID}`, user)).status).toBe(404)
    expect((await walk(mock, `/api/v3.0/expense/entries?reportID=${report.ID}`, user)).items).toEqual([])
    const emptied = (await (
      await call(mock, `/api/v3.0/expense/reports/${report.ID}`, user)
    ).json()) as Record<string, unknown>
    expect(emptied.Total).toBe(0)
  })

  it('updates and deletes seeded records in place (paging order kept)', async () => {
    const first = await walk(mock, '/api/v3.0/expense/entries?limit=100', user)
    const target = first.items[1]!
    const put = await call(
      mock,
      `/api/v3.0/expense/entries/${String(target.ID)}`,
      user,
      json('PUT', { Description: 'Edited' }),
    )
    expect(put.status).toBe(200)
    const second = await walk(mock, '/api/v3.0/expense/entries?limit=100', user)
    expect(second.items.map((i) => i.ID)).toEqual(first.items.map((i) => i.ID))
    expect(second.items[1]!.Description).toBe('Edited')
    const reportId = String(target.ReportID)
    const before = (await (await call(mock, `/api/v3.0/expense/reports/${reportId}`, user)).json()) as {
      Total: number
    }
    await call(
      mock,
      `/api/v3.0/expense/entries/${String(target.ID)}`,
      user,
      json('PUT', { TransactionAmount: 1000 }),
    )
    const report = (await (await call(mock, `/api/v3.0/expense/reports/${reportId}`, user)).json()) as {
      Total: number
    }
    const sum = (await walk(mock, `/api/v3.0/expense/entries?reportID=${reportId}`, user)).items.reduce(
      (a, e) => a + Math.round(Number(e.TransactionAmount) * 100),
      0,
    )
    expect(Math.round(report.Total * 100)).toBe(sum)
    expect(report.Total).not.toBe(before.Total)
    await call(mock, `/api/v3.0/expense/entries/${String(target.ID)}`, user, { method: 'DELETE' })
    const third = await walk(mock, '/api/v3.0/expense/entries?limit=100', user)
    expect(third.items.length).toBe(first.items.length - 1)
    const m = (await (
      await mock.app.request('/_mock/manifest?resource=expense-entries&user=ALL')
    ).json()) as {
      companies: { resources: Record<string, { count: number }> }[]
    }
    const all = await walk(mock, '/api/v3.0/expense/entries?user=ALL&limit=100', admin)
    expect(m.companies[0]!.resources['expense-entries']!.count).toBe(all.items.length)
  })

  it('refuses bad bodies with the v3 error body', async () => {
    const cases: [string, RequestInit][] = [
      ['/api/v3.0/expense/reports', json('POST', { Name: 'x', Bogus: 1 })],
      [
        '/api/v3.0/expense/reports',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' },
      ],
      ['/api/v3.0/expense/entries', json('POST', { ReportID: 'NOPE', ExpenseTypeCode: 'TAXIX' })],
      ['/api/v3.0/expense/entries', json('POST', { ExpenseTypeCode: 'TAXIX', TransactionAmount: 1 })],
      ['/api/v3.0/expense/reports', json('POST', { Name: 'x', UserDefinedDate: 'tomorrow' })],
    ]
    for (const [path, init] of cases) {
      const res = await call(mock, path, user, init)
      expect(res.status, String(init.body)).toBe(400)
      expect(((await res.json()) as { Error: { Message: string } }).Error.Message).toBeTruthy()
    }
    const list = await walk(mock, '/api/v3.0/common/listitems?limit=1', admin)
    const del = await call(mock, `/api/v3.0/common/listitems/${String(list.items[0]!.ID)}`, admin, {
      method: 'DELETE',
    })
    expect(del.status).toBe(400)
  })

  it('stores uploaded receipt images and serves image bytes from a temporary URL', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    const res = await call(mock, '/api/v3.0/expense/receiptimages', user, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: png,
    })
    expect(res.status).toBe(200)
    const { ID } = (await res.json()) as { ID: string }
    const image = (await (await call(mock, `/api/v3.0/expense/receiptimages/${ID}`, user)).json()) as {
      Id: string
      Url: string
    }
    expect(image.Id).toBe(ID)
    const bytes = await mock.fetch(image.Url)
    expect(bytes.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(png)

    const seeded = await walk(mock, '/api/v3.0/expense/receiptimages?limit=1', user)
    const one = (await (
      await call(mock, `/api/v3.0/expense/receiptimages/${String(seeded.items[0]!.ID)}`, user)
    ).json()) as {
      Url: string
    }
    const a = new Uint8Array(await (await mock.fetch(one.Url)).arrayBuffer())
    const b = new Uint8Array(await (await mock.fetch(one.Url)).arrayBuffer())
    expect(Buffer.from(a.subarray(1, 4)).toString()).toBe('PNG')
    expect(a).toEqual(b)
    expect(mock.state.journal.list().some((e) => e.path.includes(one.Url.split('signature=')[1]!))).toBe(
      false,
    )
    expect((await mock.fetch(one.Url.replace(/signature=[0-9a-f]+/, 'signature=00'))).status).toBe(403)
    mock.state.clock.advance(3600)
    expect((await mock.fetch(one.Url)).status).toBe(403)
    user = await issueToken(mock, { user: 2 })
    const rejected = await call(mock, '/api/v3.0/expense/receiptimages', user, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    })
    expect(rejected.status).toBe(415)
  })
})

describe('dataset admin API', () => {
  it('creates and modifies reports on the mock clock so modifiedDateAfter polls see the changes', async () => {
    const all = await walk(mock, '/api/v3.0/expense/reports?user=ALL&limit=100', admin)
    const since = '2030-01-01T00:00:00.000'
    expect(
      (await walk(mock, `/api/v3.0/expense/reports?user=ALL&modifiedDateAfter=${since}`, admin)).items,
    ).toEqual([])
    const target = String(all.items[3]!.ID)
    const post = (body: unknown) =>
      mock.app.request('/_mock/dataset/expense-reports', json('POST', body) as RequestInit)
    const before = Date.UTC(2030, 0, 1) - mock.state.clock.now()
    mock.state.clock.advance(Math.max(0, Math.ceil(before / 1000)) + 60)
    admin = await issueToken(mock, { user: 0 })
    const mod = await post({
      action: 'update',
      id: target,
      fields: { ApprovalStatusCode: 'A_APPR', ApprovalStatusName: 'Approved' },
    })
    expect(mod.status).toBe(200)
    const created = (await (await post({ action: 'create', fields: { Name: 'New one' } })).json()) as {
      ID: string
    }
    const changed = await walk(mock, `/api/v3.0/expense/reports?user=ALL&modifiedDateAfter=${since}`, admin)
    expect(changed.items.map((i) => i.ID)).toEqual([target, created.ID])
    expect(changed.items[0]).toMatchObject({ ApprovalStatusCode: 'A_APPR' })
    expect((await post({ action: 'update', id: target, fields: { Nope: 1 } })).status).toBe(400)
    expect((await post({ action: 'update', id: 'missing' })).status).toBe(404)
    mock.state.reset()
    admin = await issueToken(mock, { user: 0 })
    expect(
      (await walk(mock, `/api/v3.0/expense/reports?user=ALL&modifiedDateAfter=${since}`, admin)).items,
    ).toEqual([])
  })
})

describe('User Information v1.0 (XML)', () => {
  it("returns the token owner's profile, others' only to administrators", async () => {
    const me = await call(mock, '/api/user/v1.0/user', user)
    expect(me.status).toBe(200)
    const text = await me.text()
    const login = mock.state.user(mock.state.companies[0]!, 2)!.loginId
    expect(text).toContain('<UserProfile xmlns="http://www.concursolutions.com/api/user/2011/02"')
    expect(text).toContain(`<LoginId>${login}</LoginId>`)
    const other = mock.state.user(mock.state.companies[0]!, 3)!.loginId
    expect((await call(mock, `/api/user/v1.0/user?loginID=${encodeURIComponent(other)}`, user)).status).toBe(
      403,
    )
    const asAdmin = await call(mock, `/api/user/v1.0/user?loginID=${encodeURIComponent(other)}`, admin)
    expect(await asAdmin.text()).toContain(`<LoginId>${other}</LoginId>`)
    expect((await call(mock, '/api/user/v1.0/user?loginID=nobody%40x.com', admin)).status).toBe(404)
  })
})
