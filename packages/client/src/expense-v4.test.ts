import { describe, expect, it } from 'vitest'
import { useSocketMock } from '../test/helpers/socket-mock.ts'
import { ConcurRequestError } from './errors.js'

/** The Expense v4 accessor against the mock over a real socket. */

const { mock, origin, tokenOf, clientOf } = useSocketMock({ seed: 31, size: 45 })

describe('client.expenseV4', () => {
  it('creates, patches, submits, lists for approval and approves a report; errors carry the status', async () => {
    const company = await clientOf('company')
    const users = mock.state.companies[0]!.users
    const userId = await company.expenseV4.userIdOf(users[2]!.loginId)
    expect(userId).toBe(users[2]!.id)
    const traveler = await clientOf(2)
    const policyId = String((await company.expenseReports.list({ user: 'ALL' }).toArray())[0]!.PolicyID)
    const { reportId, uri } = await traveler.expenseV4.createReport(userId, { name: 'Offsite', policyId })
    expect(uri).toBe(`${origin()}/expensereports/v4/users/${userId}/context/TRAVELER/reports/${reportId}`)
    await traveler.expenseV4.updateReport(
      { userId, reportId },
      { reportSource: 'OTHER', businessPurpose: 'Plan 2027' },
    )
    const report = await traveler.expenseV4.report({ userId, reportId })
    expect(report).toMatchObject({
      name: 'Offsite',
      businessPurpose: 'Plan 2027',
      approvalStatusId: 'A_NOTF',
    })

    await traveler.expenseV4.submit(userId, reportId)
    const again = await traveler.expenseV4.submit(userId, reportId).catch((e: unknown) => e)
    expect(again).toBeInstanceOf(ConcurRequestError)
    expect((again as ConcurRequestError).status).toBe(409)

    const v3 = await company.expenseReports.get(reportId)
    const approverIndex = users.findIndex((u) => u.loginId === v3.ApproverLoginID)
    const approverId = users[approverIndex]!.id
    const manager = await clientOf(approverIndex)
    const pending = await manager.expenseV4.reportsToApprove(approverId, { sort: 'name', order: 'asc' })
    expect(pending.map((r) => r.reportId)).toContain(reportId)
    await manager.expenseV4.approve({ userId: approverId, reportId }, { comment: 'Fine' })
    expect((await company.expenseReports.get(reportId)).ApprovalStatusCode).toBe('A_APPR')
    await company.expenseV4.updateSubmittedReport(reportId, { name: 'Offsite (approved)' })
    // Attendees of an expense of an unsubmitted report: add, read, remove.
    const draft = await traveler.expenseV4.createReport(userId, { name: 'Dinner', policyId })
    const [entry] = await traveler.expenseEntries.list({ reportID: draft.reportId }).toArray()
    expect(entry).toBeUndefined()
    const created = await fetch(`${origin()}/api/v3.0/expense/entries`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await tokenOf(2)}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        ReportID: draft.reportId,
        ExpenseTypeCode: 'BUSML',
        TransactionAmount: 60,
        TransactionCurrencyCode: 'USD',
        TransactionDate: '2026-11-05T00:00:00',
      }),
    })
    const expenseId = ((await created.json()) as { ID: string }).ID
    const [attendee] = await company.expenseAttendees.list({}, { limit: 1 }).toArray()
    const ref = { userId, reportId: draft.reportId }
    await traveler.expenseV4.addAttendees(ref, expenseId, {
      expenseAttendeeList: [{ attendeeId: attendee!.ID, transactionAmount: 60 }],
    })
    expect(
      (await traveler.expenseV4.attendees(ref, expenseId)).expenseAttendeeList.map((a) => a.attendeeId),
    ).toEqual([attendee!.ID])
    await traveler.expenseV4.removeAttendees(ref, expenseId)
    expect((await traveler.expenseV4.attendees(ref, expenseId)).expenseAttendeeList).toEqual([])
    expect((await traveler.expenseV4.report({ userId, reportId })).name).toBe('Offsite (approved)')
  })

  it('reads expenses and itemizations of a seeded report', async () => {
    const company = await clientOf('company')
    const [first] = await company.expenseReports.list({ user: 'ALL' }, { limit: 5 }).toArray()
    const userId = await company.expenseV4.userIdOf(String(first!.OwnerLoginID))
    const expenses = await company.expenseV4.expenses({ userId, reportId: first!.ID })
    const entries = await company.reportEntries(first!.ID).toArray()
    expect(expenses.map((e) => e.expenseId)).toEqual(entries.map((e) => e.ID))
    const detail = await company.expenseV4.expense({ userId, reportId: first!.ID }, expenses[0]!.expenseId)
    expect(detail.transactionAmount.value).toBe(entries[0]!.TransactionAmount)
    const ref = { userId, reportId: first!.ID }
    for (const e of expenses) {
      const allocations = await company.expenseV4.allocations(ref, e.expenseId)
      const v3 = await company.entryAllocations(e.expenseId).toArray()
      expect(allocations.map((a) => a.allocationId)).toEqual(v3.map((a) => a.ID))
      if (allocations[0]) {
        await company.expenseV4.updateAllocation(ref, allocations[0].allocationId, {
          allocation: { customData: [{ id: 'custom2', value: 'X-1' }] },
          expenseIds: [e.expenseId],
        })
        const again = await company.expenseV4.allocation(ref, allocations[0].allocationId)
        expect(again.customData).toContainEqual(expect.objectContaining({ id: 'custom2', value: 'X-1' }))
      }
    }
  })

  it('reads every report of the company through v4 exactly once, skipping the ones asked', async () => {
    const company = await clientOf('company')
    const v3 = await company.expenseReports.list({ user: 'ALL' }).toArray()
    const skip = new Set(v3.slice(0, 5).map((r) => r.ID))
    const seen: string[] = []
    for await (const r of company.expenseV4.reports({ concurrency: 4, skip })) seen.push(r.reportId)
    expect(seen).toEqual(v3.map((r) => r.ID).filter((id) => !skip.has(id)))
    const names = new Map(v3.map((r) => [r.ID, r.Name]))
    for await (const r of company.expenseV4.reports({ concurrency: 2 }))
      expect(r.name).toBe(names.get(r.reportId) ?? null)
  })

  it('refuses a path-breaking id before sending anything', async () => {
    const company = await clientOf('company')
    await expect(company.expenseV4.report({ userId: 'a/b', reportId: 'x' })).rejects.toMatchObject({
      code: 'CONCUR_INVALID_ARGUMENT',
    })
  })
})
