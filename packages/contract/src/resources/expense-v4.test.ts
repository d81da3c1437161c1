import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  ExpenseV4Allocation,
  ExpenseV4AllocationPatch,
  ExpenseV4ApproveBody,
  ExpenseV4Comment,
  ExpenseV4CommentBody,
  ExpenseV4Error,
  ExpenseV4ExpenseAttendees,
  ExpenseV4ExpenseAttendeesInput,
  ExpenseV4ExpenseDetail,
  ExpenseV4ExpenseSummary,
  ExpenseV4NewReport,
  ExpenseV4Report,
  ExpenseV4ReportPatch,
  ExpenseV4ReportToApprove,
  ExpenseV4SubmittedReportPatch,
  ExpenseV4UriResponse,
  expenseV4ReportFromV3,
} from './expense-v4.js'
import {
  ExpenseV4CashAdvances,
  ExpenseV4CashAdvancesPost,
  ExpenseV4CostObject,
  ExpenseV4Exception,
  ExpenseV4ExceptionPut,
  ExpenseV4ExpensePatch,
  ExpenseV4FormField,
  ExpenseV4RequestAssociations,
  ExpenseV4Taxes,
  ExpenseV4TaxPatch,
} from './expense-v4-parts.js'

const DIR = new URL('../../../../fixtures/concur-examples-v4/', import.meta.url)
/**
 * A copied example as JSON. The two form-field samples elide fields with lines of `...` (the
 * fixtures README marks them "JSON valid = no"); those lines are dropped here, the files stay verbatim.
 */
const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(name, DIR), 'utf8').replace(/^\s*\.\.\.\s*$\n/gm, ''))

/** Which schema each documented Expense v4 example must satisfy. */
const SCHEMA_OF: Record<string, z.ZodType> = {
  'expense-v4-error-response.json': ExpenseV4Error,
  'expense-v4-report-get-response.json': ExpenseV4Report,
  'expense-v4-report-post-request.json': ExpenseV4NewReport,
  'expense-v4-report-post-response.json': ExpenseV4UriResponse,
  'expense-v4-report-patch-unsubmitted-request.json': ExpenseV4ReportPatch,
  'expense-v4-report-patch-submitted-request.json': ExpenseV4SubmittedReportPatch,
  'expense-v4-reportstoapprove-response.json': ExpenseV4ReportToApprove.array(),
  'expense-v4-expenses-list-response.json': ExpenseV4ExpenseSummary.array(),
  'expense-v4-expense-get-response.json': ExpenseV4ExpenseDetail,
  'expense-v4-itemizations-list-response.json': ExpenseV4ExpenseSummary.array(),
  'expense-v4-workflow-approve-short-url-request.json': ExpenseV4ApproveBody,
  'expense-v4-workflow-approve-long-url-request.json': ExpenseV4ApproveBody,
  'expense-v4-report-comment-post-request.json': ExpenseV4CommentBody,
  'expense-v4-report-comment-post-response.json': ExpenseV4UriResponse,
  'expense-v4-expense-comments-get-response.json': ExpenseV4Comment.array(),
  'expense-v4-allocations-list-response.json': ExpenseV4Allocation.array(),
  'expense-v4-allocation-get-response.json': ExpenseV4Allocation,
  'expense-v4-allocation-patch-request.json': ExpenseV4AllocationPatch,
  'expense-v4-expense-attendees-get-response.json': ExpenseV4ExpenseAttendees,
  'expense-v4-expense-attendees-post-request.json': ExpenseV4ExpenseAttendeesInput,
  'expense-v4-expense-attendees-post-response.json': ExpenseV4UriResponse,
  'expense-v4-report-exceptions-get-response.json': ExpenseV4Exception.array(),
  'expense-v4-expense-exceptions-get-response.json': ExpenseV4Exception.array(),
  'expense-v4-allocation-exceptions-get-response.json': ExpenseV4Exception.array(),
  'expense-v4-report-exception-put-request.json': ExpenseV4ExceptionPut,
  'expense-v4-expense-comment-post-request.json': ExpenseV4CommentBody,
  'expense-v4-expense-comment-post-response.json': ExpenseV4UriResponse,
  'expense-v4-report-comment-put-request.json': ExpenseV4CommentBody,
  'expense-v4-report-comment-put-response.json': ExpenseV4UriResponse,
  'expense-v4-expense-patch-submitted-request.json': ExpenseV4ExpensePatch,
  'expense-v4-costobjectsforapprover-response.json': ExpenseV4CostObject.array(),
  'expense-v4-expense-tax-patch-request.json': ExpenseV4TaxPatch,
  'expense-v4-expense-taxes-get-response.json': ExpenseV4Taxes,
  'expense-v4-requestassociations-get-response.json': ExpenseV4RequestAssociations,
  'expense-v4-cashadvances-get-response.json': ExpenseV4CashAdvances,
  'expense-v4-cashadvances-post-request.json': ExpenseV4CashAdvancesPost,
  'expense-v4-cashadvances-post-response.json': ExpenseV4UriResponse,
  'expense-v4-report-formfields-response.json': ExpenseV4FormField.array().min(2),
  'expense-v4-expense-formfields-response.json': ExpenseV4FormField.array().min(2),
}

describe('Expense v4 schemas against the documented examples', () => {
  it('names a schema for every copied expense-v4 example', () => {
    const files = readdirSync(DIR).filter((f) => f.startsWith('expense-v4-'))
    expect(files.sort()).toEqual(Object.keys(SCHEMA_OF).sort())
  })

  for (const [file, schema] of Object.entries(SCHEMA_OF)) {
    it(`parses ${file}`, () => {
      const parsed = schema.safeParse(read(file))
      expect(parsed.success, parsed.success ? '' : parsed.error.message).toBe(true)
    })
  }

  it('keeps the documented values of the report sample', () => {
    const r = ExpenseV4Report.parse(read('expense-v4-report-get-response.json'))
    expect(r.approvalStatusId).toBe('A_NOTF')
    expect(r.claimedAmount).toEqual({ value: 525, currencyCode: 'USD' })
    expect(r.links?.[0]).toMatchObject({ rel: 'self', method: 'GET', isTemplated: false })
  })

  it('refuses part bodies Concur refuses', () => {
    expect(
      ExpenseV4ExceptionPut.safeParse({ exceptionCode: 'X', exceptionVisibility: 'NOBODY' }).success,
    ).toBe(false)
    expect(ExpenseV4ExpensePatch.safeParse({ businessPurpose: 'x' }).success).toBe(false) // expenseSource required
    expect(
      ExpenseV4ExpensePatch.safeParse({ expenseSource: 'UI', businessPurpose: 'x'.repeat(65) }).success,
    ).toBe(false)
    expect(ExpenseV4CashAdvancesPost.safeParse({ cashAdvanceIds: [''] }).success).toBe(false)
    expect(ExpenseV4TaxPatch.safeParse({ taxTransactionAmount: 'ten' }).success).toBe(false)
  })

  it('refuses bodies Concur refuses', () => {
    expect(ExpenseV4NewReport.safeParse({ name: 'x' }).success).toBe(false) // policyId required
    expect(ExpenseV4ReportPatch.safeParse({ name: 'x' }).success).toBe(false) // reportSource required
    expect(ExpenseV4SubmittedReportPatch.safeParse({ policyId: 'p' }).success).toBe(false)
    expect(ExpenseV4CommentBody.safeParse({ comment: '  ' }).success).toBe(false)
    expect(ExpenseV4NewReport.safeParse({ name: 'x', policyId: 'p', startDate: '2020-3-1' }).success).toBe(
      false,
    )
  })
})

describe('expenseV4ReportFromV3', () => {
  const v3 = {
    ID: 'ABCDEF0123456789ABCD',
    Name: 'Trip',
    Total: 120.5,
    TotalClaimedAmount: 120.5,
    TotalApprovedAmount: 100,
    CurrencyCode: 'EUR',
    Country: 'DE',
    CreateDate: '2024-05-01T10:00:00',
    SubmitDate: '2024-05-02T08:30:00',
    UserDefinedDate: '2024-04-30T00:00:00',
    ApprovalStatusCode: 'A_PEND',
    ApprovalStatusName: 'Submitted & Pending Approval',
    PaymentStatusCode: 'P_NOTP',
    PaymentStatusName: 'Not Paid',
    EverSentBack: false,
    Custom1: { Type: 'Text', Value: 'abc', Code: null, ListItemID: null },
  }

  it('maps names, amounts, dates and status into a valid v4 report', () => {
    const r = expenseV4ReportFromV3(v3, { userId: 'u-1', selfHref: 'https://x/r' })
    expect(ExpenseV4Report.safeParse(r).success).toBe(true)
    expect(r).toMatchObject({
      reportId: v3.ID,
      name: 'Trip',
      approvalStatusId: 'A_PEND',
      isSubmitted: true,
      canRecall: true,
      creationDate: '2024-05-01T10:00:00Z',
      submitDate: '2024-05-02T08:30:00Z',
      reportDate: '2024-04-30',
      claimedAmount: { value: 120.5, currencyCode: 'EUR' },
      amountNotApproved: { value: 20.5, currencyCode: 'EUR' },
      customData: [{ id: 'custom1', value: 'abc', isValid: true, listItemUrl: null }],
    })
  })

  it('says an unsubmitted report is neither submitted nor recallable', () => {
    const r = expenseV4ReportFromV3(
      { ...v3, ApprovalStatusCode: 'A_NOTF', SubmitDate: null },
      { userId: null, selfHref: 'h' },
    )
    expect(r).toMatchObject({ isSubmitted: false, canRecall: false, submitDate: null, canAddExpense: true })
  })
})
