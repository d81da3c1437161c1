import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConcurRequestError } from '../src/index.ts'
import { type MockFixture, startMock } from './helpers/mock.ts'

let m: MockFixture
beforeAll(async () => {
  m = await startMock({ seed: 31, size: 40 })
})
afterAll(async () => {
  await m.close()
})

const all = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = []
  for await (const x of it) out.push(x)
  return out
}
const userOf = (i: number) => m.mock.state.user(m.mock.state.companies[0]!, i)!
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9])
const EXPENSE = {
  expenseTypeId: 'BUSML',
  transactionAmount: { currencyCode: 'USD', value: 88.05 },
  transactionDate: '2019-02-04',
  comment: 'Offsite team lunch.',
} as const

describe('client.receiptsV4 and client.spendDocumentsV4 over the mock', () => {
  it('posts e-receipts and image-only receipts, reads them back and walks the user’s pages', async () => {
    const client = await m.client({ userIndex: 2 })
    const me = userOf(2).id
    const before = await all(client.receiptsV4.imageOnlyReceipts(me))
    expect(new Set(before.map((r) => r.id)).size).toBe(before.length)
    expect(before.every((r) => r.userId === me)).toBe(true)

    const posted = await client.receiptsV4.postReceipt(me, {
      type: 'hotel',
      receipt: { total: 120, currencyCode: 'EUR' },
      image: { data: PNG, contentType: 'image/png' },
    })
    expect(posted.processingStatus).toBe(`${m.baseUrl}/receipts/v4/status/${posted.id}`)
    const receipt = await client.receiptsV4.receipt(posted.id)
    expect(receipt.validationSchema).toBe('http://schema.concursolutions.com/hotel-receipt.schema.json')
    expect(receipt.receipt).toEqual({ total: 120, currencyCode: 'EUR' })
    expect(new Uint8Array((await client.receiptsV4.image(posted.id)).data)).toEqual(PNG)
    expect((await client.receiptsV4.status(posted.id)).status).toBe('PROCESSED')
    expect((await all(client.receiptsV4.receipts(me))).map((r) => r.id)).toEqual([posted.id])

    const image = await client.receiptsV4.postImageOnly(me, { data: PNG, contentType: 'image/png' })
    expect(image.location).toBe(`${m.baseUrl}/receipts/v4/images/${image.id}`)
    const after = await all(client.receiptsV4.imageOnlyReceipts(me))
    expect(after.map((r) => r.id)).toEqual([...before.map((r) => r.id), image.id])
    expect((await client.receiptsV4.imageOnlyReceipt(image.id)).userId).toBe(me)
  })

  it('surfaces Concur’s refusals: another user’s id (401), an unknown receipt (404)', async () => {
    const client = await m.client({ userIndex: 2, retry: { maxRetries: 0 } })
    const err = await client.receiptsV4
      .postReceipt(userOf(3).id, { type: 'general', receipt: { total: 1 } })
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect((err as ConcurRequestError).status).toBe(401)
    const missing = await client.receiptsV4.receipt('0'.repeat(32)).catch((e: unknown) => e)
    expect((missing as ConcurRequestError).status).toBe(404)
  })

  it('reads a final-approved receipt by its Imaging id with the bytes of the v3.0 receipt image', async () => {
    const client = await m.client()
    for await (const image of client.resource('receipt-images').list({ user: 'ALL' })) {
      const doc = await client.spendDocumentsV4.byImageId(String(image.ID)).catch((e: unknown) => e)
      if (doc instanceof ConcurRequestError && doc.status === 404) continue
      if (doc instanceof Error) throw doc
      const { metadata } = doc as Awaited<ReturnType<typeof client.spendDocumentsV4.byImageId>>
      expect(metadata.imageId).toBe(image.ID)
      expect((await client.spendDocumentsV4.receipt(metadata.id)).metadata.imageId).toBe(image.ID)
      const spend = await client.spendDocumentsV4.representation(metadata.id, 'display')
      const v3 = await client.receiptImage(String(image.ID))
      expect(spend.contentType).toBe('image/png')
      expect(new Uint8Array(spend.data)).toEqual(new Uint8Array(v3.bytes))
      return
    }
    throw new Error('no final-approved receipt image in the dataset')
  })
})

describe('client.quickExpenseV4 over the mock: the rate limit is waited out as the answer says', () => {
  it('creates quick expenses with and without image, and refuses a bad request before sending it', async () => {
    const client = await m.client({ userIndex: 3 })
    const a = await client.quickExpenseV4.create(userOf(3).id, EXPENSE)
    const b = await client.quickExpenseV4.create(userOf(3).id, EXPENSE, {
      image: { data: PNG, contentType: 'image/png' },
    })
    expect(a.quickExpenseIdUri).toMatch(/\/context\/TRAVELER\/quickexpenses\/[0-9A-F]{32}$/)
    expect(b.quickExpenseIdUri).not.toBe(a.quickExpenseIdUri)
    const requests = client.transport.stats.requests
    await expect(
      client.quickExpenseV4.create(userOf(3).id, { ...EXPENSE, transactionDate: '2019-02-30' }),
    ).rejects.toMatchObject({ code: 'CONCUR_INVALID_ARGUMENT' })
    expect(client.transport.stats.requests).toBe(requests)
  })

  it('the 121st request in 5 minutes gets 429 + Retry-After; the client waits that long and its POST then succeeds', async () => {
    // Production retry timings: Retry-After is honoured up to 30 s.
    const client = await m.client({ userIndex: 4, retry: {} })
    const me = userOf(4).id
    const firstAt = Date.now()
    for (let i = 0; i < 120; i++) await client.quickExpenseV4.create(me, EXPENSE)
    // Move the mock's clock to one second before the first of the 120 leaves the window.
    m.mock.state.clock.advance(299 - (Date.now() - firstAt) / 1000)
    const retries = client.transport.stats.retries
    const started = performance.now()
    const created = await client.quickExpenseV4.create(me, EXPENSE)
    const waited = performance.now() - started
    expect(created.quickExpenseIdUri).toMatch(/\/quickexpenses\/[0-9A-F]{32}$/)
    expect(client.transport.stats.retries - retries).toBe(1)
    expect(waited).toBeGreaterThanOrEqual(900)
    const path = `/quickexpense/v4/users/${me}/context/TRAVELER/quickexpenses`
    const last = m.mock.state.journal
      .list()
      .filter((e) => e.path === path)
      .slice(-2)
      .map((e) => e.status)
    expect(last).toEqual([429, 201])
  })
})
