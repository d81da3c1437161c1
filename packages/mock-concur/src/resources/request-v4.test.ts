import { readFileSync } from 'node:fs'
import {
  RequestV4,
  RequestV4CashAdvance,
  RequestV4CashAdvanceLinks,
  RequestV4Comments,
  RequestV4Error,
  RequestV4Exceptions,
  RequestV4ExpectedExpense,
  RequestV4ExpectedExpenses,
  RequestV4Page,
  RequestV4Policies,
  RequestV4TravelAgency,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMockConcur, type MockConcur } from '../mock.js'
import { travelRequestRecords } from './request-v4.js'
import { call, issueToken } from './v3-testing.js'

const FIXTURES = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as Record<string, unknown>

let mock: MockConcur
let company: string
const BASE = '/travelrequest/v4'

beforeEach(async () => {
  mock = createMockConcur({ seed: 24, size: 200, companies: 1, datacenters: ['us'] })
  company = await issueToken(mock, { user: 'company' })
})

const user = (i: number) => mock.state.user(mock.state.companies[0]!, i)!
const send = (method: string, body?: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
})

async function ok<T>(res: Response, schema: { parse(x: unknown): T }, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return schema.parse(JSON.parse(text))
}

async function fails(res: Response, status: number, code: string) {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  const body = RequestV4Error.parse(JSON.parse(text))
  expect(body.errors[0]!.errorCode).toBe(code)
  expect(body.errors[0]!.errorMessage.length).toBeGreaterThan(0)
  return body
}

const page = async (query: string, token = company) =>
  ok(await call(mock, `${BASE}/requests${query}`, token), RequestV4Page)

/** Every request of a list query, following the `next` operations link. */
async function walk(query: string, token = company) {
  const out: RequestV4[] = []
  let url: string | undefined = `${BASE}/requests${query}`
  for (let n = 0; url && n < 1000; n++) {
    const p: RequestV4Page = await ok(await call(mock, url, token), RequestV4Page)
    out.push(...p.data)
    url = p.operations.find((o) => o.rel === 'next')?.href
  }
  return out
}

const lyon = () => ({ ...fixture('request-v4-request-post-request.json') })

async function createAs(owner: number, body: unknown = lyon()) {
  return ok(
    await call(mock, `${BASE}/requests?userId=${user(owner).id}`, company, send('POST', body)),
    RequestV4,
    201,
  )
}

const act = (id: string, action: string, as: number, body?: unknown) =>
  call(mock, `${BASE}/requests/${id}/${action}?userId=${user(as).id}`, company, send('POST', body))

describe('Request v4 list: views, paging, filters, sorting', () => {
  it('pages view=ALL 10 at a time with next/first/last links, every request once, startDate DESC', async () => {
    const first = await page('')
    expect(first.data).toHaveLength(10)
    const rels = first.operations.map((o) => o.rel)
    expect(rels).toEqual(['next', 'first', 'last'])
    expect(first.operations[0]!.href).toMatch(/\/travelrequest\/v4\/requests\?view=ALL&limit=10&start=10$/)
    const all = await walk('?limit=7')
    const users = mock.state.companies[0]!.userCount
    expect(all).toHaveLength(users * 3)
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length)
    const starts = all.map((r) => `${r.startDate}T${r.startTime}`)
    expect(starts).toEqual([...starts].sort().reverse())
    expect(all).toEqual(travelRequestRecords(mock.state, mock.state.companies[0]!))
    const last = await page(`?limit=7&start=${Math.floor((all.length - 1) / 7) * 7}`)
    expect(last.operations.map((o) => o.rel)).toEqual(['prev', 'first', 'last'])
  })

  it('is deterministic: the same seed lists the same requests', async () => {
    const other = createMockConcur({ seed: 24, size: 200, companies: 1, datacenters: ['us'] })
    const t = await issueToken(other, { user: 'company' })
    const a = await page('?limit=100')
    const b = RequestV4Page.parse(await (await call(other, `${BASE}/requests?limit=100`, t)).json())
    expect(b).toEqual(a)
  })

  it('rejects a limit above 100, non-digits, an unknown view and a malformed date with badParam', async () => {
    await fails(await call(mock, `${BASE}/requests?limit=101`, company), 400, 'badParam')
    await fails(await call(mock, `${BASE}/requests?limit=ten`, company), 400, 'badParam')
    await fails(await call(mock, `${BASE}/requests?start=-1`, company), 400, 'badParam')
    await fails(await call(mock, `${BASE}/requests?view=MINE`, company), 400, 'badParam')
    await fails(await call(mock, `${BASE}/requests?modifiedAfter=05/01/2025`, company), 400, 'badParam')
    await fails(await call(mock, `${BASE}/requests?sortField=name`, company), 400, 'badParam')
    expect((await page('?limit=100')).data).toHaveLength(30)
  })

  it('userId lists that user’s own requests; views select by status', async () => {
    const mine = await walk(`?userId=${user(3).id}`)
    expect(mine).toHaveLength(3)
    expect(mine.every((r) => r.owner?.id === user(3).id)).toBe(true)
    expect(mine.every((r) => r.approver?.id === user(1).id)).toBe(true)
    const all = await walk('?limit=100')
    for (const [view, want] of [
      ['APPROVED', (r: RequestV4) => r.approvalStatus.code === 'APPROVED'],
      ['CANCELED', (r: RequestV4) => r.approvalStatus.code === 'CANCELED'],
      ['PENDING', (r: RequestV4) => r.approvalStatus.code === 'SUBMITTED'],
      ['CLOSED', (r: RequestV4) => r.closed === true],
      ['UNSUBMITTED', (r: RequestV4) => ['NOT_SUBMITTED', 'SENTBACK'].includes(r.approvalStatus.code)],
    ] as const) {
      const got = await walk(`?view=${view}&limit=100`)
      expect(got.map((r) => r.id).sort(), view).toEqual(
        all
          .filter(want)
          .map((r) => r.id)
          .sort(),
      )
      expect(got.length, view).toBeGreaterThan(0)
    }
  })

  it('TOAPPROVE lists what waits for the approver; a company token must name the approver', async () => {
    const waiting = await walk(`?view=TOAPPROVE&userId=${user(1).id}&limit=100`)
    expect(waiting.length).toBeGreaterThan(0)
    expect(waiting.every((r) => r.approver?.id === user(1).id && r.approvalStatus.code === 'SUBMITTED')).toBe(
      true,
    )
    const asApprover = await walk('?view=TOAPPROVE', await issueToken(mock, { user: 1 }))
    expect(asApprover.map((r) => r.id)).toEqual(waiting.map((r) => r.id))
    await fails(await call(mock, `${BASE}/requests?view=TOAPPROVE`, company), 400, 'missingRequiredParam')
  })

  it('filters by modifiedAfter/Before and approvedAfter/Before, and sorts by requestId ASC', async () => {
    const all = await walk('?limit=100')
    const mid = [...all].map((r) => r.lastModified!).sort()[Math.floor(all.length / 2)]!
    const day = mid.slice(0, 10)
    const after = await walk(`?modifiedAfter=${day}&limit=100`)
    expect(after.map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => r.lastModified! >= `${day}T00:00:00.000Z`)
        .map((r) => r.id)
        .sort(),
    )
    const before = await walk(`?modifiedBefore=${day}T00:00:00Z&limit=100`)
    expect(before.length + after.length).toBe(all.length)
    const approved = await walk('?approvedAfter=2000-01-01&limit=100')
    expect(approved.every((r) => r.authorizedDate !== undefined)).toBe(true)
    expect(approved.length).toBeGreaterThan(0)
    const byId = await walk('?sortField=requestId&sortOrder=ASC&limit=100')
    const ids = byId.map((r) => r.requestId!)
    expect(ids).toEqual([...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)))
  })
})

describe('Request v4 writes and workflow', () => {
  it('creates with a company token and userId (201, documented fields); refuses id and a missing userId', async () => {
    await fails(
      await call(mock, `${BASE}/requests`, company, send('POST', lyon())),
      400,
      'missingRequiredParam',
    )
    await fails(
      await call(
        mock,
        `${BASE}/requests?userId=${user(2).id}`,
        company,
        send('POST', { ...lyon(), id: 'X' }),
      ),
      400,
      'idNotAllowed',
    )
    await fails(
      await call(mock, `${BASE}/requests?userId=not-a-uuid`, company, send('POST', lyon())),
      400,
      'invalidUuid',
    )
    await fails(
      await call(mock, `${BASE}/requests?userId=${user(2).id}`, company, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      }),
      400,
      'invalidJson',
    )
    const r = await createAs(2)
    const documented = RequestV4.parse(fixture('request-v4-request-post-response.json'))
    for (const key of Object.keys(documented).filter((k) => k !== 'highestExceptionLevel'))
      expect(r, key).toHaveProperty(key)
    expect(r).toMatchObject({
      approvalStatus: { code: 'NOT_SUBMITTED', name: 'Not Submitted' },
      name: 'Company Training - JULY 2018',
      startDate: '2018-07-01',
      owner: { id: user(2).id },
      approver: { id: user(1).id },
      custom1: { value: 'Training part of IT Service' },
      policy: { id: 'F4C8BD31CA9D4D6292795BE687EB9B2A' },
      expenses: [],
    })
    expect(r.operations?.map((o) => o.rel)).toEqual(['submit'])
    const got = await ok(await call(mock, `${BASE}/requests/${r.id}`, company), RequestV4)
    expect(got).toEqual(r)
    const mine = await walk(`?userId=${user(2).id}`)
    expect(mine.map((x) => x.id)).toContain(r.id)
  })

  it('walks submit → sendback (comment) → submit → approve → close → reopen → cancel with the documented rules', async () => {
    const r = await createAs(2)
    await fails(await act(r.id, 'approve', 2), 403, 'permissionDenied')
    const pendingBefore = await walk('?view=PENDING&limit=100')
    expect(pendingBefore.map((x) => x.id)).not.toContain(r.id)
    const submitted = await ok(await act(r.id, 'submit', 2), RequestV4)
    expect(submitted).toMatchObject({ approvalStatus: { code: 'SUBMITTED' }, pendingApproval: true })
    expect(submitted.operations?.map((o) => o.rel)).toEqual(['recall', 'cancel'])
    await fails(await act(r.id, 'submit', 2), 409, 'invalidStatus')
    const pendingAfter = await walk('?view=PENDING&limit=100')
    expect(pendingAfter.map((x) => x.id)).toContain(r.id)
    expect(pendingAfter).toHaveLength(pendingBefore.length + 1)
    const sent = await ok(await act(r.id, 'sendback', 1, { comment: 'Please lower the hotel' }), RequestV4)
    expect(sent).toMatchObject({ approvalStatus: { code: 'SENTBACK' }, everSentBack: true })
    const comments = await ok(
      await call(mock, `${BASE}/requests/${r.id}/comments`, company),
      RequestV4Comments,
    )
    expect(comments[0]).toMatchObject({
      value: 'Please lower the hotel',
      isLatest: true,
      author: { lastName: user(1).lastName },
    })
    expect(comments.slice(1).every((c) => !c.isLatest)).toBe(true)
    await ok(await act(r.id, 'submit', 2), RequestV4)
    const approved = await ok(await act(r.id, 'approve', 1), RequestV4)
    expect(approved).toMatchObject({
      approvalStatus: { code: 'APPROVED' },
      approved: true,
      pendingApproval: false,
    })
    expect(approved.authorizedDate).toBeDefined()
    await fails(await act(r.id, 'approve', 1), 409, 'invalidStatus')
    await fails(
      await call(mock, `${BASE}/requests/${r.id}`, company, send('DELETE')),
      400,
      'missingRequiredParam',
    )
    await fails(
      await call(mock, `${BASE}/requests/${r.id}?userId=${user(2).id}`, company, send('DELETE')),
      409,
      'invalidStatus',
    )
    expect((await ok(await act(r.id, 'close', 2), RequestV4)).closed).toBe(true)
    await fails(await act(r.id, 'cancel', 2), 409, 'invalidStatus')
    expect((await ok(await act(r.id, 'reopen', 2), RequestV4)).closed).toBe(false)
    const canceled = await ok(await act(r.id, 'cancel', 2), RequestV4)
    expect(canceled).toMatchObject({ approvalStatus: { code: 'CANCELED' }, canceledPostApproval: true })
    expect(canceled.operations).toEqual([])
    await fails(await act(r.id, 'dance', 2), 404, 'notFound')
  })

  it('recalls a submitted request, updates it and deletes it (200 true, then 404)', async () => {
    const r = await createAs(4)
    await ok(await act(r.id, 'submit', 4), RequestV4)
    const put = { ...fixture('request-v4-request-put-request.json'), id: r.id }
    await fails(
      await call(mock, `${BASE}/requests/${r.id}?userId=${user(4).id}`, company, send('PUT', put)),
      409,
      'invalidStatus',
    )
    expect((await ok(await act(r.id, 'recall', 4), RequestV4)).approvalStatus.code).toBe('NOT_SUBMITTED')
    const updated = await ok(
      await call(mock, `${BASE}/requests/${r.id}?userId=${user(4).id}`, company, send('PUT', put)),
      RequestV4,
    )
    expect(updated).toMatchObject({
      startDate: '2018-07-07',
      endDate: '2018-07-09',
      custom2: { value: '54F0CBD8833CB348BD45A6C7C621C951' },
    })
    expect(updated.lastModified! > r.lastModified!).toBe(true)
    await fails(
      await call(mock, `${BASE}/requests/${r.id}?userId=${user(5).id}`, company, send('PUT', put)),
      403,
      'permissionDenied',
    )
    const del = await call(mock, `${BASE}/requests/${r.id}?userId=${user(4).id}`, company, send('DELETE'))
    expect(del.status).toBe(200)
    expect(await del.json()).toBe(true)
    await fails(await call(mock, `${BASE}/requests/${r.id}`, company), 404, 'notFound')
  })

  it('an administrator’s user token reads company-wide, and TOAPPROVE lists its own approvals', async () => {
    const admin = await issueToken(mock, { user: 0 })
    expect((await walk('?limit=100', admin)).map((r) => r.id)).toEqual(
      (await walk('?limit=100')).map((r) => r.id),
    )
    const mine = await walk('?view=TOAPPROVE', admin)
    expect(mine.every((r) => r.approver?.id === user(0).id)).toBe(true)
    expect(mine.map((r) => r.id)).toEqual(
      (await walk(`?view=TOAPPROVE&userId=${user(0).id}`)).map((r) => r.id),
    )
    const r = await createAs(3)
    await ok(await call(mock, `${BASE}/requests/${r.id}`, admin), RequestV4)
  })

  it('keeps users to their own requests: another traveller gets permissionDenied', async () => {
    const r = await createAs(2)
    await fails(
      await call(mock, `${BASE}/requests/${r.id}`, await issueToken(mock, { user: 5 })),
      403,
      'permissionDenied',
    )
    await ok(await call(mock, `${BASE}/requests/${r.id}`, await issueToken(mock, { user: 1 })), RequestV4)
    await fails(
      await call(mock, `${BASE}/requests?userId=${user(2).id}`, await issueToken(mock, { user: 5 })),
      403,
      'permissionDenied',
    )
  })

  it('adds, reads, changes and removes expected expenses; the totals follow', async () => {
    const r = await createAs(2)
    const url = `${BASE}/requests/${r.id}/expenses?userId=${user(2).id}`
    const created = await ok(
      await call(mock, url, company, send('POST', fixture('request-v4-expense-post-request.json'))),
      RequestV4ExpectedExpense,
      201,
    )
    expect(created).toMatchObject({ expenseType: { id: 'RAILF' }, transactionAmount: { value: 122.38 } })
    expect(created.allocations?.[0]?.percentage).toBe(100)
    expect(created.parentRequest?.id).toBe(r.id)
    const list = await ok(
      await call(mock, `${BASE}/requests/${r.id}/expenses`, company),
      RequestV4ExpectedExpenses,
    )
    expect(list.map((e) => e.id)).toEqual([created.id])
    let got = await ok(await call(mock, `${BASE}/requests/${r.id}`, company), RequestV4)
    expect(got.totalApprovedAmount).toEqual({ value: 122.38, currency: 'USD' })
    expect(got.expenses?.map((e) => e.id)).toEqual([created.id])
    const changed = await ok(
      await call(
        mock,
        `${BASE}/expenses/${created.id}?userId=${user(2).id}`,
        company,
        send('PUT', {
          expenseType: { id: 'RAILF', name: 'Train' },
          transactionDate: '2018-07-18',
          transactionAmount: { value: 99.5, currency: 'USD' },
        }),
      ),
      RequestV4ExpectedExpense,
    )
    expect(changed.transactionAmount?.value).toBe(99.5)
    expect(
      await ok(await call(mock, `${BASE}/expenses/${created.id}`, company), RequestV4ExpectedExpense),
    ).toEqual(changed)
    expect(
      await ok(await call(mock, `${BASE}/expenses/${created.id}/comments`, company), RequestV4Comments),
    ).toEqual([])
    const del = await call(
      mock,
      `${BASE}/expenses/${created.id}?userId=${user(2).id}`,
      company,
      send('DELETE'),
    )
    expect(del.status).toBe(200)
    got = await ok(await call(mock, `${BASE}/requests/${r.id}`, company), RequestV4)
    expect(got.totalApprovedAmount?.value).toBe(0)
    await fails(await call(mock, `${BASE}/expenses/${created.id}`, company), 404, 'notFound')
  })

  it('serves seeded cash advances, exceptions and expected expenses that add up to the totals', async () => {
    const all = await walk('?limit=100')
    let withCash = 0
    for (const r of all) {
      const full = await ok(await call(mock, `${BASE}/requests/${r.id}`, company), RequestV4)
      const links = await ok(
        await call(mock, new URL(full.cashAdvances!.href!).pathname, company),
        RequestV4CashAdvanceLinks,
      )
      for (const l of links) {
        withCash++
        const ca = await ok(await call(mock, new URL(l.href!).pathname, company), RequestV4CashAdvance)
        expect(ca.cashAdvanceId).toBe(l.id)
      }
      const ex = await ok(
        await call(mock, `${BASE}/requests/${r.id}/exceptions`, company),
        RequestV4Exceptions,
      )
      expect(ex.length > 0).toBe(full.highestExceptionLevel === 'WARNING')
      const expenses = await ok(
        await call(mock, `${BASE}/requests/${r.id}/expenses`, company),
        RequestV4ExpectedExpenses,
      )
      const sum = Math.round(expenses.reduce((s, e) => s + e.transactionAmount!.value, 0) * 100) / 100
      expect(sum).toBe(full.totalApprovedAmount!.value)
    }
    expect(withCash).toBeGreaterThan(0)
  })
})

/** The swagger definitions (ConcurRequest.swagger2.json, copied into fixtures). */
const SWAGGER = JSON.parse(
  readFileSync(new URL('request-v4.0-ConcurRequest.swagger2.json', FIXTURES), 'utf8'),
) as { definitions: Record<string, SwaggerSchema> }
interface SwaggerSchema {
  $ref?: string
  type?: string
  properties?: Record<string, SwaggerSchema>
  items?: SwaggerSchema
}

/** The paths of `value` whose key the swagger definition does not name (recursing through `$ref` and arrays). */
function undocumented(value: unknown, schema: SwaggerSchema, at = ''): string[] {
  const s = schema.$ref ? SWAGGER.definitions[schema.$ref.split('/').pop()!]! : schema
  if (Array.isArray(value))
    return value.flatMap((v, i) => (s.items ? undocumented(v, s.items, `${at}[${i}]`) : []))
  if (value === null || typeof value !== 'object' || !s.properties) return []
  return Object.entries(value).flatMap(([k, v]) =>
    s.properties![k] ? undocumented(v, s.properties![k]!, `${at}.${k}`) : [`${at}.${k}`],
  )
}
const def = (name: string): SwaggerSchema => ({ $ref: `#/definitions/${name}` })

describe('Request v4 answers use only the swagger’s field names', () => {
  it('requests, pages, comments, cash advances, exceptions, expected expenses and errors', async () => {
    expect(
      undocumented(
        { data: [{ id: 'X', owner: { login: 'x' } }], extra: 1 },
        def('PageResultOfResourceOfRequest'),
      ),
    ).toEqual(['.data[0].owner.login', '.extra'])
    const list = await page('?limit=100')
    expect(undocumented(list, def('PageResultOfResourceOfRequest'))).toEqual([])
    const withCash = list.data.find((r) => r.highestExceptionLevel === 'WARNING') ?? list.data[0]!
    const path = `${BASE}/requests/${withCash.id}`
    const json = async (p: string) => (await call(mock, p, company)).json()
    expect(undocumented(await json(path), def('RequestDetails'))).toEqual([])
    expect(undocumented(await json(`${path}/comments`), { type: 'array', items: def('Comment') })).toEqual([])
    expect(
      undocumented(await json(`${path}/exceptions`), { type: 'array', items: def('RequestException') }),
    ).toEqual([])
    const expenses = (await json(`${path}/expenses`)) as { id: string }[]
    expect(undocumented(expenses, { type: 'array', items: def('Expense') })).toEqual([])
    for (const l of (await json(`${path}/cashadvances`)) as { id: string }[])
      expect(undocumented(await json(`${BASE}/cashadvances/${l.id}`), def('CashAdvance'))).toEqual([])
    expect(undocumented(await json(`${BASE}/requests/${'A'.repeat(32)}`), def('ErrorResponse'))).toEqual([])
    expect(
      undocumented(await json(`${BASE}/userpolicies`), { type: 'array', items: def('ResourceOfPolicy') }),
    ).toEqual([])
    expect(
      undocumented(await json(new URL(withCash.travelAgency!.href!).pathname), def('ResourceOfTravelAgency')),
    ).toEqual([])
  })
})

describe('Request v4 reference data', () => {
  it('resolves the travel agency and policy every request names', async () => {
    const [first] = (await page('')).data
    const agency = await ok(
      await call(mock, new URL(first!.travelAgency!.href!).pathname, company),
      RequestV4TravelAgency,
    )
    expect(agency.id).toBe(first!.travelAgency!.id)
    const policies = await ok(
      await call(mock, `${BASE}/userpolicies?userId=${user(2).id}`, company),
      RequestV4Policies,
    )
    expect(policies.map((p) => p.id)).toEqual([first!.policy!.id])
    await fails(await call(mock, `${BASE}/travelagencies/${'B'.repeat(32)}`, company), 404, 'notFound')
  })
})

describe('Request v4 request checks', () => {
  it('answers invalidUuid for a malformed correlation id or request id, notFound for an unknown one', async () => {
    await fails(
      await call(mock, `${BASE}/requests`, company, { headers: { 'concur-correlationid': 'abc' } }),
      400,
      'invalidUuid',
    )
    await fails(await call(mock, `${BASE}/requests/not-an-id`, company), 400, 'invalidUuid')
    await fails(await call(mock, `${BASE}/requests/${'A'.repeat(32)}`, company), 404, 'notFound')
    await fails(await call(mock, `${BASE}/nothing`, company), 404, 'notFound')
  })

  it('answers an injected fault with the Request v4 error body', async () => {
    const rule = { method: 'get', path: '/travelrequest/v4/**', status: 503, retryAfter: 2, times: 1 }
    const added = await mock.app.request('/_mock/faults', send('POST', rule))
    expect(added.status).toBeLessThan(300)
    const res = await call(mock, `${BASE}/requests`, company)
    expect(res.headers.get('retry-after')).toBe('2')
    await fails(res, 503, 'circuitBreaker')
    await page('')
  })

  it('needs the travelrequest.write scope (the read-only app gets permissionDenied) and a token', async () => {
    const c = mock.state.companies[0]!
    const { token } = await mock.state.tokens.issueAccessToken({
      type: 'company',
      companyId: c.id,
      subject: c.id,
      clientId: c.apps[1]!.clientId,
      scopes: ['EXPRPT'],
      issuer: mock.state.baseUrl(c.datacenter),
    })
    await fails(await call(mock, `${BASE}/requests`, token), 403, 'permissionDenied')
    const withScope = await issueToken(mock, { user: 'company', scopes: ['travelrequest.write'] })
    await page('', withScope)
    const res = await mock.fetch(`${mock.state.baseUrl(c.datacenter)}${BASE}/requests`)
    expect(res.status).toBe(401)
    RequestV4Error.parse(await res.json())
  })
})
