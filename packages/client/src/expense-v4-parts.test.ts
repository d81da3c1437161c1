import { describe, expect, it } from 'vitest'
import { useSocketMock } from '../test/helpers/socket-mock.ts'
import { ConcurRequestError } from './errors.js'

/** The Expense v4 parts accessor (exceptions, comments, form fields, …) against the mock over a real socket. */

const { mock, clientOf } = useSocketMock({ seed: 31, size: 45 })

const statusOf = (e: unknown) => (e instanceof ConcurRequestError ? e.status : e)

describe('client.expenseV4 parts', () => {
  it('changes and deletes the latest report comment through the long URL; v3.0 follows', async () => {
    const company = await clientOf('company')
    const users = mock.state.companies[0]!.users
    const userId = await company.expenseV4.userIdOf(users[2]!.loginId)
    const traveler = await clientOf(2)
    const policyId = String((await company.expenseReports.list({ user: 'ALL' }).toArray())[0]!.PolicyID)
    const { reportId } = await traveler.expenseV4.createReport(userId, { name: 'Offsite', policyId })
    const ref = { userId, reportId }
    expect(await traveler.expenseV4.deleteLatestComment(ref).catch(statusOf)).toBe(404)
    await traveler.expenseV4.addComment(ref, 'First')
    await traveler.expenseV4.addComment(ref, 'Second')
    await traveler.expenseV4.updateLatestComment(ref, 'Second, edited')
    expect((await traveler.expenseV4.comments(ref)).map((c) => [c.comment, c.isLatest])).toEqual([
      ['First', false],
      ['Second, edited', true],
    ])
    await traveler.expenseV4.deleteLatestComment(ref)
    expect((await company.expenseV4.comments({ ...ref, context: 'TRAVELER' })).map((c) => c.comment)).toEqual(
      ['First'],
    )
    expect((await company.expenseReports.get(reportId)).LastComment).toBe('First')
  })

  it('reads, adds and removes exceptions as the system user; v3.0 HasException follows', async () => {
    const company = await clientOf('company')
    const reports = await company.expenseReports.list({ user: 'ALL' }).toArray()
    const clean = []
    for (const r of reports)
      if ((await company.expenseV4.exceptions({ reportId: r.ID })).length === 0) clean.push(r)
    const r = clean[0]!
    expect(r.HasException).toBe(false)
    await company.expenseV4.putException(r.ID, { exceptionCode: 'AUDIT1', exceptionVisibility: 'PROCESSOR' })
    expect(await company.expenseV4.exceptions({ reportId: r.ID })).toEqual([
      expect.objectContaining({ exceptionCode: 'AUDIT1', exceptionVisibility: 'PROCESSOR', expenseId: null }),
    ])
    expect((await company.expenseReports.get(r.ID)).HasException).toBe(true)
    await company.expenseV4.deleteException(r.ID, 'AUDIT1')
    expect(await company.expenseV4.exceptions({ reportId: r.ID })).toEqual([])
    expect((await company.expenseReports.get(r.ID)).HasException).toBe(false)
    expect(await company.expenseV4.deleteException(r.ID, 'AUDIT1').catch(statusOf)).toBe(404)
  })

  it('serves expense comments, form fields, taxes and cash advances; refuses bad ids', async () => {
    const company = await clientOf('company')
    const reports = await company.expenseReports.list({ user: 'ALL' }).toArray()
    const open = reports.find((r) => r.ApprovalStatusCode === 'A_NOTF')!
    const entries = await company.expenseEntries.list({ reportID: open.ID }).toArray()
    const e = entries[0]!
    await company.expenseV4.addExpenseComment({ reportId: open.ID }, e.ID, 'Checked')
    expect(
      (await company.expenseV4.expenseComments({ reportId: open.ID }, e.ID)).map((c) => c.comment),
    ).toEqual(['Checked'])
    const fields = await company.expenseV4.reportFormFields(open.ID)
    expect(fields.find((f) => f.fieldId === 'Name')?.fieldAccess).toBe('RW')
    expect(Array.isArray(await company.expenseV4.taxes(open.ID, e.ID))).toBe(true)
    expect(await company.expenseV4.cashAdvances(open.ID)).toEqual([])
    expect(await company.expenseV4.setCashAdvances(open.ID, ['nope']).catch(statusOf)).toBe(400)
    // The client refuses ids that would change the path before anything is sent.
    await expect(company.expenseV4.taxes(open.ID, '../x')).rejects.toThrow(/expenseId/)
  })

  it('deletes an expense of an unsubmitted report and patches one of a submitted report', async () => {
    const company = await clientOf('company')
    const reports = await company.expenseReports.list({ user: 'ALL' }).toArray()
    const withEntries = async (code: string) => {
      for (const r of reports.filter(
        (x) => x.ApprovalStatusCode === code && x.PaymentStatusCode !== 'P_PAID',
      )) {
        const entries = await company.expenseEntries.list({ reportID: r.ID }).toArray()
        if (entries.length > 0) return { r, entries }
      }
      throw new Error(`no ${code} report with entries`)
    }
    const open = await withEntries('A_NOTF')
    await company.expenseV4.deleteExpense(open.r.ID, open.entries[0]!.ID)
    const left = await company.expenseEntries.list({ reportID: open.r.ID }).toArray()
    expect(left.map((x) => x.ID)).not.toContain(open.entries[0]!.ID)
    const sub = await withEntries('A_PEND')
    await company.expenseV4.updateSubmittedExpense(sub.r.ID, sub.entries[0]!.ID, {
      expenseSource: 'OTHER',
      businessPurpose: 'Office Supplies',
    })
    expect((await company.expenseEntries.get(sub.entries[0]!.ID)).Description).toBe('Office Supplies')
    expect(await company.expenseV4.deleteExpense(sub.r.ID, sub.entries[0]!.ID).catch(statusOf)).toBe(409)
  })
})
