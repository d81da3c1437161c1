import { readFileSync } from 'node:fs'
import { EntryItem, QuickExpenseResponse, V3Collection, V4Error } from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { call, issueToken } from './v3-testing.js'

const FIXTURES = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const EXAMPLE = readFileSync(new URL('quick-expense-v4-post-request.json', FIXTURES), 'utf8')
const IMAGE_PART = readFileSync(new URL('quick-expense-v4-post-image-request-part.json', FIXTURES), 'utf8')

let mock: MockConcur
let company: string

beforeEach(async () => {
  // A frozen wall clock: only `clock.advance()` moves the mock's time, however slow the machine.
  const start = Date.now()
  mock = createMockConcur({ seed: 5, size: 40, companies: 1, datacenters: ['us'], now: () => start })
  company = await issueToken(mock, { user: 'company' })
})

const user = (u: number) => mock.state.user(mock.state.companies[0]!, u)!
const path = (u: number, image = false, context = 'TRAVELER') =>
  `/quickexpense/v4/users/${user(u).id}/context/${context}/quickexpenses${image ? '/image' : ''}`
const postJson = (token: string, u: number, body: string = EXAMPLE) =>
  call(mock, path(u), token, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
const postImage = (token: string, u: number) => {
  const form = new FormData()
  form.set('quickExpenseRequest', IMAGE_PART)
  form.set('fileContent', new File([new Uint8Array([1, 2, 3, 4])], 'r.jpg', { type: 'image/jpeg' }))
  return call(mock, path(u, true), token, { method: 'POST', body: form })
}

async function created(res: Response) {
  const text = await res.text()
  expect(res.status, text).toBe(201)
  return QuickExpenseResponse.parse(JSON.parse(text)).quickExpenseIdUri
}

async function fails(res: Response, status: number) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  const body = V4Error.parse(JSON.parse(text))
  expect(body.path).toMatch(/^\/quickexpense\/v4\/users\//)
  return body
}

describe('Quick Expense v4 POSTs', () => {
  it('creates quick expenses from the documented request, with and without image', async () => {
    const token = await issueToken(mock, { user: 2 })
    const uri = await created(await postJson(token, 2))
    expect(uri).toMatch(
      new RegExp(`^http://us\\.concur\\.localhost${path(2).replace(/\//g, '\\/')}/[0-9A-F]{32}$`),
    )
    const withImage = await created(await postImage(company, 2))
    expect(withImage).not.toBe(uri)
    const list = await mock.fetch(`http://us.concur.localhost/_mock/quick-expenses?user=${user(2).loginId}`)
    const { available } = (await list.json()) as { available: { id: string; hasImage: boolean }[] }
    expect(available.map((q) => q.hasImage)).toEqual([false, true])
    expect(available.map((q) => q.id)).toEqual([uri, withImage].map((u) => u.split('/').pop()))
  })

  it('answers bad bodies 400 with validationErrors, another user 403, an unknown context 400', async () => {
    const token = await issueToken(mock, { user: 2 })
    const bad = await fails(
      await postJson(token, 2, JSON.stringify({ ...JSON.parse(EXAMPLE), transactionDate: '2019-13-45' })),
      400,
    )
    expect(bad.validationErrors?.[0]?.source).toBe('transactionDate')
    const unknownType = await fails(
      await postJson(token, 2, JSON.stringify({ ...JSON.parse(EXAMPLE), expenseTypeId: 'NOPE' })),
      400,
    )
    expect(unknownType.validationErrors?.[0]?.source).toBe('expenseTypeId')
    await fails(await postJson(token, 2, '{oops'), 400)
    await fails(await postJson(token, 3), 403)
    await fails(
      await call(mock, path(2, false, 'MANAGER'), token, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: EXAMPLE,
      }),
      400,
    )
    const noScope = await issueToken(mock, { user: 2, scopes: ['IMAGE'] })
    await fails(await postJson(noScope, 2), 403)
  })

  it('limits a user to 120 requests per 5 minutes on the mock clock, shared by both endpoints', async () => {
    const token = await issueToken(mock, { user: 2 })
    for (let i = 0; i < 60; i++) await created(await postJson(token, 2))
    for (let i = 0; i < 60; i++) await created(await postImage(token, 2))
    mock.state.clock.advance(100)
    const limited = await postJson(token, 2)
    expect(limited.headers.get('retry-after')).toBe('200')
    const body = await fails(limited, 429)
    expect(body.httpStatus).toBe('429')
    await fails(await postImage(token, 2), 429)
    // Another user has a window of their own.
    await created(await postJson(company, 3))
    // Once the oldest requests leave the window, the user may post again.
    mock.state.clock.advance(200)
    await created(await postJson(token, 2))
  })
})

describe('a quick expense becomes an available expense, then a v3.0 entry once attached to a report', () => {
  it('attaches to an unsubmitted report of its user and shows in that report’s v3.0 entries', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = (await created(await postJson(token, 2))).split('/').pop()!
    const make = await mock.fetch('http://us.concur.localhost/_mock/dataset/expense-reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'create', user: user(2).loginId, fields: { Name: 'Offsite' } }),
    })
    const reportId = ((await make.json()) as { ID: string }).ID
    const attach = (body: unknown, q = id) =>
      mock.fetch(`http://us.concur.localhost/_mock/quick-expenses/${q}/attach`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const res = await attach({ reportId })
    expect(res.status, await res.clone().text()).toBe(200)
    const { entryId } = (await res.json()) as { entryId: string }
    expect((await attach({ reportId })).status).toBe(409)
    const entries = V3Collection(EntryItem).parse(
      await (await call(mock, `/api/v3.0/expense/entries?reportID=${reportId}`, token)).json(),
    )
    expect(entries.Items).toHaveLength(1)
    expect(entries.Items[0]).toMatchObject({
      ID: entryId,
      ReportID: reportId,
      ExpenseTypeCode: 'BUSML',
      TransactionAmount: 88.05,
      TransactionCurrencyCode: 'USD',
      TransactionDate: '2019-02-04T00:00:00',
      Description: 'test-entry',
    })
    const left = await mock.fetch(`http://us.concur.localhost/_mock/quick-expenses?user=${user(2).loginId}`)
    expect(((await left.json()) as { available: unknown[] }).available).toEqual([])
  })

  it('refuses another user’s report (409)', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = (await created(await postJson(token, 2))).split('/').pop()!
    const make = await mock.fetch('http://us.concur.localhost/_mock/dataset/expense-reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'create', user: user(3).loginId, fields: { Name: 'Not mine' } }),
    })
    const reportId = ((await make.json()) as { ID: string }).ID
    const res = await mock.fetch(`http://us.concur.localhost/_mock/quick-expenses/${id}/attach`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reportId }),
    })
    expect(res.status).toBe(409)
  })
})
