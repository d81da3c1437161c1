import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { call, issueToken } from './v3-testing.js'

let mock: MockConcur
let admin: string
let user: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 28, size: 30, companies: 1, datacenters: ['us'] })
  admin = await issueToken(mock, { user: 0 })
  user = await issueToken(mock, { user: 2 })
})

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false })
const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const xml = (method: string, body: string, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/xml', ...headers },
  body,
})
const read = async (path: string, token = user) => {
  const res = await call(mock, path, token)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as Record<string, unknown>
}
const firstId = async (path: string, token = user) =>
  String(((await read(path, token)).Items as Record<string, unknown>[])[0]!.ID)

describe('v3.0 writes accept XML bodies (the specs consume application/xml)', () => {
  it('creates a report from <ReportPost> and reads it back', async () => {
    const res = await call(
      mock,
      '/api/v3.0/expense/reports',
      user,
      xml('POST', '<ReportPost><Name>Trip</Name><Custom1>Blue</Custom1></ReportPost>'),
    )
    expect(res.status, await res.clone().text()).toBe(200)
    const { ID } = (await res.json()) as { ID: string }
    expect(await read(`/api/v3.0/expense/reports/${ID}`)).toMatchObject({
      Name: 'Trip',
      Custom1: { Type: 'Text', Value: 'Blue' },
    })
  })

  it('types numbers, booleans and i:nil from the write schema, and answers XML when asked', async () => {
    const report = await firstId('/api/v3.0/expense/reports?limit=1')
    const body = `<?xml version="1.0"?><EntryPost xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
      <ReportID>${report}</ReportID><ExpenseTypeCode>TAXIX</ExpenseTypeCode><TransactionAmount>12.5</TransactionAmount>
      <TransactionCurrencyCode>USD</TransactionCurrencyCode><TransactionDate>2024-03-01T00:00:00</TransactionDate>
      <IsBillable>true</IsBillable><Description i:nil="true"/></EntryPost>`
    const res = await call(
      mock,
      '/api/v3.0/expense/entries',
      user,
      xml('POST', body, { accept: 'application/xml' }),
    )
    const text = await res.text()
    expect(res.status, text).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/)
    const id = parser.parse(text).CreateResponse.ID as string
    const entry = await read(`/api/v3.0/expense/entries/${id}`)
    expect(entry).toMatchObject({ TransactionAmount: 12.5, IsBillable: true, Description: null })
  })

  it('refuses ill-formed XML, a DTD and a field of the wrong type with 400', async () => {
    for (const body of [
      '<ReportPost><Name>Trip</ReportPost>',
      '<!DOCTYPE r [<!ENTITY e "x">]><ReportPost><Name>&e;</Name></ReportPost>',
      '<ReportPost><Nope>1</Nope></ReportPost>',
    ]) {
      const res = await call(mock, '/api/v3.0/expense/reports', user, xml('POST', body))
      expect(res.status, body).toBe(400)
    }
    const report = await firstId('/api/v3.0/expense/reports?limit=1')
    const put = await call(
      mock,
      `/api/v3.0/expense/entries/${await firstId(`/api/v3.0/expense/entries?reportID=${report}`)}`,
      user,
      xml('PUT', '<EntryPut><TransactionAmount>a lot</TransactionAmount></EntryPut>'),
    )
    expect(put.status).toBe(400)
  })
})

describe('echoed request values never break an answer', () => {
  it('replaces characters XML forbids in an XML error body (and in JSON)', async () => {
    const res = await call(mock, '/api/v3.0/expense/reports?%0B=1', user, {
      headers: { accept: 'application/xml' },
    })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(XMLValidator.validate(text)).toBe(true)
    expect(parser.parse(text).Error.Message).toBe("Unknown parameter '\uFFFD'")
    const j = await call(mock, '/api/v3.0/expense/reports?%ED%A0%80=1', user)
    // Percent-decoding turns the invalid UTF-8 into replacement characters first.
    expect(((await j.json()) as { Error: { Message: string } }).Error.Message).toMatch(
      /^Unknown parameter '\uFFFD+'$/,
    )
  })

  it('replaces a lone surrogate quoted from a JSON body in the JSON error', async () => {
    const res = await call(mock, '/api/v3.0/expense/reports', user, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"\\ud800x": 1}',
    })
    expect(res.status).toBe(400)
    const raw = await res.text()
    expect(raw).not.toMatch(/\\ud800/i)
    expect((JSON.parse(raw) as { Error: { Message: string } }).Error.Message).toContain('\uFFFDx')
  })

  it('keeps a record written with control characters readable as XML', async () => {
    const res = await call(mock, '/api/v3.0/expense/reports', user, json('POST', { Name: 'a\u000bb\ud800' }))
    const { ID } = (await res.json()) as { ID: string }
    const got = await call(mock, `/api/v3.0/expense/reports/${ID}`, user, {
      headers: { accept: 'application/xml' },
    })
    const text = await got.text()
    expect(XMLValidator.validate(text)).toBe(true)
    expect(parser.parse(text).Report.Name).toBe('a\uFFFDb\uFFFD')
  })

  it('sanitises an echoed correlation id in an XML error body', async () => {
    const res = await call(mock, '/api/expense/expensereport/v1.1/nope', user, {
      headers: { 'concur-correlationid': 'a\u000bb<c>' },
    })
    const text = await res.text()
    expect(XMLValidator.validate(text)).toBe(true)
    expect(parser.parse(text).Error.Id).toBe('A\uFFFDB<C>')
  })
})

describe('operations the specs list are routed', () => {
  it('creates and updates a list (POST /common/lists, PUT /common/lists/{id})', async () => {
    const created = await call(
      mock,
      '/api/v3.0/common/lists',
      admin,
      json('POST', {
        Name: 'Projects',
        DisplayCodeFirst: true,
        IsVendorList: false,
        SearchCriteriaCode: 'CODE',
      }),
    )
    expect(created.status, await created.clone().text()).toBe(200)
    const { ID, URI } = (await created.json()) as { ID: string; URI: string }
    expect(URI).toMatch(new RegExp(`/api/v3.0/common/lists/${ID}$`))
    const put = await call(mock, `/api/v3.0/common/lists/${ID}`, admin, json('PUT', { Name: 'Projects 2' }))
    expect(put.status).toBe(200)
    expect(await read(`/api/v3.0/common/lists/${ID}`, admin)).toMatchObject({
      Name: 'Projects 2',
      DisplayCodeFirst: true,
      IsVendorList: false,
      SearchCriteriaCode: 'CODE',
      ExternalThreshold: 1,
      ConnectorID: null,
    })
    const item = await call(
      mock,
      '/api/v3.0/common/listitems',
      admin,
      json('POST', { ListID: ID, Name: 'Apollo', Level1Code: 'AP' }),
    )
    expect(item.status).toBe(200)
    const missing = await call(mock, '/api/v3.0/common/lists', admin, json('POST', { Name: 'x' }))
    expect(missing.status).toBe(400)
  })

  it('answers a path with one trailing slash as without it, in every family', async () => {
    const pairs = [
      '/api/expense/expensereport/v1.1/report/Forms',
      '/api/v3.0/expense/reports',
      '/api/travel/trip/v1.1',
      '/api/expense/expensereport/v2.0/Reports',
      '/api/user/v1.0/user',
    ]
    for (const p of pairs) {
      const a = await call(mock, p, admin)
      const b = await call(mock, `${p}/`, admin)
      expect(a.status, p).toBe(200)
      expect(b.status, `${p}/`).toBe(200)
      expect(b.headers.get('content-type')).toBe(a.headers.get('content-type'))
    }
  })

  it('serves Image v1.0 on the v3.0 receipt images', async () => {
    const receipts = (await read('/api/v3.0/expense/receiptimages?limit=5')).Items as { ID: string }[]
    const one = receipts[0]!.ID
    const res = await call(mock, `/api/image/v1.0/receipt/${one}`, user)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/)
    const image = parser.parse(await res.text()).Image as { Id: string; Url: string }
    expect(image.Id).toBe(one)
    const png = await mock.fetch(image.Url)
    expect(png.headers.get('content-type')).toBe('image/png')
    const v3 = (await read(`/api/v3.0/expense/receiptimages/${one}`)) as { Url: string }
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(
      new Uint8Array(await (await mock.fetch(v3.Url)).arrayBuffer()),
    )

    const unknown = await call(mock, '/api/image/v1.0/receipt/gWnope', user)
    expect(unknown.status).toBe(404)
    expect(XMLValidator.validate(await unknown.text())).toBe(true)

    // An upload to an entry creates a v3.0 receipt image and attaches it.
    const entry = await firstId('/api/v3.0/expense/entries?limit=1')
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    const up = await call(mock, `/api/image/v1.0/expenseentry/${entry}`, user, {
      method: 'POST',
      headers: { 'content-type': 'image/png' },
      body: bytes,
    })
    expect(up.status, await up.clone().text()).toBe(200)
    const uploaded = parser.parse(await up.text()).Image as { Id: string; Url: string }
    expect(uploaded.Url).toBe('')
    const byEntry = parser.parse(
      await (await call(mock, `/api/image/v1.0/expenseentry/${entry}`, user)).text(),
    ).Image as { Id: string; Url: string }
    expect(byEntry.Id).toBe(uploaded.Id)
    expect(new Uint8Array(await (await mock.fetch(byEntry.Url)).arrayBuffer())).toEqual(bytes)
    expect((await call(mock, `/api/v3.0/expense/receiptimages/${uploaded.Id}`, user)).status).toBe(200)

    const report = await firstId('/api/v3.0/expense/reports?limit=1')
    const form = new FormData()
    form.append('Image File', new Blob([bytes], { type: 'application/pdf' }), 'r.pdf')
    const upReport = await call(mock, `/api/image/v1.0/report/${report}`, user, {
      method: 'POST',
      body: form,
    })
    expect(upReport.status, await upReport.clone().text()).toBe(200)
    const byReport = await call(mock, `/api/image/v1.0/report/${report}`, user)
    expect(parser.parse(await byReport.text()).Image.Id).toBe(parser.parse(await upReport.text()).Image.Id)
    expect(
      (
        await call(mock, `/api/image/v1.0/report/${report}`, user, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: 'x',
        })
      ).status,
    ).toBe(415)
  })
})

describe('writes keep documented types', () => {
  it('keeps an entry-attendee association custom field a string after a PUT', async () => {
    const id = await firstId('/api/v3.0/expense/entryattendeeassociations?limit=1')
    const put = await call(
      mock,
      `/api/v3.0/expense/entryattendeeassociations/${id}`,
      user,
      json('PUT', { Custom1: 'abc' }),
    )
    expect(put.status).toBe(200)
    expect((await read(`/api/v3.0/expense/entryattendeeassociations/${id}`)).Custom1).toBe('abc')
  })
})

describe('empty 200 answers', () => {
  let running: Awaited<ReturnType<MockConcur['listen']>> | undefined
  afterEach(async () => {
    await running?.close()
    running = undefined
  })

  it('type an empty PUT/DELETE answer as the negotiated representation, in-process and over a socket', async () => {
    running = await mock.listen()
    const base = running.datacenters.us!
    const id = await firstId('/api/v3.0/expense/entryattendeeassociations?limit=2')
    for (const [accept, type] of [
      ['application/json', /^application\/json/],
      ['application/xml', /^application\/xml/],
    ] as const) {
      const init = json('PUT', { Custom2: 'x' }, { accept, authorization: `Bearer ${user}` })
      const socket = await fetch(`${base}/api/v3.0/expense/entryattendeeassociations/${id}`, init)
      expect(socket.status).toBe(200)
      expect(socket.headers.get('content-type')).toMatch(type)
      expect(await socket.text()).toBe('')
      const inProcess = await call(mock, `/api/v3.0/expense/entryattendeeassociations/${id}`, user, init)
      expect(inProcess.headers.get('content-type')).toMatch(type)
    }
    const del = await fetch(`${base}/api/v3.0/expense/entryattendeeassociations/${id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${user}` },
    })
    expect(del.status).toBe(200)
    expect(del.headers.get('content-type')).toMatch(/^application\/json/)
    expect(del.headers.get('content-length')).toBe('0')
  })
})
