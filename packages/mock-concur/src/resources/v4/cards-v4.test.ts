import {
  CardsV4BulkAccepted,
  CardsV4BulkRequest,
  CardsV4Error,
  CardsV4TransactionPage,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../../mock.js'
import { parseRecords } from '../legacy/testing.js'
import { call, issueToken } from '../v3-testing.js'

let mock: MockConcur
let company: string

beforeEach(async () => {
  mock = createMockConcur({ seed: 7, size: 60, companies: 1, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
})

const co = () => mock.state.companies[0]!
const userId = (u: number) => mock.state.user(co(), u)!.id
const txPath = (u: number, query = '') => `/cards/v4/users/${userId(u)}/transactions${query}`

async function page(u: number, query = '', token?: string) {
  const res = await call(mock, txPath(u, query), token ?? (await issueToken(mock, { user: u })))
  const text = await res.text()
  expect(res.status, text).toBe(200)
  return CardsV4TransactionPage.parse(JSON.parse(text))
}

async function fails(res: Response, status: number, code: string) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  const body = CardsV4Error.parse(JSON.parse(text))
  expect(body[0]?.errorCode).toBe(code)
  return body
}

/** A user of the company with at least `n` card charges. */
function userWith(n: number): number {
  for (let u = 0; u < co().userCount; u++) {
    const v11 = mock.state.user(co(), u)
    if (v11 && cardCount(u) >= n) return u
  }
  throw new Error(`no user with ${n} charges`)
}
const cardCount = (u: number) => counts.get(u) ?? 0
let counts = new Map<number, number>()

beforeEach(async () => {
  counts = new Map()
  for (let u = 0; u < co().userCount; u++) {
    const res = await call(
      mock,
      '/api/expense/expensereport/v1.1/CardCharges',
      await issueToken(mock, { user: u }),
    )
    counts.set(u, parseRecords('company-card-transactions', await res.text()).length)
  }
})

describe('Cards v4 transactions: the charges v1.1 CardCharges serves', () => {
  it('gives every user exactly their v1.1 card charges, newest first, as v4 transactions', async () => {
    let total = 0
    for (let u = 0; u < co().userCount; u++) {
      const token = await issueToken(mock, { user: u })
      const xml = await (await call(mock, '/api/expense/expensereport/v1.1/CardCharges', token)).text()
      const v11 = parseRecords('company-card-transactions', xml)
      const v4 = await page(u, '', token)
      expect(v4.paging.totalElements).toBe(v11.length)
      expect(v4.paging.nextPageToken).toBeNull()
      expect(
        v4.transactions.map((t) => [
          t.transactionDate,
          t.merchant?.name,
          t.transactionAmount.value,
          t.transactionAmount.currencyCode,
        ]),
      ).toEqual(
        v11.map((r) => [
          String(r.TransactionDate).slice(0, 10),
          r.Merchant,
          Number(r.TransactionAmount),
          r.TransactionCrnCode,
        ]),
      )
      for (const t of v4.transactions) {
        expect(t.account.lastSegment).toBe(String(v11[0]!.CardNumber).slice(-4))
        expect(t.companyId).toBe(co().id)
        expect(t.administrativeData.status).toBe('UN')
      }
      total += v4.transactions.length
    }
    expect(total).toBeGreaterThan(0)
  })

  it('pages with pageSize and pageToken until nextPageToken is null, sorted as asked', async () => {
    const u = userWith(4)
    const all = (await page(u)).transactions
    const seen: string[] = []
    let token: string | null = null
    let pages = 0
    do {
      const q: string = `?pageSize=2${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`
      const p = await page(u, q)
      expect(p.transactions.length).toBeLessThanOrEqual(2)
      expect(p.paging).toMatchObject({ pageSize: 2, page: pages + 1, totalElements: all.length })
      seen.push(...p.transactions.map((t) => t.id))
      token = p.paging.nextPageToken
      pages++
    } while (token)
    expect(pages).toBe(Math.ceil(all.length / 2))
    expect(seen).toEqual(all.map((t) => t.id))
    const asc = (await page(u, '?order=ASC')).transactions.map((t) => t.transactionDate)
    expect(asc).toEqual([...asc].sort())
    const byModified = (await page(u, '?sort=lastModified&order=DESC')).transactions.map(
      (t) => t.administrativeData.lastModified,
    )
    expect(byModified).toEqual([...byModified].sort().reverse())
  })

  it('filters by status and by transaction date window', async () => {
    const u = userWith(3)
    const all = (await page(u)).transactions
    expect((await page(u, '?status=AS')).transactions).toEqual([])
    expect((await page(u, '?status=UN')).transactions).toHaveLength(all.length)
    const pivot = all[1]!.transactionDate
    const from = (await page(u, `?transactionDateFrom=${pivot}`)).transactions
    expect(from.length).toBeGreaterThan(0)
    expect(from.every((t) => t.transactionDate >= pivot)).toBe(true)
    const to = (await page(u, `?transactionDateTo=${pivot}`)).transactions
    expect(to.every((t) => t.transactionDate <= pivot)).toBe(true)
    expect(from.length + to.length).toBe(all.length + 1)
  })

  it('the 24-month floor moves with the mock clock: charges older than that are no longer listed', async () => {
    const u = userWith(1)
    const before = (await page(u)).paging.totalElements
    expect(before).toBeGreaterThan(0)
    mock.state.clock.advance(26 * 31 * 86_400) // 26 months later, every charge is older than 24 months
    expect((await page(u)).paging.totalElements).toBe(0)
    // an explicit older transactionDateFrom is read as the floor
    expect((await page(u, '?transactionDateFrom=2000-01-01')).paging.totalElements).toBe(0)
  })

  it('answers bad input with the array error body', async () => {
    const u = userWith(1)
    const token = await issueToken(mock, { user: u })
    await fails(await call(mock, txPath(u, '?pageSize=101'), token), 400, 'invalidParameter')
    await fails(await call(mock, txPath(u, '?pageSize=0'), token), 400, 'invalidParameter')
    await fails(await call(mock, txPath(u, '?sort=amount'), token), 400, 'invalidParameter')
    await fails(await call(mock, txPath(u, '?pageToken=nonsense'), token), 400, 'invalidParameter')
    await fails(
      await call(mock, txPath(u, '?transactionDateFrom=2024-02-30'), token),
      400,
      'invalidParameter',
    )
    await fails(await call(mock, txPath(u, '?bogus=1'), token), 400, 'invalidParameter')
    // a token of one query does not continue another
    const p = await page(userWith(4), '?pageSize=1')
    await fails(
      await call(mock, txPath(userWith(4), `?pageSize=2&pageToken=${p.paging.nextPageToken}`), token),
      400,
      'invalidParameter',
    )
  })

  it('is where the deprecated v1.1 CardCharges points: its x-api-warn names this path, which serves the same charges', async () => {
    const u = userWith(1)
    const token = await issueToken(mock, { user: u })
    const v11 = await call(mock, '/api/expense/expensereport/v1.1/CardCharges', token)
    const warn = v11.headers.get('x-api-warn') ?? ''
    expect(warn).toContain("use '/cards/v4/users/{userId}/transactions'")
    const named = warn.match(/use '([^']+)'/)![1]!.replace('{userId}', userId(u))
    expect((await page(u)).paging.totalElements).toBe(cardCount(u))
    expect((await call(mock, named, token)).status).toBe(200)
  })

  it('is for user tokens, of that user, with a card scope', async () => {
    const u = userWith(1)
    await fails(await call(mock, txPath(u), company), 403, 'forbidden')
    await fails(
      await call(mock, txPath(u), await issueToken(mock, { user: u === 2 ? 3 : 2 })),
      403,
      'forbidden',
    )
    await fails(
      await call(mock, txPath(u), await issueToken(mock, { user: u, scopes: ['EXPRPT'] })),
      403,
      'forbidden',
    )
    const scoped = await issueToken(mock, { user: u, scopes: ['cards.transaction.read'] })
    expect((await call(mock, txPath(u), scoped)).status).toBe(200)
    await fails(await call(mock, txPath(u), 'not-a-token'), 403, 'forbidden')
    const res = await mock.fetch(`${mock.state.baseUrl('us')}${txPath(u)}`)
    await fails(res, 401, 'unauthorized')
  })
})

describe('Cards v4 bulk writes (company tokens)', () => {
  const post = (path: string, body: unknown, token = company) =>
    call(mock, path, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const bulkPath = (what: string) => `/cards/v4/companies/${co().id}/${what}/bulk`
  const tx = (externalId: string) => ({
    account: { externalId: 'acct-1' },
    externalId,
    merchant: { name: 'ACME Corporation' },
    postedAmount: { currencyCode: 'USD', value: 405.1 },
    postedDate: '2024-08-19',
    transactionAmount: { currencyCode: 'USD', value: 405.1 },
    transactionDate: '2024-08-17',
    type: 'RPE',
  })

  const account = (externalId: string, u: number) => ({
    accountType: 'I',
    cardProductDescription: 'Platinum Rewards',
    cardProductType: 'CORP',
    cardholder: { userId: userId(u) },
    externalId,
    lastSegment: '1853',
    liabilityType: 'IBIP',
    nameOnCard: 'JOHN DOE',
    provider: { countryCode: 'US' },
  })
  const accepted = async (res: Response) => {
    const text = await res.text()
    expect(res.status, text).toBe(202)
    return CardsV4BulkAccepted.parse(JSON.parse(text))
  }

  it('accepts accounts and transactions with 202 and a self link; once the request completes on the mock clock, the transactions are the cardholder’s', async () => {
    const u = userWith(1)
    const before = (await page(u)).transactions
    const acc = await accepted(await post(bulkPath('accounts'), { accounts: [account('acct-1', u)] }))
    const txs = await accepted(await post(bulkPath('transactions'), { transactions: [tx('a'), tx('b')] }))
    const self = txs.links?.[0]
    expect(self?.rel).toBe('self')
    expect(self?.href).toBe(
      `${mock.state.baseUrl('us')}/cards/v4/companies/${co().id}/bulkrequests/${txs.requestId}`,
    )
    const status = async (id: string) =>
      CardsV4BulkRequest.parse(
        await (await call(mock, `/cards/v4/companies/${co().id}/bulkrequests/${id}`, company)).json(),
      )
    expect(await status(txs.requestId)).toMatchObject({
      status: 'IN_PROGRESS',
      type: 'POST_TRANSACTION',
      totalElements: 2,
    })
    expect((await page(u)).transactions).toEqual(before) // not yet processed
    mock.state.clock.advance(3)
    const done = await status(txs.requestId)
    expect(done.status).toBe('COMPLETED_SUCCESSFULLY')
    expect(Date.parse(done.completedAt!)).toBeGreaterThan(Date.parse(done.receivedAt))
    expect((await status(acc.requestId)).type).toBe('POST_ACCOUNT')
    const after = (await page(u, '?order=ASC')).transactions
    expect(after).toHaveLength(before.length + 2)
    const mine = after.filter((t) => t.account.lastSegment === '1853')
    expect(mine.map((t) => [t.transactionDate, t.merchant?.name, t.transactionAmount.value])).toEqual([
      ['2024-08-17', 'ACME Corporation', 405.1],
      ['2024-08-17', 'ACME Corporation', 405.1],
    ])
    // another user does not see them; a repost of the same externalId replaces, not adds
    const other = userWith(0) === u ? (u + 1) % co().userCount : userWith(0)
    expect((await page(other)).transactions.some((t) => t.account.lastSegment === '1853')).toBe(false)
    await accepted(await post(bulkPath('transactions'), { transactions: [tx('a')] }))
    mock.state.clock.advance(3)
    expect((await page(u)).transactions).toHaveLength(before.length + 2)
  })

  it('completes with errors when a transaction names an unknown account or a cardholder is no user', async () => {
    const status = async (id: string) =>
      CardsV4BulkRequest.parse(
        await (await call(mock, `/cards/v4/companies/${co().id}/bulkrequests/${id}`, company)).json(),
      ).status
    const txs = await accepted(await post(bulkPath('transactions'), { transactions: [tx('orphan')] }))
    const bad = { ...account('acct-x', 0), cardholder: { userId: '00000000-0000-4000-8000-000000000000' } }
    const accs = await accepted(await post(bulkPath('accounts'), { accounts: [bad] }))
    mock.state.clock.advance(3)
    expect(await status(txs.requestId)).toBe('COMPLETED_WITH_ERRORS')
    expect(await status(accs.requestId)).toBe('COMPLETED_WITH_ERRORS')
  })

  it('rejects the documented invalid request with the documented error codes and data paths', async () => {
    const { readFileSync } = await import('node:fs')
    const invalid = readFileSync(
      new URL(
        '../../../../../fixtures/concur-examples-v4/cards-v4-transactions-bulk-invalid-request.json',
        import.meta.url,
      ),
      'utf8',
    )
    const body = await fails(await post(bulkPath('transactions'), invalid), 400, 'invalidRequest')
    expect(body[0]?.dataPath).toBe(`/v4/companies/${co().id}/transactions/bulk`)
    expect(body[0]?.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ errorCode: 'invalidEnum', dataPath: 'transactions[0].type' }),
        expect.objectContaining({
          errorCode: 'missingRequiredField',
          dataPath: 'transactions[0].postedAmount',
        }),
        expect.objectContaining({ errorCode: 'invalidFieldSize', dataPath: 'transactions[0].externalId' }),
      ]),
    )
    await fails(await post(bulkPath('transactions'), '{"transactions": ['), 400, 'invalidJson')
    await fails(
      await post(bulkPath('transactions'), { transactions: [tx('x'), tx('x')] }),
      400,
      'invalidRequest',
    )
    const tooMany = { transactions: Array.from({ length: 1001 }, (_, i) => tx(`t${i}`)) }
    await fails(await post(bulkPath('transactions'), tooMany), 400, 'invalidRequest')
    const accounts = readFileSync(
      new URL(
        '../../../../../fixtures/concur-examples-v4/cards-v4-accounts-bulk-request.json',
        import.meta.url,
      ),
      'utf8',
    )
    expect((await post(bulkPath('accounts'), accounts)).status).toBe(202)
  })

  it('refuses user tokens and another company id', async () => {
    await fails(
      await post(bulkPath('transactions'), { transactions: [tx('a')] }, await issueToken(mock, { user: 0 })),
      403,
      'forbidden',
    )
    await fails(
      await post(`/cards/v4/companies/00000000-0000-4000-8000-000000000000/transactions/bulk`, {
        transactions: [tx('a')],
      }),
      403,
      'forbidden',
    )
    await fails(
      await call(mock, `/cards/v4/companies/${co().id}/bulkrequests/nope`, company),
      404,
      'notFound',
    )
  })
})
