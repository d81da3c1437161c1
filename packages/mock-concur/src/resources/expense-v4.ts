import {
  EXPENSE_V4_BASE,
  EXPENSE_V4_CONTEXTS,
  EXPENSE_V4_SCOPES,
  ExpenseV4AllocationPatch,
  ExpenseV4ApproveBody,
  ExpenseV4CommentBody,
  ExpenseV4ContextType,
  type ExpenseV4CustomDataInput,
  ExpenseV4ExpenseAttendeesInput,
  ExpenseV4NewReport,
  ExpenseV4ReportPatch,
  ExpenseV4ReportsToApproveQuery,
  type ExpenseV4ReportToApprove,
  type ExpenseV4Scope,
  ExpenseV4SendBackBody,
  ExpenseV4SubmittedReportPatch,
  getResource,
  PENDING_APPROVAL_STATUSES,
  UNSUBMITTED_APPROVAL_STATUSES,
} from '@concurkit/contract'
import { v3DateOf } from '@concurkit/contract/internal'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import type { z } from 'zod'
import type { MockCompany, MockUser } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf, userOf } from '../dataset/dataset.js'
import { policyId } from '../dataset/expense.js'
import { providerOf } from '../dataset/providers.js'
import { COUNTRIES, GROUP_CONFIGS } from '../dataset/tables.js'
import { ConcurHttpError } from '../http/errors.js'
import { requestHeader } from '../http/headers.js'
import { requireToken } from '../oauth/guard.js'
import type { Principal } from '../principal.js'
import type { MockState } from '../state.js'
import { itemKeys, overlaysOf } from './engine.js'
import { expenseV4PartRoutes } from './expense-v4-parts.js'
import {
  allocationV4,
  approverOf,
  commentV4,
  expenseAttendeeV4,
  expenseDetailV4,
  expenseSummaryV4,
  type FoundReport,
  findReport,
  ownerOf,
  reportExtras,
  reportLongUrl,
  reportToApprove,
  reportV4,
  scanAll,
  setReportExtras,
} from './expense-v4-view.js'
import { identityIndexOf } from './identity-users.js'
import { reportWorkflowAction, type WorkflowActionName } from './legacy/workflow.js'
import type { RowProvider } from './row-provider.js'
import { buildCreated, type FoundRecord, findRecord, nextCreatedId, stampModified } from './writes.js'

/** Approval statuses in which a report is still the traveler's to edit, submit or delete. */
export const UNSUBMITTED = new Set<string>(UNSUBMITTED_APPROVAL_STATUSES)
/** Approval statuses of a report waiting for an approver. */
export const PENDING = new Set<string>(PENDING_APPROVAL_STATUSES)

const L = `${EXPENSE_V4_BASE}/users/:userId/context/:contextType`
const S = `${EXPENSE_V4_BASE}/reports/:reportId`

/**
 * Whether the token carries an Expense v4 scope: `readwrite` also reads; the mock's apps hold
 * Connect scopes, so `EXPRPT` stands for all three (as `LIST` does for List v4).
 */
function requireScope(p: Principal, scope: ExpenseV4Scope): void {
  const s = p.scopes as ReadonlySet<string>
  if (s.has(scope) || s.has('EXPRPT')) return
  if (scope === EXPENSE_V4_SCOPES.read && s.has(EXPENSE_V4_SCOPES.readwrite)) return
  throw new ConcurHttpError(403, `Forbidden: the access token lacks the ${scope} scope`)
}

export function guard(ctx: DcContext, scope: ExpenseV4Scope): MiddlewareHandler<MockEnv> {
  const token = requireToken(ctx)
  return (c, next) =>
    token(c, async () => {
      requireScope(c.get('principal'), scope)
      await next()
    })
}

/** Who a long URL acts as: the `userId` user, in `contextType`. */
export interface Acting {
  readonly principal: Principal
  readonly company: MockCompany
  readonly user: MockUser
  readonly context: ExpenseV4ContextType
  readonly origin: string
}

/**
 * Resolves `userId` and `contextType` of a long URL. Unknown user → 404; a user token naming
 * another user → 403; a `contextType` that is not one of the four → 400; one the operation does
 * not take → 403.
 */
export function acting(
  state: MockState,
  c: Context<MockEnv>,
  allowed: readonly ExpenseV4ContextType[] | null,
): Acting {
  const principal = c.get('principal')
  const company = principal.company
  const userId = c.req.param('userId') ?? ''
  const ds = datasetOf(state.options.seed, company)
  const index = identityIndexOf(ds, userId)
  if (index === undefined) throw new ConcurHttpError(404, `User ${userId} was not found`)
  if (principal.type === 'user' && principal.user?.index !== index)
    throw new ConcurHttpError(403, 'Forbidden: a user access token can only act as its own user')
  let context: ExpenseV4ContextType = 'TRAVELER'
  if (allowed) {
    const raw = c.req.param('contextType') ?? ''
    const parsed = ExpenseV4ContextType.safeParse(raw)
    if (!parsed.success)
      throw new ConcurHttpError(
        400,
        `Invalid contextType '${raw}': expected TRAVELER, MANAGER, PROCESSOR or PROXY`,
      )
    if (!allowed.includes(parsed.data))
      throw new ConcurHttpError(
        403,
        `Forbidden: contextType ${parsed.data} is not allowed for this operation (allowed: ${allowed.join(', ')})`,
      )
    context = parsed.data
  }
  return { principal, company, user: userOf(ds, index), context, origin: new URL(c.req.url).origin }
}

/** The report of a request, or 404. */
export function reportOf(state: MockState, company: MockCompany, reportId: string): FoundReport {
  const report = findReport(state, company, reportId)
  if (!report) throw new ConcurHttpError(404, `Report ${reportId} was not found`)
  return report
}

/**
 * Whether the acting user may see the report in their context: TRAVELER and PROXY only their own
 * reports, MANAGER the reports they approve (or approved), PROCESSOR any report when the user is a
 * processor (the mock's Web Services Administrators). 403 otherwise.
 */
export function checkVisible(report: FoundReport, who: Acting): void {
  const idx = who.user.index
  const ok =
    who.context === 'TRAVELER' || who.context === 'PROXY'
      ? ownerOf(report) === idx
      : who.context === 'MANAGER'
        ? approverOf(report) === idx
        : who.user.roles.includes('WebServicesAdmin')
  if (!ok)
    throw new ConcurHttpError(
      403,
      `Forbidden: report ${String(report.record.ID)} is not visible to this user in context ${who.context}`,
    )
}

/** Short URLs act as the system user: company tokens only. */
export function requireCompany(c: Context<MockEnv>): Principal {
  const p = c.get('principal')
  if (p.type !== 'company')
    throw new ConcurHttpError(
      403,
      'Forbidden: this operation on the short URL requires a company access token',
    )
  return p
}

/** Reads a JSON body (empty allowed when `optional`) and validates it; Concur's 400/415 otherwise. */
export async function readJson<T extends z.ZodType>(
  c: Context<MockEnv>,
  schema: T,
  optional = false,
): Promise<z.infer<T>> {
  const text = await c.req.text()
  if (text.trim() === '') {
    if (optional) return schema.parse({}) as z.infer<T>
    throw new ConcurHttpError(400, 'The request body is required')
  }
  const type = (requestHeader(c, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (!type.includes('json'))
    throw new ConcurHttpError(415, 'Send the body as application/json or application/merge-patch+json')
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new ConcurHttpError(400, 'The request body is not valid JSON')
  }
  const r = schema.safeParse(body)
  if (!r.success) {
    const issue = r.error.issues[0]!
    const where = issue.path.join('.') || 'body'
    throw new ConcurHttpError(400, `Invalid request: ${where}: ${issue.message}`)
  }
  return r.data
}

/** `customData` entries → the v3.0 record's custom and org-unit fields (as `CustomField` objects). */
export function customFieldsOf(
  record: Record<string, unknown>,
  entries: readonly z.infer<typeof ExpenseV4CustomDataInput>[] | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const e of entries ?? []) {
    const m = /^(custom|orgUnit)(\d+)$/i.exec(e.id)
    const key = m ? `${m[1]!.toLowerCase() === 'custom' ? 'Custom' : 'OrgUnit'}${Number(m[2])}` : ''
    if (!key || !(key in record))
      throw new ConcurHttpError(400, `Invalid request: customData: unknown field '${e.id}'`)
    out[key] =
      e.value === null || e.value === undefined
        ? null
        : { Type: 'Text', Value: e.value, Code: null, ListItemID: null }
  }
  return out
}

/** The policy index of a policy id of the company, or a 400. */
function policyIndex(state: MockState, company: MockCompany, id: string): number {
  const ds = datasetOf(state.options.seed, company)
  const g = GROUP_CONFIGS.findIndex((_, i) => policyId(ds, i) === id)
  if (g < 0) throw new ConcurHttpError(400, `Invalid request: policyId: the policy '${id}' does not exist`)
  return g
}

/** Writes a report record back through the v3.0 overlay (events, page caches and v2.0/v1.1 views follow). */
export function writeReport(
  state: MockState,
  report: FoundReport,
  record: Record<string, unknown> | null,
): void {
  const overlay = overlaysOf(state).of(report.company.id, 'expense-reports')
  if (report.created) overlay.replaceCreated(report.created, record)
  else overlay.patch(report.index, record)
}

/** Applies an Expense v4 JSON Merge Patch (RFC 7386) to a report: v3.0 fields in the record, v4-only ones beside it. */
function applyPatch(
  state: MockState,
  report: FoundReport,
  body: z.infer<typeof ExpenseV4ReportPatch> | z.infer<typeof ExpenseV4SubmittedReportPatch>,
): void {
  const rec: Record<string, unknown> = { ...report.record }
  if (body.name !== undefined) rec.Name = body.name
  if (body.comment !== undefined) rec.LastComment = body.comment ?? ''
  if (body.isPaperReceiptsReceived !== undefined) rec.ReceiptsReceived = body.isPaperReceiptsReceived
  Object.assign(rec, customFieldsOf(rec, body.customData))
  const extras: Record<string, string | null> = {}
  if (body.businessPurpose !== undefined) extras.businessPurpose = body.businessPurpose
  if ('reportSource' in body) {
    if (body.countryCode !== undefined) {
      if (body.countryCode !== null && !COUNTRIES.some((c) => c.code === body.countryCode))
        throw new ConcurHttpError(400, `Invalid request: countryCode: unknown country '${body.countryCode}'`)
      rec.Country = body.countryCode
    }
    if (body.countrySubDivisionCode !== undefined) rec.CountrySubdivision = body.countrySubDivisionCode
    if (body.reportDate !== undefined)
      rec.UserDefinedDate = body.reportDate ? v3DateOf(body.reportDate) : null
    if (body.policyId !== undefined) {
      policyIndex(state, report.company, body.policyId)
      rec.PolicyID = body.policyId
    }
    if (body.startDate !== undefined) extras.startDate = body.startDate
    if (body.endDate !== undefined) extras.endDate = body.endDate
    const start = extras.startDate ?? reportExtras(state, report.company, report.index).startDate
    const end = extras.endDate ?? reportExtras(state, report.company, report.index).endDate
    if (start && end && start > end)
      throw new ConcurHttpError(400, 'Invalid request: endDate: the end date is before the start date')
  }
  if (Object.keys(extras).length > 0) setReportExtras(state, report.company, report.index, extras)
  stampModified('expense-reports', rec, state.clock.now())
  writeReport(state, report, rec)
}

/** Runs a workflow action as `actor` and answers 204, or 409 when the report's status does not allow it. */
async function workflow(
  c: Context<MockEnv>,
  state: MockState,
  company: MockCompany,
  reportId: string,
  action: WorkflowActionName,
  actor: Principal,
  comment?: string,
): Promise<Response> {
  const out = await reportWorkflowAction(
    state,
    company,
    reportId,
    action,
    comment === undefined ? { actor } : { actor, comment },
  )
  if (out.status === 'FAILURE')
    throw new ConcurHttpError(action === 'send-back' ? 400 : 409, out.message ?? 'Conflict')
  return c.body(null, 204)
}

/** The principal a long-URL workflow action runs as: the `userId` user (never an administrator bypass). */
function actorOf(who: Acting): Principal {
  return { ...who.principal, type: 'user', user: who.user, isAdmin: false }
}

/**
 * Expense v4 (`/expensereports/v4`, concur-api-v4 §3): reports (long and short URL), the workflow
 * actions, `reportsToApprove`, expenses, itemizations and report comments, all on the same records
 * the v3.0, v2.0 and v1.1 report APIs serve.
 *
 * @example
 * app.route('/', expenseV4Routes(ctx))
 */
export function expenseV4Routes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { state } = ctx
  const read = guard(ctx, EXPENSE_V4_SCOPES.read)
  const write = guard(ctx, EXPENSE_V4_SCOPES.readwrite)
  const flow = guard(ctx, EXPENSE_V4_SCOPES.workflow)

  // Reports -------------------------------------------------------------------------------------
  app.get(`${L}/reports/:reportId`, read, (c) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.getReport)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    const body = reportV4(state, report, who.origin, who.context)
    // The self link is the URL as the caller used it (their user and context).
    body.links = [
      {
        rel: 'self',
        href: reportLongUrl(who.origin, who.user.id, who.context, body.reportId),
        method: 'GET',
        isTemplated: false,
      },
    ]
    return c.json(body, 200)
  })

  app.post(`${L}/reports`, write, async (c) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.writeReport)
    const body = await readJson(c, ExpenseV4NewReport)
    policyIndex(state, who.company, body.policyId)
    if (body.countryCode && !COUNTRIES.some((k) => k.code === body.countryCode))
      throw new ConcurHttpError(400, `Invalid request: countryCode: unknown country '${body.countryCode}'`)
    if (body.startDate && body.endDate && body.startDate > body.endDate)
      throw new ConcurHttpError(400, 'Invalid request: endDate: the end date is before the start date')
    const ds = datasetOf(state.options.seed, who.company)
    const provider = providerOf('expense-reports')!
    const overlay = overlaysOf(state).of(who.company.id, 'expense-reports')
    const id = nextCreatedId(ds, provider, overlay)
    const now = state.clock.now()
    const keys = itemKeys(getResource('expense-reports').item)
    const created = buildCreated(
      ds,
      overlaysOf(state),
      'expense-reports',
      keys,
      {
        Name: body.name,
        PolicyID: body.policyId,
        ...(body.comment === undefined ? {} : { Comment: body.comment }),
        ...(body.reportDate === undefined ? {} : { UserDefinedDate: v3DateOf(body.reportDate) }),
      },
      who.user.index,
      id,
      now,
    )
    const record = created.record!
    Object.assign(record, customFieldsOf(record, body.customData))
    if (body.countryCode) record.Country = body.countryCode
    if (body.countrySubDivisionCode) record.CountrySubdivision = body.countrySubDivisionCode
    const index = provider.size(ds) + overlay.created.length
    // The v4-only fields first: the report's creation event then reads them.
    setReportExtras(state, who.company, index, {
      businessPurpose: body.businessPurpose ?? null,
      startDate: body.startDate ?? null,
      endDate: body.endDate ?? null,
      comments: body.comment
        ? [
            {
              comment: body.comment,
              author: who.user.index,
              createdFor: who.user.index,
              creationMs: now,
              expenseId: null,
            },
          ]
        : [],
    })
    overlay.add(created)
    return c.json({ uri: reportLongUrl(who.origin, who.user.id, who.context, id) }, 201)
  })

  app.patch(`${L}/reports/:reportId`, write, async (c) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.writeReport)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    const body = await readJson(c, ExpenseV4ReportPatch)
    if (!UNSUBMITTED.has(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(
        409,
        `Report ${String(report.record.ID)} is submitted: only PATCH /reports/{reportId} with a company token may change it`,
      )
    applyPatch(state, report, body)
    return c.body(null, 204)
  })

  // The system user's read of a report (short URL, company token). UNVERIFIED: the reference
  // documents PATCH and DELETE on this path, not GET; the registry row reads reports through it.
  app.get(S, read, (c) => {
    const principal = requireCompany(c)
    const report = reportOf(state, principal.company, c.req.param('reportId') ?? '')
    return c.json(reportV4(state, report, new URL(c.req.url).origin, 'TRAVELER'), 200)
  })

  app.patch(S, write, async (c) => {
    requireCompany(c)
    const company = c.get('principal').company
    const report = reportOf(state, company, c.req.param('reportId') ?? '')
    const body = await readJson(c, ExpenseV4SubmittedReportPatch)
    const code = String(report.record.ApprovalStatusCode)
    if (UNSUBMITTED.has(code))
      throw new ConcurHttpError(
        409,
        `Report ${String(report.record.ID)} is not submitted: change it through its long URL`,
      )
    if (report.record.PaymentStatusCode === 'P_PAID')
      throw new ConcurHttpError(
        409,
        `Report ${String(report.record.ID)} is paid and can no longer be changed`,
      )
    applyPatch(state, report, body)
    return c.body(null, 204)
  })

  app.delete(S, write, (c) => {
    requireCompany(c)
    const company = c.get('principal').company
    const report = reportOf(state, company, c.req.param('reportId') ?? '')
    if (!UNSUBMITTED.has(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(409, `Report ${String(report.record.ID)} is submitted and cannot be deleted`)
    // Its expenses go with it (they have no report to belong to).
    const entries = overlaysOf(state).of(company.id, 'expense-entries')
    for (const e of scanAll(
      state,
      company,
      'expense-entries',
      new Map([['reportID', String(report.record.ID)]]),
    )) {
      const found = findEntry(state, company, String(e.ID))
      if (!found) continue
      if (found.created) entries.replaceCreated(found.created, null)
      else entries.patch(found.index, null)
    }
    writeReport(state, report, null)
    return c.body(null, 204)
  })

  app.get(`${EXPENSE_V4_BASE}/users/:userId/context/:contextType/reportsToApprove`, read, (c) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.reportsToApprove)
    const url = new URL(c.req.url)
    const q = ExpenseV4ReportsToApproveQuery.safeParse(Object.fromEntries(url.searchParams))
    if (!q.success) {
      const issue = q.error.issues[0]!
      throw new ConcurHttpError(400, `Invalid request: ${issue.path.join('.') || 'query'}: ${issue.message}`)
    }
    const rows: ExpenseV4ReportToApprove[] = []
    for (const rec of scanAll(
      state,
      who.company,
      'expense-reports',
      new Map([['approverLoginID', who.user.loginId]]),
    )) {
      if (!PENDING.has(String(rec.ApprovalStatusCode))) continue
      const report = reportOf(state, who.company, String(rec.ID))
      rows.push(reportToApprove(state, report, who.origin, who.user.index))
    }
    const { sort, order } = q.data
    const key = (r: ExpenseV4ReportToApprove): string | number => {
      switch (sort) {
        case 'amountDueEmployee':
          return r.amountDueEmployee?.value ?? 0
        case 'claimedAmount':
          return r.claimedAmount?.value ?? 0
        case 'employeeFirstName':
        case 'employeeLastName': {
          const uuid = r.employee?.employeeUuid ?? ''
          const ds = datasetOf(state.options.seed, who.company)
          const u = identityIndexOf(ds, uuid)
          const user = u === undefined ? undefined : userOf(ds, u)
          return (sort === 'employeeFirstName' ? user?.firstName : user?.lastName)?.toLowerCase() ?? ''
        }
        case 'name':
          return (r.name ?? '').toLowerCase()
        case 'submitDate':
          return r.submitDate ?? ''
        default:
          return r.reportDate ?? ''
      }
    }
    const dir = order === 'asc' ? 1 : -1
    rows.sort((a, b) => {
      const x = key(a)
      const y = key(b)
      return (x < y ? -1 : x > y ? 1 : a.reportId < b.reportId ? -1 : 1) * dir
    })
    return c.json(rows, 200)
  })

  // Workflow -----------------------------------------------------------------------------------
  app.patch(`${EXPENSE_V4_BASE}/users/:userId/reports/:reportId/submit`, flow, async (c) => {
    const who = acting(state, c, null)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    if (ownerOf(report) !== who.user.index)
      throw new ConcurHttpError(
        403,
        `Forbidden: report ${String(report.record.ID)} does not belong to this user`,
      )
    if (!UNSUBMITTED.has(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(409, `Report ${String(report.record.ID)} is already submitted`)
    return workflow(c, state, who.company, String(report.record.ID), 'submit', actorOf(who))
  })

  const longAction = (path: string, action: WorkflowActionName, contexts: readonly ExpenseV4ContextType[]) =>
    app.patch(`${L}/reports/:reportId/${path}`, flow, async (c) => {
      const who = acting(state, c, contexts)
      if (who.principal.type !== 'user')
        throw new ConcurHttpError(403, `Forbidden: ${path} on the long URL requires a user access token`)
      const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
      checkVisible(report, who)
      const comment =
        action === 'approve'
          ? (await readJson(c, ExpenseV4ApproveBody, true)).comment
          : action === 'send-back'
            ? (await readJson(c, ExpenseV4SendBackBody)).comment
            : undefined
      return workflow(c, state, who.company, String(report.record.ID), action, actorOf(who), comment)
    })
  longAction('approve', 'approve', EXPENSE_V4_CONTEXTS.approve)
  longAction('sendBack', 'send-back', EXPENSE_V4_CONTEXTS.sendBack)
  longAction('recall', 'recall', EXPENSE_V4_CONTEXTS.recall)

  const shortAction = (path: string, action: WorkflowActionName) =>
    app.patch(`${S}/${path}`, flow, async (c) => {
      const principal = requireCompany(c)
      const report = reportOf(state, principal.company, c.req.param('reportId') ?? '')
      const comment =
        action === 'approve'
          ? (await readJson(c, ExpenseV4ApproveBody, true)).comment
          : (await readJson(c, ExpenseV4SendBackBody)).comment
      return workflow(c, state, principal.company, String(report.record.ID), action, principal, comment)
    })
  shortAction('approve', 'approve')
  shortAction('sendBack', 'send-back')

  // Expenses and itemizations -------------------------------------------------------------------
  const expenseContext = (c: Context<MockEnv>) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.expenses)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    const base = reportLongUrl(who.origin, who.user.id, who.context, String(report.record.ID))
    const currency = typeof report.record.CurrencyCode === 'string' ? report.record.CurrencyCode : 'USD'
    return { who, report, base, currency }
  }
  const itemizationsOf = (company: MockCompany, entryId: string) =>
    scanAll(state, company, 'expense-itemizations', new Map([['entryID', entryId]]))

  app.get(`${L}/reports/:reportId/expenses`, read, (c) => {
    const { who, report, base, currency } = expenseContext(c)
    const raw = c.req.query('includeItemizations')
    if (raw !== undefined && raw !== 'true' && raw !== 'false')
      throw new ConcurHttpError(400, 'Invalid request: includeItemizations: expected true or false')
    const entries = scanAll(
      state,
      who.company,
      'expense-entries',
      new Map([['reportID', String(report.record.ID)]]),
    )
    const out = entries.flatMap((e) => [
      expenseSummaryV4(e, currency, base),
      ...(raw === 'true'
        ? itemizationsOf(who.company, String(e.ID)).map((i) => expenseSummaryV4(i, currency, base))
        : []),
    ])
    return c.json(out, 200)
  })

  const entryOf = (c: Context<MockEnv>, company: MockCompany, reportId: string) => {
    const id = c.req.param('expenseId') ?? ''
    const found = findEntry(state, company, id)
    if (!found || found.record.ReportID !== reportId)
      throw new ConcurHttpError(404, `Expense ${id} was not found in report ${reportId}`)
    return found.record
  }

  app.get(`${L}/reports/:reportId/expenses/:expenseId`, read, (c) => {
    const { who, report, base, currency } = expenseContext(c)
    const detail = expenseDetailV4(entryOf(c, who.company, String(report.record.ID)), currency, base)
    const rejected = reportExtras(state, who.company, report.index).rejected?.[detail.expenseId]
    if (rejected !== undefined) detail.isExpenseRejected = rejected
    return c.json(detail, 200)
  })

  app.get(`${L}/reports/:reportId/expenses/:expenseId/itemizations`, read, (c) => {
    const { who, report, base, currency } = expenseContext(c)
    const entry = entryOf(c, who.company, String(report.record.ID))
    return c.json(
      itemizationsOf(who.company, String(entry.ID)).map((i) => expenseSummaryV4(i, currency, base)),
      200,
    )
  })

  // Allocations --------------------------------------------------------------------------------
  const allocationContext = (c: Context<MockEnv>) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.allocations)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    const currency = typeof report.record.CurrencyCode === 'string' ? report.record.CurrencyCode : 'USD'
    return { who, report, currency }
  }
  /** An expense (entry or itemization) of the report by id, or undefined. */
  const expenseIn = (company: MockCompany, reportId: string, id: string) => {
    const ds = datasetOf(state.options.seed, company)
    for (const key of ['expense-entries', 'expense-itemizations']) {
      const found = findRecord(ds, providerOf(key)!, overlaysOf(state).peek(company.id, key), id)
      if (found && found.record.ReportID === reportId) return found.record
    }
    return undefined
  }
  const allocationIn = (company: MockCompany, reportId: string, id: string) => {
    const ds = datasetOf(state.options.seed, company)
    const found = findRecord(
      ds,
      providerOf('expense-allocations')!,
      overlaysOf(state).peek(company.id, 'expense-allocations'),
      id,
    )
    const expense = found ? expenseIn(company, reportId, String(found.record.EntryID)) : undefined
    if (!found || !expense)
      throw new ConcurHttpError(404, `Allocation ${id} was not found in report ${reportId}`)
    return { found, expense }
  }

  app.get(`${L}/reports/:reportId/expenses/:expenseId/allocations`, read, (c) => {
    const { who, report, currency } = allocationContext(c)
    const id = c.req.param('expenseId')
    const expense = expenseIn(who.company, String(report.record.ID), id)
    if (!expense)
      throw new ConcurHttpError(404, `Expense ${id} was not found in report ${String(report.record.ID)}`)
    const rows = scanAll(state, who.company, 'expense-allocations', new Map([['entryID', id]]))
    return c.json(
      rows.map((a) => allocationV4(a, expense, currency)),
      200,
    )
  })

  app.get(`${L}/reports/:reportId/allocations/:allocationId`, read, (c) => {
    const { who, report, currency } = allocationContext(c)
    const { found, expense } = allocationIn(
      who.company,
      String(report.record.ID),
      c.req.param('allocationId'),
    )
    return c.json(allocationV4(found.record, expense, currency), 200)
  })

  app.patch(`${L}/reports/:reportId/allocations/:allocationId`, write, async (c) => {
    const { who, report } = allocationContext(c)
    const reportId = String(report.record.ID)
    const body = await readJson(c, ExpenseV4AllocationPatch)
    const { found } = allocationIn(who.company, reportId, c.req.param('allocationId'))
    for (const e of body.expenseIds)
      if (!expenseIn(who.company, reportId, e))
        throw new ConcurHttpError(
          400,
          `Invalid request: expenseIds: expense ${e} is not in report ${reportId}`,
        )
    if (!body.expenseIds.includes(String(found.record.EntryID)))
      throw new ConcurHttpError(
        400,
        'Invalid request: expenseIds: the allocation belongs to none of these expenses',
      )
    const rec = { ...found.record }
    for (const e of body.allocation.customData) {
      const m = /^custom(\d+)$/i.exec(e.id)
      const key = m ? `Custom${Number(m[1])}` : ''
      if (!key || !(key in rec))
        throw new ConcurHttpError(400, `Invalid request: customData: unknown field '${e.id}'`)
      const before = (rec[key] ?? {}) as Record<string, unknown>
      rec[key] =
        e.value === null || e.value === undefined
          ? null
          : {
              Type: 'Text',
              Label: null,
              Sequence: null,
              Code: null,
              ListItemID: null,
              ...before,
              Value: e.value,
            }
    }
    const overlay = overlaysOf(state).of(who.company.id, 'expense-allocations')
    if (found.created) overlay.replaceCreated(found.created, rec)
    else overlay.patch(found.index, rec)
    return c.body(null, 204)
  })

  // Attendees ----------------------------------------------------------------------------------
  const attendeeContext = (c: Context<MockEnv>, short: boolean) => {
    let company: MockCompany
    let report: FoundReport
    if (short) {
      company = requireCompany(c).company
      report = reportOf(state, company, c.req.param('reportId') ?? '')
    } else {
      const who = acting(state, c, EXPENSE_V4_CONTEXTS.attendees)
      company = who.company
      report = reportOf(state, company, c.req.param('reportId') ?? '')
      checkVisible(report, who)
    }
    const reportId = String(report.record.ID)
    const expenseId = c.req.param('expenseId') ?? ''
    const ds = datasetOf(state.options.seed, company)
    const entry = findRecord(
      ds,
      providerOf('expense-entries')!,
      overlaysOf(state).peek(company.id, 'expense-entries'),
      expenseId,
    )
    if (!entry || entry.record.ReportID !== reportId)
      throw new ConcurHttpError(404, `Expense ${expenseId} was not found in report ${reportId}`)
    const currency =
      typeof entry.record.TransactionCurrencyCode === 'string' ? entry.record.TransactionCurrencyCode : 'USD'
    return { company, report, entry, expenseId, ds, currency }
  }
  const associationsOf = (company: MockCompany, expenseId: string) => {
    const ds = datasetOf(state.options.seed, company)
    const provider = providerOf('entry-attendee-associations')!
    const overlay = overlaysOf(state).peek(company.id, 'entry-attendee-associations')
    return scanAll(state, company, 'entry-attendee-associations', new Map([['entryID', expenseId]])).map(
      (r) => findRecord(ds, provider, overlay, String(r.ID))!,
    )
  }
  const attendeesBody = (company: MockCompany, report: FoundReport, expenseId: string, currency: string) => ({
    noShowAttendeeCount: reportExtras(state, company, report.index).noShows?.[expenseId] ?? 0,
    expenseAttendeeList: associationsOf(company, expenseId).map((a) => expenseAttendeeV4(a.record, currency)),
  })
  /** Marks the entry as having attendees (or not) and stamps its modification. */
  const touchEntry = (company: MockCompany, entry: FoundRecord, hasAttendees: boolean) => {
    const rec = { ...entry.record, HasAttendees: hasAttendees }
    stampModified('expense-entries', rec, state.clock.now())
    const overlay = overlaysOf(state).of(company.id, 'expense-entries')
    if (entry.created) overlay.replaceCreated(entry.created, rec)
    else overlay.patch(entry.index, rec)
  }
  const requireUnsubmitted = (report: FoundReport) => {
    if (!UNSUBMITTED.has(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(
        409,
        `Report ${String(report.record.ID)} is submitted: its attendees cannot change`,
      )
  }

  app.get(`${L}/reports/:reportId/expenses/:expenseId/attendees`, read, (c) => {
    const { company, report, expenseId, currency } = attendeeContext(c, false)
    return c.json(attendeesBody(company, report, expenseId, currency), 200)
  })
  app.get(`${S}/expenses/:expenseId/attendees`, read, (c) => {
    const { company, report, expenseId, currency } = attendeeContext(c, true)
    return c.json(attendeesBody(company, report, expenseId, currency), 200)
  })

  app.post(`${L}/reports/:reportId/expenses/:expenseId/attendees`, write, async (c) => {
    const { company, report, entry, expenseId, ds } = attendeeContext(c, false)
    const body = await readJson(c, ExpenseV4ExpenseAttendeesInput)
    requireUnsubmitted(report)
    const attendees = providerOf('expense-attendees')!
    const attendeeOverlay = overlaysOf(state).peek(company.id, 'expense-attendees')
    for (const a of body.expenseAttendeeList)
      if (!findRecord(ds, attendees, attendeeOverlay, a.attendeeId))
        throw new ConcurHttpError(
          400,
          `Invalid request: expenseAttendeeList.attendeeId: attendee ${a.attendeeId} does not exist`,
        )
    const provider = providerOf('entry-attendee-associations')!
    const overlay = overlaysOf(state).of(company.id, 'entry-attendee-associations')
    const keys = itemKeys(getResource('entry-attendee-associations').item)
    const existing = associationsOf(company, expenseId)
    for (const a of body.expenseAttendeeList) {
      const customs = Object.fromEntries(
        (a.customData ?? []).flatMap((d) => {
          const m = /^custom([1-5])$/i.exec(d.id)
          return m ? [[`Custom${m[1]}`, d.value ?? null]] : []
        }),
      )
      const fields = {
        ...(a.transactionAmount === undefined ? {} : { Amount: a.transactionAmount }),
        ...(a.associatedAttendeeCount === undefined
          ? {}
          : { AssociatedAttendeeCount: a.associatedAttendeeCount }),
        ...customs,
      }
      const found = existing.find((x) => x.record.AttendeeID === a.attendeeId)
      if (found) {
        const rec = { ...found.record, ...fields }
        if (found.created) overlay.replaceCreated(found.created, rec)
        else overlay.patch(found.index, rec)
      } else {
        const id = nextCreatedId(ds, provider, overlay)
        overlay.add(
          buildCreated(
            ds,
            overlaysOf(state),
            'entry-attendee-associations',
            keys,
            { EntryID: expenseId, AttendeeID: a.attendeeId, ...fields },
            entry.owner,
            id,
            state.clock.now(),
          ),
        )
      }
    }
    if (body.noShowAttendeeCount !== undefined) {
      const noShows = {
        ...(reportExtras(state, company, report.index).noShows ?? {}),
        [expenseId]: body.noShowAttendeeCount,
      }
      setReportExtras(state, company, report.index, { noShows })
    }
    touchEntry(company, entry, true)
    return c.json({ uri: `${new URL(c.req.url).origin}${c.req.path}` }, 201)
  })

  app.delete(`${L}/reports/:reportId/expenses/:expenseId/attendees`, write, (c) => {
    const { company, report, entry, expenseId } = attendeeContext(c, false)
    requireUnsubmitted(report)
    const overlay = overlaysOf(state).of(company.id, 'entry-attendee-associations')
    for (const a of associationsOf(company, expenseId)) {
      if (a.created) overlay.replaceCreated(a.created, null)
      else overlay.patch(a.index, null)
    }
    const noShows = { ...(reportExtras(state, company, report.index).noShows ?? {}) }
    delete noShows[expenseId]
    setReportExtras(state, company, report.index, { noShows })
    touchEntry(company, entry, false)
    return c.body(null, 204)
  })

  // Report comments ----------------------------------------------------------------------------
  const commentsOf = (report: FoundReport, all: boolean) => {
    const list = reportExtras(state, report.company, report.index).comments ?? []
    const shown = all ? list : list.filter((x) => x.expenseId === null)
    const latest = shown.length - 1
    return shown.map((x, i) => commentV4(report.ds, x, i === latest))
  }
  const includeAll = (c: Context<MockEnv>) => {
    const raw = c.req.query('includeAllComments')
    if (raw !== undefined && raw !== 'true' && raw !== 'false')
      throw new ConcurHttpError(400, 'Invalid request: includeAllComments: expected true or false')
    return raw === 'true'
  }
  const addComment = async (c: Context<MockEnv>, report: FoundReport, author: number | null, uri: string) => {
    const body = await readJson(c, ExpenseV4CommentBody)
    const extras = reportExtras(state, report.company, report.index)
    const now = state.clock.now()
    const comments = [
      ...(extras.comments ?? []),
      {
        comment: body.comment,
        author,
        createdFor: ownerOf(report) ?? null,
        creationMs: now,
        expenseId: null,
      },
    ]
    setReportExtras(state, report.company, report.index, { comments })
    const rec = { ...report.record, LastComment: body.comment }
    stampModified('expense-reports', rec, now)
    writeReport(state, report, rec)
    return c.json({ uri }, 201)
  }

  app.get(`${L}/reports/:reportId/comments`, read, (c) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.comments)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    return c.json(commentsOf(report, includeAll(c)), 200)
  })
  app.get(`${S}/comments`, read, (c) => {
    const principal = requireCompany(c)
    const report = reportOf(state, principal.company, c.req.param('reportId') ?? '')
    return c.json(commentsOf(report, includeAll(c)), 200)
  })
  app.post(`${L}/reports/:reportId/comments`, write, async (c) => {
    const who = acting(state, c, EXPENSE_V4_CONTEXTS.comments)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    const uri = `${reportLongUrl(who.origin, who.user.id, who.context, String(report.record.ID))}/comments`
    return addComment(c, report, who.user.index, uri)
  })
  app.post(`${S}/comments`, write, async (c) => {
    const principal = requireCompany(c)
    const report = reportOf(state, principal.company, c.req.param('reportId') ?? '')
    const uri = `${new URL(c.req.url).origin}${EXPENSE_V4_BASE}/reports/${String(report.record.ID)}/comments`
    return addComment(c, report, null, uri)
  })

  // Exceptions, expense comments, form fields, taxes, cash advances, … (expense-v4-parts.ts).
  app.route('/', expenseV4PartRoutes(ctx))
  return app
}

/** An entry of the company by id (through the overlay), or undefined. */
export function findEntry(state: MockState, company: MockCompany, id: string) {
  const ds = datasetOf(state.options.seed, company)
  return findRecord(
    ds,
    providerOf('expense-entries')!,
    overlaysOf(state).peek(company.id, 'expense-entries'),
    id,
  )
}

/**
 * Expense v4: the routes, and the `expense-v4-reports` row's records — every report of the company
 * in the v3.0 walk order, as the short URL serves it (the manifest's count and checksum).
 */
export const expenseV4Provider: RowProvider = {
  names: ['expense-v4-reports'],
  routes: expenseV4Routes,
  *records({ state, company, origin }) {
    for (const rec of scanAll(state, company, 'expense-reports', new Map())) {
      const report = findReport(state, company, String(rec.ID))
      if (report) yield reportV4(state, report, origin, 'TRAVELER')
    }
  },
}
