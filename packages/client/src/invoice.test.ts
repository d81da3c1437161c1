import { passwordGrant } from '@concurkit/auth'
import { createMockConcur, type RunningMock } from '@concurkit/mock-concur'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConcurClient } from './client.js'
import { memoryCursorStore, syncResource } from './cursor.js'
import { ConcurClientError } from './errors.js'
import { staticToken } from './http.js'

const mock = createMockConcur({ seed: 2424, size: 30, companies: 1, datacenters: ['us'] })
const c = mock.state.companies[0]!
let running: RunningMock
let client: ReturnType<typeof createConcurClient>

beforeAll(async () => {
  running = await mock.listen({ host: '127.0.0.1', port: 0 })
  const base = running.datacenters.us!
  const tokens = await passwordGrant({
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    username: c.users[0]!.loginId,
    password: c.users[0]!.password,
    baseUrl: base,
  })
  client = createConcurClient({ auth: staticToken(tokens.accessToken.reveal(), base) })
})
afterAll(async () => {
  await client.transport.close()
  await running.close()
})

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}

describe('client.invoice', () => {
  it('walks the digests page by page and fans out to each payment request once', async () => {
    const all = await collect(client.invoice.digests())
    expect(all).toHaveLength(30)
    const paged = await collect(client.invoice.digests({}, { limit: 4 }))
    expect(paged.map((d) => d.ID)).toEqual(all.map((d) => d.ID))
    const requests = await collect(client.invoice.paymentRequests({}, { limit: 7 }))
    expect(requests.map((r) => r.ID)).toEqual(all.map((d) => d.PaymentRequestId))
    expect(requests[0]!.LineItems?.LineItem.length).toBeGreaterThan(0)
    const approved = await collect(client.invoice.digests({ approvalStatus: 'A_APPR' }))
    expect(approved.every((d) => d.ApprovalStatusCode === 'A_APPR')).toBe(true)
    expect(() => client.invoice.digests({}, { limit: 1001 })).toThrow(ConcurClientError)
  })

  it('creates and updates a payment request', async () => {
    const created = await client.invoice.createPaymentRequest({
      Name: 'Client test',
      CountryCode: 'US',
      InvoiceAmount: '12.50',
      VendorRemitToIdentifier: { VendorCode: 'V00003', AddressCode: 'REMIT' },
      LineItems: { LineItem: [{ TotalPrice: '12.50', Description: 'Pens' }] },
    })
    expect(created.URI).toContain(created.ID)
    await client.invoice.updatePaymentRequest({ RequestID: created.ID, Description: 'Pens and paper' })
    const r = await client.invoice.paymentRequest(created.ID)
    expect(r).toMatchObject({ Description: 'Pens and paper', LineItemTotalAmount: '12.50' })
    await expect(client.invoice.paymentRequest('nope')).rejects.toMatchObject({ status: 404 })
  })

  it('reads, writes and deletes vendors', async () => {
    const vendors = await collect(client.invoice.vendors({}, { limit: 10 }))
    expect(vendors.length).toBeGreaterThanOrEqual(30)
    const answer = await client.invoice.writeVendors('create', [
      { VendorCode: 'C1', AddressCode: 'A', CountryCode: 'US', CurrencyCode: 'USD', VendorName: 'Client Co' },
    ])
    expect(answer.Vendor[0]?.StatusList?.[0]?.Type).toBe('INFO')
    expect(await collect(client.invoice.vendors({ vendorName: 'client co' }))).toHaveLength(1)
    await client.invoice.deleteVendor('C1', 'A')
    expect(await collect(client.invoice.vendors({ vendorCode: 'C1' }))).toEqual([])
  })

  it('downloads invoice images without a token, undefined when a request has none', async () => {
    const digests = await collect(client.invoice.digests())
    const results = await Promise.all(digests.slice(0, 10).map((d) => client.invoice.image(String(d.ID))))
    const found = results.filter((r) => r !== undefined)
    expect(found.length).toBeGreaterThan(0)
    expect(results.some((r) => r === undefined)).toBe(true)
    for (const image of found) {
      expect(image.contentType).toBe('image/png')
      expect(image.bytes.subarray(1, 4).toString()).toBe('PNG')
      expect(image.url).toContain('/imaging/v3/invoices/')
    }
  })
})

describe('payment-requests as a registry row', () => {
  it('walks as a fan-out from the digests and syncs incrementally by the digests’ LastModifiedDate', async () => {
    const rows = client.resource('payment-requests')
    const all = await rows.list().toArray()
    const digests = await collect(client.invoice.digests())
    expect(all.map((r) => r.ID)).toEqual(digests.map((d) => d.ID))
    const store = memoryCursorStore()
    const first = await syncResource(rows, { store })
    expect(first.records).toBe(all.length)
    expect(first.cursor.resource).toBe('payment-requests')
    expect((await syncResource(rows, { store })).records).toBe(0)
    const target = String(all[3]!.ID)
    await client.invoice.updatePaymentRequest({ RequestID: target, Description: 'changed between syncs' })
    const changed: unknown[] = []
    await syncResource(rows, { store, onRecords: (r) => void changed.push(...r) })
    expect(changed).toEqual([expect.objectContaining({ ID: target, Description: 'changed between syncs' })])
  })
})
