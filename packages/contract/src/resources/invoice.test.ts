import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  AllocationWrite,
  CompanyAddress,
  InvoiceAllocation,
  InvoiceLineItem,
  InvoiceVendor,
  LineItemWrite,
  PaymentRequest,
  PaymentRequestCreate,
  PaymentRequestDigest,
  PaymentRequestDigestCollection,
  PaymentRequestUpdate,
  VendorAddress,
  VendorBank,
  VendorCollection,
  VendorRemitToIdentifier,
  VendorStatus,
  VendorWrite,
} from './invoice.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
interface Swagger {
  readonly definitions: Record<string, { readonly properties: Record<string, unknown> }>
}
const swagger = (name: string): Swagger => JSON.parse(readFileSync(new URL(name, DIR), 'utf8')) as Swagger

const keysOf = (schema: z.ZodType) => Object.keys((schema as unknown as { shape: object }).shape)

/** Every documented definition and the schema that must name each of its properties. */
const CASES: readonly [
  file: string,
  definition: string,
  schema: z.ZodType,
  renamed?: Record<string, string>,
][] = [
  ['invoice-v3.0-PaymentRequestDigest.swagger2.json', 'PaymentRequestDigest', PaymentRequestDigest],
  [
    'invoice-v3.0-PaymentRequestDigest.swagger2.json',
    'PaymentRequestDigestCollection',
    PaymentRequestDigestCollection,
  ],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'PaymentRequest', PaymentRequest],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'LineItem', InvoiceLineItem],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'Allocation', InvoiceAllocation],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'CompanyAddress', CompanyAddress],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'VendorAddress', VendorAddress],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'VendorIdentifier', VendorRemitToIdentifier],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'PaymentRequestPost', PaymentRequestCreate],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'PaymentRequestPut', PaymentRequestUpdate],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'PaymentRequestLineItemPost', LineItemWrite],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'PaymentRequestLineItemPut', LineItemWrite],
  ['invoice-v3.0-PaymentRequest.swagger2.json', 'PaymentRequestAllocationPostPut', AllocationWrite],
  ['invoice-v3.1-Vendors.swagger2.json', 'Vendor', InvoiceVendor],
  ['invoice-v3.1-Vendors.swagger2.json', 'VendorCollection', VendorCollection],
  ['invoice-v3.1-Vendors.swagger2.json', 'VendorBank', VendorBank],
  ['invoice-v3.1-Vendors.swagger2.json', 'Status', VendorStatus],
]

describe('Invoice schemas against the documented swagger definitions', () => {
  for (const [file, definition, schema] of CASES) {
    it(`${definition} names every property of ${file}`, () => {
      const documented = Object.keys(swagger(file).definitions[definition]!.properties)
      expect(documented.length).toBeGreaterThan(0)
      const ours = new Set(keysOf(schema))
      expect(documented.filter((k) => !ours.has(k))).toEqual([])
    })
  }

  it('a PaymentRequest whose every documented field is a string parses, with its line items and allocations', () => {
    const defs = swagger('invoice-v3.0-PaymentRequest.swagger2.json').definitions
    const strings = (def: string) =>
      Object.fromEntries(
        Object.entries(defs[def]!.properties)
          .filter(([, v]) => (v as { type?: string }).type === 'string')
          .map(([k]) => [k, `${k}-value`]),
      )
    const request = {
      ...strings('PaymentRequest'),
      CompanyBillToAddress: strings('CompanyAddress'),
      VendorRemitAddress: strings('VendorAddress'),
      LineItems: {
        LineItem: [{ ...strings('LineItem'), Allocations: { Allocation: [strings('Allocation')] } }],
      },
    }
    const parsed = PaymentRequest.parse(request)
    expect(parsed.LineItems?.LineItem[0]?.Allocations?.Allocation[0]?.Percentage).toBe('Percentage-value')
    expect(PaymentRequest.safeParse({ ...request, LineItems: [] }).success).toBe(false)
  })

  it('the digest collection carries the records in PaymentRequestDigest and Items', () => {
    const page = PaymentRequestDigestCollection.parse({
      PaymentRequestDigest: [{ ID: 'a', IsDeleted: false }],
      Items: [{ ID: 'a', IsDeleted: 'false' }],
      NextPage: null,
      TotalCount: 1,
    })
    expect(page.PaymentRequestDigest[0]?.ID).toBe('a')
    expect(PaymentRequestDigestCollection.safeParse({ Items: [] }).success).toBe(false)
  })
})

describe('Invoice write bodies', () => {
  const vendor = { VendorCode: 'V0001', AddressCode: 'A1' }

  it('a create needs Name, CountryCode, InvoiceAmount and VendorRemitToIdentifier', () => {
    const ok = { Name: 'Paper', CountryCode: 'US', InvoiceAmount: 20, VendorRemitToIdentifier: vendor }
    expect(PaymentRequestCreate.parse(ok).InvoiceAmount).toBe('20')
    for (const k of ['Name', 'CountryCode', 'InvoiceAmount', 'VendorRemitToIdentifier'] as const) {
      const { [k]: _, ...rest } = ok
      expect(PaymentRequestCreate.safeParse(rest).success, k).toBe(false)
    }
    expect(PaymentRequestCreate.safeParse({ ...ok, Bogus: '1' }).success).toBe(false)
  })

  it('the vendor is named by VendorCode or by Name, Address1 and PostalCode', () => {
    expect(
      VendorRemitToIdentifier.safeParse({ Name: 'Acme', Address1: '1 Main', PostalCode: '98101' }).success,
    ).toBe(true)
    expect(VendorRemitToIdentifier.safeParse({ Name: 'Acme' }).success).toBe(false)
  })

  it('LineItems and Allocations take the wrapper (one member or many) or an array', () => {
    const base = { Name: 'P', CountryCode: 'US', InvoiceAmount: '5', VendorRemitToIdentifier: vendor }
    const one = PaymentRequestCreate.parse({
      ...base,
      LineItems: { LineItem: { TotalPrice: '5', Allocations: { Allocation: { Percentage: '100' } } } },
    })
    expect(one.LineItems).toEqual([{ TotalPrice: '5', Allocations: [{ Percentage: '100' }] }])
    const many = PaymentRequestCreate.parse({
      ...base,
      LineItems: [{ TotalPrice: '5' }, { TotalPrice: '0' }],
    })
    expect(many.LineItems).toHaveLength(2)
  })

  it('an update names its request with RequestID', () => {
    expect(PaymentRequestUpdate.safeParse({ Description: 'x' }).success).toBe(false)
    expect(PaymentRequestUpdate.parse({ RequestID: 'R1', Description: 'x' }).RequestID).toBe('R1')
  })

  it('a vendor write needs VendorCode, AddressCode, CountryCode and CurrencyCode', () => {
    const v = { VendorCode: 'V9', AddressCode: 'A1', CountryCode: 'US', CurrencyCode: 'USD' }
    expect(VendorWrite.safeParse(v).success).toBe(true)
    for (const k of Object.keys(v)) {
      const rest = Object.fromEntries(Object.entries(v).filter(([x]) => x !== k))
      expect(VendorWrite.safeParse(rest).success, k).toBe(false)
    }
  })
})
