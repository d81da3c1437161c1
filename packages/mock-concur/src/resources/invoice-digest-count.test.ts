import { DIGEST_FILTERS } from '@concurkit/contract'
import { XMLParser } from 'fast-xml-parser'
import { beforeAll, describe, expect, it } from 'vitest'
import { datasetOf } from '../dataset/dataset.js'
import { fieldMatches, parseFilterValue } from '../dataset/filters.js'
import { DAY_MS } from '../dataset/time.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { digestOfEntry, type RequestEntry, requestEntries, viewOfEntry } from './invoice-store.js'
import { encodeOffset } from './offset.js'
import { call, issueToken } from './v3-testing.js'

/**
 * The digest list counts and pages without walking the company where it can (a count for an
 * unfiltered list, only the viewer's requests for a user). The reference here is the plain walk:
 * every payment request built in full, filtered, counted and sliced; each answer must be those bytes.
 */

const DIGESTS = '/api/v3.0/invoice/paymentrequestdigests'
const REQUEST = '/api/v3.0/invoice/paymentrequest'
// 400 requests, 20 users: each user owns every 20th seeded request.
const SIZE = 400

let mock: MockConcur
const tokens: Record<string, string> = {}
/** Viewer of each token: every request (undefined) or one user's. */
const VIEWERS: Record<string, number | undefined> = { company: undefined, admin: undefined, u2: 2, u3: 3 }

beforeAll(async () => {
  mock = createMockConcur({ seed: 7, size: SIZE, companies: 1, datacenters: ['us'], now: () => 1.767e12 })
  tokens.company = await issueToken(mock, { user: 'company' })
  tokens.admin = await issueToken(mock, { user: 0 })
  tokens.u2 = await issueToken(mock, { user: 2 })
  tokens.u3 = await issueToken(mock, { user: 3 })
})

const company = () => mock.state.companies[0]!
const ds = () => datasetOf(mock.state.options.seed, company())
const origin = () => mock.state.baseUrl(company().datacenter)
const loginOf = (u: number) => mock.state.user(company(), u)!.loginId

/** The JSON body the list must answer, computed by walking every request in full. */
function expected(entries: readonly RequestEntry[], who: string, query: string, from = 0) {
  const params = new URLSearchParams(query)
  const limit = Number(params.get('limit') ?? 1000)
  const checks = [...params]
    .filter(([k]) => k !== 'limit' && k !== 'offset')
    .map(([k, raw]) => {
      const def = DIGEST_FILTERS.find((d) => d.param === k)!
      const value = parseFilterValue(def, raw)
      const on = k.startsWith('submitDate') ? { ...def, field: 'LastSubmitDate' } : def
      const bound = def.op === 'before' ? (value as number) + DAY_MS : value
      return (v: Record<string, unknown>) => fieldMatches(on, bound, v)
    })
  const viewer = VIEWERS[who]
  const matching = entries
    .map((e, pos) => ({ e, pos }))
    .filter(({ e }) => viewer === undefined || e.owner === viewer)
    .filter(({ e }) => checks.every((ck) => ck(viewOfEntry(e))))
  const rest = matching.filter((m) => m.pos >= from)
  const items = rest.slice(0, limit).map(({ e }) => ({
    ...digestOfEntry(e, origin()),
    URI: `${origin()}${DIGESTS}/${e.record.ID}`,
  }))
  let nextPage: string | null = null
  if (rest.length > limit) {
    const next = new URL(`${origin()}${DIGESTS}?${query}`)
    const c = company()
    next.searchParams.set(
      'offset',
      encodeOffset(mock.state.options.seed, c.id, 'payment-request-digests', rest[limit]!.pos),
    )
    nextPage = next.toString()
  }
  return { PaymentRequestDigest: items, Items: items, NextPage: nextPage, TotalCount: matching.length }
}

/** Checks every page of a query (JSON bytes, XML count and next page) against the reference. */
async function checkQuery(entries: readonly RequestEntry[], who: string, query: string) {
  let url: string | null = `${DIGESTS}?${query}`
  let from = 0
  let pages = 0
  while (url !== null && pages < 4) {
    const want = expected(entries, who, query, from)
    const res = await call(mock, url, tokens[who]!)
    expect(await res.text(), `${who} ${url}`).toBe(JSON.stringify(want))
    const xml = await call(mock, url, tokens[who]!, { headers: { accept: 'application/xml' } })
    const doc = new XMLParser({ parseTagValue: false }).parse(await xml.text()) as {
      PaymentRequestDigestCollection: { TotalCount: string; NextPage: string }
    }
    expect(doc.PaymentRequestDigestCollection.TotalCount, `${who} ${url} XML`).toBe(String(want.TotalCount))
    if (want.NextPage) expect(doc.PaymentRequestDigestCollection.NextPage).toBe(want.NextPage)
    url = want.NextPage
    if (url) from = entries.findIndex((e) => e.record.ID === want.Items.at(-1)!.ID) + 1
    pages++
  }
}

/** One query per filter kind (values taken from the data so users see some), plus none. */
function queries(entries: readonly RequestEntry[]): string[] {
  const mine = entries.find((e) => e.owner === 2)!
  const day = (s: unknown) => String(s).slice(0, 10)
  const mid = entries[Math.floor(entries.length / 2)]!.record
  return [
    'limit=7',
    'limit=1000',
    'limit=3&approvalStatus=A_APPR',
    'limit=2&paymentStatus=P_PAID',
    `vendorInvoiceNumber=${mine.record.InvoiceNumber}`,
    'limit=4&payMethodType=ACH',
    `limit=5&createDateAfter=${day(mid.UserCreationDate)}`,
    `limit=5&createDateBefore=${day(mid.UserCreationDate)}`,
    `limit=3&userDefinedDateBefore=${day(mid.InvoiceDate)}`,
    'limit=3&submitDateAfter=2024-03-01&submitDateBefore=2025-06-30',
    'limit=2&paidDateAfter=2024-06-01',
    'limit=6&lastModifiedDateAfter=2025-01-01',
    'limit=2&extractedDateBefore=2025-01-01',
    'limit=3&approvalStatus=A_APPR&paymentStatus=P_PROC',
  ]
}

const send = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const newRequest = {
  Name: 'Office paper',
  CountryCode: 'US',
  InvoiceAmount: '80.00',
  VendorRemitToIdentifier: { VendorCode: 'V00001', AddressCode: 'REMIT' },
  LineItems: { LineItem: [{ Description: 'Paper', Quantity: '4', UnitPrice: '20.00' }] },
}

describe('Payment Request Digests: TotalCount, Items and NextPage equal a walk of every request', () => {
  it('seeded only, and after creating requests and moving requests between users', async () => {
    const seeded = [...requestEntries(mock.state, ds())]
    expect(seeded).toHaveLength(SIZE)
    for (const who of Object.keys(VIEWERS)) for (const q of queries(seeded)) await checkQuery(seeded, who, q)

    const ok = async (who: string, method: string, body: unknown) => {
      const res = await call(mock, REQUEST, tokens[who]!, send(method, body))
      expect(res.status, await res.clone().text()).toBe(200)
    }
    // Created: one without an owner (company token), one by user 2, one an admin files for user 3.
    await ok('company', 'POST', newRequest)
    await ok('u2', 'POST', newRequest)
    await ok('admin', 'POST', { ...newRequest, EmployeeLoginId: loginOf(3) })
    // Patched: a seeded request of user 3 moved to user 2 and one of user 2 to user 3, one changed in
    // place, and a created one moved from user 2 to user 3.
    const of = (u: number) => seeded.filter((e) => e.owner === u)
    await ok('admin', 'PUT', { RequestID: of(3)[1]!.record.ID, EmployeeLoginId: loginOf(2) })
    await ok('admin', 'PUT', { RequestID: of(2)[4]!.record.ID, EmployeeLoginId: loginOf(3) })
    await ok('u2', 'PUT', { RequestID: of(2)[0]!.record.ID, Description: 'Corrected' })
    const created = [...requestEntries(mock.state, ds())].slice(SIZE)
    await ok('admin', 'PUT', { RequestID: created[1]!.record.ID, EmployeeLoginId: loginOf(3) })

    const written = [...requestEntries(mock.state, ds())]
    expect(written).toHaveLength(SIZE + 3)
    // The writes changed what each viewer counts, so a count that missed one of them fails below.
    const count = (u: number) => written.filter((e) => e.owner === u).length
    // User 2: one seeded lost, one gained, one created then moved away; user 3: one seeded lost, one
    // gained, one filed for them, one moved to them.
    expect([count(2), count(3)]).toEqual([of(2).length, of(3).length + 2])
    for (const who of Object.keys(VIEWERS))
      for (const q of queries(written)) await checkQuery(written, who, q)
  })
})

describe('seededDigestOf', () => {
  it('is the digest of the request built in full, field for field, over seeds, companies and sizes', async () => {
    const { companyAt } = await import('../companies.js')
    const { digestOf, paymentRequestAt, paymentRequestCount, seededDigestOf } = await import(
      './invoice-data.js'
    )
    for (const [seed, index, size] of [
      [42, 0, 400],
      [7, 1, 3000],
      [99, 0, 50],
    ] as const) {
      const ds = datasetOf(seed, companyAt(seed, index, size, ['us']))
      const n = paymentRequestCount(ds)
      for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 300))) {
        const login = `owner-${i}@example.com`
        const full = paymentRequestAt(ds, i)
        expect(seededDigestOf(ds, i, login, 'https://o'), `seed ${seed} request ${i}`).toStrictEqual(
          digestOf(full.record, full.lastModified, login, 'https://o'),
        )
      }
    }
  })
})
