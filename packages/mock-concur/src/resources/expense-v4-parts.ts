import {
  EXPENSE_V4_BASE,
  EXPENSE_V4_CONTEXTS,
  EXPENSE_V4_PART_CONTEXTS,
  EXPENSE_V4_SCOPES,
  EXPENSE_V4_TAX_SCOPE,
  ExpenseV4CashAdvancesPost,
  ExpenseV4CommentBody,
  type ExpenseV4CostObject,
  type ExpenseV4Exception,
  ExpenseV4ExceptionPut,
  ExpenseV4ExpensePatch,
  type ExpenseV4FormField,
  type ExpenseV4Tax,
  ExpenseV4TaxPatch,
} from '@concurkit/contract'
import { type Context, Hono, type MiddlewareHandler } from 'hono'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf, userIdOf } from '../dataset/dataset.js'
import { policyId } from '../dataset/expense.js'
import { providerOf, type WireRecord } from '../dataset/providers.js'
import { EXPENSE_TYPES, GROUP_CONFIGS } from '../dataset/tables.js'
import { ConcurHttpError } from '../http/errors.js'
import { requireToken } from '../oauth/guard.js'
import type { MockState } from '../state.js'
import { overlaysOf } from './engine.js'
import {
  type Acting,
  acting,
  checkVisible,
  customFieldsOf,
  guard,
  PENDING,
  readJson,
  reportOf,
  requireCompany,
  UNSUBMITTED,
  writeReport,
} from './expense-v4.js'
import {
  approverOf,
  commentV4,
  type FoundReport,
  ownerOf,
  type ReportExtras,
  reportExtras,
  type StoredComment,
  type StoredException,
  scanAll,
  setReportExtras,
} from './expense-v4-view.js'
import { requestsOf } from './request-v4-data.js'
import { adjustReportTotals, type FoundRecord, findRecord, stampModified } from './writes.js'

const L = `${EXPENSE_V4_BASE}/users/:userId/context/:contextType/reports/:reportId`
const S = `${EXPENSE_V4_BASE}/reports/:reportId`

/** Messages of the exception codes the mock raises itself (the documented samples' wording). */
const EXCEPTION_MESSAGES: Readonly<Record<string, string>> = {
  ITEMDIFF: 'The itemization amounts do not add up to the expense amount.',
  MISSREQFLD: 'Missing required field: Receipt Status. ',
  MISSALLOCREQFLD: 'Missing required allocation field: Custom 05. ',
}

/** A 32-hex upper-case id derived from a string (FNV-1a, four rounds): stable across runs. */
export function stableHexId(key: string): string {
  let out = ''
  for (let round = 0; round < 4; round++) {
    let h = 0x811c9dc5 ^ round
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i)
      h = Math.imul(h, 0x01000193) >>> 0
    }
    out += h.toString(16).padStart(8, '0')
  }
  return out.toUpperCase()
}

/** An expense (entry or itemization) of the report by id, through the overlay, or undefined. */
function expenseOf(state: MockState, company: MockCompany, reportId: string, id: string) {
  const ds = datasetOf(state.options.seed, company)
  for (const key of ['expense-entries', 'expense-itemizations'] as const) {
    const found = findRecord(ds, providerOf(key)!, overlaysOf(state).peek(company.id, key), id)
    if (found && found.record.ReportID === reportId) return { key, found }
  }
  return undefined
}

function requireExpense(state: MockState, company: MockCompany, reportId: string, id: string) {
  const e = expenseOf(state, company, reportId, id)
  if (!e) throw new ConcurHttpError(404, `Expense ${id} was not found in report ${reportId}`)
  return e
}

/** The allocations of one expense (entry or itemization). */
function allocationsOf(state: MockState, company: MockCompany, expenseId: string): WireRecord[] {
  return scanAll(state, company, 'expense-allocations', new Map([['entryID', expenseId]])).filter(
    (a) => String(a.EntryID) === expenseId,
  )
}

/** Entries and itemizations of a report, entries first (walk order). */
function expensesOfReport(state: MockState, company: MockCompany, reportId: string): WireRecord[] {
  const filter = new Map([['reportID', reportId]])
  return [
    ...scanAll(state, company, 'expense-entries', filter),
    ...scanAll(state, company, 'expense-itemizations', filter),
  ].filter((r) => r.ReportID === reportId)
}

/**
 * The exceptions a report carries before any exception write: a pure function of the v3.0 records.
 * Each entry flagged `HasExceptions` raises one — `MISSALLOCREQFLD` on its first allocation when the
 * entry is split (`AllocationType` P), `MISSREQFLD` otherwise; a report flagged `HasException` with
 * no flagged entry raises a report-level `MISSREQFLD`.
 */
export function derivedExceptions(state: MockState, report: FoundReport): StoredException[] {
  const reportId = String(report.record.ID)
  const out: StoredException[] = []
  for (const e of expensesOfReport(state, report.company, reportId)) {
    if (e.HasExceptions !== true) continue
    const id = String(e.ID)
    const parent = typeof e.EntryID === 'string' && e.EntryID !== '' ? e.EntryID : null
    const alloc = e.AllocationType === 'P' ? allocationsOf(state, report.company, id)[0] : undefined
    const code = alloc ? 'MISSALLOCREQFLD' : 'MISSREQFLD'
    out.push({
      exceptionCode: code,
      exceptionVisibility: 'ALL',
      isBlocking: true,
      message: EXCEPTION_MESSAGES[code]!,
      allocationId: alloc ? String(alloc.ID) : null,
      expenseId: id,
      parentExpenseId: parent,
    })
  }
  if (out.length === 0 && report.record.HasException === true)
    out.push({
      exceptionCode: 'MISSREQFLD',
      exceptionVisibility: 'ALL',
      isBlocking: true,
      message: 'Missing required field: Business Purpose. ',
      allocationId: null,
      expenseId: null,
      parentExpenseId: null,
    })
  return out
}

/** The report's exceptions now: derived until the first exception write, stored after it. */
export function exceptionsOf(state: MockState, report: FoundReport): StoredException[] {
  return [
    ...(reportExtras(state, report.company, report.index).exceptions ?? derivedExceptions(state, report)),
  ]
}

/** Who sees an exception: TRAVELER and PROXY only `ALL`; the system user (short URL) every one. */
function visibleTo(list: StoredException[], who: Acting | null): ExpenseV4Exception[] {
  return list.filter((x) => who === null || x.exceptionVisibility === 'ALL').map((x) => ({ ...x }))
}

/**
 * Stores the exception list and keeps the v3.0 flags in step: the report's `HasException` says
 * whether any remains, each entry's `HasExceptions` whether one names it.
 */
function saveExceptions(state: MockState, report: FoundReport, list: StoredException[]): void {
  const now = state.clock.now()
  setReportExtras(state, report.company, report.index, { exceptions: list })
  const ds = report.ds
  const named = new Set(list.flatMap((x) => [x.expenseId, x.parentExpenseId].filter((v) => v !== null)))
  // Entries and itemizations alike: an entry is also flagged by an exception of its itemization.
  for (const key of ['expense-entries', 'expense-itemizations'] as const) {
    const overlay = overlaysOf(state).of(report.company.id, key)
    for (const e of scanAll(state, report.company, key, new Map([['reportID', String(report.record.ID)]]))) {
      if (e.ReportID !== report.record.ID) continue
      const has = named.has(String(e.ID))
      if ((e.HasExceptions === true) === has) continue
      const found = findRecord(ds, providerOf(key)!, overlay, String(e.ID))
      if (!found) continue
      const rec = { ...found.record, HasExceptions: has }
      stampModified(key, rec, now)
      if (found.created) overlay.replaceCreated(found.created, rec)
      else overlay.patch(found.index, rec)
    }
  }
  const fresh = reportOf(state, report.company, String(report.record.ID))
  const rec = { ...fresh.record, HasException: list.length > 0 }
  stampModified('expense-reports', rec, now)
  writeReport(state, fresh, rec)
}

/** Report-level, expense-level or allocation-level scope of an exception request. */
interface ExceptionScope {
  readonly expenseId: string | null
  readonly allocationId: string | null
}

function inScope(x: StoredException, scope: ExceptionScope): boolean {
  return x.expenseId === scope.expenseId && x.allocationId === scope.allocationId
}

/** Field templates of the mock's report and expense forms. */
type FieldTemplate = readonly [
  fieldId: string,
  fieldName: string,
  dataType: string,
  controlType: string,
  maximumLength: number | null,
  isRequired: boolean,
]
const REPORT_FORM: readonly FieldTemplate[] = [
  ['Name', 'Report Name', 'String', 'Edit', 40, true],
  ['UserDefinedDate', 'Report Date', 'Timestamp', 'DateEdit', null, true],
  ['Purpose', 'Business Purpose', 'String', 'Edit', 64, false],
  ['PolicyKey', 'Policy', 'Integer', 'Picklist', null, true],
  ['Comment', 'Comment', 'VarChar', 'TextArea', 500, false],
  ['OrgUnit1', 'Cost Center', 'List', 'ListEdit', 48, false],
]
const EXPENSE_FORM: readonly FieldTemplate[] = [
  ['ExpName', 'Expense Type', 'String', 'Edit', 64, true],
  ['TransactionDate', 'Transaction Date', 'Timestamp', 'DateEdit', null, true],
  ['VendorDescription', 'Vendor', 'String', 'Edit', 64, false],
  ['LocName', 'City of Purchase', 'String', 'Edit', 64, false],
  ['TransactionAmount', 'Amount', 'Money', 'Edit', null, true],
  ['TransactionCurrencyName', 'Currency', 'String', 'Picklist', null, true],
  ['Description', 'Business Purpose', 'String', 'Edit', 64, false],
  ['ReceiptType', 'Receipt Status', 'String', 'Picklist', null, true],
]
const MILEAGE_FIELDS: readonly FieldTemplate[] = [
  ['BusinessDistance', 'Distance', 'Integer', 'Edit', null, true],
  ['Custom29', 'Custom 29', 'String', 'Edit', 48, false],
]

/** Form fields of a form: RW while the report is the traveler's, RO once submitted. */
function formFields(
  formKey: string,
  fields: readonly FieldTemplate[],
  editable: boolean,
): ExpenseV4FormField[] {
  return fields.map(([fieldId, fieldName, dataType, controlType, maximumLength, isRequired], i) => ({
    parentFieldId: null,
    controlType,
    dataType,
    defaultValue: null,
    fieldAccess: editable ? 'RW' : 'RO',
    fieldId,
    formFieldId: stableHexId(`${formKey}/${fieldId}`),
    fieldName,
    fieldSequence: i + 1,
    hasLineSeparator: false,
    isCopyDownSource: fieldId === 'Name' || fieldId === 'OrgUnit1',
    listId: dataType === 'List' ? stableHexId(`list/${fieldId}`) : null,
    listLevel: dataType === 'List' ? 1 : null,
    isExternalList: false,
    maximumLength,
    isRequired,
    tooltip: null,
    validationExpression: null,
    validationMessage: null,
    itemizationCopyDownAction: 'None',
    requiredForAutoSave: isRequired,
    referenceLink: null,
    targetFieldSettings: null,
  }))
}

/** Tax authorities of an expense in a country: Canada has GST and QST, every other country one VAT. */
function taxAuthorities(country: string): readonly { name: string; label: string; rate: number }[] {
  if (country === 'CA')
    return [
      { name: 'Canada GST', label: 'GST', rate: 0.05 },
      { name: 'Canada QST', label: 'QST', rate: 0.09975 },
    ]
  if (country === 'US') return [{ name: 'United States Sales Tax', label: 'ST', rate: 0.07 }]
  return [{ name: `${country} VAT`, label: 'VAT', rate: 0.2 }]
}

const cents = (v: number) => Math.round(v * 100) / 100

/**
 * The taxes of an expense: none unless the v3.0 record has VAT (`HasVAT`); then one per tax
 * authority of its country, the tax included in the transaction amount at the authority's rate,
 * with what `PATCH …/tax/{taxAuthorityId}` stored merged over it.
 */
export function taxesOf(state: MockState, report: FoundReport, expense: WireRecord): ExpenseV4Tax[] {
  if (expense.HasVAT !== true) return []
  const country = typeof expense.LocationCountry === 'string' ? expense.LocationCountry : 'US'
  const amount = typeof expense.TransactionAmount === 'number' ? expense.TransactionAmount : 0
  const posted = typeof expense.PostedAmount === 'number' ? expense.PostedAmount : amount
  const stored = reportExtras(state, report.company, report.index).taxes ?? {}
  return taxAuthorities(country).map((a) => {
    const taxAuthorityId = stableHexId(`tax-authority/${country}/${a.label}`)
    const base: ExpenseV4Tax = {
      customData: [],
      reclaimCode: null,
      reclaimTransactionAmount: null,
      taxAuthorityId,
      taxAuthorityName: a.name,
      taxCode: null,
      taxLabel: a.label,
      taxFormId: stableHexId(`tax-form/${country}`),
      taxRateTypeId: null,
      taxRateTypeName: null,
      taxReclaimConfigurationId: null,
      taxTransactionAmount: cents((amount * a.rate) / (1 + a.rate)),
      taxPostedAmount: cents((posted * a.rate) / (1 + a.rate)),
      taxReclaimPostedAmount: null,
    }
    return { ...base, ...(stored[`${String(expense.ID)}/${taxAuthorityId}`] ?? {}) } as ExpenseV4Tax
  })
}

/**
 * The travel requests a report is associated with: those of its owner's approved Request v4
 * requests whose position among the owner's requests has the parity of the report's index (a
 * deterministic stand-in for the link Concur keeps; the reference does not say how one is made).
 */
export function requestAssociationsOf(state: MockState, report: FoundReport): { id: string }[] {
  const owner = ownerOf(report)
  if (owner === undefined) return []
  return requestsOf(state, report.company, owner)
    .filter((r) => r.status === 'APPROVED' && (r.ordinal + report.index) % 2 === 0)
    .map((r) => ({ id: r.id }))
}

/** The ids of the cash advances of the report owner's travel requests (the ones a report may use). */
function ownerCashAdvances(state: MockState, report: FoundReport): Set<string> {
  const owner = ownerOf(report)
  return new Set(requestsOf(state, report.company, owner).flatMap((r) => r.cashAdvances.map((a) => a.id)))
}

/** Replaces an entry, itemization or allocation record through its overlay (null deletes it). */
function writeRecord(
  state: MockState,
  company: MockCompany,
  key: string,
  found: FoundRecord,
  rec: WireRecord | null,
) {
  const overlay = overlaysOf(state).of(company.id, key)
  if (found.created) overlay.replaceCreated(found.created, rec)
  else overlay.patch(found.index, rec)
}

/** Stamps the report's modification on the mock clock (a change to one of its parts). */
function touchReport(state: MockState, report: FoundReport): void {
  const fresh = reportOf(state, report.company, String(report.record.ID))
  const rec = { ...fresh.record }
  stampModified('expense-reports', rec, state.clock.now())
  writeReport(state, fresh, rec)
}

function requireNotPaid(report: FoundReport): void {
  if (report.record.PaymentStatusCode === 'P_PAID')
    throw new ConcurHttpError(409, `Report ${String(report.record.ID)} is paid and can no longer be changed`)
}

function booleanQuery(c: Context<MockEnv>, name: string): boolean {
  const raw = c.req.query(name)
  if (raw !== undefined && raw !== 'true' && raw !== 'false')
    throw new ConcurHttpError(400, `Invalid request: ${name}: expected true or false`)
  return raw === 'true'
}

/**
 * Expense v4 parts of a report on the mock's one dataset (concur-api-v4 §3.2): exceptions (GET
 * long and short, PUT and DELETE short), expense comments and the PUT/DELETE of the latest report
 * or expense comment, form fields, taxes, cash advances, request associations,
 * `costObjectsForApprover`, and the short-URL PATCH and DELETE of an expense.
 *
 * @example
 * app.route('/', expenseV4PartRoutes(ctx))
 */
export function expenseV4PartRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  const { state } = ctx
  const read = guard(ctx, EXPENSE_V4_SCOPES.read)
  const write = guard(ctx, EXPENSE_V4_SCOPES.readwrite)
  const token = requireToken(ctx)
  const taxWrite: MiddlewareHandler<MockEnv> = (c, next) =>
    token(c, async () => {
      const s = c.get('principal').scopes as ReadonlySet<string>
      if (!s.has(EXPENSE_V4_TAX_SCOPE) && !s.has('EXPRPT'))
        throw new ConcurHttpError(403, `Forbidden: the access token lacks the ${EXPENSE_V4_TAX_SCOPE} scope`)
      await next()
    })

  /** The report of a long URL, visible to the acting user in one of `contexts`. */
  const longReport = (c: Context<MockEnv>, contexts: Parameters<typeof acting>[2]) => {
    const who = acting(state, c, contexts)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    checkVisible(report, who)
    return { who, report }
  }
  /** The report of a short URL (system user, company token). */
  const shortReport = (c: Context<MockEnv>) => {
    const principal = requireCompany(c)
    return { who: null, report: reportOf(state, principal.company, c.req.param('reportId') ?? '') }
  }

  // Exceptions ---------------------------------------------------------------------------------
  const reportExceptions = (c: Context<MockEnv>, who: Acting | null, report: FoundReport) => {
    const exclude = booleanQuery(c, 'excludeExpenses')
    const list = exceptionsOf(state, report).filter((x) => !exclude || x.expenseId === null)
    return c.json(visibleTo(list, who), 200)
  }
  const expenseExceptions = (c: Context<MockEnv>, who: Acting | null, report: FoundReport) => {
    const id = c.req.param('expenseId') ?? ''
    requireExpense(state, report.company, String(report.record.ID), id)
    const exclude = booleanQuery(c, 'excludeItemizations')
    const list = exceptionsOf(state, report).filter(
      (x) => x.expenseId === id || (!exclude && x.parentExpenseId === id),
    )
    return c.json(visibleTo(list, who), 200)
  }
  const requireAllocation = (report: FoundReport, expenseId: string, allocationId: string) => {
    requireExpense(state, report.company, String(report.record.ID), expenseId)
    if (!allocationsOf(state, report.company, expenseId).some((a) => String(a.ID) === allocationId))
      throw new ConcurHttpError(404, `Allocation ${allocationId} was not found in expense ${expenseId}`)
  }
  const allocationExceptions = (c: Context<MockEnv>, who: Acting | null, report: FoundReport) => {
    const e = c.req.param('expenseId') ?? ''
    const a = c.req.param('allocationId') ?? ''
    requireAllocation(report, e, a)
    const list = exceptionsOf(state, report).filter((x) => x.allocationId === a)
    return c.json(visibleTo(list, who), 200)
  }
  const ctxEx = EXPENSE_V4_PART_CONTEXTS.exceptions
  app.get(`${L}/exceptions`, read, (c) => {
    const { who, report } = longReport(c, ctxEx)
    return reportExceptions(c, who, report)
  })
  app.get(`${S}/exceptions`, read, (c) => reportExceptions(c, null, shortReport(c).report))
  app.get(`${L}/expenses/:expenseId/exceptions`, read, (c) => {
    const { who, report } = longReport(c, ctxEx)
    return expenseExceptions(c, who, report)
  })
  app.get(`${S}/expenses/:expenseId/exceptions`, read, (c) =>
    expenseExceptions(c, null, shortReport(c).report),
  )
  app.get(`${L}/expenses/:expenseId/allocations/:allocationId/exceptions`, read, (c) => {
    const { who, report } = longReport(c, ctxEx)
    return allocationExceptions(c, who, report)
  })
  app.get(`${S}/expenses/:expenseId/allocations/:allocationId/exceptions`, read, (c) =>
    allocationExceptions(c, null, shortReport(c).report),
  )

  /** PUT adds an exception at a scope (or changes the visibility of the one with that code). */
  const putException = async (c: Context<MockEnv>, scope: (r: FoundReport) => ExceptionScope) => {
    const { report } = shortReport(c)
    const where = scope(report)
    const body = await readJson(c, ExpenseV4ExceptionPut)
    const code = body.exceptionCode.toUpperCase()
    const list = exceptionsOf(state, report)
    const at = list.findIndex((x) => inScope(x, where) && x.exceptionCode === code)
    const parent =
      where.expenseId === null
        ? null
        : (() => {
            const e = expenseOf(state, report.company, String(report.record.ID), where.expenseId)?.found
              .record
            return typeof e?.EntryID === 'string' && e.EntryID !== '' ? e.EntryID : null
          })()
    const next: StoredException = {
      exceptionCode: code,
      exceptionVisibility: body.exceptionVisibility,
      isBlocking: at >= 0 ? list[at]!.isBlocking : false,
      message: at >= 0 ? list[at]!.message : (EXCEPTION_MESSAGES[code] ?? code),
      allocationId: where.allocationId,
      expenseId: where.expenseId,
      parentExpenseId: parent,
    }
    if (at >= 0) list[at] = next
    else list.push(next)
    saveExceptions(state, report, list)
    return c.body(null, 200)
  }
  const deleteException = (c: Context<MockEnv>, scope: (r: FoundReport) => ExceptionScope) => {
    const { report } = shortReport(c)
    const where = scope(report)
    const code = (c.req.param('exceptionCode') ?? '').toUpperCase()
    const list = exceptionsOf(state, report)
    const kept = list.filter((x) => !(inScope(x, where) && x.exceptionCode === code))
    if (kept.length === list.length) throw new ConcurHttpError(404, `Exception ${code} was not found`)
    saveExceptions(state, report, kept)
    return c.body(null, 204)
  }
  const reportScope = (): ExceptionScope => ({ expenseId: null, allocationId: null })
  const expenseScope =
    (c: Context<MockEnv>) =>
    (r: FoundReport): ExceptionScope => {
      const e = c.req.param('expenseId') ?? ''
      requireExpense(state, r.company, String(r.record.ID), e)
      return { expenseId: e, allocationId: null }
    }
  const allocationScope =
    (c: Context<MockEnv>) =>
    (r: FoundReport): ExceptionScope => {
      const e = c.req.param('expenseId') ?? ''
      const a = c.req.param('allocationId') ?? ''
      requireAllocation(r, e, a)
      return { expenseId: e, allocationId: a }
    }
  app.put(`${S}/exceptions`, write, (c) => putException(c, reportScope))
  app.put(`${S}/expenses/:expenseId/exceptions`, write, (c) => putException(c, expenseScope(c)))
  app.put(`${S}/expenses/:expenseId/allocations/:allocationId/exceptions`, write, (c) =>
    putException(c, allocationScope(c)),
  )
  app.delete(`${S}/exceptions/:exceptionCode`, write, (c) => deleteException(c, reportScope))
  app.delete(`${S}/expenses/:expenseId/exceptions/:exceptionCode`, write, (c) =>
    deleteException(c, expenseScope(c)),
  )
  app.delete(`${S}/expenses/:expenseId/allocations/:allocationId/exceptions/:exceptionCode`, write, (c) =>
    deleteException(c, allocationScope(c)),
  )

  // Comments: expense comments, and PUT/DELETE of the latest comment ------------------------------
  const ctxComments = EXPENSE_V4_PART_CONTEXTS.expenseComments
  /** The comments of one scope (report-level: `expenseId` null) with their position in the stored list. */
  const scoped = (report: FoundReport, expenseId: string | null) =>
    (reportExtras(state, report.company, report.index).comments ?? [])
      .map((x, i) => ({ x, i }))
      .filter(({ x }) => x.expenseId === expenseId)
  /** Keeps the v3.0 record in step with the comment history. */
  const syncComments = (report: FoundReport, expenseId: string | null, comments: StoredComment[]) => {
    setReportExtras(state, report.company, report.index, { comments })
    const now = state.clock.now()
    if (expenseId === null) {
      const latest = comments.filter((x) => x.expenseId === null).at(-1)
      const fresh = reportOf(state, report.company, String(report.record.ID))
      const rec = { ...fresh.record, LastComment: latest?.comment ?? '' }
      stampModified('expense-reports', rec, now)
      writeReport(state, fresh, rec)
      return
    }
    const found = expenseOf(state, report.company, String(report.record.ID), expenseId)
    if (found) {
      const rec = { ...found.found.record, HasComments: comments.some((x) => x.expenseId === expenseId) }
      stampModified(found.key, rec, now)
      writeRecord(state, report.company, found.key, found.found, rec)
    }
    touchReport(state, report)
  }
  const expenseIdOf = (c: Context<MockEnv>, report: FoundReport) => {
    const id = c.req.param('expenseId')
    if (id === undefined) return null
    requireExpense(state, report.company, String(report.record.ID), id)
    return id
  }
  const getExpenseComments = (c: Context<MockEnv>, report: FoundReport) => {
    const id = expenseIdOf(c, report)
    const list = scoped(report, id)
    return c.json(
      list.map(({ x }, k) => commentV4(report.ds, x, k === list.length - 1)),
      200,
    )
  }
  const postExpenseComment = async (c: Context<MockEnv>, report: FoundReport, author: number | null) => {
    const id = expenseIdOf(c, report)
    const body = await readJson(c, ExpenseV4CommentBody)
    const comments = [
      ...(reportExtras(state, report.company, report.index).comments ?? []),
      {
        comment: body.comment,
        author,
        createdFor: ownerOf(report) ?? null,
        creationMs: state.clock.now(),
        expenseId: id,
      },
    ]
    syncComments(report, id, comments)
    return c.json({ uri: `${new URL(c.req.url).origin}${c.req.path}` }, 201)
  }
  /**
   * The latest comment of the scope, which PUT and DELETE change: 404 when there is none; on the
   * long URL only its author may change it (403).
   */
  const latestOf = (report: FoundReport, expenseId: string | null, who: Acting | null) => {
    const last = scoped(report, expenseId).at(-1)
    if (!last) throw new ConcurHttpError(404, 'There is no comment to change')
    if (who && last.x.author !== who.user.index)
      throw new ConcurHttpError(403, 'Forbidden: only the author of the latest comment may change it')
    return last
  }
  const putLatest = async (c: Context<MockEnv>, who: Acting | null, report: FoundReport) => {
    const id = expenseIdOf(c, report)
    const body = await readJson(c, ExpenseV4CommentBody)
    const last = latestOf(report, id, who)
    const comments = [...(reportExtras(state, report.company, report.index).comments ?? [])]
    comments[last.i] = { ...last.x, comment: body.comment }
    syncComments(report, id, comments)
    return c.json({ uri: `${new URL(c.req.url).origin}${c.req.path}` }, 200)
  }
  const deleteLatest = (c: Context<MockEnv>, who: Acting | null, report: FoundReport) => {
    const id = expenseIdOf(c, report)
    const last = latestOf(report, id, who)
    const comments = (reportExtras(state, report.company, report.index).comments ?? []).filter(
      (_, i) => i !== last.i,
    )
    syncComments(report, id, comments)
    return c.body(null, 204)
  }
  const ctxReportComments = EXPENSE_V4_CONTEXTS.comments
  app.put(`${L}/comments`, write, (c) => {
    const { who, report } = longReport(c, ctxReportComments)
    return putLatest(c, who, report)
  })
  app.put(`${S}/comments`, write, (c) => putLatest(c, null, shortReport(c).report))
  app.delete(`${L}/comments`, write, (c) => {
    const { who, report } = longReport(c, ctxReportComments)
    return deleteLatest(c, who, report)
  })
  app.delete(`${S}/comments`, write, (c) => deleteLatest(c, null, shortReport(c).report))

  app.get(`${L}/expenses/:expenseId/comments`, read, (c) =>
    getExpenseComments(c, longReport(c, ctxComments).report),
  )
  app.get(`${S}/expenses/:expenseId/comments`, read, (c) => getExpenseComments(c, shortReport(c).report))
  app.post(`${L}/expenses/:expenseId/comments`, write, (c) => {
    const { who, report } = longReport(c, ctxComments)
    return postExpenseComment(c, report, who.user.index)
  })
  app.post(`${S}/expenses/:expenseId/comments`, write, (c) =>
    postExpenseComment(c, shortReport(c).report, null),
  )
  app.put(`${L}/expenses/:expenseId/comments`, write, (c) => {
    const { who, report } = longReport(c, ctxComments)
    return putLatest(c, who, report)
  })
  app.put(`${S}/expenses/:expenseId/comments`, write, (c) => putLatest(c, null, shortReport(c).report))
  app.delete(`${L}/expenses/:expenseId/comments`, write, (c) => {
    const { who, report } = longReport(c, ctxComments)
    return deleteLatest(c, who, report)
  })
  app.delete(`${S}/expenses/:expenseId/comments`, write, (c) => deleteLatest(c, null, shortReport(c).report))

  // Form fields --------------------------------------------------------------------------------
  app.get(`${S}/formFields`, read, (c) => {
    const { report } = shortReport(c)
    const ds = report.ds
    const wanted = c.req.query('policyId')
    const policy = wanted ?? String(report.record.PolicyID ?? '')
    if (wanted !== undefined && !GROUP_CONFIGS.some((_, i) => policyId(ds, i) === wanted))
      throw new ConcurHttpError(400, `Invalid request: policyId: the policy '${wanted}' does not exist`)
    const editable = UNSUBMITTED.has(String(report.record.ApprovalStatusCode))
    return c.json(formFields(`report-form/${policy}`, REPORT_FORM, editable), 200)
  })
  app.get(`${S}/expenses/:expenseId/formFields`, read, (c) => {
    const { report } = shortReport(c)
    const { found } = requireExpense(
      state,
      report.company,
      String(report.record.ID),
      c.req.param('expenseId'),
    )
    const wanted = c.req.query('expenseTypeId')
    if (wanted !== undefined && !(wanted in EXPENSE_TYPES))
      throw new ConcurHttpError(
        400,
        `Invalid request: expenseTypeId: the expense type '${wanted}' does not exist`,
      )
    const type = wanted ?? String(found.record.ExpenseTypeCode ?? '')
    const mileage = type === 'MILEG'
    const editable = UNSUBMITTED.has(String(report.record.ApprovalStatusCode))
    return c.json(
      formFields(
        mileage ? 'expense-form/mileage' : 'expense-form/regular',
        mileage ? [...EXPENSE_FORM, ...MILEAGE_FIELDS] : EXPENSE_FORM,
        editable,
      ),
      200,
    )
  })

  // Taxes --------------------------------------------------------------------------------------
  app.get(`${S}/expenses/:expenseId/taxes`, read, (c) => {
    const { report } = shortReport(c)
    const { found } = requireExpense(
      state,
      report.company,
      String(report.record.ID),
      c.req.param('expenseId'),
    )
    return c.json({ expenseTaxes: taxesOf(state, report, found.record) }, 200)
  })
  app.patch(`${S}/expenses/:expenseId/tax/:taxAuthorityId`, taxWrite, async (c) => {
    const { report } = shortReport(c)
    const { found } = requireExpense(
      state,
      report.company,
      String(report.record.ID),
      c.req.param('expenseId'),
    )
    const authority = c.req.param('taxAuthorityId')
    const current = taxesOf(state, report, found.record).find((t) => t.taxAuthorityId === authority)
    if (!current) throw new ConcurHttpError(404, `Tax authority ${authority} was not found on this expense`)
    const body = await readJson(c, ExpenseV4TaxPatch)
    if (body.taxAuthorityId !== undefined && body.taxAuthorityId !== authority)
      throw new ConcurHttpError(
        400,
        'Invalid request: taxAuthorityId: does not match the taxAuthorityId of the URL',
      )
    requireNotPaid(report)
    const { customData, taxAuthorityId: _, ...fields } = body
    const merged: Record<string, unknown> = { ...current, ...fields }
    if (customData) {
      const byId = new Map((current.customData ?? []).map((d) => [d.id, d]))
      for (const d of customData)
        if (d.value === null || d.value === undefined) byId.delete(d.id)
        else byId.set(d.id, { id: d.id, value: d.value, isValid: d.isValid ?? true, listItemUrl: null })
      merged.customData = [...byId.values()]
    }
    const taxes = {
      ...(reportExtras(state, report.company, report.index).taxes ?? {}),
      [`${String(found.record.ID)}/${authority}`]: merged,
    }
    setReportExtras(state, report.company, report.index, { taxes })
    touchReport(state, report)
    return c.body(null, 204)
  })

  // Cash advances ------------------------------------------------------------------------------
  const cashAdvancesUri = (c: Context<MockEnv>, report: FoundReport) =>
    `${new URL(c.req.url).origin}${EXPENSE_V4_BASE}/reports/${String(report.record.ID)}/cashAdvances`
  const requireEditable = (report: FoundReport, what: string) => {
    if (!UNSUBMITTED.has(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(
        409,
        `Report ${String(report.record.ID)} is submitted: its ${what} cannot change`,
      )
  }
  app.get(`${S}/cashAdvances`, read, (c) => {
    const { report } = shortReport(c)
    const ids = reportExtras(state, report.company, report.index).cashAdvanceIds ?? []
    return c.json({ cashAdvances: ids.map((id) => ({ id })) }, 200)
  })
  app.post(`${S}/cashAdvances`, write, async (c) => {
    const { report } = shortReport(c)
    const body = await readJson(c, ExpenseV4CashAdvancesPost)
    requireEditable(report, 'cash advances')
    const known = ownerCashAdvances(state, report)
    const bad = body.cashAdvanceIds.find((id) => !known.has(id))
    if (bad !== undefined)
      throw new ConcurHttpError(
        400,
        `Invalid request: cashAdvanceIds: cash advance ${bad} is not one of the report owner's cash advances`,
      )
    setReportExtras(state, report.company, report.index, {
      cashAdvanceIds: [...new Set(body.cashAdvanceIds)],
    })
    touchReport(state, report)
    return c.json({ uri: cashAdvancesUri(c, report) }, 201)
  })
  app.delete(`${S}/cashAdvances`, write, (c) => {
    const { report } = shortReport(c)
    const raw = new URL(c.req.url).searchParams.getAll('cashAdvanceIds').flatMap((v) => v.split(','))
    const ids = raw.map((v) => v.trim()).filter((v) => v !== '')
    if (ids.length === 0) throw new ConcurHttpError(400, 'Invalid request: cashAdvanceIds: required')
    requireEditable(report, 'cash advances')
    const current = reportExtras(state, report.company, report.index).cashAdvanceIds ?? []
    const missing = ids.find((id) => !current.includes(id))
    if (missing !== undefined)
      throw new ConcurHttpError(404, `Cash advance ${missing} is not associated with this report`)
    setReportExtras(state, report.company, report.index, {
      cashAdvanceIds: current.filter((id) => !ids.includes(id)),
    })
    touchReport(state, report)
    return c.body(null, 204)
  })

  // Request associations -----------------------------------------------------------------------
  app.get(`${L}/requestassociations`, read, (c) => {
    const { report } = longReport(c, EXPENSE_V4_PART_CONTEXTS.requestAssociations)
    return c.json({ requests: requestAssociationsOf(state, report) }, 200)
  })

  // Cost objects for the approver --------------------------------------------------------------
  app.get(`${EXPENSE_V4_BASE}/users/:userId/reports/:reportId/costObjectsForApprover`, read, (c) => {
    const who = acting(state, c, null)
    const report = reportOf(state, who.company, c.req.param('reportId') ?? '')
    const approver = approverOf(report)
    if (approver !== who.user.index && ownerOf(report) !== who.user.index)
      throw new ConcurHttpError(
        403,
        `Forbidden: report ${String(report.record.ID)} is neither this user's nor theirs to approve`,
      )
    return c.json(costObjectsOf(state, report, who.user.index), 200)
  })

  // Expense PATCH (submitted report, company token) and DELETE ---------------------------------
  app.patch(`${S}/expenses/:expenseId`, write, async (c) => {
    const { report } = shortReport(c)
    const id = c.req.param('expenseId')
    const { key, found } = requireExpense(state, report.company, String(report.record.ID), id)
    const body = await readJson(c, ExpenseV4ExpensePatch)
    if (UNSUBMITTED.has(String(report.record.ApprovalStatusCode)))
      throw new ConcurHttpError(
        409,
        `Report ${String(report.record.ID)} is not submitted: this PATCH changes expenses of submitted reports only`,
      )
    requireNotPaid(report)
    const rec: WireRecord = { ...found.record }
    if (body.businessPurpose !== undefined) rec.Description = body.businessPurpose
    if (body.isPaperReceiptReceived !== undefined) rec.ReceiptReceived = body.isPaperReceiptReceived
    Object.assign(rec, customFieldsOf(rec, body.customData))
    stampModified(key, rec, state.clock.now())
    writeRecord(state, report.company, key, found, rec)
    if (body.isExpenseRejected !== undefined)
      setReportExtras(state, report.company, report.index, {
        rejected: {
          ...(reportExtras(state, report.company, report.index).rejected ?? {}),
          [id]: body.isExpenseRejected,
        },
      })
    touchReport(state, report)
    return c.body(null, 204)
  })
  app.delete(`${S}/expenses/:expenseId`, write, (c) => {
    const { report } = shortReport(c)
    const id = c.req.param('expenseId')
    const { key, found } = requireExpense(state, report.company, String(report.record.ID), id)
    requireEditable(report, 'expenses')
    const ds = report.ds
    // Its itemizations, allocations and attendee associations go with it.
    const children =
      key === 'expense-entries'
        ? scanAll(state, report.company, 'expense-itemizations', new Map([['entryID', id]]))
        : []
    for (const child of [found.record, ...children]) {
      const cid = String(child.ID)
      for (const a of allocationsOf(state, report.company, cid)) {
        const f = findRecord(
          ds,
          providerOf('expense-allocations')!,
          overlaysOf(state).peek(report.company.id, 'expense-allocations'),
          String(a.ID),
        )
        if (f) writeRecord(state, report.company, 'expense-allocations', f, null)
      }
    }
    for (const child of children) {
      const f = expenseOf(state, report.company, String(report.record.ID), String(child.ID))
      if (f) writeRecord(state, report.company, f.key, f.found, null)
    }
    for (const a of scanAll(
      state,
      report.company,
      'entry-attendee-associations',
      new Map([['entryID', id]]),
    )) {
      const f = findRecord(
        ds,
        providerOf('entry-attendee-associations')!,
        overlaysOf(state).peek(report.company.id, 'entry-attendee-associations'),
        String(a.ID),
      )
      if (f && String(f.record.EntryID) === id)
        writeRecord(state, report.company, 'entry-attendee-associations', f, null)
    }
    writeRecord(state, report.company, key, found, null)
    if (key === 'expense-entries') {
      const amount = typeof found.record.TransactionAmount === 'number' ? found.record.TransactionAmount : 0
      adjustReportTotals(ds, overlaysOf(state), String(report.record.ID), -amount, state.clock.now())
    }
    // Exceptions of the deleted expense go too.
    const extras: ReportExtras = reportExtras(state, report.company, report.index)
    if (extras.exceptions)
      setReportExtras(state, report.company, report.index, {
        exceptions: extras.exceptions.filter((x) => x.expenseId !== id && x.parentExpenseId !== id),
      })
    touchReport(state, report)
    return c.body(null, 204)
  })

  return app
}

/**
 * The cost objects of a report for an approver: one per cost center (the report's `OrgUnit1`),
 * holding every entry; amounts in the report's currency.
 */
export function costObjectsOf(state: MockState, report: FoundReport, caller: number): ExpenseV4CostObject[] {
  const currency = typeof report.record.CurrencyCode === 'string' ? report.record.CurrencyCode : 'USD'
  const money = (v: unknown) => ({ value: typeof v === 'number' ? v : 0, currencyCode: currency })
  const entries = scanAll(
    state,
    report.company,
    'expense-entries',
    new Map([['reportID', String(report.record.ID)]]),
  ).filter((e) => e.ReportID === report.record.ID)
  const org = report.record.OrgUnit1 as { Value?: unknown } | string | null | undefined
  const name = typeof org === 'string' ? org : typeof org?.Value === 'string' ? org.Value : null
  const approver = approverOf(report)
  const sum = (k: string) =>
    cents(entries.reduce((t, e) => t + (typeof e[k] === 'number' ? (e[k] as number) : 0), 0))
  const pending = PENDING.has(String(report.record.ApprovalStatusCode))
  return [
    {
      name,
      approvedAmount: money(sum('ApprovedAmount')),
      claimedAmount: money(sum('PostedAmount')),
      approverId: approver === undefined ? null : userIdOf(report.ds, approver),
      expenses: entries.map((e) => ({
        id: String(e.ID),
        approvedAmount: money(e.ApprovedAmount),
        claimedAmount: money(e.PostedAmount),
        postedAmount: money(e.PostedAmount),
      })),
      isOwnedByCaller: approver === caller,
      isFullyApproved: report.record.ApprovalStatusCode === 'A_APPR',
      isApprovableAsUser: pending && approver === caller,
      isApprovableAsDelegate: false,
    },
  ]
}
