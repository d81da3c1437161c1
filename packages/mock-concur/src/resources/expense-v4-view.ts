import {
  EXPENSE_V4_BASE,
  type ExpenseV4Allocation,
  type ExpenseV4Comment,
  type ExpenseV4ContextType,
  type ExpenseV4ExpenseAttendee,
  type ExpenseV4ExpenseDetail,
  type ExpenseV4ExpenseSummary,
  type ExpenseV4Report,
  type ExpenseV4ReportToApprove,
} from '@concurkit/contract'
import { expenseV4ReportFromV3, v4DateOf } from '@concurkit/contract/internal'
import type { MockCompany } from '../companies.js'
import { type Dataset, datasetOf, userIndexOfLogin, userOf } from '../dataset/dataset.js'
import type { ResourceOverlay } from '../dataset/overlay.js'
import { providerOf, type WireRecord } from '../dataset/providers.js'
import { scanPage } from '../dataset/scan.js'
import { EXPENSE_TYPES, PAYMENT_TYPES } from '../dataset/tables.js'
import type { MockState } from '../state.js'
import { overlaysOf } from './engine.js'
import { type FoundRecord, findRecord } from './writes.js'

/**
 * The Expense v4 view of the mock's one report dataset: a v4 report, expense or itemization is the
 * v3.0 record read through the contract's mapping; what v4 has and v3.0 does not (business purpose,
 * start and end dates, the comment history) lives beside the record in an overlay of its own,
 * keyed by the report's index, so `reset()` clears it with every other write.
 */

/** v4-only fields of one report. */
export interface ReportExtras {
  readonly businessPurpose?: string | null
  readonly startDate?: string | null
  readonly endDate?: string | null
  readonly comments?: readonly StoredComment[]
  /** `noShowAttendeeCount` per expense id. */
  readonly noShows?: Readonly<Record<string, number>>
  /** The exception list once an exception was written (derived from the records until then). */
  readonly exceptions?: readonly StoredException[]
  /** Tax fields written through PATCH, by `expenseId/taxAuthorityId`. */
  readonly taxes?: Readonly<Record<string, Record<string, unknown>>>
  /** Cash advances associated with the report. */
  readonly cashAdvanceIds?: readonly string[]
  /** `isExpenseRejected` per expense id, as the short-URL expense PATCH set it. */
  readonly rejected?: Readonly<Record<string, boolean>>
}

/** An exception as the mock keeps it (the wire `ReportException`). */
export interface StoredException {
  readonly exceptionCode: string
  readonly exceptionVisibility: 'ALL' | 'APPROVER_PROCESSOR' | 'PROCESSOR'
  readonly isBlocking: boolean
  readonly message: string
  readonly allocationId: string | null
  readonly expenseId: string | null
  readonly parentExpenseId: string | null
}

/** A comment as the mock keeps it. */
export interface StoredComment {
  readonly comment: string
  readonly author: number | null
  readonly createdFor: number | null
  readonly creationMs: number
  readonly expenseId: string | null
}

const EXTRAS = 'expense-v4-report-extras'

function extrasOverlay(state: MockState, company: MockCompany): ResourceOverlay {
  return overlaysOf(state).of(company.id, EXTRAS)
}

/** The v4-only fields of report *index* (empty when never written through v4). */
export function reportExtras(state: MockState, company: MockCompany, index: number): ReportExtras {
  return (overlaysOf(state).peek(company.id, EXTRAS)?.patches.get(index) ?? {}) as ReportExtras
}

/** Merges v4-only fields of report *index*. */
export function setReportExtras(
  state: MockState,
  company: MockCompany,
  index: number,
  patch: ReportExtras,
): void {
  const next = { ...reportExtras(state, company, index), ...patch }
  extrasOverlay(state, company).patch(index, next as Record<string, unknown>)
}

/** A report found by its id, with its dataset. */
export interface FoundReport extends FoundRecord {
  readonly ds: Dataset
  readonly company: MockCompany
}

/** The report with this id in the company (seeded, patched or created), or undefined. */
export function findReport(
  state: MockState,
  company: MockCompany,
  reportId: string,
): FoundReport | undefined {
  const ds = datasetOf(state.options.seed, company)
  const provider = providerOf('expense-reports')!
  const overlay = overlaysOf(state).peek(company.id, 'expense-reports')
  const found = findRecord(ds, provider, overlay, reportId)
  return found ? { ...found, ds, company } : undefined
}

/** The owner's user index of a report. */
export function ownerOf(report: FoundReport): number | undefined {
  if (report.owner !== undefined) return report.owner
  const login = report.record.OwnerLoginID
  return typeof login === 'string' ? userIndexOfLogin(report.ds, login) : undefined
}

/** The approver's user index of a report (set at submission). */
export function approverOf(report: FoundReport): number | undefined {
  const login = report.record.ApproverLoginID
  return typeof login === 'string' ? userIndexOfLogin(report.ds, login) : undefined
}

/** Absolute long URL of a report as `userId` in `context`. */
export function reportLongUrl(
  origin: string,
  userId: string,
  context: ExpenseV4ContextType,
  reportId: string,
): string {
  return `${origin}${EXPENSE_V4_BASE}/users/${userId}/context/${context}/reports/${reportId}`
}

/** The v4 report (`ReportDetails`) of a found report, its self link the long URL of `context`. */
export function reportV4(
  state: MockState,
  report: FoundReport,
  origin: string,
  context: ExpenseV4ContextType,
): ExpenseV4Report {
  const owner = ownerOf(report)
  const user = owner === undefined ? undefined : userOf(report.ds, owner)
  const extras = reportExtras(state, report.company, report.index)
  const userId = user?.id ?? null
  return expenseV4ReportFromV3(report.record, {
    userId,
    employeeId: user?.employeeId ?? null,
    selfHref: reportLongUrl(origin, userId ?? '', context, String(report.record.ID)),
    extras: {
      businessPurpose: extras.businessPurpose ?? null,
      startDate: extras.startDate ?? null,
      endDate: extras.endDate ?? null,
    },
  })
}

/** A `ReportToApprove` of a pending report. */
export function reportToApprove(
  state: MockState,
  report: FoundReport,
  origin: string,
  approverIndex: number,
): ExpenseV4ReportToApprove {
  const full = reportV4(state, report, origin, 'MANAGER')
  const approver = userOf(report.ds, approverIndex)
  const approverUrl = reportLongUrl(origin, approver.id, 'MANAGER', full.reportId)
  return {
    name: full.name ?? null,
    reportDate: full.reportDate ?? null,
    reportId: full.reportId,
    reportNumber: full.reportNumber ?? null,
    submitDate: full.submitDate ?? null,
    approver: { employeeId: approver.employeeId, employeeUuid: approver.id },
    employee: full.employee ?? null,
    amountDueEmployee: full.amountDueEmployee ?? null,
    claimedAmount: full.claimedAmount ?? null,
    totalApprovedAmount: full.approvedAmount ?? null,
    hasExceptions: report.record.HasException === true,
    reportType: full.reportType ?? 'Regular',
    links: [{ rel: 'self', href: approverUrl, method: 'GET', isTemplated: false }],
  }
}

/** Every record of a resource matching `filters` (a full scan through the overlay, in walk order). */
export function scanAll(
  state: MockState,
  company: MockCompany,
  key: string,
  filters: ReadonlyMap<string, string>,
): WireRecord[] {
  const ds = datasetOf(state.options.seed, company)
  const provider = providerOf(key)!
  const overlay = overlaysOf(state).peek(company.id, key)
  const out: WireRecord[] = []
  let from: number | null = 0
  while (from !== null) {
    const page = scanPage(ds, provider, overlay, { filters, owner: undefined }, from, 1000)
    for (const r of page.records) out.push(r.record)
    from = page.next
  }
  return out
}

const ALLOCATION_STATE: Readonly<Record<string, ExpenseV4ExpenseSummary['allocationState']>> = {
  N: 'NOT_ALLOCATED',
  P: 'PARTIALLY_ALLOCATED',
  F: 'FULLY_ALLOCATED',
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0)
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)

/**
 * The v4 expense summary of a v3.0 entry (or itemization: `parentExpenseId` is its entry).
 * `links` are the expense's long URLs for `userId` in `context`.
 */
export function expenseSummaryV4(
  record: WireRecord,
  reportCurrency: string,
  base: string,
): ExpenseV4ExpenseSummary {
  const code = String(record.ExpenseTypeCode ?? '')
  const type = EXPENSE_TYPES[code as keyof typeof EXPENSE_TYPES]
  const txCurrency = text(record.TransactionCurrencyCode) ?? reportCurrency
  const payment = PAYMENT_TYPES.find((p) => p.name === record.PaymentTypeName)
  const location = text(record.LocationName)
  const self = `${base}/expenses/${String(record.ID)}`
  return {
    expenseId: String(record.ID),
    allocationSetId: null,
    allocationState: ALLOCATION_STATE[String(record.AllocationType ?? 'N')] ?? 'NOT_ALLOCATED',
    approvedAmount: { value: num(record.ApprovedAmount), currencyCode: reportCurrency },
    approverAdjustedAmount: { value: num(record.ApprovedAmount), currencyCode: reportCurrency },
    attendeeCount: null,
    businessPurpose: text(record.Description),
    claimedAmount: { value: num(record.PostedAmount), currencyCode: reportCurrency },
    ereceiptImageId: text(record.ElectronicReceiptID),
    exchangeRate: {
      value: typeof record.ExchangeRate === 'number' ? record.ExchangeRate : 1,
      operation: 'MULTIPLY',
    },
    expenseType: {
      id: code,
      name: text(record.ExpenseTypeName),
      code: type?.expenseCode ?? 'OTHER',
      isDeleted: false,
    },
    hasBlockingExceptions: false,
    hasExceptions: record.HasExceptions === true,
    hasMissingReceiptDeclaration: false,
    imageCertificationStatus: null,
    isAutoCreated: false,
    isImageRequired: record.IsImageRequired === true,
    isPaperReceiptRequired: false,
    isPersonalExpense: record.IsPersonal === true,
    links: [
      { rel: 'self', href: self, method: 'GET', isTemplated: false },
      { rel: 'itemizations', href: `${self}/itemizations`, method: 'GET', isTemplated: false },
      { rel: 'comments', href: `${self}/comments`, method: 'GET', isTemplated: false },
    ],
    location: location
      ? {
          id: text(record.LocationID),
          name: location,
          city: location.split(',')[0]!.trim(),
          countrySubDivisionCode: text(record.LocationSubdivision),
          countryCode: text(record.LocationCountry),
        }
      : null,
    paymentType: payment
      ? { id: payment.code, name: payment.name, code: payment.code }
      : record.PaymentTypeID
        ? { id: String(record.PaymentTypeID), name: text(record.PaymentTypeName), code: null }
        : null,
    postedAmount: { value: num(record.PostedAmount), currencyCode: reportCurrency },
    receiptImageId: null,
    ticketNumber: null,
    transactionAmount: { value: num(record.TransactionAmount), currencyCode: txCurrency },
    transactionDate: v4DateOf(record.TransactionDate) ?? '',
    travelAllowance: {
      dailyLimitAmount: null,
      dailyTravelAllowanceId: null,
      isExpensePartOfTravelAllowance: false,
    },
    vendor: text(record.VendorDescription)
      ? { id: null, name: text(record.VendorDescription), description: text(record.VendorDescription) }
      : null,
  }
}

/** The v4 expense detail of a v3.0 entry. */
export function expenseDetailV4(
  record: WireRecord,
  reportCurrency: string,
  base: string,
): ExpenseV4ExpenseDetail {
  const journey = record.Journey as Record<string, unknown> | null | undefined
  const customData = Object.entries(record)
    .filter(([k, v]) => /^(Custom|OrgUnit)\d+$/.test(k) && v !== null && v !== undefined)
    .map(([k, v]) => ({
      id: k.replace(/^Custom/, 'custom').replace(/^OrgUnit/, 'orgUnit'),
      value: typeof v === 'string' ? v : String((v as { Value?: unknown }).Value ?? ''),
      isValid: true,
      listItemUrl: null,
    }))
  return {
    ...expenseSummaryV4(record, reportCurrency, base),
    authorizationRequestExpenseId: null,
    budgetAccrualDate: null,
    customData,
    expenseTaxSummary: null,
    isExcludedFromCashAdvanceByUser: false,
    isExpenseBillable: record.IsBillable === true,
    isExpenseRejected: false,
    isPaperReceiptReceived: record.ReceiptReceived === true,
    merchantTaxId: null,
    mileage: journey
      ? {
          totalDistance: num(journey.BusinessDistance) + num(journey.PersonalDistance),
          personalDistance: journey.PersonalDistance ?? null,
          odometerStart: journey.OdometerStart ?? null,
          odometerEnd: journey.OdometerEnd ?? null,
          passengerCount: journey.NumberOfPassengers ?? null,
          vehicleId: journey.VehicleID ?? null,
        }
      : null,
    parentExpenseId: text(record.EntryID),
    receiptType: { id: text(record.TaxReceiptType), status: null },
    taxRateLocation: 'HOME',
    travel: null,
  }
}

/** The v4 `CommentDetails` of a stored comment. */
export function commentV4(ds: Dataset, c: StoredComment, isLatest: boolean): ExpenseV4Comment {
  const who = (u: number | null) => (u === null ? null : userOf(ds, u))
  const author = who(c.author)
  const createdFor = who(c.createdFor)
  return {
    comment: c.comment,
    author: author ? { employeeId: author.employeeId, employeeUuid: author.id } : null,
    createdForEmployee: createdFor
      ? { employeeId: createdFor.employeeId, employeeUuid: createdFor.id }
      : null,
    createdForEmployeeId: createdFor?.id ?? null,
    creationDate: new Date(c.creationMs).toISOString(),
    expenseId: c.expenseId,
    isAuditorComment: false,
    isLatest,
    stepInstanceId: null,
  }
}

/** Custom fields of a v3.0 record as v4 `customData` (`Custom1` → `custom1`, `OrgUnit1` → `orgUnit1`). */
export function customDataOf(record: WireRecord): ExpenseV4Allocation['customData'] {
  return Object.entries(record)
    .filter(([k, v]) => /^(Custom|OrgUnit)\d+$/.test(k) && v !== null && v !== undefined)
    .map(([k, v]) => ({
      id: k.replace(/^Custom/, 'custom').replace(/^OrgUnit/, 'orgUnit'),
      value: typeof v === 'string' ? v : String((v as { Value?: unknown }).Value ?? ''),
      isValid: true,
      listItemUrl: null,
    }))
}

/**
 * The v4 allocation of a v3.0 allocation: amounts are the percentage of its expense's posted
 * (claimed) and approved amounts, in the report's currency.
 */
export function allocationV4(record: WireRecord, expense: WireRecord, currency: string): ExpenseV4Allocation {
  const pct = Number(record.Percentage ?? 100)
  const share = (v: unknown) => ({ value: Math.round(num(v) * pct) / 100, currencyCode: currency })
  return {
    allocationId: String(record.ID),
    expenseId: String(record.EntryID),
    accountCode: text(record.AccountCode1),
    overLimitAccountCode: text(record.AccountCode2),
    allocationAmount: share(expense.PostedAmount),
    approvedAmount: share(expense.ApprovedAmount),
    claimedAmount: share(expense.PostedAmount),
    customData: customDataOf(record),
    isPercentEdited: record.IsPercentEdited === true,
    isSystemAllocation: record.IsHidden === true,
    percentage: Number.isFinite(pct) ? pct : 100,
  }
}

/** The v4 attendee of a v3.0 entry–attendee association (amounts in the expense's transaction currency). */
export function expenseAttendeeV4(association: WireRecord, currency: string): ExpenseV4ExpenseAttendee {
  const amount = { value: num(association.Amount), currencyCode: currency }
  return {
    attendeeId: String(association.AttendeeID),
    customData: Object.entries(association)
      .filter(([k, v]) => /^Custom\d+$/.test(k) && typeof v === 'string')
      .map(([k, v]) => ({
        id: k.replace('Custom', 'custom'),
        value: v as string,
        isValid: true,
        listItemUrl: null,
      })),
    isAmountUserEdited: false,
    isTraveling: null,
    associatedAttendeeCount:
      typeof association.AssociatedAttendeeCount === 'number' ? association.AssociatedAttendeeCount : 1,
    versionNumber: 1,
    transactionAmount: amount,
    approvedAmount: amount,
  }
}
