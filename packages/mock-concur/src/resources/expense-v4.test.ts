import {
  ExpenseV4Allocation,
  ExpenseV4Comment,
  ExpenseV4Error,
  ExpenseV4ExpenseAttendees,
  ExpenseV4ExpenseDetail,
  ExpenseV4ExpenseSummary,
  ExpenseV4Report,
  ExpenseV4ReportToApprove,
  ExpenseV4UriResponse,
  type ReportItem,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { datasetOf } from '../dataset/dataset.js'
import { policyId } from '../dataset/expense.js'
import type { MockConcur } from '../mock.js'
import { expenseV4Helpers, freshExpenseV4Mock, json, V4 } from './expense-v4-testing.js'
import { call, issueToken } from './v3-testing.js'

let mock: MockConcur
let company: string

beforeEach(async () => {
  ;({ mock, company } = await freshExpenseV4Mock())
})

const { co, user, long } = expenseV4Helpers(() => mock)

async function ok<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return (text ? JSON.parse(text) : undefined) as T
}

async function refused(res: Response, status: number): Promise<ExpenseV4Error> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  const body = ExpenseV4Error.parse(JSON.parse(text))
  expect(body.httpStatus.startsWith(`${status} `)).toBe(true)
  return body
}

/** The v3.0 report as an administrator reads it. */
async function v3(id: string): Promise<ReportItem & { ID: string }> {
  return ok(
    await call(mock, `/api/v3.0/expense/reports/${id}`, company, { headers: { accept: 'application/json' } }),
  )
}

/** First seeded report of user `u` with a status in `codes`. */
async function seeded(u: number, codes: readonly string[]): Promise<ReportItem & { ID: string }> {
  const page = await ok<{ Items: (ReportItem & { ID: string })[] }>(
    await call(
      mock,
      `/api/v3.0/expense/reports?user=${encodeURIComponent(user(u).loginId)}&limit=100`,
      company,
    ),
  )
  const r = page.Items.find((i) => codes.includes(String(i.ApprovalStatusCode)))
  if (!r) throw new Error(`no seeded report of user ${u} in ${codes.join(',')}`)
  return r
}

async function create(u: number, token: string, name = 'Client visit'): Promise<string> {
  const ds = datasetOf(mock.state.options.seed, co())
  const res = await call(
    mock,
    long(u, 'TRAVELER', '/reports'),
    token,
    json('POST', {
      name,
      policyId: policyId(ds, 0),
      businessPurpose: 'Meet the client',
      startDate: '2026-11-02',
      endDate: '2026-11-04',
    }),
  )
  const { uri } = ExpenseV4UriResponse.parse(await ok(res, 201))
  return uri.split('/').at(-1)!
}

describe('Expense v4 reports', () => {
  it('serves a seeded report through the long URL as the same record v3.0 serves', async () => {
    const r3 = await seeded(2, ['A_NOTF', 'A_PEND', 'A_APPR', 'A_RESU'])
    const token = await issueToken(mock, { user: 2 })
    const r4 = ExpenseV4Report.parse(
      await ok(await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}`), token)),
    )
    expect(r4).toMatchObject({
      reportId: r3.ID,
      name: r3.Name,
      userId: user(2).id,
      approvalStatusId: r3.ApprovalStatusCode,
      paymentStatusId: r3.PaymentStatusCode,
      currencyCode: r3.CurrencyCode,
      reportTotal: { value: r3.Total, currencyCode: r3.CurrencyCode },
      claimedAmount: { value: r3.TotalClaimedAmount, currencyCode: r3.CurrencyCode },
    })
    expect(r4.creationDate).toBe(`${String(r3.CreateDate).slice(0, 19)}Z`)
    expect(r4.links?.[0]?.href).toBe(`${mock.state.baseUrl('us')}${long(2, 'TRAVELER', `/reports/${r3.ID}`)}`)
  })

  it('refuses what Concur refuses, with the ErrorMessage body', async () => {
    const r3 = await seeded(2, ['A_NOTF'])
    const token2 = await issueToken(mock, { user: 2 })
    // A user token acting as another user.
    await refused(await call(mock, long(3, 'TRAVELER', `/reports/${r3.ID}`), token2), 403)
    // A TRAVELER reading another user's report (company token acting as user 3).
    await refused(await call(mock, long(3, 'TRAVELER', `/reports/${r3.ID}`), company), 403)
    // A contextType that does not exist, and one the operation does not take.
    await refused(await call(mock, long(2, 'BOSS', `/reports/${r3.ID}`), token2), 400)
    await refused(
      await call(mock, long(2, 'MANAGER', '/reports'), token2, json('POST', { name: 'x', policyId: 'y' })),
      403,
    )
    // Unknown user, unknown report, no token, a token without an expense scope.
    await refused(
      await call(
        mock,
        `${V4}/users/00000000-0000-4000-8000-000000000000/context/TRAVELER/reports/${r3.ID}`,
        company,
      ),
      404,
    )
    await refused(await call(mock, long(2, 'TRAVELER', '/reports/NOPE'), token2), 404)
    await refused(
      await mock.fetch(`${mock.state.baseUrl('us')}${long(2, 'TRAVELER', `/reports/${r3.ID}`)}`),
      401,
    )
    const listOnly = await issueToken(mock, { user: 2, scopes: ['LIST'] })
    const e = await refused(await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}`), listOnly), 403)
    expect(e.errorMessage).toContain('expense.report.read')
    const readOnly = await issueToken(mock, { user: 2, scopes: ['expense.report.read'] })
    await ok(await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}`), readOnly))
    await refused(
      await call(mock, long(2, 'TRAVELER', '/reports'), readOnly, json('POST', { name: 'x', policyId: 'y' })),
      403,
    )
    // Short URLs act as the system user: company tokens only.
    await refused(await call(mock, `${V4}/reports/${r3.ID}`, token2, { method: 'DELETE' }), 403)
    // Bad bodies.
    await refused(await call(mock, long(2, 'TRAVELER', '/reports'), token2, json('POST', { name: 'x' })), 400)
    await refused(
      await call(mock, long(2, 'TRAVELER', '/reports'), token2, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":',
      }),
      400,
    )
    await refused(
      await call(
        mock,
        long(2, 'TRAVELER', '/reports'),
        token2,
        json('POST', { name: 'x', policyId: 'unknown' }),
      ),
      400,
    )
    await refused(
      await call(
        mock,
        long(2, 'TRAVELER', `/reports/${r3.ID}`),
        token2,
        json('PATCH', { name: 'no source' }),
      ),
      400,
    )
  })

  it('creates through v4, reads through v3.0, patches with JSON Merge Patch and moves the modified date on the mock clock', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = await create(2, token)
    const created = await v3(id)
    expect(created).toMatchObject({
      ID: id,
      Name: 'Client visit',
      ApprovalStatusCode: 'A_NOTF',
      OwnerLoginID: user(2).loginId,
    })
    const r4 = ExpenseV4Report.parse(await ok(await call(mock, long(2, 'TRAVELER', `/reports/${id}`), token)))
    expect(r4).toMatchObject({
      businessPurpose: 'Meet the client',
      startDate: '2026-11-02',
      endDate: '2026-11-04',
      isSubmitted: false,
    })

    mock.state.clock.advance(600)
    await ok(
      await call(
        mock,
        long(2, 'TRAVELER', `/reports/${id}`),
        token,
        json('PATCH', {
          reportSource: 'OTHER',
          name: 'Renamed',
          businessPurpose: null,
          customData: [{ id: 'custom1', value: 'A1' }],
        }),
      ),
      204,
    )
    const after = await v3(id)
    expect(after.Name).toBe('Renamed')
    expect(after.Custom1).toMatchObject({ Value: 'A1' })
    expect(
      Date.parse(`${after.LastModifiedDate}Z`) - Date.parse(`${created.LastModifiedDate}Z`),
    ).toBeGreaterThanOrEqual(600_000)
    const patched = ExpenseV4Report.parse(
      await ok(await call(mock, long(2, 'TRAVELER', `/reports/${id}`), token)),
    )
    expect(patched).toMatchObject({ name: 'Renamed', businessPurpose: null, startDate: '2026-11-02' })
    expect(patched.customData).toContainEqual(expect.objectContaining({ id: 'custom1', value: 'A1' }))
    // A change through v3.0 shows through v4.
    await ok(await call(mock, `/api/v3.0/expense/reports/${id}`, company, json('PUT', { Name: 'From v3' })))
    const viaV3 = ExpenseV4Report.parse(
      await ok(await call(mock, long(2, 'TRAVELER', `/reports/${id}`), token)),
    )
    expect(viaV3.name).toBe('From v3')
  })

  it('runs the workflow: submit, reportsToApprove, approve, with the documented refusals', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = await create(2, token)
    await ok(
      await call(mock, `${V4}/users/${user(2).id}/reports/${id}/submit`, token, { method: 'PATCH' }),
      204,
    )
    await refused(
      await call(mock, `${V4}/users/${user(2).id}/reports/${id}/submit`, token, { method: 'PATCH' }),
      409,
    )
    const pending = await v3(id)
    expect(pending.ApprovalStatusCode).toBe('A_PEND')
    const approverLogin = String(pending.ApproverLoginID)
    const approver = mock.state.companies[0]!.users.findIndex((u) => u.loginId === approverLogin)
    expect(approver).toBeGreaterThanOrEqual(0)
    const managerToken = await issueToken(mock, { user: approver })
    const list = ExpenseV4ReportToApprove.array().parse(
      await ok(
        await call(
          mock,
          long(
            approver,
            'MANAGER',
            '/reportsToApprove?sort=reportDate&order=desc&includeDelegateApprovals=true',
          ),
          managerToken,
        ),
      ),
    )
    const row = list.find((r) => r.reportId === id)
    expect(row).toMatchObject({
      employee: { employeeUuid: user(2).id },
      approver: { employeeUuid: user(approver).id },
    })
    await refused(
      await call(mock, long(approver, 'MANAGER', '/reportsToApprove?sort=bogus'), managerToken),
      400,
    )
    await refused(await call(mock, long(approver, 'TRAVELER', '/reportsToApprove'), managerToken), 403)
    // A manager who is not the approver.
    const other = approver === 3 ? 4 : 3
    const otherToken = await issueToken(mock, { user: other })
    await refused(
      await call(
        mock,
        long(other, 'MANAGER', `/reports/${id}/approve`),
        otherToken,
        json('PATCH', { comment: 'ok' }),
      ),
      403,
    )
    // Approve needs a user token on the long URL.
    await refused(
      await call(mock, long(approver, 'MANAGER', `/reports/${id}/approve`), company, json('PATCH', {})),
      403,
    )
    await ok(
      await call(
        mock,
        long(approver, 'MANAGER', `/reports/${id}/approve`),
        managerToken,
        json('PATCH', { comment: 'Approved' }),
      ),
      204,
    )
    const approved = await v3(id)
    expect(approved).toMatchObject({ ApprovalStatusCode: 'A_APPR', LastComment: 'Approved' })
    await refused(
      await call(mock, long(approver, 'MANAGER', `/reports/${id}/approve`), managerToken, json('PATCH', {})),
      409,
    )
    // Submitted reports are not deleted; the long-URL PATCH is refused too.
    await refused(await call(mock, `${V4}/reports/${id}`, company, { method: 'DELETE' }), 409)
    await refused(
      await call(
        mock,
        long(2, 'TRAVELER', `/reports/${id}`),
        token,
        json('PATCH', { reportSource: 'OTHER', name: 'x' }),
      ),
      409,
    )
    // The short URL PATCH (company token) changes a submitted report.
    await ok(
      await call(
        mock,
        `${V4}/reports/${id}`,
        company,
        json('PATCH', { name: 'Approved trip', isPaperReceiptsReceived: true }),
      ),
      204,
    )
    expect(await v3(id)).toMatchObject({ Name: 'Approved trip', ReceiptsReceived: true })
  })

  it('recalls a pending report and sends back through the short URL with a required comment', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = await create(2, token)
    await ok(
      await call(mock, `${V4}/users/${user(2).id}/reports/${id}/submit`, token, { method: 'PATCH' }),
      204,
    )
    await ok(await call(mock, long(2, 'TRAVELER', `/reports/${id}/recall`), token, { method: 'PATCH' }), 204)
    expect((await v3(id)).ApprovalStatusCode).toBe('A_RESU')
    await refused(
      await call(mock, long(2, 'TRAVELER', `/reports/${id}/recall`), token, { method: 'PATCH' }),
      409,
    )
    await ok(
      await call(mock, `${V4}/users/${user(2).id}/reports/${id}/submit`, token, { method: 'PATCH' }),
      204,
    )
    await refused(await call(mock, `${V4}/reports/${id}/sendBack`, company, json('PATCH', {})), 400)
    await ok(
      await call(mock, `${V4}/reports/${id}/sendBack`, company, json('PATCH', { comment: 'Add receipts' })),
      204,
    )
    expect(await v3(id)).toMatchObject({
      ApprovalStatusCode: 'A_RESU',
      EverSentBack: true,
      LastComment: 'Add receipts',
    })
    const r4 = ExpenseV4Report.parse(await ok(await call(mock, long(2, 'TRAVELER', `/reports/${id}`), token)))
    expect(r4).toMatchObject({ isSentBack: true, isReportEverSentBack: true, isSubmitted: false })
  })

  it('deletes an unsubmitted report with a company token: gone from v4 and v3.0', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = await create(2, token)
    await ok(await call(mock, `${V4}/reports/${id}`, company, { method: 'DELETE' }), 204)
    await refused(await call(mock, long(2, 'TRAVELER', `/reports/${id}`), token), 404)
    const res = await call(mock, `/api/v3.0/expense/reports/${id}`, company)
    expect(res.status).toBe(404)
    await refused(await call(mock, `${V4}/reports/${id}`, company, { method: 'DELETE' }), 404)
  })
})

describe('Expense v4 expenses and comments', () => {
  it('lists the expenses of a report as its v3.0 entries, with detail and itemizations', async () => {
    const r3 = await seeded(2, ['A_NOTF', 'A_PEND', 'A_APPR'])
    const token = await issueToken(mock, { user: 2 })
    const entries = await ok<{
      Items: { ID: string; TransactionAmount: number; ExpenseTypeCode: string; HasItemizations: boolean }[]
    }>(await call(mock, `/api/v3.0/expense/entries?reportID=${r3.ID}&user=ALL`, company))
    const list = ExpenseV4ExpenseSummary.array().parse(
      await ok(await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}/expenses`), token)),
    )
    expect(list.map((e) => e.expenseId)).toEqual(entries.Items.map((e) => e.ID))
    expect(list.map((e) => e.transactionAmount.value)).toEqual(entries.Items.map((e) => e.TransactionAmount))
    expect(list.map((e) => e.expenseType.id)).toEqual(entries.Items.map((e) => e.ExpenseTypeCode))
    const first = entries.Items[0]!
    const detail = ExpenseV4ExpenseDetail.parse(
      await ok(await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}/expenses/${first.ID}`), token)),
    )
    expect(detail.expenseId).toBe(first.ID)
    const items = ExpenseV4ExpenseSummary.array().parse(
      await ok(
        await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}/expenses/${first.ID}/itemizations`), token),
      ),
    )
    const withItems = ExpenseV4ExpenseSummary.array().parse(
      await ok(
        await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}/expenses?includeItemizations=true`), token),
      ),
    )
    expect(withItems.length).toBe(
      list.length +
        items.length +
        (
          await Promise.all(
            entries.Items.slice(1).map(
              async (e) =>
                (
                  await ok<unknown[]>(
                    await call(
                      mock,
                      long(2, 'TRAVELER', `/reports/${r3.ID}/expenses/${e.ID}/itemizations`),
                      token,
                    ),
                  )
                ).length,
            ),
          )
        ).reduce((a, b) => a + b, 0),
    )
    await refused(await call(mock, long(2, 'TRAVELER', `/reports/${r3.ID}/expenses/NOPE`), token), 404)
    await refused(await call(mock, long(2, 'MANAGER', `/reports/${r3.ID}/expenses`), token), 403)
  })

  it('serves allocations as the v3.0 allocations of the expense and patches their custom data', async () => {
    const r3 = await seeded(2, ['A_NOTF', 'A_PEND', 'A_APPR'])
    const token = await issueToken(mock, { user: 2 })
    const entries = await ok<{ Items: { ID: string; PostedAmount: number }[] }>(
      await call(mock, `/api/v3.0/expense/entries?reportID=${r3.ID}&user=ALL`, company),
    )
    const entry = entries.Items[1]!
    const v3Allocations = async () =>
      (
        await ok<{ Items: { ID: string; Percentage: string; Custom1: { Value: string } | null }[] }>(
          await call(mock, `/api/v3.0/expense/allocations?entryID=${entry.ID}&user=ALL`, company),
        )
      ).Items
    const before = await v3Allocations()
    expect(before.length).toBeGreaterThan(0)
    const base = long(2, 'TRAVELER', `/reports/${r3.ID}`)
    const list = ExpenseV4Allocation.array().parse(
      await ok(await call(mock, `${base}/expenses/${entry.ID}/allocations`, token)),
    )
    expect(list.map((a) => a.allocationId)).toEqual(before.map((a) => a.ID))
    expect(list.map((a) => a.percentage)).toEqual(before.map((a) => Number(a.Percentage)))
    const total = list.reduce((sum, a) => sum + (a.allocationAmount?.value ?? 0), 0)
    expect(Math.abs(total - entry.PostedAmount)).toBeLessThan(0.02)
    const one = ExpenseV4Allocation.parse(
      await ok(await call(mock, `${base}/allocations/${list[0]!.allocationId}`, token)),
    )
    expect(one).toEqual(list[0])

    await ok(
      await call(
        mock,
        `${base}/allocations/${list[0]!.allocationId}`,
        token,
        json('PATCH', {
          allocation: { customData: [{ id: 'custom1', value: 'PRJ-7' }] },
          expenseIds: [entry.ID],
        }),
      ),
      204,
    )
    expect((await v3Allocations())[0]!.Custom1?.Value).toBe('PRJ-7')
    await refused(
      await call(
        mock,
        `${base}/allocations/${list[0]!.allocationId}`,
        token,
        json('PATCH', { allocation: { customData: [] }, expenseIds: ['NOPE'] }),
      ),
      400,
    )
    await refused(await call(mock, `${base}/allocations/NOPE`, token), 404)
  })

  it('associates attendees with an expense (POST), lists them (GET) and removes them all (DELETE), in the v3.0 associations too', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = await create(2, token)
    const entry = await ok<{ ID: string }>(
      await call(
        mock,
        '/api/v3.0/expense/entries',
        token,
        json('POST', {
          ReportID: id,
          ExpenseTypeCode: 'BUSML',
          TransactionAmount: 80,
          TransactionCurrencyCode: 'USD',
          TransactionDate: '2026-11-03T00:00:00',
        }),
      ),
    )
    const attendees = await ok<{ Items: { ID: string }[] }>(
      await call(mock, '/api/v3.0/expense/attendees?limit=2', token),
    )
    const [a1, a2] = attendees.Items.map((a) => a.ID)
    const path = long(2, 'TRAVELER', `/reports/${id}/expenses/${entry.ID}/attendees`)
    ExpenseV4UriResponse.parse(
      await ok(
        await call(
          mock,
          path,
          token,
          json('POST', {
            noShowAttendeeCount: 1,
            expenseAttendeeList: [
              { attendeeId: a1, transactionAmount: 50, customData: [{ id: 'custom1', value: 'guest' }] },
              { attendeeId: a2, transactionAmount: 30, associatedAttendeeCount: 2 },
            ],
          }),
        ),
        201,
      ),
    )
    const got = ExpenseV4ExpenseAttendees.parse(await ok(await call(mock, path, token)))
    expect(got.noShowAttendeeCount).toBe(1)
    expect(
      got.expenseAttendeeList.map((a) => [
        a.attendeeId,
        a.transactionAmount.value,
        a.associatedAttendeeCount,
      ]),
    ).toEqual([
      [a1, 50, 1],
      [a2, 30, 2],
    ])
    expect(got.expenseAttendeeList[0]!.customData).toContainEqual(
      expect.objectContaining({ id: 'custom1', value: 'guest' }),
    )
    const v3Assoc = await ok<{ Items: { AttendeeID: string; Amount: number }[] }>(
      await call(mock, `/api/v3.0/expense/entryattendeeassociations?entryID=${entry.ID}`, company),
    )
    expect(v3Assoc.Items.map((a) => [a.AttendeeID, a.Amount])).toEqual([
      [a1, 50],
      [a2, 30],
    ])
    expect(
      (
        await ok<{ HasAttendees: boolean }>(
          await call(mock, `/api/v3.0/expense/entries/${entry.ID}`, company),
        )
      ).HasAttendees,
    ).toBe(true)
    // The short URL reads the same list with a company token.
    expect(
      ExpenseV4ExpenseAttendees.parse(
        await ok(await call(mock, `${V4}/reports/${id}/expenses/${entry.ID}/attendees`, company)),
      ),
    ).toEqual(got)
    await refused(
      await call(mock, path, token, json('POST', { expenseAttendeeList: [{ attendeeId: 'NOPE' }] })),
      400,
    )
    await ok(await call(mock, path, token, { method: 'DELETE' }), 204)
    expect(ExpenseV4ExpenseAttendees.parse(await ok(await call(mock, path, token)))).toEqual({
      noShowAttendeeCount: 0,
      expenseAttendeeList: [],
    })
    expect(
      (
        await ok<{ HasAttendees: boolean }>(
          await call(mock, `/api/v3.0/expense/entries/${entry.ID}`, company),
        )
      ).HasAttendees,
    ).toBe(false)
  })

  it('keeps report comments: POST adds, GET lists with the latest flagged, v3.0 LastComment follows', async () => {
    const token = await issueToken(mock, { user: 2 })
    const id = await create(2, token)
    const path = long(2, 'TRAVELER', `/reports/${id}/comments`)
    ExpenseV4UriResponse.parse(
      await ok(await call(mock, path, token, json('POST', { comment: 'First' })), 201),
    )
    ExpenseV4UriResponse.parse(
      await ok(
        await call(mock, `${V4}/reports/${id}/comments`, company, json('POST', { comment: 'Second' })),
        201,
      ),
    )
    const comments = ExpenseV4Comment.array().parse(await ok(await call(mock, path, token)))
    expect(comments.map((c) => [c.comment, c.isLatest])).toEqual([
      ['First', false],
      ['Second', true],
    ])
    expect(comments[0]!.author?.employeeUuid).toBe(user(2).id)
    expect((await v3(id)).LastComment).toBe('Second')
    await refused(await call(mock, path, token, json('POST', { comment: '' })), 400)
  })
})
