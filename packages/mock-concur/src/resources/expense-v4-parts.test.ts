import {
  ExpenseV4CashAdvances,
  ExpenseV4Comment,
  ExpenseV4CostObject,
  ExpenseV4Error,
  ExpenseV4Exception,
  ExpenseV4ExpenseDetail,
  ExpenseV4ExpenseSummary,
  ExpenseV4FormField,
  ExpenseV4RequestAssociations,
  ExpenseV4Taxes,
  ExpenseV4UriResponse,
  type ReportItem,
} from '@concurkit/contract'
import { beforeEach, describe, expect, it } from 'vitest'
import { datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { expenseV4Helpers, freshExpenseV4Mock, json, V4 } from './expense-v4-testing.js'
import { allRequests } from './request-v4-data.js'
import { call, issueToken } from './v3-testing.js'

let mock: MockConcur
let company: string

beforeEach(async () => {
  ;({ mock, company } = await freshExpenseV4Mock())
})

const { co, user, long } = expenseV4Helpers(() => mock)
type Report = ReportItem & { ID: string; OwnerLoginID: string; HasException?: boolean }
type Entry = {
  ID: string
  ReportID: string
  HasExceptions: boolean
  HasComments: boolean
  HasVAT: boolean
  Description: string | null
  TransactionAmount: number
  LocationCountry: string
}

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

const get = <T>(path: string, token = company) =>
  call(mock, path, token, { headers: { accept: 'application/json' } }).then((r) => ok<T>(r))

/** Every v3.0 report of the company (administrator, `user=ALL`). */
async function allReports(): Promise<Report[]> {
  const out: Report[] = []
  let next: string | null = '/api/v3.0/expense/reports?user=ALL&limit=100'
  while (next) {
    const page: { Items: Report[]; NextPage: string | null } = await get(next)
    out.push(...page.Items)
    next = page.NextPage
  }
  return out
}
const v3Report = (id: string) => get<Report>(`/api/v3.0/expense/reports/${id}`)
const v3Entries = async (reportId: string) =>
  (await get<{ Items: Entry[] }>(`/api/v3.0/expense/entries?reportID=${reportId}&limit=100`)).Items
const indexOf = (login: unknown) => userIndexOfLogin(datasetOf(mock.state.options.seed, co()), String(login))!
const ownerIndex = (r: Report) => indexOf(r.OwnerLoginID)

async function reportWhere(
  pred: (r: Report, entries: Entry[]) => boolean,
): Promise<{ r: Report; entries: Entry[] }> {
  for (const r of await allReports()) {
    const entries = await v3Entries(r.ID)
    if (pred(r, entries)) return { r, entries }
  }
  throw new Error('no seeded report matches')
}

describe('Expense v4 exceptions', () => {
  it('derives each report’s exceptions from the v3.0 record, the same on every run and on both URLs', async () => {
    const { r, entries } = await reportWhere((r, e) => r.HasException === true && e.length > 0)
    const short = ExpenseV4Exception.array().parse(await get(`${V4}/reports/${r.ID}/exceptions`))
    expect(short.length).toBeGreaterThan(0)
    // One exception per flagged entry, naming it; the report is flagged because they exist.
    const flagged = entries.filter((e) => e.HasExceptions).map((e) => e.ID)
    expect(new Set(short.map((x) => x.expenseId))).toEqual(new Set(flagged.length ? flagged : [null]))
    for (const x of short) expect(['MISSREQFLD', 'MISSALLOCREQFLD']).toContain(x.exceptionCode)
    // A second mock from the same seed says the same.
    const again = createMockConcur({ seed: 7, size: 60, companies: 1, datacenters: ['us'] })
    const t2 = await issueToken(again, { user: 'company' })
    const res = await call(again, `${V4}/reports/${r.ID}/exceptions`, t2)
    expect(await res.json()).toEqual(short)
    // The owner reads the same through the long URL; v4 expense summaries agree.
    const u = ownerIndex(r)
    const token = await issueToken(mock, { user: u })
    expect(await get(long(u, 'TRAVELER', `/reports/${r.ID}/exceptions`), token)).toEqual(short)
    const expenses = ExpenseV4ExpenseSummary.array().parse(
      await get(long(u, 'TRAVELER', `/reports/${r.ID}/expenses`), token),
    )
    for (const e of expenses) expect(e.hasExceptions).toBe(flagged.includes(e.expenseId))
    // excludeExpenses=true keeps the report-level ones only.
    const own = ExpenseV4Exception.array().parse(
      await get(`${V4}/reports/${r.ID}/exceptions?excludeExpenses=true`),
    )
    expect(own.every((x) => x.expenseId === null)).toBe(true)
    // A MANAGER context is not one the exceptions take; a bad boolean is a 400.
    await refused(await call(mock, long(u, 'MANAGER', `/reports/${r.ID}/exceptions`), token), 403)
    await refused(await call(mock, `${V4}/reports/${r.ID}/exceptions?excludeExpenses=yes`, company), 400)
  })

  it('PUT and DELETE change the list on the short URLs and the v3.0 flags follow', async () => {
    const { r, entries } = await reportWhere((r, e) => r.HasException !== true && e.length > 0)
    const entry = entries[0]!
    const path = `${V4}/reports/${r.ID}/expenses/${entry.ID}/exceptions`
    expect(await get(path)).toEqual([])
    const put = await call(
      mock,
      path,
      company,
      json('PUT', { exceptionCode: 'missreqfld', exceptionVisibility: 'ALL' }),
    )
    expect(put.status).toBe(200)
    await call(
      mock,
      `${V4}/reports/${r.ID}/exceptions`,
      company,
      json('PUT', { exceptionCode: 'AUDIT1', exceptionVisibility: 'PROCESSOR' }),
    ).then((x) => ok(x))
    const all = ExpenseV4Exception.array().parse(await get(`${V4}/reports/${r.ID}/exceptions`))
    expect(all.map((x) => [x.exceptionCode, x.expenseId])).toEqual([
      ['MISSREQFLD', entry.ID],
      ['AUDIT1', null],
    ])
    // v3.0 sees the report and the entry flagged.
    expect((await v3Report(r.ID)).HasException).toBe(true)
    expect((await v3Entries(r.ID)).find((e) => e.ID === entry.ID)?.HasExceptions).toBe(true)
    // The traveler does not see a PROCESSOR-only exception.
    const u = ownerIndex(r)
    const token = await issueToken(mock, { user: u })
    const mine = ExpenseV4Exception.array().parse(
      await get(long(u, 'TRAVELER', `/reports/${r.ID}/exceptions`), token),
    )
    expect(mine.map((x) => x.exceptionCode)).toEqual(['MISSREQFLD'])
    // Only a company token writes exceptions; bodies are checked.
    await refused(
      await call(mock, path, token, json('PUT', { exceptionCode: 'X', exceptionVisibility: 'ALL' })),
      403,
    )
    await refused(
      await call(mock, path, company, json('PUT', { exceptionCode: 'X', exceptionVisibility: 'ME' })),
      400,
    )
    // DELETE both: the flags clear; a second DELETE is a 404.
    expect((await call(mock, `${path}/MISSREQFLD`, company, { method: 'DELETE' })).status).toBe(204)
    expect(
      (await call(mock, `${V4}/reports/${r.ID}/exceptions/AUDIT1`, company, { method: 'DELETE' })).status,
    ).toBe(204)
    await refused(await call(mock, `${path}/MISSREQFLD`, company, { method: 'DELETE' }), 404)
    expect(await get(`${V4}/reports/${r.ID}/exceptions`)).toEqual([])
    expect((await v3Report(r.ID)).HasException).toBe(false)
    expect((await v3Entries(r.ID)).find((e) => e.ID === entry.ID)?.HasExceptions).toBe(false)
  })

  it('serves allocation exceptions and refuses an allocation of another expense', async () => {
    const { r, entries } = await reportWhere((_, e) => e.length > 1)
    const allocs = (
      await get<{ Items: { ID: string; EntryID: string }[] }>(
        `/api/v3.0/expense/allocations?entryID=${entries[0]!.ID}&limit=100`,
      )
    ).Items
    const a = allocs[0]!
    const base = `${V4}/reports/${r.ID}/expenses/${entries[0]!.ID}/allocations/${a.ID}/exceptions`
    await ok(
      await call(
        mock,
        base,
        company,
        json('PUT', { exceptionCode: 'MISSALLOCREQFLD', exceptionVisibility: 'ALL' }),
      ),
    )
    const list = ExpenseV4Exception.array().parse(await get(base))
    expect(list).toEqual([
      expect.objectContaining({
        exceptionCode: 'MISSALLOCREQFLD',
        allocationId: a.ID,
        expenseId: entries[0]!.ID,
      }),
    ])
    await refused(
      await call(
        mock,
        `${V4}/reports/${r.ID}/expenses/${entries[1]!.ID}/allocations/${a.ID}/exceptions`,
        company,
      ),
      404,
    )
  })
})

describe('Expense v4 comments', () => {
  it('PUT and DELETE change the latest report comment; v3.0 LastComment follows', async () => {
    const { r } = await reportWhere((r) => r.ApprovalStatusCode === 'A_NOTF')
    const u = ownerIndex(r)
    const token = await issueToken(mock, { user: u })
    const path = long(u, 'TRAVELER', `/reports/${r.ID}/comments`)
    // No comment yet: nothing to change.
    await refused(await call(mock, path, token, json('PUT', { comment: 'x' })), 404)
    await ok(await call(mock, path, token, json('POST', { comment: 'First' })), 201)
    await ok(await call(mock, path, token, json('POST', { comment: 'Second' })), 201)
    const put = ExpenseV4UriResponse.parse(
      await ok(await call(mock, path, token, json('PUT', { comment: 'Second, edited' }))),
    )
    expect(put.uri).toBe(`${mock.state.baseUrl('us')}${path}`)
    let list = ExpenseV4Comment.array().parse(await get(path, token))
    expect(list.map((x) => [x.comment, x.isLatest])).toEqual([
      ['First', false],
      ['Second, edited', true],
    ])
    expect((await v3Report(r.ID)).LastComment).toBe('Second, edited')
    // The system user (short URL) deletes the latest; the earlier one is latest again.
    expect((await call(mock, `${V4}/reports/${r.ID}/comments`, company, { method: 'DELETE' })).status).toBe(
      204,
    )
    list = ExpenseV4Comment.array().parse(await get(`${V4}/reports/${r.ID}/comments`))
    expect(list.map((x) => [x.comment, x.isLatest])).toEqual([['First', true]])
    expect((await v3Report(r.ID)).LastComment).toBe('First')
    // A comment by the system user cannot be changed by the traveler on the long URL.
    await ok(
      await call(mock, `${V4}/reports/${r.ID}/comments`, company, json('POST', { comment: 'Audit' })),
      201,
    )
    await refused(await call(mock, path, token, { method: 'DELETE' }), 403)
    await refused(await call(mock, path, token, json('PUT', { comment: '' })), 400)
  })

  it('keeps expense comments per expense, long and short, and includeAllComments shows them', async () => {
    const { r, entries } = await reportWhere((r, e) => r.ApprovalStatusCode === 'A_NOTF' && e.length > 1)
    const u = ownerIndex(r)
    const token = await issueToken(mock, { user: u })
    const [e1, e2] = [entries[0]!.ID, entries[1]!.ID]
    const p1 = long(u, 'TRAVELER', `/reports/${r.ID}/expenses/${e1}/comments`)
    const posted = ExpenseV4UriResponse.parse(
      await ok(
        await call(mock, p1, token, json('POST', { comment: 'This expense is for a business meal.' })),
        201,
      ),
    )
    expect(posted.uri).toBe(`${mock.state.baseUrl('us')}${p1}`)
    await ok(
      await call(
        mock,
        `${V4}/reports/${r.ID}/expenses/${e2}/comments`,
        company,
        json('POST', { comment: 'Checked' }),
      ),
      201,
    )
    const c1 = ExpenseV4Comment.array().parse(await get(`${V4}/reports/${r.ID}/expenses/${e1}/comments`))
    expect(c1).toEqual([
      expect.objectContaining({
        comment: 'This expense is for a business meal.',
        expenseId: e1,
        isLatest: true,
        author: { employeeId: user(u).employeeId, employeeUuid: user(u).id },
      }),
    ])
    expect((await v3Entries(r.ID)).find((e) => e.ID === e1)?.HasComments).toBe(true)
    // Report comments: expense comments only with includeAllComments=true.
    const rc = `${V4}/reports/${r.ID}/comments`
    expect(
      ExpenseV4Comment.array()
        .parse(await get(rc))
        .filter((x) => x.expenseId),
    ).toEqual([])
    expect(
      ExpenseV4Comment.array()
        .parse(await get(`${rc}?includeAllComments=true`))
        .map((x) => x.expenseId),
    ).toEqual(expect.arrayContaining([e1, e2]))
    // DELETE the only comment of e1: v3.0 HasComments clears.
    expect((await call(mock, p1, token, { method: 'DELETE' })).status).toBe(204)
    expect(await get(p1, token)).toEqual([])
    expect((await v3Entries(r.ID)).find((e) => e.ID === e1)?.HasComments).toBe(false)
    // An expense of another report is a 404.
    const other = await reportWhere((x, e) => x.ID !== r.ID && e.length > 0)
    await refused(
      await call(mock, `${V4}/reports/${r.ID}/expenses/${other.entries[0]!.ID}/comments`, company),
      404,
    )
  })
})

describe('Expense v4 expense PATCH and DELETE (short URL)', () => {
  it('patches an expense of a submitted report and v3.0 shows it', async () => {
    const { r, entries } = await reportWhere(
      (r, e) =>
        ['A_PEND', 'A_APPR'].includes(String(r.ApprovalStatusCode)) &&
        r.PaymentStatusCode !== 'P_PAID' &&
        e.length > 0,
    )
    const e = entries[0]!
    const before = (await v3Report(r.ID)).LastModifiedDate
    mock.state.clock.advance(60)
    const path = `${V4}/reports/${r.ID}/expenses/${e.ID}`
    const res = await call(
      mock,
      path,
      company,
      json('PATCH', {
        expenseSource: 'OTHER',
        businessPurpose: 'Office Supplies',
        isPaperReceiptReceived: true,
        isExpenseRejected: true,
      }),
    )
    expect(res.status, await res.text()).toBe(204)
    const e3 = (await v3Entries(r.ID)).find((x) => x.ID === e.ID)!
    expect(e3.Description).toBe('Office Supplies')
    expect((await v3Report(r.ID)).LastModifiedDate).not.toBe(before)
    const u = ownerIndex(r)
    const token = await issueToken(mock, { user: u })
    const d = ExpenseV4ExpenseDetail.parse(
      await get(long(u, 'TRAVELER', `/reports/${r.ID}/expenses/${e.ID}`), token),
    )
    expect(d).toMatchObject({
      businessPurpose: 'Office Supplies',
      isPaperReceiptReceived: true,
      isExpenseRejected: true,
    })
    // expenseSource is required; a user token is refused.
    await refused(await call(mock, path, company, json('PATCH', { businessPurpose: 'x' })), 400)
    await refused(await call(mock, path, token, json('PATCH', { expenseSource: 'UI' })), 403)
  })

  it('refuses PATCH on an unsubmitted report and DELETE on a submitted one (409)', async () => {
    const un = await reportWhere((r, e) => r.ApprovalStatusCode === 'A_NOTF' && e.length > 0)
    await refused(
      await call(
        mock,
        `${V4}/reports/${un.r.ID}/expenses/${un.entries[0]!.ID}`,
        company,
        json('PATCH', { expenseSource: 'UI' }),
      ),
      409,
    )
    const sub = await reportWhere((r, e) => r.ApprovalStatusCode === 'A_PEND' && e.length > 0)
    await refused(
      await call(mock, `${V4}/reports/${sub.r.ID}/expenses/${sub.entries[0]!.ID}`, company, {
        method: 'DELETE',
      }),
      409,
    )
  })

  it('deletes an expense of an unsubmitted report: gone from v3.0 and v4, totals follow', async () => {
    const { r, entries } = await reportWhere((r, e) => r.ApprovalStatusCode === 'A_NOTF' && e.length > 1)
    const gone = entries[1]!
    const res = await call(mock, `${V4}/reports/${r.ID}/expenses/${gone.ID}`, company, { method: 'DELETE' })
    expect(res.status).toBe(204)
    expect((await v3Entries(r.ID)).map((e) => e.ID)).not.toContain(gone.ID)
    const after = await v3Report(r.ID)
    expect(after.TotalClaimedAmount).toBeCloseTo(Number(r.TotalClaimedAmount) - gone.TransactionAmount, 2)
    const u = ownerIndex(r)
    const token = await issueToken(mock, { user: u })
    const list = ExpenseV4ExpenseSummary.array().parse(
      await get(long(u, 'TRAVELER', `/reports/${r.ID}/expenses`), token),
    )
    expect(list.map((e) => e.expenseId)).not.toContain(gone.ID)
    await refused(
      await call(mock, `${V4}/reports/${r.ID}/expenses/${gone.ID}`, company, { method: 'DELETE' }),
      404,
    )
  })
})

describe('Expense v4 form fields, taxes, cash advances, request associations, cost objects', () => {
  it('serves form fields: RW while unsubmitted, RO once submitted; unknown policy or type is a 400', async () => {
    const un = await reportWhere((r, e) => r.ApprovalStatusCode === 'A_NOTF' && e.length > 0)
    const fields = ExpenseV4FormField.array().parse(await get(`${V4}/reports/${un.r.ID}/formFields`))
    expect(fields.map((f) => f.fieldId)).toContain('Name')
    expect(fields.every((f) => f.fieldAccess === 'RW')).toBe(true)
    const sub = await reportWhere((r, e) => r.ApprovalStatusCode === 'A_PEND' && e.length > 0)
    const ro = ExpenseV4FormField.array().parse(
      await get(`${V4}/reports/${sub.r.ID}/expenses/${sub.entries[0]!.ID}/formFields?expenseTypeId=MILEG`),
    )
    expect(ro.every((f) => f.fieldAccess === 'RO')).toBe(true)
    expect(ro.map((f) => f.fieldId)).toContain('BusinessDistance')
    await refused(await call(mock, `${V4}/reports/${un.r.ID}/formFields?policyId=nope`, company), 400)
    await refused(
      await call(
        mock,
        `${V4}/reports/${un.r.ID}/expenses/${un.entries[0]!.ID}/formFields?expenseTypeId=NOPE`,
        company,
      ),
      400,
    )
  })

  it('serves taxes of a VAT expense and PATCH (tax scope only) changes them', async () => {
    const { r, entries } = await reportWhere((_, e) => e.some((x) => x.HasVAT))
    const e = entries.find((x) => x.HasVAT)!
    const path = `${V4}/reports/${r.ID}/expenses/${e.ID}/taxes`
    const taxes = ExpenseV4Taxes.parse(await get(path)).expenseTaxes
    expect(taxes.length).toBeGreaterThan(0)
    const t = taxes[0]!
    expect(t.taxTransactionAmount).toBeGreaterThan(0)
    expect(t.taxTransactionAmount).toBeLessThan(e.TransactionAmount)
    const patch = `${V4}/reports/${r.ID}/expenses/${e.ID}/tax/${t.taxAuthorityId}`
    const body = {
      customData: [{ id: 'custom1', value: 'check' }],
      reclaimTransactionAmount: 12,
      taxTransactionAmount: 25,
      reclaimCode: 'RC7',
      taxCode: 'TC7',
    }
    const readwrite = await issueToken(mock, { user: 'company', scopes: ['expense.report.readwrite'] })
    await refused(await call(mock, patch, readwrite, json('PATCH', body)), 403)
    const taxToken = await issueToken(mock, {
      user: 'company',
      scopes: ['expense.report.tax.readwrite', 'expense.report.read'],
    })
    expect((await call(mock, patch, taxToken, json('PATCH', body))).status).toBe(204)
    const after = ExpenseV4Taxes.parse(await get(path)).expenseTaxes.find(
      (x) => x.taxAuthorityId === t.taxAuthorityId,
    )
    expect(after).toMatchObject({
      reclaimTransactionAmount: 12,
      taxTransactionAmount: 25,
      reclaimCode: 'RC7',
      taxCode: 'TC7',
    })
    expect(after?.customData).toEqual([{ id: 'custom1', value: 'check', isValid: true, listItemUrl: null }])
    await refused(
      await call(mock, `${V4}/reports/${r.ID}/expenses/${e.ID}/tax/NOPE`, taxToken, json('PATCH', body)),
      404,
    )
  })

  it('associates the owner’s cash advances: POST replaces, any unknown id fails all, DELETE removes', async () => {
    const reports = await allReports()
    const requests = allRequests(mock.state, co())
    const pick = reports.find(
      (r) =>
        r.ApprovalStatusCode === 'A_NOTF' &&
        requests.some((q) => q.owner === ownerIndex(r) && q.cashAdvances.length > 0),
    )!
    const ids = requests
      .filter((q) => q.owner === ownerIndex(pick))
      .flatMap((q) => q.cashAdvances.map((a) => a.id))
    const path = `${V4}/reports/${pick.ID}/cashAdvances`
    expect(ExpenseV4CashAdvances.parse(await get(path)).cashAdvances).toEqual([])
    await refused(
      await call(mock, path, company, json('POST', { cashAdvanceIds: [ids[0], 'not-a-cash-advance'] })),
      400,
    )
    expect(ExpenseV4CashAdvances.parse(await get(path)).cashAdvances).toEqual([])
    const made = ExpenseV4UriResponse.parse(
      await ok(await call(mock, path, company, json('POST', { cashAdvanceIds: ids })), 201),
    )
    expect(made.uri).toBe(`${mock.state.baseUrl('us')}${path}`)
    expect(ExpenseV4CashAdvances.parse(await get(path)).cashAdvances.map((a) => a.id)).toEqual(ids)
    expect((await call(mock, `${path}?cashAdvanceIds=${ids[0]}`, company, { method: 'DELETE' })).status).toBe(
      204,
    )
    expect(ExpenseV4CashAdvances.parse(await get(path)).cashAdvances.map((a) => a.id)).toEqual(ids.slice(1))
    await refused(await call(mock, `${path}?cashAdvanceIds=${ids[0]}`, company, { method: 'DELETE' }), 404)
    await refused(await call(mock, path, company, { method: 'DELETE' }), 400)
  })

  it('lists request associations (the owner’s approved requests) in every context', async () => {
    const reports = await allReports()
    const requests = allRequests(mock.state, co())
    let seen = 0
    for (const r of reports.slice(0, 20)) {
      const u = ownerIndex(r)
      const token = await issueToken(mock, { user: u })
      const body = ExpenseV4RequestAssociations.parse(
        await get(long(u, 'PROXY', `/reports/${r.ID}/requestassociations`), token),
      )
      for (const q of body.requests) {
        const req = requests.find((x) => x.id === q.id)
        expect(req?.owner).toBe(u)
        expect(req?.status).toBe('APPROVED')
        seen++
      }
    }
    expect(seen).toBeGreaterThan(0)
  })

  it('answers costObjectsForApprover for the approver and refuses anyone else', async () => {
    const { r, entries } = await reportWhere(
      (r, e) => r.ApprovalStatusCode === 'A_PEND' && e.length > 0 && !!r.ApproverLoginID,
    )
    const approver = indexOf(r.ApproverLoginID)
    const token = await issueToken(mock, { user: approver })
    const path = `${V4}/users/${user(approver).id}/reports/${r.ID}/costObjectsForApprover`
    const [obj] = ExpenseV4CostObject.array().parse(await get(path, token))
    expect(obj).toMatchObject({
      approverId: user(approver).id,
      isOwnedByCaller: true,
      isApprovableAsUser: true,
      isFullyApproved: false,
    })
    expect(obj?.expenses?.map((e) => e.id).sort()).toEqual(entries.map((e) => e.ID).sort())
    const stranger = [2, 3, 4, 5].find((i) => i !== approver && i !== ownerIndex(r))!
    const t2 = await issueToken(mock, { user: stranger })
    await refused(
      await call(mock, `${V4}/users/${user(stranger).id}/reports/${r.ID}/costObjectsForApprover`, t2),
      403,
    )
  })
})
