import {
  EXPENSE_V4_BASE,
  EXPENSE_V4_SCOPES,
  EXPENSE_V4_TAX_SCOPE,
  ExpenseV4Allocation,
  ExpenseV4AllocationPatch,
  ExpenseV4ApproveBody,
  ExpenseV4CashAdvances,
  ExpenseV4CashAdvancesPost,
  ExpenseV4Comment,
  ExpenseV4CommentBody,
  ExpenseV4CostObject,
  ExpenseV4Error,
  ExpenseV4Exception,
  ExpenseV4ExceptionPut,
  ExpenseV4ExpenseAttendees,
  ExpenseV4ExpenseAttendeesInput,
  ExpenseV4ExpenseDetail,
  ExpenseV4ExpensePatch,
  ExpenseV4ExpenseSummary,
  ExpenseV4FormField,
  ExpenseV4NewReport,
  ExpenseV4Report,
  ExpenseV4ReportPatch,
  ExpenseV4ReportToApprove,
  ExpenseV4RequestAssociations,
  ExpenseV4SendBackBody,
  ExpenseV4SubmittedReportPatch,
  ExpenseV4Taxes,
  ExpenseV4TaxPatch,
  ExpenseV4UriResponse,
} from '@concurkit/contract'
import type { z } from 'zod'
import { componentRef } from '../openapi/family-schemas.js'

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
  ExpenseV4Exception,
  ExpenseV4ExceptionPut,
  ExpenseV4FormField,
  ExpenseV4Taxes,
  ExpenseV4TaxPatch,
  ExpenseV4CashAdvances,
  ExpenseV4CashAdvancesPost,
  ExpenseV4RequestAssociations,
  ExpenseV4CostObject,
  ExpenseV4ExpensePatch,
}

const ref = componentRef(EXPENSE_V4_SCHEMAS, 'Expense v4')

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
  const paths: Record<string, Record<string, Json>> = {
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
    // The registry row's path (`{ReportID}`: the v3.0 report ID the row fans out from).
    [`${EXPENSE_V4_BASE}/reports/{ReportID}`]: {
      get: o(
        'getReportAsSystem',
        'One report as the system user (company token; UNVERIFIED: not in the reference)',
        read,
        {
          parameters: [p('ReportID')],
          responses: { '200': json(ExpenseV4Report, 'ReportDetails.'), ...errors },
        },
      ),
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
  const merge = (path: string, ops: Record<string, Json>) => {
    paths[path] = { ...(paths[path] ?? {}), ...ops }
  }
  const expense = [...report, p('expenseId')]
  const allocation = [...expense, p('allocationId')]
  const code = p('exceptionCode')
  const ok200 = { description: 'OK (no content).' }
  // Exceptions: GET long and short; PUT and DELETE on the short URLs (company token).
  const exceptionOps = (
    id: string,
    what: string,
    params: Json[],
    query: Json[],
  ): [Record<string, Json>, Record<string, Json>, Record<string, Json>] => [
    {
      get: o(`get${id}Exceptions`, `Exceptions of ${what} (TRAVELER, PROXY)`, read, {
        parameters: [...long, ...params, ...query],
        responses: { '200': array(ExpenseV4Exception, 'ReportException array.'), ...errors },
      }),
    },
    {
      get: o(`get${id}ExceptionsAsSystem`, `Exceptions of ${what} (company token)`, read, {
        parameters: [...params, ...query],
        responses: { '200': array(ExpenseV4Exception, 'ReportException array.'), ...errors },
      }),
      put: o(`put${id}Exception`, `Add an exception to ${what} (company token)`, readwrite, {
        parameters: params,
        requestBody: body(ExpenseV4ExceptionPut),
        responses: { '200': ok200, ...errors },
      }),
    },
    {
      delete: o(`delete${id}Exception`, `Remove an exception of ${what} (company token)`, readwrite, {
        parameters: [...params, code],
        responses: { '204': none, ...errors },
      }),
    },
  ]
  for (const [id, what, tail, params, query] of [
    [
      'Report',
      'a report',
      '/exceptions',
      report,
      [p('excludeExpenses', 'query', 'true | false (default false)')],
    ],
    [
      'Expense',
      'an expense',
      '/expenses/{expenseId}/exceptions',
      expense,
      [p('excludeItemizations', 'query', 'true | false (default false)')],
    ],
    [
      'Allocation',
      'an allocation',
      '/expenses/{expenseId}/allocations/{allocationId}/exceptions',
      allocation,
      [],
    ],
  ] as const) {
    const [longOps, shortOps, deleteOps] = exceptionOps(id, what, [...params], [...query])
    merge(`${L}/reports/{reportId}${tail}`, longOps)
    merge(`${S}${tail}`, shortOps)
    merge(`${S}${tail}/{exceptionCode}`, deleteOps)
  }
  // Comments: PUT/DELETE of the latest report comment; expense comments.
  const commentOps = (id: string, what: string, params: Json[], system: boolean) => ({
    put: o(
      `update${id}Comment${system ? 'AsSystem' : ''}`,
      `Change the latest comment of ${what}`,
      readwrite,
      {
        parameters: params,
        requestBody: body(ExpenseV4CommentBody),
        responses: { '200': json(ExpenseV4UriResponse, 'URI of the comments.'), ...errors },
      },
    ),
    delete: o(
      `delete${id}Comment${system ? 'AsSystem' : ''}`,
      `Delete the latest comment of ${what}`,
      readwrite,
      {
        parameters: params,
        responses: { '204': none, ...errors },
      },
    ),
  })
  merge(`${L}/reports/{reportId}/comments`, commentOps('Report', 'a report', [...long, ...report], false))
  merge(`${S}/comments`, commentOps('Report', 'a report', report, true))
  for (const [path, params, system] of [
    [`${L}/reports/{reportId}/expenses/{expenseId}/comments`, [...long, ...expense], false],
    [`${S}/expenses/{expenseId}/comments`, expense, true],
  ] as const) {
    const suffix = system ? 'AsSystem' : ''
    merge(path, {
      get: o(`getExpenseComments${suffix}`, 'Comments of an expense', read, {
        parameters: [...params],
        responses: { '200': array(ExpenseV4Comment, 'CommentDetails array.'), ...errors },
      }),
      post: o(`addExpenseComment${suffix}`, 'Add a comment to an expense', readwrite, {
        parameters: [...params],
        requestBody: body(ExpenseV4CommentBody),
        responses: { '201': json(ExpenseV4UriResponse, 'URI of the comments.'), ...errors },
      }),
      ...commentOps('Expense', 'an expense', [...params], system),
    })
  }
  merge(`${S}/formFields`, {
    get: o('getReportFormFields', 'Report form fields (company token)', read, {
      parameters: [...report, p('policyId', 'query')],
      responses: { '200': array(ExpenseV4FormField, 'FormField array.'), ...errors },
    }),
  })
  merge(`${S}/expenses/{expenseId}/formFields`, {
    get: o('getExpenseFormFields', 'Expense form fields (company token)', read, {
      parameters: [...expense, p('expenseTypeId', 'query')],
      responses: { '200': array(ExpenseV4FormField, 'FormField array.'), ...errors },
    }),
  })
  merge(`${S}/expenses/{expenseId}/taxes`, {
    get: o('getExpenseTaxes', 'Taxes of an expense (company token)', read, {
      parameters: expense,
      responses: { '200': json(ExpenseV4Taxes, 'Expense taxes.'), ...errors },
    }),
  })
  merge(`${S}/expenses/{expenseId}/tax/{taxAuthorityId}`, {
    patch: o(
      'updateExpenseTax',
      'JSON Merge Patch of one tax authority’s tax (company token)',
      EXPENSE_V4_TAX_SCOPE,
      {
        parameters: [...expense, p('taxAuthorityId')],
        requestBody: body(ExpenseV4TaxPatch),
        responses: { '204': none, ...errors, ...conflict },
      },
    ),
  })
  merge(`${S}/cashAdvances`, {
    get: o('getCashAdvances', 'Cash advances of a report (company token)', read, {
      parameters: report,
      responses: { '200': json(ExpenseV4CashAdvances, 'Cash advance associations.'), ...errors },
    }),
    post: o(
      'setCashAdvances',
      'Replace the cash advances of an unsubmitted report (company token)',
      readwrite,
      {
        parameters: report,
        requestBody: body(ExpenseV4CashAdvancesPost),
        responses: { '201': json(ExpenseV4UriResponse, 'URI of the cash advances.'), ...errors, ...conflict },
      },
    ),
    delete: o(
      'deleteCashAdvances',
      'Remove cash advances from an unsubmitted report (company token)',
      readwrite,
      {
        parameters: [...report, { ...p('cashAdvanceIds', 'query', 'comma-separated ids'), required: true }],
        responses: { '204': none, ...errors, ...conflict },
      },
    ),
  })
  merge(`${L}/reports/{reportId}/requestassociations`, {
    get: o('getRequestAssociations', 'Travel requests of a report (any context)', read, {
      parameters: [...long, ...report],
      responses: { '200': json(ExpenseV4RequestAssociations, 'Request associations.'), ...errors },
    }),
  })
  merge('/expensereports/v4/users/{userId}/reports/{reportId}/costObjectsForApprover', {
    get: o('getCostObjectsForApprover', 'Cost objects of a report for its approver', read, {
      parameters: [p('userId'), ...report],
      responses: { '200': array(ExpenseV4CostObject, 'Cost objects.'), ...errors },
    }),
  })
  merge(`${S}/expenses/{expenseId}`, {
    patch: o(
      'updateSubmittedExpense',
      'JSON Merge Patch of an expense of a submitted report (company token)',
      readwrite,
      {
        parameters: expense,
        requestBody: body(ExpenseV4ExpensePatch),
        responses: { '204': none, ...errors, ...conflict },
      },
    ),
    delete: o('deleteExpense', 'Delete an expense of an unsubmitted report (company token)', readwrite, {
      parameters: expense,
      responses: { '204': none, ...errors, ...conflict },
    }),
  })
  return paths
}
