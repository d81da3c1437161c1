import {
  type EXPENSE_V4_APPROVAL_SORTS,
  EXPENSE_V4_BASE,
  ExpenseV4Allocation,
  type ExpenseV4AllocationPatch,
  type ExpenseV4ApproveBody,
  ExpenseV4Comment,
  type ExpenseV4ContextType,
  ExpenseV4ExpenseAttendees,
  type ExpenseV4ExpenseAttendeesInput,
  ExpenseV4ExpenseDetail,
  ExpenseV4ExpenseSummary,
  type ExpenseV4NewReport,
  ExpenseV4Report,
  type ExpenseV4ReportPatch,
  ExpenseV4ReportToApprove,
  type ExpenseV4SubmittedReportPatch,
  ExpenseV4UriResponse,
  IdentityListResponseV41,
  SCIM_SEARCH_REQUEST,
} from '@concurkit/contract'
import type { z } from 'zod'
import { CLIENT_ERROR_CODES, ConcurClientError, invalidArgument } from './errors.js'
import { type ExpenseV4PartsClient, expenseV4PartsClient } from './expense-v4-parts.js'
import type { RawResponse, SendRequest, Transport } from './http.js'
import { createLimit } from './limit.js'
import { parseJson, validateItem } from './parse.js'

/** A report through the long URL: acting as `userId` (Identity UUID) in `context` (default TRAVELER). */
export interface ExpenseV4ReportRef {
  readonly userId: string
  readonly reportId: string
  readonly context?: ExpenseV4ContextType
}

/** Options of every Expense v4 call. */
export interface ExpenseV4CallOptions {
  readonly signal?: AbortSignal
}

/** Options of {@link ExpenseV4Client.reports}. */
export interface ExpenseV4ReportsOptions extends ExpenseV4CallOptions {
  /** Detail reads in flight at once (default 8). */
  readonly concurrency?: number
  /** Report ids to skip (already extracted, e.g. when resuming). */
  readonly skip?: ReadonlySet<string>
}

/**
 * Expense v4 (`/expensereports/v4`): reports through the long URL (acting as a user, `userId` from
 * Identity) and the short URL (the system user, company token), the workflow actions, expenses,
 * itemizations and comments. Expense v4 cannot list reports: {@link ExpenseV4Client.reports}
 * discovers them through the v3.0 list (`user=ALL`, company token or administrator) and reads each
 * through v4.
 *
 * @example
 * const userId = await client.expenseV4.userIdOf('jane@example.com')
 * const { reportId } = await client.expenseV4.createReport(userId, { name: 'Trip', policyId })
 * await client.expenseV4.submit(userId, reportId)
 * @see https://developer.concur.com/api-reference/expense/expense-report/v4.reports.html
 */
export interface ExpenseV4Client extends ExpenseV4PartsClient {
  /** `GET …/users/{userId}/context/{context}/reports/{reportId}`. */
  report(ref: ExpenseV4ReportRef, options?: ExpenseV4CallOptions): Promise<ExpenseV4Report>
  /** `POST …/users/{userId}/context/{context}/reports` → the new report's id and URI. */
  createReport(
    userId: string,
    body: ExpenseV4NewReport,
    options?: ExpenseV4CallOptions & { context?: 'TRAVELER' | 'PROXY' },
  ): Promise<{ reportId: string; uri: string }>
  /** JSON Merge Patch of an unsubmitted report through the long URL (`reportSource` required). */
  updateReport(
    ref: ExpenseV4ReportRef,
    patch: ExpenseV4ReportPatch,
    options?: ExpenseV4CallOptions,
  ): Promise<void>
  /** JSON Merge Patch of a submitted report through the short URL (company token). */
  updateSubmittedReport(
    reportId: string,
    patch: ExpenseV4SubmittedReportPatch,
    options?: ExpenseV4CallOptions,
  ): Promise<void>
  /** Deletes an unsubmitted report (short URL, company token). */
  deleteReport(reportId: string, options?: ExpenseV4CallOptions): Promise<void>
  /** The reports pending `userId`'s approval (MANAGER context). */
  reportsToApprove(
    userId: string,
    options?: ExpenseV4CallOptions & {
      sort?: (typeof EXPENSE_V4_APPROVAL_SORTS)[number]
      order?: 'asc' | 'desc'
      includeDelegateApprovals?: boolean
    },
  ): Promise<ExpenseV4ReportToApprove[]>
  /** `PATCH …/users/{userId}/reports/{reportId}/submit`. */
  submit(userId: string, reportId: string, options?: ExpenseV4CallOptions): Promise<void>
  /** Approve as the approver (long URL, MANAGER, user token), or as the system user with `{ reportId }` only (company token). */
  approve(
    ref: ExpenseV4ReportRef | { reportId: string },
    body?: ExpenseV4ApproveBody,
    options?: ExpenseV4CallOptions,
  ): Promise<void>
  /** Send back with a comment (long URL as the approver, or short URL as the system user). */
  sendBack(
    ref: ExpenseV4ReportRef | { reportId: string },
    comment: string,
    options?: ExpenseV4CallOptions,
  ): Promise<void>
  /** Recall a pending report as its owner (long URL, TRAVELER, user token). */
  recall(ref: ExpenseV4ReportRef, options?: ExpenseV4CallOptions): Promise<void>
  /** The expenses of a report (with their itemizations when asked). */
  expenses(
    ref: ExpenseV4ReportRef,
    options?: ExpenseV4CallOptions & { includeItemizations?: boolean },
  ): Promise<ExpenseV4ExpenseSummary[]>
  expense(
    ref: ExpenseV4ReportRef,
    expenseId: string,
    options?: ExpenseV4CallOptions,
  ): Promise<ExpenseV4ExpenseDetail>
  itemizations(
    ref: ExpenseV4ReportRef,
    expenseId: string,
    options?: ExpenseV4CallOptions,
  ): Promise<ExpenseV4ExpenseSummary[]>
  /** The allocations of an expense. */
  allocations(
    ref: ExpenseV4ReportRef,
    expenseId: string,
    options?: ExpenseV4CallOptions,
  ): Promise<ExpenseV4Allocation[]>
  allocation(
    ref: ExpenseV4ReportRef,
    allocationId: string,
    options?: ExpenseV4CallOptions,
  ): Promise<ExpenseV4Allocation>
  /** Sets an allocation's custom data (`expenseIds` names the expenses it applies to). */
  updateAllocation(
    ref: ExpenseV4ReportRef,
    allocationId: string,
    body: ExpenseV4AllocationPatch,
    options?: ExpenseV4CallOptions,
  ): Promise<void>
  /** The attendees of an expense. */
  attendees(
    ref: ExpenseV4ReportRef,
    expenseId: string,
    options?: ExpenseV4CallOptions,
  ): Promise<ExpenseV4ExpenseAttendees>
  /** Associates attendees with an expense (an attendee already there is updated). */
  addAttendees(
    ref: ExpenseV4ReportRef,
    expenseId: string,
    body: ExpenseV4ExpenseAttendeesInput,
    options?: ExpenseV4CallOptions,
  ): Promise<void>
  /** Removes every attendee of an expense. */
  removeAttendees(ref: ExpenseV4ReportRef, expenseId: string, options?: ExpenseV4CallOptions): Promise<void>
  /** Report comments (`includeAllComments` adds the expenses' comments). */
  comments(
    ref: ExpenseV4ReportRef,
    options?: ExpenseV4CallOptions & { includeAllComments?: boolean },
  ): Promise<ExpenseV4Comment[]>
  addComment(ref: ExpenseV4ReportRef, comment: string, options?: ExpenseV4CallOptions): Promise<void>
  /** The Identity UUID of a login id (Identity v4.1 search, company token; cached per client). */
  userIdOf(loginId: string, options?: ExpenseV4CallOptions): Promise<string>
  /**
   * Every report of the company through Expense v4: discovered through the v3.0 list
   * (`user=ALL`), each owner's `userId` resolved through Identity once, each report read through
   * the long URL (TRAVELER) with at most `concurrency` reads in flight, in discovery order, each
   * report exactly once (a report deleted between discovery and read is skipped).
   */
  reports(options?: ExpenseV4ReportsOptions): AsyncIterable<ExpenseV4Report>
}

/** What the accessor needs from its client: the v3.0 report list to discover reports with. */
export interface ExpenseV4Discovery {
  /** The v3.0 reports of every user (id and owner login), in walk order. */
  listReports(
    signal?: AbortSignal,
  ): AsyncIterable<{ readonly ID: string; readonly OwnerLoginID?: string | null }>
}

const seg = (s: string, what: string) => {
  if (typeof s !== 'string' || s === '' || /[/?#]/.test(s)) invalidArgument(`${what} must be a non-empty id`)
  return encodeURIComponent(s)
}

/** The Expense v4 accessor over a client's transport. */
export function expenseV4Client(transport: Transport, discovery: ExpenseV4Discovery): ExpenseV4Client {
  const sig = (s?: AbortSignal) => (s ? { signal: s } : {})
  const parse =
    <T>(schema: z.ZodType<T>, where: string) =>
    (res: RawResponse) =>
      validateItem(schema, parseJson(res.body), where)
  const get = <T>(
    url: string,
    schema: z.ZodType<T>,
    where: string,
    query: SendRequest['query'],
    signal?: AbortSignal,
  ) =>
    transport.send(
      { url, accept: 'application/json', ...(query ? { query } : {}), ...sig(signal) },
      parse(schema, where),
    )
  const patch = async (url: string, body: unknown, signal?: AbortSignal) => {
    await transport.send(
      {
        method: 'PATCH',
        url,
        accept: 'application/json',
        ...(body === undefined ? {} : { contentType: 'application/json', body: JSON.stringify(body) }),
        ...sig(signal),
      },
      () => undefined,
    )
  }
  const long = (ref: ExpenseV4ReportRef) =>
    `${EXPENSE_V4_BASE}/users/${seg(ref.userId, 'userId')}/context/${ref.context ?? 'TRAVELER'}/reports/${seg(ref.reportId, 'reportId')}`
  const short = (reportId: string) => `${EXPENSE_V4_BASE}/reports/${seg(reportId, 'reportId')}`
  const isLong = (ref: ExpenseV4ReportRef | { reportId: string }): ref is ExpenseV4ReportRef =>
    'userId' in ref
  const userIds = new Map<string, Promise<string>>()

  const api: ExpenseV4Client = {
    // Exceptions, expense comments, form fields, taxes, cash advances, … (expense-v4-parts.ts).
    ...expenseV4PartsClient(transport),
    report: async (ref, o = {}) => get(long(ref), ExpenseV4Report, 'Expense v4 report', undefined, o.signal),
    async createReport(userId, body, o = {}) {
      const url = `${EXPENSE_V4_BASE}/users/${seg(userId, 'userId')}/context/${o.context ?? 'TRAVELER'}/reports`
      const { uri } = await transport.send(
        {
          method: 'POST',
          url,
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify(body),
          ...sig(o.signal),
        },
        parse(ExpenseV4UriResponse, 'Expense v4 create report'),
      )
      const reportId = uri.split('/').filter(Boolean).at(-1) ?? ''
      return { reportId, uri }
    },
    updateReport: async (ref, body, o = {}) => patch(long(ref), body, o.signal),
    updateSubmittedReport: async (reportId, body, o = {}) => patch(short(reportId), body, o.signal),
    async deleteReport(reportId, o = {}) {
      await transport.send({ method: 'DELETE', url: short(reportId), ...sig(o.signal) }, () => undefined)
    },
    reportsToApprove: async (userId, o = {}) =>
      get(
        `${EXPENSE_V4_BASE}/users/${seg(userId, 'userId')}/context/MANAGER/reportsToApprove`,
        ExpenseV4ReportToApprove.array(),
        'Expense v4 reportsToApprove',
        {
          sort: o.sort,
          order: o.order,
          includeDelegateApprovals: String(o.includeDelegateApprovals ?? false),
        },
        o.signal,
      ),
    submit: async (userId, reportId, o = {}) =>
      patch(
        `${EXPENSE_V4_BASE}/users/${seg(userId, 'userId')}/reports/${seg(reportId, 'reportId')}/submit`,
        undefined,
        o.signal,
      ),
    approve: async (ref, body = {}, o = {}) =>
      patch(
        `${isLong(ref) ? long({ ...ref, context: 'MANAGER' }) : short(ref.reportId)}/approve`,
        body,
        o.signal,
      ),
    sendBack: async (ref, comment, o = {}) => {
      if (typeof comment !== 'string' || comment.trim() === '') invalidArgument('sendBack needs a comment')
      return patch(
        `${isLong(ref) ? long({ ...ref, context: 'MANAGER' }) : short(ref.reportId)}/sendBack`,
        { comment },
        o.signal,
      )
    },
    recall: async (ref, o = {}) => patch(`${long(ref)}/recall`, undefined, o.signal),
    expenses: async (ref, o = {}) =>
      get(
        `${long(ref)}/expenses`,
        ExpenseV4ExpenseSummary.array(),
        'Expense v4 expenses',
        o.includeItemizations === undefined
          ? undefined
          : { includeItemizations: String(o.includeItemizations) },
        o.signal,
      ),
    expense: async (ref, expenseId, o = {}) =>
      get(
        `${long(ref)}/expenses/${seg(expenseId, 'expenseId')}`,
        ExpenseV4ExpenseDetail,
        'Expense v4 expense',
        undefined,
        o.signal,
      ),
    itemizations: async (ref, expenseId, o = {}) =>
      get(
        `${long(ref)}/expenses/${seg(expenseId, 'expenseId')}/itemizations`,
        ExpenseV4ExpenseSummary.array(),
        'Expense v4 itemizations',
        undefined,
        o.signal,
      ),
    allocations: async (ref, expenseId, o = {}) =>
      get(
        `${long(ref)}/expenses/${seg(expenseId, 'expenseId')}/allocations`,
        ExpenseV4Allocation.array(),
        'Expense v4 allocations',
        undefined,
        o.signal,
      ),
    allocation: async (ref, allocationId, o = {}) =>
      get(
        `${long(ref)}/allocations/${seg(allocationId, 'allocationId')}`,
        ExpenseV4Allocation,
        'Expense v4 allocation',
        undefined,
        o.signal,
      ),
    updateAllocation: async (ref, allocationId, body, o = {}) =>
      patch(`${long(ref)}/allocations/${seg(allocationId, 'allocationId')}`, body, o.signal),
    attendees: async (ref, expenseId, o = {}) =>
      get(
        `${long(ref)}/expenses/${seg(expenseId, 'expenseId')}/attendees`,
        ExpenseV4ExpenseAttendees,
        'Expense v4 attendees',
        undefined,
        o.signal,
      ),
    async addAttendees(ref, expenseId, body, o = {}) {
      await transport.send(
        {
          method: 'POST',
          url: `${long(ref)}/expenses/${seg(expenseId, 'expenseId')}/attendees`,
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify(body),
          ...sig(o.signal),
        },
        parse(ExpenseV4UriResponse, 'Expense v4 attendees'),
      )
    },
    async removeAttendees(ref, expenseId, o = {}) {
      await transport.send(
        {
          method: 'DELETE',
          url: `${long(ref)}/expenses/${seg(expenseId, 'expenseId')}/attendees`,
          ...sig(o.signal),
        },
        () => undefined,
      )
    },
    comments: async (ref, o = {}) =>
      get(
        `${long(ref)}/comments`,
        ExpenseV4Comment.array(),
        'Expense v4 comments',
        o.includeAllComments === undefined ? undefined : { includeAllComments: String(o.includeAllComments) },
        o.signal,
      ),
    async addComment(ref, comment, o = {}) {
      await transport.send(
        {
          method: 'POST',
          url: `${long(ref)}/comments`,
          accept: 'application/json',
          contentType: 'application/json',
          body: JSON.stringify({ comment }),
          ...sig(o.signal),
        },
        parse(ExpenseV4UriResponse, 'Expense v4 comment'),
      )
    },
    userIdOf(loginId, o = {}) {
      const key = loginId.toLowerCase()
      let found = userIds.get(key)
      if (!found) {
        found = (async () => {
          const page = await transport.send(
            {
              method: 'POST',
              url: 'profile/identity/v4.1/Users/.search',
              accept: 'application/json',
              contentType: 'application/json',
              body: JSON.stringify({
                schemas: [SCIM_SEARCH_REQUEST],
                filter: `userName eq "${loginId.replace(/["\\]/g, '\\$&')}"`,
                attributes: ['id'],
                count: 1,
              }),
              ...sig(o.signal),
            },
            parse(IdentityListResponseV41, 'Identity search'),
          )
          const id = page.Resources[0]?.id
          if (!id)
            throw new ConcurClientError(
              CLIENT_ERROR_CODES.INVALID_ARGUMENT,
              `no Identity user has the userName ${loginId}`,
            )
          return id
        })()
        userIds.set(key, found)
        // A failed lookup is not remembered: the next call asks again.
        found.catch(() => userIds.delete(key))
      }
      return found
    },
    async *reports(o = {}) {
      const limit = createLimit(o.concurrency ?? 8)
      const window: Promise<ExpenseV4Report | undefined>[] = []
      const max = (o.concurrency ?? 8) * 2
      const read = async (id: string, login: string) => {
        const userId = await api.userIdOf(login, o)
        try {
          return await api.report({ userId, reportId: id }, o)
        } catch (err) {
          // Deleted between discovery and read: nothing to extract.
          if ((err as { status?: number }).status === 404) return undefined
          throw err
        }
      }
      for await (const r of discovery.listReports(o.signal)) {
        if (o.skip?.has(r.ID)) continue
        if (!r.OwnerLoginID)
          throw new ConcurClientError(
            CLIENT_ERROR_CODES.INVALID_RESPONSE,
            `report ${r.ID} has no OwnerLoginID`,
          )
        const login = r.OwnerLoginID
        const task = limit(() => read(r.ID, login))
        // Awaited in order below; this only keeps a failure from being reported as unhandled first.
        task.catch(() => {})
        window.push(task)
        if (window.length >= max) {
          const next = await window.shift()!
          if (next) yield next
        }
      }
      while (window.length > 0) {
        const next = await window.shift()!
        if (next) yield next
      }
    },
  }
  return api
}
