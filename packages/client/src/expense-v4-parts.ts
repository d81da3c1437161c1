import {
  EXPENSE_V4_BASE,
  ExpenseV4CashAdvances,
  ExpenseV4Comment,
  type ExpenseV4ContextType,
  ExpenseV4CostObject,
  ExpenseV4Exception,
  type ExpenseV4ExceptionPut,
  type ExpenseV4ExpensePatch,
  ExpenseV4FormField,
  ExpenseV4RequestAssociations,
  type ExpenseV4Tax,
  ExpenseV4Taxes,
  type ExpenseV4TaxPatch,
  ExpenseV4UriResponse,
} from '@concurkit/contract'
import type { z } from 'zod'
import { invalidArgument } from './errors.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { parseJson, validateItem } from './parse.js'

/**
 * Which URL a call uses: the long URL when `userId` is given (acting as that user in `context`,
 * default TRAVELER), the short URL (system user, company token) with `reportId` only.
 */
export type ExpenseV4Target =
  | { readonly userId: string; readonly reportId: string; readonly context?: ExpenseV4ContextType }
  | { readonly reportId: string }

/** Where an exception is: on the report, on one expense, or on one allocation of an expense. */
export interface ExpenseV4ExceptionScope {
  readonly expenseId?: string
  readonly allocationId?: string
}

interface CallOptions {
  readonly signal?: AbortSignal
}

/**
 * The Expense v4 parts of a report beyond its expenses, allocations and attendees: exceptions,
 * expense comments and the latest-comment PUT/DELETE, form fields, taxes, cash advances, request
 * associations, cost objects for an approver, and the short-URL PATCH/DELETE of an expense.
 *
 * @example
 * const list = await client.expenseV4.exceptions({ reportId })            // system user
 * await client.expenseV4.putException(reportId, { exceptionCode: 'AUDIT1', exceptionVisibility: 'PROCESSOR' })
 * await client.expenseV4.updateLatestComment({ userId, reportId }, 'Corrected')
 */
export interface ExpenseV4PartsClient {
  /** Exceptions of a report (`excludeExpenses` keeps the report-level ones). */
  exceptions(
    target: ExpenseV4Target,
    options?: CallOptions & { excludeExpenses?: boolean },
  ): Promise<ExpenseV4Exception[]>
  /** Exceptions of an expense (`excludeItemizations` leaves out its itemizations'). */
  expenseExceptions(
    target: ExpenseV4Target,
    expenseId: string,
    options?: CallOptions & { excludeItemizations?: boolean },
  ): Promise<ExpenseV4Exception[]>
  allocationExceptions(
    target: ExpenseV4Target,
    expenseId: string,
    allocationId: string,
    options?: CallOptions,
  ): Promise<ExpenseV4Exception[]>
  /** Adds an exception (or changes its visibility) on the report, an expense or an allocation (company token). */
  putException(
    reportId: string,
    body: ExpenseV4ExceptionPut,
    scope?: ExpenseV4ExceptionScope,
    options?: CallOptions,
  ): Promise<void>
  /** Removes an exception by code (company token). */
  deleteException(
    reportId: string,
    exceptionCode: string,
    scope?: ExpenseV4ExceptionScope,
    options?: CallOptions,
  ): Promise<void>
  /** Comments of an expense. */
  expenseComments(
    target: ExpenseV4Target,
    expenseId: string,
    options?: CallOptions,
  ): Promise<ExpenseV4Comment[]>
  addExpenseComment(
    target: ExpenseV4Target,
    expenseId: string,
    comment: string,
    options?: CallOptions,
  ): Promise<void>
  /** Changes the latest comment of the report (or of `expenseId`). */
  updateLatestComment(
    target: ExpenseV4Target,
    comment: string,
    options?: CallOptions & { expenseId?: string },
  ): Promise<void>
  /** Deletes the latest comment of the report (or of `expenseId`). */
  deleteLatestComment(target: ExpenseV4Target, options?: CallOptions & { expenseId?: string }): Promise<void>
  reportFormFields(
    reportId: string,
    options?: CallOptions & { policyId?: string },
  ): Promise<ExpenseV4FormField[]>
  expenseFormFields(
    reportId: string,
    expenseId: string,
    options?: CallOptions & { expenseTypeId?: string },
  ): Promise<ExpenseV4FormField[]>
  taxes(reportId: string, expenseId: string, options?: CallOptions): Promise<ExpenseV4Tax[]>
  /** JSON Merge Patch of one tax authority's tax (needs `expense.report.tax.readwrite`). */
  updateTax(
    reportId: string,
    expenseId: string,
    taxAuthorityId: string,
    patch: ExpenseV4TaxPatch,
    options?: CallOptions,
  ): Promise<void>
  cashAdvances(reportId: string, options?: CallOptions): Promise<string[]>
  /** Replaces every cash advance of the report with `cashAdvanceIds`. */
  setCashAdvances(reportId: string, cashAdvanceIds: readonly string[], options?: CallOptions): Promise<void>
  removeCashAdvances(
    reportId: string,
    cashAdvanceIds: readonly string[],
    options?: CallOptions,
  ): Promise<void>
  /** Ids of the travel requests the report is associated with (long URL). */
  requestAssociations(
    ref: { userId: string; reportId: string; context?: ExpenseV4ContextType },
    options?: CallOptions,
  ): Promise<string[]>
  costObjectsForApprover(
    userId: string,
    reportId: string,
    options?: CallOptions,
  ): Promise<ExpenseV4CostObject[]>
  /** JSON Merge Patch of an expense of a submitted report (short URL, company token). */
  updateSubmittedExpense(
    reportId: string,
    expenseId: string,
    patch: ExpenseV4ExpensePatch,
    options?: CallOptions,
  ): Promise<void>
  /** Deletes an expense of an unsubmitted report (short URL, company token). */
  deleteExpense(reportId: string, expenseId: string, options?: CallOptions): Promise<void>
}

const seg = (s: string, what: string) => {
  if (typeof s !== 'string' || s === '' || /[/?#]/.test(s)) invalidArgument(`${what} must be a non-empty id`)
  return encodeURIComponent(s)
}

/** The parts accessor over a client's transport (merged into `client.expenseV4`). */
export function expenseV4PartsClient(transport: Transport): ExpenseV4PartsClient {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  const parse =
    <T>(schema: z.ZodType<T>, where: string) =>
    (res: RawResponse) =>
      validateItem(schema, parseJson(res.body), where)
  const get = <T>(
    url: string,
    schema: z.ZodType<T>,
    where: string,
    query?: SendRequest['query'],
    signal?: AbortSignal,
  ) =>
    transport.send(
      { url, accept: 'application/json', ...(query ? { query } : {}), ...sig(signal) },
      parse(schema, where),
    )
  const send = async (
    method: 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body: unknown,
    signal?: AbortSignal,
    idempotent?: boolean,
  ) => {
    await transport.send(
      {
        method,
        url,
        ...(idempotent === undefined ? {} : { idempotent }),
        accept: 'application/json',
        ...(body === undefined ? {} : { contentType: 'application/json', body: JSON.stringify(body) }),
        ...sig(signal),
      },
      () => undefined,
    )
  }
  const base = (t: ExpenseV4Target) =>
    'userId' in t
      ? `${EXPENSE_V4_BASE}/users/${seg(t.userId, 'userId')}/context/${t.context ?? 'TRAVELER'}/reports/${seg(t.reportId, 'reportId')}`
      : `${EXPENSE_V4_BASE}/reports/${seg(t.reportId, 'reportId')}`
  const short = (reportId: string) => base({ reportId })
  const exceptionPath = (reportId: string, scope: ExpenseV4ExceptionScope = {}) => {
    if (scope.allocationId !== undefined && scope.expenseId === undefined)
      invalidArgument('an allocation exception needs its expenseId')
    let p = short(reportId)
    if (scope.expenseId !== undefined) p += `/expenses/${seg(scope.expenseId, 'expenseId')}`
    if (scope.allocationId !== undefined) p += `/allocations/${seg(scope.allocationId, 'allocationId')}`
    return `${p}/exceptions`
  }
  const commentsPath = (t: ExpenseV4Target, expenseId?: string) =>
    `${base(t)}${expenseId === undefined ? '' : `/expenses/${seg(expenseId, 'expenseId')}`}/comments`
  const bool = (v: boolean | undefined, name: string) => (v === undefined ? undefined : { [name]: String(v) })
  const ids = (list: readonly string[]) => {
    if (!Array.isArray(list) || list.length === 0) invalidArgument('cashAdvanceIds must be a non-empty list')
    for (const id of list) seg(id, 'cashAdvanceId')
    return list
  }

  return {
    exceptions: (t, o = {}) =>
      get(
        `${base(t)}/exceptions`,
        ExpenseV4Exception.array(),
        'Expense v4 exceptions',
        bool(o.excludeExpenses, 'excludeExpenses'),
        o.signal,
      ),
    expenseExceptions: (t, expenseId, o = {}) =>
      get(
        `${base(t)}/expenses/${seg(expenseId, 'expenseId')}/exceptions`,
        ExpenseV4Exception.array(),
        'Expense v4 exceptions',
        bool(o.excludeItemizations, 'excludeItemizations'),
        o.signal,
      ),
    allocationExceptions: (t, expenseId, allocationId, o = {}) =>
      get(
        `${base(t)}/expenses/${seg(expenseId, 'expenseId')}/allocations/${seg(allocationId, 'allocationId')}/exceptions`,
        ExpenseV4Exception.array(),
        'Expense v4 exceptions',
        undefined,
        o.signal,
      ),
    putException: (reportId, body, scope, o = {}) =>
      send('PUT', exceptionPath(reportId, scope), body, o.signal),
    deleteException: (reportId, code, scope, o = {}) =>
      send('DELETE', `${exceptionPath(reportId, scope)}/${seg(code, 'exceptionCode')}`, undefined, o.signal),
    expenseComments: (t, expenseId, o = {}) =>
      get(commentsPath(t, expenseId), ExpenseV4Comment.array(), 'Expense v4 comments', undefined, o.signal),
    async addExpenseComment(t, expenseId, comment, o = {}) {
      await transport.send(
        {
          method: 'POST',
          url: commentsPath(t, expenseId),
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify({ comment }),
          ...sig(o.signal),
        },
        parse(ExpenseV4UriResponse, 'Expense v4 comment'),
      )
    },
    async updateLatestComment(t, comment, o = {}) {
      await transport.send(
        {
          method: 'PUT',
          url: commentsPath(t, o.expenseId),
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify({ comment }),
          ...sig(o.signal),
        },
        parse(ExpenseV4UriResponse, 'Expense v4 comment'),
      )
    },
    // Never sent twice: a second DELETE would remove the comment before the latest.
    deleteLatestComment: (t, o = {}) =>
      send('DELETE', commentsPath(t, o.expenseId), undefined, o.signal, false),
    reportFormFields: (reportId, o = {}) =>
      get(
        `${short(reportId)}/formFields`,
        ExpenseV4FormField.array(),
        'Expense v4 form fields',
        o.policyId === undefined ? undefined : { policyId: o.policyId },
        o.signal,
      ),
    expenseFormFields: (reportId, expenseId, o = {}) =>
      get(
        `${short(reportId)}/expenses/${seg(expenseId, 'expenseId')}/formFields`,
        ExpenseV4FormField.array(),
        'Expense v4 form fields',
        o.expenseTypeId === undefined ? undefined : { expenseTypeId: o.expenseTypeId },
        o.signal,
      ),
    taxes: async (reportId, expenseId, o = {}) =>
      (
        await get(
          `${short(reportId)}/expenses/${seg(expenseId, 'expenseId')}/taxes`,
          ExpenseV4Taxes,
          'Expense v4 taxes',
          undefined,
          o.signal,
        )
      ).expenseTaxes,
    updateTax: (reportId, expenseId, taxAuthorityId, patch, o = {}) =>
      send(
        'PATCH',
        `${short(reportId)}/expenses/${seg(expenseId, 'expenseId')}/tax/${seg(taxAuthorityId, 'taxAuthorityId')}`,
        patch,
        o.signal,
      ),
    cashAdvances: async (reportId, o = {}) =>
      (
        await get(
          `${short(reportId)}/cashAdvances`,
          ExpenseV4CashAdvances,
          'Expense v4 cash advances',
          undefined,
          o.signal,
        )
      ).cashAdvances.map((a) => a.id),
    async setCashAdvances(reportId, cashAdvanceIds, o = {}) {
      if (!Array.isArray(cashAdvanceIds)) invalidArgument('cashAdvanceIds must be a list')
      await transport.send(
        {
          method: 'POST',
          url: `${short(reportId)}/cashAdvances`,
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify({ cashAdvanceIds }),
          ...sig(o.signal),
        },
        parse(ExpenseV4UriResponse, 'Expense v4 cash advances'),
      )
    },
    async removeCashAdvances(reportId, cashAdvanceIds, o = {}) {
      await transport.send(
        {
          method: 'DELETE',
          url: `${short(reportId)}/cashAdvances`,
          query: { cashAdvanceIds: ids(cashAdvanceIds).join(',') },
          ...sig(o.signal),
        },
        () => undefined,
      )
    },
    requestAssociations: async (ref, o = {}) =>
      (
        await get(
          `${base(ref)}/requestassociations`,
          ExpenseV4RequestAssociations,
          'Expense v4 request associations',
          undefined,
          o.signal,
        )
      ).requests.map((r) => r.id),
    costObjectsForApprover: (userId, reportId, o = {}) =>
      get(
        `${EXPENSE_V4_BASE}/users/${seg(userId, 'userId')}/reports/${seg(reportId, 'reportId')}/costObjectsForApprover`,
        ExpenseV4CostObject.array(),
        'Expense v4 cost objects',
        undefined,
        o.signal,
      ),
    updateSubmittedExpense: (reportId, expenseId, patch, o = {}) =>
      send('PATCH', `${short(reportId)}/expenses/${seg(expenseId, 'expenseId')}`, patch, o.signal),
    deleteExpense: (reportId, expenseId, o = {}) =>
      send('DELETE', `${short(reportId)}/expenses/${seg(expenseId, 'expenseId')}`, undefined, o.signal),
  }
}
