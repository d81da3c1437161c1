import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { QUICK_EXPENSE_RATE_LIMIT, QuickExpenseRequest, QuickExpenseResponse } from './quick-expense-v4.js'
import {
  describedByType,
  ImageOnlyReceiptsV4Page,
  ImageOnlyReceiptV4,
  RECEIPT_V4_SUPPORTING_SCHEMAS,
  RECEIPT_V4_TYPES,
  ReceiptsV4Page,
  ReceiptsV4Schemas,
  ReceiptsV4ServiceIndex,
  ReceiptV4,
  ReceiptV4Status,
  receiptV4SchemaUrl,
} from './receipts-v4.js'
import { SpendDocumentReceipt } from './spend-documents-v4.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const text = (name: string) => readFileSync(new URL(name, DIR), 'utf8')
const read = (name: string): unknown => JSON.parse(text(name))
/** The published example with its `...Receipt JSON...` / `{ ... }` / `...` placeholders made strict JSON. */
const strict = (name: string): unknown =>
  JSON.parse(
    text(name)
      .replace(/\{\s*\.\.\.Receipt JSON\.\.\.\s*\}/g, '{}')
      .replace(/,\s*\{\s*\.\.\.\s*\}\s*,?/g, '')
      .replace(/,\s*\.\.\.\s*\]/g, ']'),
  )

describe('Receipts v4 schemas against the documented examples', () => {
  it('reads the service index, the schema list and a status', () => {
    const index = ReceiptsV4ServiceIndex.parse(read('receipts-v4-service-index-response.json'))
    expect(index.links.map((l) => l.rel)).toContain('receipt-post')
    const schemas = ReceiptsV4Schemas.parse(read('receipts-v4-schemas-response.json'))
    expect(schemas.receiptSchemas.map((s) => s.rel)).toEqual(RECEIPT_V4_TYPES.map(receiptV4SchemaUrl))
    expect(schemas.supportingSchemas?.map((s) => s.rel)).toEqual(
      RECEIPT_V4_SUPPORTING_SCHEMAS.map((s) => `http://schema.concursolutions.com/${s}.schema.json`),
    )
    const status = ReceiptV4Status.parse(read('receipts-v4-status-response.json'))
    expect(status.status).toBe('PROCESSED')
    expect(status.logs).toHaveLength(4)
  })

  it('reads an e-receipt, the user receipts and the image-only receipts (placeholders removed)', () => {
    const one = ReceiptV4.parse(strict('receipts-v4-receipt-get-response.json'))
    expect(one.template).toBe('https://us.api.concursolutions.com/receipts/v4/{receiptId}')
    expect(ReceiptsV4Page.parse(strict('receipts-v4-user-receipts-response.json')).receipts).toHaveLength(2)
    const page = ImageOnlyReceiptsV4Page.parse(strict('receipts-v4-user-image-only-receipts-response.json'))
    expect(page.receiptsImages).toHaveLength(1)
    expect(page.next).toMatch(/\/image-only-receipts\/page\/\d+_[0-9a-f]{32}$/)
    expect(ImageOnlyReceiptV4.parse(read('receipts-v4-image-only-receipt-get-response.json')).id).toBe(
      'a90fc48e0f0a44f2bd4838fd773b07a5',
    )
  })

  it('rejects a receipt without its required fields', () => {
    expect(ReceiptV4.safeParse({ id: 'x', userId: 'u' }).success).toBe(false)
    expect(ImageOnlyReceiptsV4Page.safeParse({ imageOnlyReceipts: [] }).success).toBe(false)
  })

  it('reads the e-receipt type of the documented link header, and nothing else', () => {
    const posted = text('receipts-v4-post-receipt-response.http')
    expect(posted).toContain('rel="describedBy"')
    expect(
      describedByType('<http://schema.concursolutions.com/car-rental-receipt.schema.json>;rel=describedBy'),
    ).toBe('car-rental')
    expect(
      describedByType(
        '<http://schema.concursolutions.com/hotel-receipt.schema.json>; rel="describedBy", <https://x/status/1>; rel="processing-status"',
      ),
    ).toBe('hotel')
    expect(
      describedByType('<http://schema.concursolutions.com/taxes.schema.json>;rel=describedBy'),
    ).toBeUndefined()
    expect(
      describedByType('<http://schema.concursolutions.com/hotel-receipt.schema.json>;rel=self'),
    ).toBeUndefined()
    expect(describedByType('hotel')).toBeUndefined()
    expect(describedByType(undefined)).toBeUndefined()
  })
})

describe('Spend Documents v4 and Quick Expense v4 schemas against the documented examples', () => {
  it('reads the documented spend document receipt', () => {
    const r = SpendDocumentReceipt.parse(read('spend-documents-v4-receipt-get-response.json'))
    expect(r.metadata.imageId).toBe('F66F323EAC704DA3B3AA85F66D7E1663')
    expect(r.documents?.map((d) => d.representation)).toEqual(['display', 'compliance'])
    expect(SpendDocumentReceipt.safeParse({ metadata: {}, receiptData: {} }).success).toBe(false)
  })

  it('accepts both documented requests and responses and refuses bad ones', () => {
    expect(QuickExpenseRequest.parse(read('quick-expense-v4-post-request.json')).expenseTypeId).toBe('BUSML')
    expect(
      QuickExpenseRequest.parse(read('quick-expense-v4-post-image-request-part.json')).paymentTypeId,
    ).toBe('CASHX')
    for (const f of ['quick-expense-v4-post-response.json', 'quick-expense-v4-post-image-response.json'])
      expect(QuickExpenseResponse.parse(read(f)).quickExpenseIdUri).toMatch(
        /\/context\/TRAVELER\/quickexpenses\/[0-9A-F]{32}$/,
      )
    const good = read('quick-expense-v4-post-request.json') as Record<string, unknown>
    for (const bad of [
      { ...good, transactionDate: '2019-02-30' },
      { ...good, transactionDate: '04/02/2019' },
      { ...good, transactionAmount: { currencyCode: 'usd', value: 1 } },
      { ...good, paymentTypeId: 'CASH' },
      { ...good, unknownField: 1 },
      { transactionAmount: good.transactionAmount, transactionDate: good.transactionDate },
    ])
      expect(QuickExpenseRequest.safeParse(bad).success).toBe(false)
    expect(QUICK_EXPENSE_RATE_LIMIT).toEqual({ requests: 120, windowSeconds: 300 })
  })
})
