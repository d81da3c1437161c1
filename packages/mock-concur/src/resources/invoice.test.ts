import { createHash } from 'node:crypto'
import {
  digestRecords,
  InvoiceImage,
  PaymentRequest,
  PaymentRequestDigest,
  PaymentRequestDigestCollection,
  PaymentRequestUpdate,
  VendorCollection,
} from '@concurkit/contract'
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import type { RunningMock } from '../node.js'
import { invoiceDigestRecords, invoiceVendorRecords, paymentRequestRecords } from './invoice-provider.js'
import { call, issueToken } from './v3-testing.js'

const DIGESTS = '/api/v3.0/invoice/paymentrequestdigests'
const REQUEST = '/api/v3.0/invoice/paymentrequest'
const VENDORS = '/api/v3.1/invoice/vendors'
const SIZE = 60

let mock: MockConcur
let company: string
let user: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 24, size: SIZE, companies: 2, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
  user = await issueToken(mock, { user: 2 })
})

async function ok(res: Response, status = 200): Promise<Record<string, unknown>> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return text ? (JSON.parse(text) as Record<string, unknown>) : {}
}

async function fails(res: Response, status: number, message: RegExp) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  const body = JSON.parse(text) as { Error: { Message: string } }
  expect(body.Error.Message).toMatch(message)
}

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

/** Every digest of a query, following NextPage; checks each page's envelope. */
async function walkDigests(query = '', token = company) {
  const items: Record<string, unknown>[] = []
  let url: string | null = `${DIGESTS}${query}`
  let pages = 0
  let total: number | undefined
  while (url) {
    const page = PaymentRequestDigestCollection.parse(await ok(await call(mock, url, token)))
    expect(page.Items).toEqual(page.PaymentRequestDigest)
    total ??= page.TotalCount ?? undefined
    expect(page.TotalCount).toBe(total)
    items.push(...page.PaymentRequestDigest)
    url = page.NextPage ?? null
    pages++
  }
  expect(items).toHaveLength(total ?? -1)
  return { items, pages }
}

const cents = (s: unknown) => Math.round(Number(s) * 100)

describe('Payment Request Digests v3.0', () => {
  it('one page of the whole company by default (limit 1,000), with TotalCount and no NextPage', async () => {
    const page = PaymentRequestDigestCollection.parse(await ok(await call(mock, DIGESTS, company)))
    expect(page.PaymentRequestDigest).toHaveLength(SIZE)
    expect(page.TotalCount).toBe(SIZE)
    expect(page.NextPage).toBeNull()
    const ids = page.PaymentRequestDigest.map((d) => d.ID)
    expect(new Set(ids).size).toBe(SIZE)
    for (const d of page.PaymentRequestDigest) {
      expect(d.PaymentRequestId).toBe(d.ID)
      expect(d.PaymentRequestUri).toMatch(new RegExp(`${REQUEST}/${d.ID}$`))
      expect(d.URI).toMatch(new RegExp(`${DIGESTS}/${d.ID}$`))
    }
  })

  it('pages by limit and an opaque offset; the pages join to the same records', async () => {
    const all = await walkDigests()
    const paged = await walkDigests('?limit=7')
    expect(paged.pages).toBe(Math.ceil(SIZE / 7))
    expect(paged.items).toEqual(all.items)
  })

  it('refuses a limit above 1,000, a foreign offset and unknown parameters with the v3 error body', async () => {
    await fails(await call(mock, `${DIGESTS}?limit=1001`, company), 400, /limit/)
    await fails(await call(mock, `${DIGESTS}?limit=0`, company), 400, /limit/)
    await fails(await call(mock, `${DIGESTS}?offset=abc`, company), 400, /offset/)
    await fails(await call(mock, `${DIGESTS}?bogus=1`, company), 400, /bogus/)
    await fails(await call(mock, `${DIGESTS}?payMethodType=CASH`, company), 400, /payMethodType/)
    await fails(await call(mock, `${DIGESTS}?paidDateAfter=2024-13-01`, company), 400, /paidDateAfter/)
  })

  it('filters by status, invoice number and payment method exactly', async () => {
    const { items } = await walkDigests()
    for (const [param, field] of [
      ['approvalStatus', 'ApprovalStatusCode'],
      ['paymentStatus', 'PaymentStatusCode'],
      ['vendorInvoiceNumber', 'InvoiceNumber'],
      ['payMethodType', 'PaymentMethod'],
    ] as const) {
      const value = String(items[3]![field])
      const got = await walkDigests(`?${param}=${encodeURIComponent(value)}`)
      expect(got.items.length).toBeGreaterThan(0)
      expect(got.items).toEqual(items.filter((d) => d[field] === value))
    }
  })

  it('each date pair bounds by day: After from that day on, Before up to and including that day', async () => {
    const { items } = await walkDigests()
    for (const [name, field] of [
      ['createDate', 'CreateDate'],
      ['userDefinedDate', 'UserDefinedDate'],
      ['paidDate', 'PaidDate'],
      ['lastModifiedDate', 'LastModifiedDate'],
      ['extractedDate', 'ExtractedDate'],
    ] as const) {
      const dated = items.filter((d) => typeof d[field] === 'string')
      expect(dated.length, field).toBeGreaterThan(2)
      const day = String(dated[Math.floor(dated.length / 2)]![field]).slice(0, 10)
      const after = await walkDigests(`?${name}After=${day}`)
      const before = await walkDigests(`?${name}Before=${day}`)
      expect(after.items).toEqual(dated.filter((d) => String(d[field]).slice(0, 10) >= day))
      expect(before.items).toEqual(dated.filter((d) => String(d[field]).slice(0, 10) <= day))
      const onDay = dated.filter((d) => String(d[field]).slice(0, 10) === day).length
      expect(onDay).toBeGreaterThan(0)
      expect(after.items.length + before.items.length - onDay, name).toBe(dated.length)
    }
    // submitDate bounds the request's LastSubmitDate (the digest does not show it).
    const submitted = await walkDigests('?submitDateAfter=2020-01-01')
    const notSubmitted = items.filter((d) => d.ApprovalStatusCode === 'A_NOTF')
    expect(submitted.items.length).toBe(items.length - notSubmitted.length)
  })

  it('GET /{id} answers the digest the list shows; unknown ids are 404', async () => {
    const { items } = await walkDigests()
    const one = await ok(await call(mock, `${DIGESTS}/${items[5]!.ID}`, company))
    expect(one).toEqual(items[5])
    await fails(await call(mock, `${DIGESTS}/nope`, company), 404, /not found/)
  })

  it('a user token sees its own payment requests; another user’s is 403', async () => {
    const { items } = await walkDigests()
    const mine = await walkDigests('', user)
    const login = mock.state.user(mock.state.companies[0]!, 2)!.loginId
    expect(mine.items.length).toBeGreaterThan(0)
    expect(mine.items).toEqual(items.filter((d) => d.OwnerLoginID === login))
    const other = items.find((d) => d.OwnerLoginID !== login)!
    await fails(await call(mock, `${REQUEST}/${other.ID}`, user), 403, /another user/)
  })

  it('needs the INVPMT scope', async () => {
    const token = await issueToken(mock, { user: 'company', scopes: ['EXPRPT'] })
    await fails(await call(mock, DIGESTS, token), 403, /INVPMT/)
    await fails(await call(mock, `${REQUEST}/x`, token), 403, /INVPMT/)
  })

  it('the same seed gives the same bytes; another company has other records', async () => {
    const a = await (await call(mock, DIGESTS, company)).text()
    const again = createMockConcur({ seed: 24, size: SIZE, companies: 2, datacenters: ['us'] })
    const b = await (await call(again, DIGESTS, await issueToken(again, { user: 'company' }))).text()
    expect(b).toBe(a)
    const other = await call(mock, DIGESTS, await issueToken(mock, { user: 'company', company: 1 }), {
      company: 1,
    })
    expect(await other.text()).not.toBe(a)
  })
})

describe('Payment Requests v3.0', () => {
  it('every payment request parses, references a vendor and a user of its company and its amounts add up', async () => {
    const { items } = await walkDigests()
    const vendors = VendorCollection.parse(
      await ok(await call(mock, `${VENDORS}?limit=1000`, company)),
    ).Vendor
    const ds = datasetOf(mock.state.options.seed, mock.state.companies[0]!)
    for (const d of items) {
      const r = PaymentRequest.parse(await ok(await call(mock, String(d.PaymentRequestUri), company)))
      expect(r.ID).toBe(d.ID)
      const lines = r.LineItems!.LineItem
      expect(lines.length).toBeGreaterThan(0)
      const lineSum = lines.reduce((s, l) => s + cents(l.TotalPrice), 0)
      expect(cents(r.LineItemTotalAmount)).toBe(lineSum)
      expect(cents(r.InvoiceAmount)).toBe(lineSum + cents(r.TaxAmount) + cents(r.ShippingAmount))
      expect(lines.reduce((s, l) => s + cents(l.Tax), 0)).toBe(cents(r.TaxAmount))
      for (const l of lines) {
        expect(cents(l.TotalPrice)).toBe(Math.round(Number(l.Quantity) * cents(l.UnitPrice)))
        const pct = l.Allocations!.Allocation.reduce((s, a) => s + Number(a.Percentage), 0)
        expect(pct).toBe(100)
      }
      expect(d.Total).toBe(r.InvoiceAmount)
      const vendor = vendors.find((v) => v.VendorName === r.VendorRemitAddress?.Name)
      expect(vendor, String(r.VendorRemitAddress?.Name)).toBeDefined()
      expect(vendor!.PostalCode).toBe(r.VendorRemitAddress?.PostalCode)
      expect(r.CurrencyCode).toBe(vendor!.CurrencyCode)
      expect(userIndexOfLogin(ds, String(d.OwnerLoginID))).toBeDefined()
    }
  })

  it('answers XML by Accept, with LineItems/LineItem and Allocations/Allocation elements', async () => {
    const { items } = await walkDigests()
    const res = await call(mock, `${REQUEST}/${items[0]!.ID}`, company, {
      headers: { accept: 'application/xml' },
    })
    expect(res.headers.get('content-type')).toMatch(/application\/xml/)
    const xml = new XMLParser({ isArray: (name) => name === 'LineItem' || name === 'Allocation' }).parse(
      await res.text(),
    ) as {
      PaymentRequest: { ID: string; LineItems: { LineItem: { Allocations: { Allocation: unknown[] } }[] } }
    }
    expect(xml.PaymentRequest.ID).toBe(items[0]!.ID)
    expect(xml.PaymentRequest.LineItems.LineItem[0]!.Allocations.Allocation.length).toBeGreaterThan(0)
    const list = await call(mock, `${DIGESTS}?limit=2`, company, { headers: { accept: 'application/xml' } })
    const page = new XMLParser().parse(await list.text()) as {
      PaymentRequestDigestCollection: {
        Items: { PaymentRequestDigest: unknown[] }
        TotalCount: number
        NextPage: string
      }
    }
    expect(page.PaymentRequestDigestCollection.Items.PaymentRequestDigest).toHaveLength(2)
    expect(page.PaymentRequestDigestCollection.TotalCount).toBe(SIZE)
    expect(page.PaymentRequestDigestCollection.NextPage).toMatch(/offset=/)
  })

  const body = {
    Name: 'Office paper',
    CountryCode: 'US',
    InvoiceAmount: '110.00',
    InvoiceNumber: 'ACME-1',
    VendorRemitToIdentifier: { VendorCode: 'V00001', AddressCode: 'REMIT' },
    LineItems: {
      LineItem: [
        { Description: 'Paper', Quantity: '4', UnitPrice: '20.00', Tax: '0' },
        {
          Description: 'Toner',
          TotalPrice: '30.00',
          Allocations: { Allocation: [{ Percentage: '60', Custom01: '6100' }, { Percentage: '40' }] },
        },
      ],
    },
  }

  it('POST creates a payment request (200 {ID, URI}) that the digests and GET then show', async () => {
    const created = await ok(await call(mock, REQUEST, company, send('POST', body)))
    expect(Object.keys(created).sort()).toEqual(['ID', 'URI'])
    const r = PaymentRequest.parse(await ok(await call(mock, String(created.URI), company)))
    expect(r).toMatchObject({ Name: 'Office paper', InvoiceAmount: '110.00', LineItemTotalAmount: '110.00' })
    expect(r.LineItems!.LineItem.map((l) => l.TotalPrice)).toEqual(['80.00', '30.00'])
    expect(r.LineItems!.LineItem[1]!.Allocations!.Allocation.map((a) => a.Percentage)).toEqual(['60', '40'])
    expect(r.VendorRemitAddress?.Name).toBeTruthy()
    const { items } = await walkDigests()
    expect(items).toHaveLength(SIZE + 1)
    expect(items.at(-1)).toMatchObject({ ID: created.ID, ApprovalStatusCode: 'A_NOTF', Total: '110.00' })
  })

  it('POST refuses missing required fields, an unknown vendor and allocations that do not add up to 100', async () => {
    for (const k of ['Name', 'CountryCode', 'InvoiceAmount', 'VendorRemitToIdentifier']) {
      const { [k as 'Name']: _, ...rest } = body
      await fails(await call(mock, REQUEST, company, send('POST', rest)), 400, new RegExp(k))
    }
    await fails(
      await call(
        mock,
        REQUEST,
        company,
        send('POST', { ...body, VendorRemitToIdentifier: { VendorCode: 'NOPE' } }),
      ),
      400,
      /no vendor/,
    )
    const bad = {
      ...body,
      LineItems: { LineItem: [{ TotalPrice: '1', Allocations: [{ Percentage: '50' }] }] },
    }
    await fails(await call(mock, REQUEST, company, send('POST', bad)), 400, /add up to 50/)
    const res = await call(mock, REQUEST, company, {
      method: 'POST',
      body: '{',
      headers: { 'content-type': 'application/json' },
    })
    await fails(res, 400, /not valid JSON/)
    expect((await walkDigests()).items).toHaveLength(SIZE)
  })

  it('PUT (RequestID in the body) changes the request and moves its LastModifiedDate, so an incremental read finds it', async () => {
    const { items } = await walkDigests()
    const target = items[10]!
    mock.state.clock.advance(120)
    const before = String(target.LastModifiedDate)
    const answer = await ok(
      await call(mock, REQUEST, company, send('PUT', { RequestID: target.ID, Description: 'Corrected' })),
    )
    expect(answer.ID).toBe(target.ID)
    const r = PaymentRequest.parse(await ok(await call(mock, `${REQUEST}/${target.ID}`, company)))
    expect(r.Description).toBe('Corrected')
    const digest = PaymentRequestDigest.parse(await ok(await call(mock, `${DIGESTS}/${target.ID}`, company)))
    expect(String(digest.LastModifiedDate) > before).toBe(true)
    const day = String(digest.LastModifiedDate).slice(0, 10)
    const changed = await walkDigests(`?lastModifiedDateAfter=${day}`)
    expect(changed.items.map((d) => d.ID)).toContain(target.ID)
    await fails(
      await call(mock, REQUEST, company, send('PUT', { RequestID: 'nope', Name: 'x' })),
      404,
      /not found/,
    )
    await fails(await call(mock, REQUEST, company, send('PUT', { Name: 'x' })), 400, /RequestID/)
  })

  it('PUT stores every header field the write and read schemas share, except the computed dates, amounts and line items', async () => {
    const computed =
      /^(Invoice(Date|ReceivedDate|Amount)|PaymentDueDate|AmountWithoutVat|ShippingAmount|TaxAmount|LineItems|IsInvoiceConfirmed|Custom\d+)$/
    const shared = Object.keys(PaymentRequestUpdate.shape).filter(
      (k) => k in PaymentRequest.shape && !computed.test(k),
    )
    expect(shared).toEqual(expect.arrayContaining(['Name', 'VendorTaxId', 'OrgUnit06', 'VatRateFour']))
    const target = (await walkDigests()).items[3]!
    const body = Object.fromEntries(shared.map((k) => [k, `new-${k}`]))
    await ok(await call(mock, REQUEST, company, send('PUT', { RequestID: target.ID, ...body })))
    const r = PaymentRequest.parse(await ok(await call(mock, `${REQUEST}/${target.ID}`, company)))
    for (const k of shared) expect(r[k as keyof typeof r], k).toBe(`new-${k}`)
  })
})

describe('Vendor v3.1', () => {
  const vendors = async (query: string, token = company) =>
    VendorCollection.parse(await ok(await call(mock, `${VENDORS}${query}`, token)))

  it('25 by default, at most 1,000, NextPage and TotalCount; the Vendor array and Items', async () => {
    const first = await vendors('')
    expect(first.Vendor).toHaveLength(25)
    expect(first.Items).toEqual(first.Vendor)
    const all = await vendors('?limit=1000')
    expect(first.TotalCount).toBe(all.Vendor.length)
    expect(all.NextPage).toBeNull()
    const second = VendorCollection.parse(await ok(await call(mock, String(first.NextPage), company)))
    expect([...first.Vendor, ...second.Vendor].map((v) => v.ID)).toEqual(
      all.Vendor.slice(0, 50).map((v) => v.ID),
    )
    await fails(await call(mock, `${VENDORS}?limit=1001`, company), 400, /limit/)
    const userView = await vendors('?limit=1000', user)
    expect(userView.Vendor.map((v) => v.ID)).toEqual(all.Vendor.map((v) => v.ID))
  })

  it('searchType exact, begins, contains and ends; filters; sortBy and sortDirection', async () => {
    const all = (await vendors('?limit=1000')).Vendor
    const name = String(all[4]!.VendorName)
    expect(
      (await vendors(`?vendorName=${encodeURIComponent(name.toUpperCase())}`)).Vendor.map((v) => v.ID),
    ).toContain(all[4]!.ID)
    const begins = await vendors(
      `?limit=1000&searchType=begins&vendorName=${encodeURIComponent(name.slice(0, 3))}`,
    )
    expect(
      begins.Vendor.every((v) =>
        String(v.VendorName).toLowerCase().startsWith(name.slice(0, 3).toLowerCase()),
      ),
    ).toBe(true)
    const ends = await vendors(`?limit=1000&searchType=ends&vendorCode=1`)
    expect(ends.Vendor.length).toBeGreaterThan(0)
    expect(ends.Vendor).toEqual(all.filter((v) => String(v.VendorCode).endsWith('1')))
    const contains = await vendors(
      `?limit=1000&searchType=contains&city=${encodeURIComponent(String(all[0]!.City).slice(1, 4))}`,
    )
    expect(contains.Vendor.map((v) => v.ID)).toContain(all[0]!.ID)
    const method = String(all[0]!.PaymentMethodType)
    expect((await vendors(`?limit=1000&paymentMethodType=${method}`)).Vendor).toEqual(
      all.filter((v) => v.PaymentMethodType === method),
    )
    expect((await vendors('?limit=1000&approved=false')).Vendor).toEqual(
      all.filter((v) => v.Approved === 'false'),
    )
    const sorted = (await vendors('?limit=1000&sortBy=VendorName&sortDirection=desc')).Vendor.map((v) =>
      String(v.VendorName).toLowerCase(),
    )
    expect(sorted).toEqual([...sorted].sort().reverse())
    await fails(await call(mock, `${VENDORS}?searchType=fuzzy`, company), 400, /searchType/)
    await fails(await call(mock, `${VENDORS}?sortBy=Color`, company), 400, /sortBy/)
    await fails(await call(mock, `${VENDORS}?paymentMethodType=CASH`, company), 400, /paymentMethodType/)
  })

  it('POST creates, PUT updates, DELETE (vendorCode and addressCode) removes; each vendor gets a status', async () => {
    const v = {
      VendorCode: 'NEW1',
      AddressCode: 'HQ',
      CountryCode: 'US',
      CurrencyCode: 'USD',
      VendorName: 'Newco',
    }
    const created = await vendors('', company)
    const post = VendorCollection.parse(
      await ok(await call(mock, VENDORS, company, send('POST', { Vendor: [v, { VendorCode: 'X' }, v] }))),
    )
    expect(post.Vendor.map((x) => x.StatusList?.[0]?.Type)).toEqual(['INFO', 'ERROR', 'ERROR'])
    expect(post.Vendor[1]!.StatusList?.[0]?.Message).toMatch(/AddressCode|CountryCode|CurrencyCode/)
    expect(post.RequestRunSummary).toMatch(/Succeeded: 1/)
    expect((await vendors('?vendorCode=new1')).Vendor[0]).toMatchObject({
      VendorName: 'Newco',
      AddressCode: 'HQ',
    })
    expect((await vendors('')).TotalCount).toBe(Number(created.TotalCount) + 1)
    await ok(await call(mock, VENDORS, company, send('PUT', { Vendor: [{ ...v, VendorName: 'Newco Ltd' }] })))
    expect((await vendors('?vendorCode=NEW1')).Vendor[0]?.VendorName).toBe('Newco Ltd')
    await fails(
      await call(mock, `${VENDORS}?vendorCode=NEW1`, company, { method: 'DELETE' }),
      400,
      /addressCode/,
    )
    await ok(await call(mock, `${VENDORS}?vendorCode=NEW1&addressCode=HQ`, company, { method: 'DELETE' }))
    expect((await vendors('?vendorCode=NEW1')).Vendor).toEqual([])
    await fails(
      await call(mock, `${VENDORS}?vendorCode=NEW1&addressCode=HQ`, company, { method: 'DELETE' }),
      404,
      /not found/,
    )
    await fails(await call(mock, VENDORS, user, send('POST', { Vendor: [v] })), 403, /administrator/)
  })

  it('needs the INVVEN scope', async () => {
    const token = await issueToken(mock, { user: 'company', scopes: ['INVPMT'] })
    await fails(await call(mock, VENDORS, token), 403, /INVVEN/)
  })
})

describe('Image v1.0 for invoices', () => {
  const imageOf = async (id: unknown, token = company) => {
    const res = await call(mock, `/api/image/v1.0/invoice/${String(id)}`, token)
    return { res, text: await res.text() }
  }
  const parseImage = (xml: string) => InvoiceImage.parse(new XMLParser().parse(xml).Image)

  it('answers XML with a temporary Url whose bytes download without a token, for 15 minutes', async () => {
    const { items } = await walkDigests()
    let withImage = 0
    for (const d of items.slice(0, 12)) {
      const { res, text } = await imageOf(d.ID)
      if (res.status === 404) continue
      expect(res.status, text).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/application\/xml/)
      expect(text).toContain('xmlns="http://www.concursolutions.com/api/image/2011/02"')
      const image = parseImage(text)
      const bytes = await mock.fetch(image.Url)
      expect(bytes.status).toBe(200)
      expect(bytes.headers.get('content-type')).toBe('image/png')
      expect(
        Buffer.from(await bytes.arrayBuffer())
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG')
      withImage++
    }
    expect(withImage).toBeGreaterThan(3)
    const someImage = items.find((d) => d.ID)!
    const { res, text } = await imageOf(someImage.ID)
    if (res.status === 200) {
      const url = parseImage(text).Url
      mock.state.clock.advance(16 * 60)
      expect((await mock.fetch(url)).status).toBe(403)
    }
    expect(
      (await mock.fetch(`${mock.state.baseUrl('us')}/imaging/v3/invoices/x?expires=1&signature=0`)).status,
    ).toBe(403)
  })

  it('404 for an unknown request or one without an image; an upload attaches one, and a second is refused', async () => {
    expect((await imageOf('nope')).res.status).toBe(404)
    const created = await ok(
      await call(
        mock,
        REQUEST,
        company,
        send('POST', {
          Name: 'n',
          CountryCode: 'US',
          InvoiceAmount: '1.00',
          VendorRemitToIdentifier: { VendorCode: 'V00002' },
        }),
      ),
    )
    expect((await imageOf(created.ID)).res.status).toBe(404)
    const pdf = Buffer.from('%PDF-1.4 invoice')
    const up = await call(mock, `/api/image/v1.0/invoice/${String(created.ID)}`, company, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
    })
    expect(up.status, await up.clone().text()).toBe(200)
    const got = await imageOf(created.ID)
    const bytes = await mock.fetch(parseImage(got.text).Url)
    expect(bytes.headers.get('content-type')).toBe('application/pdf')
    expect(Buffer.from(await bytes.arrayBuffer())).toEqual(pdf)
    const again = await call(mock, `/api/image/v1.0/invoice/${String(created.ID)}`, company, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: pdf,
    })
    expect(again.status).toBe(400)
    const gif = await call(mock, `/api/image/v1.0/invoice/${String(created.ID)}`, company, {
      method: 'POST',
      headers: { 'content-type': 'image/gif' },
      body: pdf,
    })
    expect(gif.status).toBe(400)
  })

  it('needs the IMAGE scope', async () => {
    const token = await issueToken(mock, { user: 'company', scopes: ['INVPMT'] })
    const { res } = await imageOf('x', token)
    expect(res.status).toBe(403)
  })
})

describe('Invoice over a real socket', () => {
  let sock: MockConcur
  let running: RunningMock
  beforeAll(async () => {
    sock = createMockConcur({ seed: 24, size: SIZE, companies: 1, datacenters: ['us'] })
    running = await sock.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(async () => {
    await running.close()
  })

  it('walks digests by NextPage, reads each payment request and downloads an image without a token', async () => {
    const token = await issueToken(sock, { user: 'company' })
    const auth = { authorization: `Bearer ${token}`, accept: 'application/json' }
    let url: string | null = `${running.datacenters.us}${DIGESTS}?limit=25`
    const ids: string[] = []
    while (url) {
      const page = PaymentRequestDigestCollection.parse(await (await fetch(url, { headers: auth })).json())
      expect(url.startsWith(running.datacenters.us!)).toBe(true)
      ids.push(...page.PaymentRequestDigest.map((d) => String(d.ID)))
      url = page.NextPage ?? null
    }
    expect(ids).toHaveLength(SIZE)
    const r = PaymentRequest.parse(
      await (await fetch(`${running.datacenters.us}${REQUEST}/${ids[0]}`, { headers: auth })).json(),
    )
    expect(r.ID).toBe(ids[0])
    for (const id of ids) {
      const res = await fetch(`${running.datacenters.us}/api/image/v1.0/invoice/${id}`, {
        headers: { authorization: auth.authorization, accept: 'application/xml' },
      })
      if (res.status !== 200) continue
      const image = InvoiceImage.parse(new XMLParser().parse(await res.text()).Image)
      expect(image.Url.startsWith(running.datacenters.us!)).toBe(true)
      const bytes = await fetch(image.Url)
      expect(bytes.status).toBe(200)
      expect((await bytes.arrayBuffer()).byteLength).toBeGreaterThan(100)
      return
    }
    throw new Error('no payment request with an image')
  })
})

describe('Invoice records for the manifest', () => {
  it('the digests, payment requests and vendors a walk reads are the records the manifest counts', async () => {
    const c0 = mock.state.companies[0]!
    const { items } = await walkDigests()
    expect(digestRecords(items)).toEqual(digestRecords(invoiceDigestRecords(mock.state, c0)))
    const approved = await walkDigests('?approvalStatus=A_APPR')
    expect(digestRecords(approved.items)).toEqual(
      digestRecords(invoiceDigestRecords(mock.state, c0, { approvalStatus: 'A_APPR' })),
    )
    const requests = []
    for (const d of items) requests.push(await ok(await call(mock, `${REQUEST}/${d.ID}`, company)))
    expect(digestRecords(requests)).toEqual(digestRecords(paymentRequestRecords(mock.state, c0)))
    const vendors = VendorCollection.parse(
      await ok(await call(mock, `${VENDORS}?limit=1000`, company)),
    ).Vendor
    expect(digestRecords(vendors)).toEqual(digestRecords(invoiceVendorRecords(mock.state, c0)))
  })

  it('/_mock/invoice/images/manifest counts and checksums the bytes every image URL downloads', async () => {
    const c0 = mock.state.companies[0]!
    const { items } = await walkDigests()
    const downloaded = []
    for (const d of items) {
      const res = await call(mock, `/api/image/v1.0/invoice/${String(d.ID)}`, company)
      if (res.status === 404) continue
      const url = InvoiceImage.parse(new XMLParser().parse(await res.text()).Image).Url
      const bytes = await mock.fetch(url)
      const data = Buffer.from(await bytes.arrayBuffer())
      downloaded.push({
        PaymentRequestId: d.ID,
        contentType: bytes.headers.get('content-type'),
        size: data.length,
        sha256: createHash('sha256').update(data).digest('hex'),
      })
    }
    const res = await mock.fetch(`${mock.state.baseUrl('us')}/_mock/invoice/images/manifest?company=${c0.id}`)
    const manifest = (await res.json()) as { count: number; sha256: string }
    expect(manifest.count).toBe(downloaded.length)
    expect(manifest.count).toBeGreaterThan(SIZE / 2)
    expect(digestRecords(downloaded)).toEqual({ count: manifest.count, sha256: manifest.sha256 })
  })
})
