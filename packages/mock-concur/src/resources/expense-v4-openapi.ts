import {
  EXPENSE_V4_SCOPES,
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
  ExpenseV4SendBackBody,
  ExpenseV4SubmittedReportPatch,
  ExpenseV4UriResponse,
} from '@concurkit/contract'
import type { z } from 'zod'

type Json = Record<string, unknown>

/** The Expense v4 schemas, by OpenAPI component name (registered by the document, referenced here). */
export const EXPENSE_V4_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  ExpenseV4Report,
  ExpenseV4NewReport,
  ExpenseV4ReportPatch,
  ExpenseV4SubmittedReportPatch,
  ExpenseV4UriResponse,
  ExpenseV4ReportToApprove,
  ExpenseV4ApproveBody,
  ExpenseV4SendBackBody,
  ExpenseV4ExpenseSummary,
  ExpenseV4ExpenseDetail,
  ExpenseV4Comment,
  ExpenseV4CommentBody,
  ExpenseV4Allocation,
  ExpenseV4AllocationPatch,
  ExpenseV4ExpenseAttendees,
  ExpenseV4ExpenseAttendeesInput,
  ExpenseV4Error,
}

const ref = (s: z.ZodType) => {
  const id = Object.entries(EXPENSE_V4_SCHEMAS).find(([, v]) => v === s)?.[0]
  if (!id) throw new Error('unregistered Expense v4 schema')
  return { $ref: `#/components/schemas/${id}` }
}

/**
 * The Expense v4 paths the mock serves, for the OpenAPI document (concur-api-v4 §3), with the
 * contract's `ExpenseV4*` schemas.
 */
export function expenseV4Paths(): Record<string, Record<string, Json>> {
  const json = (s: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: ref(s) } },
  })
  const array = (s: z.ZodType, description: string) => ({
    description,
    content: { 'application/json': { schema: { type: 'array', items: ref(s) } } },
  })
  const body = (s: z.ZodType, required = true) => ({
    required,
    content: { 'application/json': { schema: ref(s) }, 'application/merge-patch+json': { schema: ref(s) } },
  })
  const error = json(ExpenseV4Error, 'ErrorMessage.')
  const errors = { '400': error, '401': error, '403': error, '404': error }
  const conflict = { '409': error }
  const none = { description: 'No Content.' }
  const p = (name: string, where: 'path' | 'query' = 'path', description?: string) => ({
    name,
    in: where,
    required: where === 'path',
    schema: { type: 'string' },
    ...(description ? { description } : {}),
  })
  const long = [
    p('userId', 'path', 'Identity UUID of the user acted as'),
    p('contextType', 'path', 'TRAVELER | MANAGER | PROCESSOR | PROXY'),
  ]
  const report = [p('reportId')]
  const o = (id: string, summary: string, scope: string, rest: Json) => ({
    operationId: `expenseV4.${id}`,
    summary,
    tags: ['Expense v4'],
    security: [{ concurOAuth: [scope] }, { bearer: [] }],
    ...rest,
  })
  const { read, readwrite, workflow } = EXPENSE_V4_SCOPES
  const L = '/expensereports/v4/users/{userId}/context/{contextType}'
  const S = '/expensereports/v4/reports/{reportId}'
  return {
    [`${L}/reports`]: {
      post: o('createReport', 'Create a report as the user (TRAVELER, PROXY)', readwrite, {
        parameters: long,
        requestBody: body(ExpenseV4NewReport),
        responses: { '201': json(ExpenseV4UriResponse, 'The new report URI.'), ...errors },
      }),
    },
    [`${L}/reports/{reportId}`]: {
      get: o('getReport', 'One report as the user sees it in the context', read, {
        parameters: [...long, ...report],
        responses: { '200': json(ExpenseV4Report, 'ReportDetails.'), ...errors },
      }),
      patch: o('updateReport', 'JSON Merge Patch of an unsubmitted report', readwrite, {
        parameters: [...long, ...report],
        requestBody: body(ExpenseV4ReportPatch),
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [S]: {
      patch: o('updateSubmittedReport', 'JSON Merge Patch of a submitted report (company token)', readwrite, {
        parameters: report,
        requestBody: body(ExpenseV4SubmittedReportPatch),
        responses: { '204': none, ...errors, ...conflict },
      }),
      delete: o('deleteReport', 'Delete an unsubmitted report (company token)', readwrite, {
        parameters: report,
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${L}/reportsToApprove`]: {
      get: o('getReportsToApprove', 'Reports pending the user’s approval (MANAGER)', read, {
        parameters: [
          ...long,
          p(
            'sort',
            'query',
            'amountDueEmployee | claimedAmount | employeeFirstName | employeeLastName | name | reportDate | submitDate',
          ),
          p('order', 'query', 'asc | desc (default desc)'),
          p('includeDelegateApprovals', 'query', 'true | false'),
        ],
        responses: { '200': array(ExpenseV4ReportToApprove, 'ReportToApprove array.'), ...errors },
      }),
    },
    '/expensereports/v4/users/{userId}/reports/{reportId}/submit': {
      patch: o('submitReport', 'Submit the user’s report', workflow, {
        parameters: [p('userId'), ...report],
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${L}/reports/{reportId}/approve`]: {
      patch: o('approveReport', 'Approve as the approver (MANAGER, user token)', workflow, {
        parameters: [...long, ...report],
        requestBody: body(ExpenseV4ApproveBody, false),
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${L}/reports/{reportId}/sendBack`]: {
      patch: o('sendBackReport', 'Send back as the approver (MANAGER, user token)', workflow, {
        parameters: [...long, ...report],
        requestBody: body(ExpenseV4SendBackBody),
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${L}/reports/{reportId}/recall`]: {
      patch: o('recallReport', 'Recall a pending report (TRAVELER, PROXY, user token)', workflow, {
        parameters: [...long, ...report],
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${S}/approve`]: {
      patch: o('approveReportAsSystem', 'Approve a system step (company token)', workflow, {
        parameters: report,
        requestBody: body(ExpenseV4ApproveBody, false),
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${S}/sendBack`]: {
      patch: o('sendBackReportAsSystem', 'Send back a system step (company token)', workflow, {
        parameters: report,
        requestBody: body(ExpenseV4SendBackBody),
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${L}/reports/{reportId}/expenses`]: {
      get: o('getExpenses', 'Expenses of a report (TRAVELER, PROXY)', read, {
        parameters: [...long, ...report, p('includeItemizations', 'query', 'true | false (default false)')],
        responses: { '200': array(ExpenseV4ExpenseSummary, 'ReportExpenseSummary array.'), ...errors },
      }),
    },
    [`${L}/reports/{reportId}/expenses/{expenseId}`]: {
      get: o('getExpense', 'One expense (TRAVELER, PROXY)', read, {
        parameters: [...long, ...report, p('expenseId')],
        responses: { '200': json(ExpenseV4ExpenseDetail, 'ReportExpenseDetail.'), ...errors },
      }),
    },
    [`${L}/reports/{reportId}/expenses/{expenseId}/itemizations`]: {
      get: o('getItemizations', 'Itemizations of an expense (TRAVELER, PROXY)', read, {
        parameters: [...long, ...report, p('expenseId')],
        responses: { '200': array(ExpenseV4ExpenseSummary, 'ReportExpenseSummary array.'), ...errors },
      }),
    },
    [`${L}/reports/{reportId}/expenses/{expenseId}/allocations`]: {
      get: o('getAllocations', 'Allocations of an expense (TRAVELER, MANAGER, PROXY)', read, {
        parameters: [...long, ...report, p('expenseId')],
        responses: { '200': array(ExpenseV4Allocation, 'Allocation array.'), ...errors },
      }),
    },
    [`${L}/reports/{reportId}/allocations/{allocationId}`]: {
      get: o('getAllocation', 'One allocation', read, {
        parameters: [...long, ...report, p('allocationId')],
        responses: { '200': json(ExpenseV4Allocation, 'ReportAllocationResponse.'), ...errors },
      }),
      patch: o('updateAllocation', 'Set an allocation’s custom data (expenseIds required)', readwrite, {
        parameters: [...long, ...report, p('allocationId')],
        requestBody: body(ExpenseV4AllocationPatch),
        responses: { '204': none, ...errors },
      }),
    },
    [`${L}/reports/{reportId}/expenses/{expenseId}/attendees`]: {
      get: o('getExpenseAttendees', 'Attendees of an expense (TRAVELER, PROXY)', read, {
        parameters: [...long, ...report, p('expenseId')],
        responses: { '200': json(ExpenseV4ExpenseAttendees, 'ExpenseAttendeesWithAmounts.'), ...errors },
      }),
      post: o('addExpenseAttendees', 'Associate attendees with an expense (unsubmitted report)', readwrite, {
        parameters: [...long, ...report, p('expenseId')],
        requestBody: body(ExpenseV4ExpenseAttendeesInput),
        responses: { '201': json(ExpenseV4UriResponse, 'URI of the attendees.'), ...errors, ...conflict },
      }),
      delete: o('deleteExpenseAttendees', 'Remove every attendee of an expense', readwrite, {
        parameters: [...long, ...report, p('expenseId')],
        responses: { '204': none, ...errors, ...conflict },
      }),
    },
    [`${S}/expenses/{expenseId}/attendees`]: {
      get: o('getExpenseAttendeesAsSystem', 'Attendees of an expense (company token)', read, {
        parameters: [...report, p('expenseId')],
        responses: { '200': json(ExpenseV4ExpenseAttendees, 'ExpenseAttendeesWithAmounts.'), ...errors },
      }),
    },
    [`${L}/reports/{reportId}/comments`]: {
      get: o('getReportComments', 'Report comments (TRAVELER, MANAGER, PROXY)', read, {
        parameters: [...long, ...report, p('includeAllComments', 'query', 'true | false (default false)')],
        responses: { '200': array(ExpenseV4Comment, 'CommentDetails array.'), ...errors },
      }),
      post: o('addReportComment', 'Add a report comment', readwrite, {
        parameters: [...long, ...report],
        requestBody: body(ExpenseV4CommentBody),
        responses: { '201': json(ExpenseV4UriResponse, 'URI of the comments.'), ...errors },
      }),
    },
    [`${S}/comments`]: {
      get: o('getReportCommentsAsSystem', 'Report comments (company token)', read, {
        parameters: [...report, p('includeAllComments', 'query', 'true | false (default false)')],
        responses: { '200': array(ExpenseV4Comment, 'CommentDetails array.'), ...errors },
      }),
      post: o('addReportCommentAsSystem', 'Add a report comment (company token)', readwrite, {
        parameters: report,
        requestBody: body(ExpenseV4CommentBody),
        responses: { '201': json(ExpenseV4UriResponse, 'URI of the comments.'), ...errors },
      }),
    },
  }
}
