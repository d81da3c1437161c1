import {
  ImageOnlyReceiptsV4Page,
  ImageOnlyReceiptV4,
  RECEIPTS_V4_MAX_BYTES,
  ReceiptsV4Error,
  ReceiptsV4Page,
  ReceiptsV4Schemas,
  ReceiptsV4ServiceIndex,
  ReceiptV4,
  ReceiptV4Status,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { datasetOf } from '../dataset/dataset.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { seededImageOnlyCount } from './receipts-v4-data.js'
import { call, issueToken } from './v3-testing.js'

let mock: MockConcur
let company: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 21, size: 200, companies: 2, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
})

const userId = (u: number, c = 0) => mock.state.user(mock.state.companies[c]!, u)!.id
const ds = () => datasetOf(mock.state.options.seed, mock.state.companies[0]!)
/** A user with more seeded image-only receipts than one page holds. */
const busyUser = () => {
  for (let u = 0; u < ds().users; u++) if (seededImageOnlyCount(ds(), u) > 50) return u
  throw new Error('no busy user')
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text) as T
}

async function fails(res: Response, status: number) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return ReceiptsV4Error.parse(JSON.parse(text))
}

const GENERAL = '<http://schema.concursolutions.com/general-receipt.schema.json>;rel=describedBy'
const RECEIPT = {
  dateTime: '2026-11-02T12:00:00',
  total: 12.5,
  currencyCode: 'EUR',
  merchant: { name: 'Cafe' },
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])

function imageForm(image: Uint8Array = PNG, type = 'image/png', extra: Record<string, string> = {}) {
  const form = new FormData()
  form.set('image', new File([image as Uint8Array<ArrayBuffer>], 'r.png', { type }))
  for (const [k, v] of Object.entries(extra)) form.set(k, v)
  return form
}

const postReceipt = (token: string, user: string, init: RequestInit) =>
  call(mock, `/receipts/v4/users/${user}`, token, { method: 'POST', ...init })

describe('Receipts v4 e-receipts', () => {
  it('answers a JSON e-receipt 201 with Location and both links, then serves it, its image and its status', async () => {
    const token = await issueToken(mock, { user: 2 })
    const res = await postReceipt(token, userId(2), {
      headers: { 'content-type': 'application/json', link: GENERAL },
      body: JSON.stringify(RECEIPT),
    })
    expect(res.status).toBe(201)
    expect(await res.text()).toBe('')
    const location = res.headers.get('location')!
    expect(location).toMatch(/^http:\/\/us\.concur\.localhost\/receipts\/v4\/[0-9a-f]{32}$/)
    const id = location.split('/').pop()!
    expect(res.headers.get('link')).toBe(
      `<http://schema.concursolutions.com/general-receipt.schema.json>; rel="describedBy", <http://us.concur.localhost/receipts/v4/status/${id}>; rel="processing-status"`,
    )
    const receipt = ReceiptV4.parse(await ok(await call(mock, location, token)))
    expect(receipt).toMatchObject({
      id,
      userId: userId(2),
      receipt: RECEIPT,
      validationSchema: 'http://schema.concursolutions.com/general-receipt.schema.json',
      self: location,
    })
    const image = await call(mock, receipt.image, token)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(
      Buffer.from(await image.arrayBuffer())
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG')
    const status = ReceiptV4Status.parse(await ok(await call(mock, `/receipts/v4/status/${id}`, token)))
    expect(status.status).toBe('PROCESSED')
    expect(status.logs.map((l) => l.message)).toContain('Receipt image generated.')
    const mine = ReceiptsV4Page.parse(await ok(await call(mock, `/receipts/v4/users/${userId(2)}`, token)))
    expect(mine.receipts.map((r) => r.id)).toEqual([id])
  })

  it('takes the multipart form with the uploaded image and serves those bytes', async () => {
    const form = imageForm()
    form.set('receipt', JSON.stringify(RECEIPT))
    const res = await postReceipt(company, userId(3), { headers: { link: GENERAL }, body: form })
    expect(res.status).toBe(201)
    const image = await call(mock, `${res.headers.get('location')}/image`, company)
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG)
  })

  it('refuses a missing or unknown schema link, a non-object receipt, a wrong content type and an oversized body', async () => {
    const token = await issueToken(mock, { user: 2 })
    const json = (link: string | undefined, body: string) =>
      postReceipt(token, userId(2), {
        headers: { 'content-type': 'application/json', ...(link ? { link } : {}) },
        body,
      })
    expect(
      (await fails(await json(undefined, JSON.stringify(RECEIPT)), 400)).validationErrors,
    ).toHaveProperty('link')
    await fails(
      await json('<http://schema.concursolutions.com/taxes.schema.json>;rel=describedBy', '{"a":1}'),
      400,
    )
    expect((await fails(await json(GENERAL, '[1]'), 400)).validationErrors).toHaveProperty('receipt')
    await fails(await json(GENERAL, '{not json'), 400)
    await fails(
      await postReceipt(token, userId(2), {
        headers: { 'content-type': 'text/plain', link: GENERAL },
        body: 'x',
      }),
      415,
    )
    const big = JSON.stringify({ blob: 'x'.repeat(RECEIPTS_V4_MAX_BYTES) })
    expect((await fails(await json(GENERAL, big), 413)).message).toMatch(/exceeded the limit of 5MB/)
    const list = ReceiptsV4Page.parse(await ok(await call(mock, `/receipts/v4/users/${userId(2)}`, token)))
    expect(list.receipts).toEqual([])
  })
})

describe('Receipts v4 image-only receipts', () => {
  it('pages a user’s seeded image-only receipts 50 at a time with a next link, oldest first', async () => {
    const u = busyUser()
    const token = await issueToken(mock, { user: u })
    const seen: string[] = []
    let url: string | undefined = `/receipts/v4/users/${userId(u)}/image-only-receipts`
    const sizes: number[] = []
    while (url) {
      const page = ImageOnlyReceiptsV4Page.parse(await ok(await call(mock, url, token)))
      sizes.push(page.receiptsImages.length)
      for (const r of page.receiptsImages) {
        expect(r.userId).toBe(userId(u))
        seen.push(r.id)
      }
      if (page.next) expect(page.next).toMatch(/\/image-only-receipts\/page\/\d+_[0-9a-f]{32}$/)
      url = page.next
    }
    const n = seededImageOnlyCount(ds(), u)
    expect(seen).toHaveLength(n)
    expect(new Set(seen).size).toBe(n)
    expect(sizes[0]).toBe(50)
    expect(sizes).toHaveLength(Math.ceil(n / 50))
    // Deterministic: a second mock with the same seed serves the same first page.
    const again = createMockConcur({ seed: 21, size: 200, companies: 2, datacenters: ['us'] })
    const other = await issueToken(again, { user: u })
    const first = await call(again, `/receipts/v4/users/${userId(u)}/image-only-receipts`, other)
    expect(ImageOnlyReceiptsV4Page.parse(await first.json()).receiptsImages.map((r) => r.id)).toEqual(
      seen.slice(0, 50),
    )
  })

  it('answers an image-only POST 202 with Location and status link; the receipt joins the end of the collection', async () => {
    const u = busyUser()
    const token = await issueToken(mock, { user: u })
    const res = await call(mock, `/receipts/v4/users/${userId(u)}/image-only-receipts`, token, {
      method: 'POST',
      body: imageForm(PNG, 'image/png', { forwardId: 'scan-1' }),
    })
    expect(res.status).toBe(202)
    const location = res.headers.get('location')!
    expect(location).toMatch(/\/receipts\/v4\/images\/[0-9a-f]{32}$/)
    const id = location.split('/').pop()!
    expect(res.headers.get('link')).toBe(
      `<http://us.concur.localhost/receipts/v4/status/${id}>; rel="processing-status"`,
    )
    const one = ImageOnlyReceiptV4.parse(
      await ok(await call(mock, `/receipts/v4/image-only-receipts/${id}`, token)),
    )
    expect(one).toEqual(ImageOnlyReceiptV4.parse(await ok(await call(mock, location, token))))
    expect(one.dateTimeReceived).toMatch(
      /^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{4} \d{2}:\d{2}:\d{2} GMT\+00:00$/,
    )
    expect(new Uint8Array(await (await call(mock, one.image, token)).arrayBuffer())).toEqual(PNG)
    // The same forwardId again is a duplicate: 304, nothing stored.
    const dup = await call(mock, `/receipts/v4/users/${userId(u)}/image-only-receipts`, token, {
      method: 'POST',
      body: imageForm(PNG, 'image/png', { forwardId: 'scan-1' }),
    })
    expect(dup.status).toBe(304)
    let url: string | undefined = `/receipts/v4/users/${userId(u)}/image-only-receipts`
    const ids: string[] = []
    while (url) {
      const page = ImageOnlyReceiptsV4Page.parse(await ok(await call(mock, url, token)))
      ids.push(...page.receiptsImages.map((r) => r.id))
      url = page.next
    }
    expect(ids).toHaveLength(seededImageOnlyCount(ds(), u) + 1)
    expect(ids.at(-1)).toBe(id)
  })

  it('refuses an image-only POST without an image (400), of a wrong type (415) or too large (413)', async () => {
    const path = `/receipts/v4/users/${userId(2)}/image-only-receipts`
    const empty = new FormData()
    empty.set('note', 'x')
    await fails(await call(mock, path, company, { method: 'POST', body: empty }), 400)
    await fails(await call(mock, path, company, { method: 'POST', body: imageForm(PNG, 'text/plain') }), 415)
    const big = new Uint8Array(RECEIPTS_V4_MAX_BYTES + 1)
    await fails(await call(mock, path, company, { method: 'POST', body: imageForm(big) }), 413)
  })
})

describe('Receipts v4 access rules', () => {
  it('requires the userId of a user token to be its sub (401) and keeps other users’ receipts apart (403)', async () => {
    const u = busyUser()
    const mine = await issueToken(mock, { user: u })
    const other = await issueToken(mock, { user: u === 2 ? 3 : 2 })
    await fails(await call(mock, `/receipts/v4/users/${userId(u)}/image-only-receipts`, other), 401)
    await fails(
      await postReceipt(other, userId(u), {
        headers: { 'content-type': 'application/json', link: GENERAL },
        body: JSON.stringify(RECEIPT),
      }),
      401,
    )
    const page = ImageOnlyReceiptsV4Page.parse(
      await ok(await call(mock, `/receipts/v4/users/${userId(u)}/image-only-receipts`, mine)),
    )
    const id = page.receiptsImages[0]!.id
    await fails(await call(mock, `/receipts/v4/image-only-receipts/${id}`, other), 403)
    // A company token reads any user's receipts; another company's token finds nothing.
    await ok(await call(mock, `/receipts/v4/image-only-receipts/${id}`, company))
    const second = await issueToken(mock, { company: 1, user: 'company' })
    await fails(await call(mock, `/receipts/v4/image-only-receipts/${id}`, second, { company: 1 }), 404)
    await fails(
      await call(mock, `/receipts/v4/users/${userId(u)}/image-only-receipts`, second, { company: 1 }),
      404,
    )
  })

  it('answers 403 without a Receipts scope, 404 for unknown ids and status records', async () => {
    const noImage = await issueToken(mock, { user: 'company', scopes: ['EXPRPT'] })
    await fails(await call(mock, `/receipts/v4/users/${userId(2)}/image-only-receipts`, noImage), 403)
    const v4Scope = await issueToken(mock, { user: 'company', scopes: ['receipts.read'] })
    await ok(await call(mock, `/receipts/v4/users/${userId(2)}/image-only-receipts`, v4Scope))
    await fails(
      await postReceipt(v4Scope, userId(2), {
        headers: { 'content-type': 'application/json', link: GENERAL },
        body: '{"a":1}',
      }),
      403,
    )
    await fails(await call(mock, `/receipts/v4/${'0'.repeat(32)}`, company), 404)
    await fails(await call(mock, `/receipts/v4/status/${'0'.repeat(32)}`, company), 404)
    await fails(await call(mock, '/receipts/v4/image-only-receipts/nope', company), 404)
  })

  it('serves the service index and the schema list on the datacenter’s origin', async () => {
    const index = ReceiptsV4ServiceIndex.parse(await ok(await call(mock, '/receipts/', company)))
    expect(index.links.find((l) => l.rel === 'receipt-post')?.href).toBe(
      'http://us.concur.localhost/receipts/v4/users/{userId}',
    )
    const schemas = ReceiptsV4Schemas.parse(await ok(await call(mock, '/receipts/schemas', company)))
    expect(schemas.receiptSchemas).toHaveLength(7)
  })
})
