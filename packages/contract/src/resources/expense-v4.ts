import { z } from 'zod'

/**
 * Expense v4 wire shapes (`/expensereports/v4`, concur-api-v4 §3; swagger Reports.swagger.json,
 * "Expense Report Service 4.0"): reports, expenses, itemizations, comments, the workflow bodies, the
 * `ErrorMessage` error body, and the one place where the v3.0 and v4 views of a report meet
 * ({@link EXPENSE_V4_REPORT_FIELDS}, {@link expenseV4ReportFromV3}).
 *
 * Expense v4 has no collection paging: list endpoints answer bare JSON arrays, and there is no
 * "list reports" endpoint (reports are discovered through ESS events, `reportsToApprove` or the
 * v3.0 list).
 *
 * @example
 * const report = ExpenseV4Report.parse(await res.json())
 * report.approvalStatusId // 'A_NOTF'
 */

/** Base path of Expense v4. */
export const EXPENSE_V4_BASE = '/expensereports/v4'

/** The Expense v4 scopes: read (GET), readwrite (POST/PATCH/PUT/DELETE), workflow actions. */
export const EXPENSE_V4_SCOPES = {
  read: 'expense.report.read',
  readwrite: 'expense.report.readwrite',
  workflow: 'expense.report.workflowstatus.write',
} as const
export type ExpenseV4Scope = (typeof EXPENSE_V4_SCOPES)[keyof typeof EXPENSE_V4_SCOPES]

/** `contextType` of a long URL: decides what the caller may see and do. */
export const ExpenseV4ContextType = z.enum(['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY'])
export type ExpenseV4ContextType = z.infer<typeof ExpenseV4ContextType>

/** Which `contextType` values each long-URL operation accepts (concur-api-v4 §3.1, md text). */
export const EXPENSE_V4_CONTEXTS = {
  getReport: ['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY'],
  writeReport: ['TRAVELER', 'PROXY'],
  reportsToApprove: ['MANAGER'],
  approve: ['MANAGER'],
  sendBack: ['MANAGER'],
  recall: ['TRAVELER', 'PROXY'],
  expenses: ['TRAVELER', 'PROXY'],
  attendees: ['TRAVELER', 'PROXY'],
  allocations: ['TRAVELER', 'MANAGER', 'PROXY'],
  comments: ['TRAVELER', 'MANAGER', 'PROXY'],
} as const satisfies Record<string, readonly ExpenseV4ContextType[]>

/** `Amount`: a value and its ISO 4217 currency (`525.00000000`, `0E-8` on the wire). */
export const ExpenseV4Amount = z.looseObject({ value: z.number(), currencyCode: z.string() })
export type ExpenseV4Amount = z.infer<typeof ExpenseV4Amount>

/** A `links` entry (HATEOAS); the report sample prints the optional members as `null`. */
export const ExpenseV4Link = z.looseObject({
  rel: z.string(),
  href: z.string(),
  method: z.string(),
  isTemplated: z.boolean(),
  hreflang: z.string().nullish(),
  media: z.string().nullish(),
  title: z.string().nullish(),
  type: z.string().nullish(),
  deprecation: z.string().nullish(),
})
export type ExpenseV4Link = z.infer<typeof ExpenseV4Link>

/** `CustomData`: a custom or org-unit field (`custom1`, `orgUnit1`); a list value is its list item id. */
export const ExpenseV4CustomData = z.looseObject({
  id: z.string(),
  value: z.string().max(48).nullish(),
  isValid: z.boolean().optional(),
  listItemUrl: z.string().nullish(),
})
export type ExpenseV4CustomData = z.infer<typeof ExpenseV4CustomData>

/** A `customData` entry of a request body (`id`, `value`, optional `isValid`). */
export const ExpenseV4CustomDataInput = z.strictObject({
  id: z.string().min(1),
  value: z.string().max(48).nullish(),
  isValid: z.boolean().optional(),
})

/** `Employee`: who a report belongs to or who approves it. */
export const ExpenseV4Employee = z.looseObject({
  employeeId: z.string().nullish(),
  employeeUuid: z.string().nullish(),
})
export type ExpenseV4Employee = z.infer<typeof ExpenseV4Employee>

/**
 * `ErrorMessage`, the Expense v4 error body. `httpStatus` is the code and its phrase
 * (`"409 Conflict"`).
 *
 * @example
 * ExpenseV4Error.parse(await res.json()).errorMessage
 */
export const ExpenseV4Error = z.looseObject({
  timestamp: z.string(),
  httpStatus: z.string(),
  errorMessage: z.string(),
  path: z.string(),
  errorId: z.string().optional(),
  validationErrors: z
    .array(z.looseObject({ id: z.string().optional(), message: z.string(), source: z.string().optional() }))
    .optional(),
  customResponseData: z.record(z.string(), z.unknown()).optional(),
})
export type ExpenseV4Error = z.infer<typeof ExpenseV4Error>

const amount = () => ExpenseV4Amount.nullish()
const str = () => z.string().nullish()
const bool = () => z.boolean().nullish()

/**
 * `ReportDetails` (swagger `ReportForm`): one report as `GET …/reports/{reportId}` answers it.
 *
 * @example
 * ExpenseV4Report.parse(body).claimedAmount?.value
 */
export const ExpenseV4Report = z.looseObject({
  reportId: z.string(),
  reportNumber: str(),
  name: str(),
  userId: str(),
  employee: ExpenseV4Employee.nullish(),
  submitterId: str(),
  sponsorId: str(),
  approvalStatus: z.string(),
  approvalStatusId: z.string(),
  paymentStatus: z.string(),
  paymentStatusId: z.string(),
  concurAuditStatus: str(),
  reportDate: str(),
  startDate: str(),
  endDate: str(),
  creationDate: z.string(),
  submitDate: str(),
  reportType: str(),
  reportVersion: z.number().int().nullish(),
  businessPurpose: str(),
  policy: str(),
  policyId: str(),
  ledger: str(),
  ledgerId: str(),
  country: str(),
  countryCode: str(),
  countrySubDivisionCode: str(),
  currency: str(),
  currencyCode: z.string(),
  analyticsGroupId: str(),
  hierarchyNodeId: str(),
  allocationFormId: str(),
  reportFormId: str(),
  redirectFund: z.looseObject({}).nullish(),
  customData: z.array(ExpenseV4CustomData).nullish(),
  links: z.array(ExpenseV4Link).nullish(),
  defaultFieldAccess: z.enum(['RO', 'HD', 'RW']).nullish(),
  imageStatus: str(),
  receiptStatus: str(),
  canAddExpense: bool(),
  canRecall: bool(),
  canReopen: bool(),
  isFinancialIntegrationEnabled: bool(),
  isPaperReceiptsReceived: bool(),
  isReceiptImageAvailable: bool(),
  isReceiptImageRequired: bool(),
  isReopened: bool(),
  isReportEverSentBack: bool(),
  isSentBack: bool(),
  isSubmitted: bool(),
  amountCompanyPaid: amount(),
  amountDueCompany: amount(),
  amountDueCompanyCard: amount(),
  amountDueEmployee: amount(),
  amountNotApproved: amount(),
  approvedAmount: amount(),
  claimedAmount: amount(),
  paymentConfirmedAmount: amount(),
  personalAmount: amount(),
  reportTotal: amount(),
})
export type ExpenseV4Report = z.infer<typeof ExpenseV4Report>

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')

/**
 * `NewReport`: body of `POST …/users/{userId}/context/{contextType}/reports` (swagger requires
 * `name` and `policyId`; the documented example has both).
 *
 * @example
 * ExpenseV4NewReport.parse({ name: 'July', policyId: '0a3f…' })
 */
export const ExpenseV4NewReport = z.strictObject({
  name: z.string().min(1).max(40),
  policyId: z.string().min(1),
  policy: z.string().optional(),
  businessPurpose: z.string().max(64).optional(),
  comment: z.string().max(2000).optional(),
  country: z.string().optional(),
  countryCode: z.string().length(2).optional(),
  countrySubDivisionCode: z.string().max(6).optional(),
  customData: z.array(ExpenseV4CustomDataInput).optional(),
  reportDate: date.optional(),
  startDate: date.optional(),
  endDate: date.optional(),
})
export type ExpenseV4NewReport = z.infer<typeof ExpenseV4NewReport>

/** `UpdateReport`: the JSON Merge Patch body of an unsubmitted report (long URL); `reportSource` is required. */
export const ExpenseV4ReportPatch = z.strictObject({
  reportSource: z.enum(['EA', 'MOB', 'OTHER', 'SE', 'TR', 'UI']),
  name: z.string().min(1).max(40).optional(),
  businessPurpose: z.string().max(64).nullish(),
  comment: z.string().max(2000).nullish(),
  country: z.string().nullish(),
  countryCode: z.string().length(2).nullish(),
  countrySubDivisionCode: z.string().max(6).nullish(),
  customData: z.array(ExpenseV4CustomDataInput).optional(),
  startDate: date.nullish(),
  endDate: date.nullish(),
  reportDate: date.nullish(),
  isCopyDownInherited: z.boolean().optional(),
  isPaperReceiptsReceived: z.boolean().optional(),
  policy: z.string().optional(),
  policyId: z.string().optional(),
  redirectFund: z.strictObject({ amount: z.number(), creditCardId: z.string() }).nullish(),
})
export type ExpenseV4ReportPatch = z.infer<typeof ExpenseV4ReportPatch>

/** The JSON Merge Patch body of a submitted report (short URL, company token): the few fields still editable. */
export const ExpenseV4SubmittedReportPatch = z.strictObject({
  businessPurpose: z.string().max(64).nullish(),
  comment: z.string().max(2000).nullish(),
  customData: z.array(ExpenseV4CustomDataInput).optional(),
  name: z.string().min(1).max(40).optional(),
  isPaperReceiptsReceived: z.boolean().optional(),
})
export type ExpenseV4SubmittedReportPatch = z.infer<typeof ExpenseV4SubmittedReportPatch>

/** `{"uri": …}`: the answer of a POST (201) and of a comment PUT (200). */
export const ExpenseV4UriResponse = z.looseObject({ uri: z.string() })
export type ExpenseV4UriResponse = z.infer<typeof ExpenseV4UriResponse>

/** `ReportToApprove`: one entry of `GET …/context/MANAGER/reportsToApprove`. */
export const ExpenseV4ReportToApprove = z.looseObject({
  reportId: z.string(),
  reportNumber: str(),
  name: str(),
  reportDate: str(),
  submitDate: str(),
  approver: ExpenseV4Employee.nullish(),
  employee: ExpenseV4Employee.nullish(),
  amountDueEmployee: amount(),
  claimedAmount: amount(),
  totalApprovedAmount: amount(),
  hasExceptions: bool(),
  reportType: str(),
  links: z.array(ExpenseV4Link).nullish(),
})
export type ExpenseV4ReportToApprove = z.infer<typeof ExpenseV4ReportToApprove>

/** The `sort` values of `reportsToApprove` (default `reportDate`). */
export const EXPENSE_V4_APPROVAL_SORTS = [
  'amountDueEmployee',
  'claimedAmount',
  'employeeFirstName',
  'employeeLastName',
  'name',
  'reportDate',
  'submitDate',
] as const

/** Query of `reportsToApprove`. */
export const ExpenseV4ReportsToApproveQuery = z.strictObject({
  sort: z.enum(EXPENSE_V4_APPROVAL_SORTS).default('reportDate'),
  order: z.enum(['asc', 'desc']).default('desc'),
  includeDelegateApprovals: z.enum(['true', 'false']).optional(),
})

/** Body of `PATCH …/approve` (all optional; `statusId` defaults to `A_APPR`). */
export const ExpenseV4ApproveBody = z.strictObject({
  comment: z.string().max(2000).optional(),
  expenseRejectedComment: z.string().max(2000).optional(),
  statusId: z.string().max(6).optional(),
  expectedStepCode: z.string().optional(),
  expectedStepSequence: z.number().int().optional(),
  expectedWorkflowStepInstanceId: z.string().optional(),
})
export type ExpenseV4ApproveBody = z.infer<typeof ExpenseV4ApproveBody>

/** Body of `PATCH …/sendBack` (`comment` required). */
export const ExpenseV4SendBackBody = z.strictObject({
  comment: z.string().trim().min(1).max(2000),
  expectedStepCode: z.string().optional(),
  expectedStepSequence: z.number().int().optional(),
  expectedWorkflowStepInstanceId: z.string().optional(),
})
export type ExpenseV4SendBackBody = z.infer<typeof ExpenseV4SendBackBody>

/** `expenseType` of an expense. */
export const ExpenseV4ExpenseType = z.looseObject({
  id: z.string(),
  name: str(),
  code: str(),
  isDeleted: bool(),
})

/**
 * `ReportExpenseSummary`: one entry of `GET …/reports/{reportId}/expenses` (and of itemizations).
 *
 * @example
 * ExpenseV4ExpenseSummary.array().parse(body)[0]?.expenseType.id // 'LUNCH'
 */
export const ExpenseV4ExpenseSummary = z.looseObject({
  expenseId: z.string(),
  allocationSetId: str(),
  allocationState: z.enum(['FULLY_ALLOCATED', 'NOT_ALLOCATED', 'PARTIALLY_ALLOCATED']).nullish(),
  approvedAmount: amount(),
  approverAdjustedAmount: amount(),
  attendeeCount: z.number().int().nullish(),
  businessPurpose: str(),
  claimedAmount: amount(),
  ereceiptImageId: str(),
  exchangeRate: z.looseObject({ value: z.number(), operation: z.enum(['MULTIPLY', 'DIVIDE']) }).nullish(),
  expenseType: ExpenseV4ExpenseType,
  hasBlockingExceptions: bool(),
  hasExceptions: bool(),
  hasMissingReceiptDeclaration: bool(),
  imageCertificationStatus: str(),
  isAutoCreated: bool(),
  isImageRequired: bool(),
  isPaperReceiptRequired: bool(),
  isPersonalExpense: bool(),
  links: z.array(ExpenseV4Link).nullish(),
  location: z
    .looseObject({
      id: str(),
      name: str(),
      city: str(),
      countrySubDivisionCode: str(),
      countryCode: str(),
    })
    .nullish(),
  paymentType: z.looseObject({ id: z.string(), name: str(), code: str() }).nullish(),
  postedAmount: amount(),
  receiptImageId: str(),
  ticketNumber: str(),
  transactionAmount: ExpenseV4Amount,
  transactionDate: z.string(),
  travelAllowance: z.looseObject({}).nullish(),
  vendor: z.looseObject({ id: str(), name: str(), description: str() }).nullish(),
})
export type ExpenseV4ExpenseSummary = z.infer<typeof ExpenseV4ExpenseSummary>

/** `ReportExpenseDetail`: `GET …/expenses/{expenseId}` (the summary plus detail fields). */
export const ExpenseV4ExpenseDetail = ExpenseV4ExpenseSummary.extend({
  authorizationRequestExpenseId: str(),
  budgetAccrualDate: str(),
  customData: z.array(ExpenseV4CustomData).nullish(),
  expenseTaxSummary: z.looseObject({}).nullish(),
  isExcludedFromCashAdvanceByUser: bool(),
  isExpenseBillable: bool(),
  isExpenseRejected: bool(),
  isPaperReceiptReceived: bool(),
  merchantTaxId: str(),
  mileage: z.looseObject({}).nullish(),
  parentExpenseId: str(),
  receiptType: z.looseObject({ id: z.string().nullish(), status: str() }).nullish(),
  taxRateLocation: str(),
  travel: z.looseObject({}).nullish(),
})
export type ExpenseV4ExpenseDetail = z.infer<typeof ExpenseV4ExpenseDetail>

/**
 * `Allocation` / `ReportAllocationResponse`: one allocation of an expense.
 *
 * @example
 * ExpenseV4Allocation.array().parse(body)[0]?.percentage // 50
 */
export const ExpenseV4Allocation = z.looseObject({
  allocationId: z.string(),
  expenseId: z.string(),
  accountCode: str(),
  overLimitAccountCode: str(),
  allocationAmount: amount(),
  approvedAmount: amount(),
  claimedAmount: amount(),
  customData: z.array(ExpenseV4CustomData).nullish(),
  isPercentEdited: bool(),
  isSystemAllocation: bool(),
  percentage: z.number(),
})
export type ExpenseV4Allocation = z.infer<typeof ExpenseV4Allocation>

/** Body of `PATCH …/allocations/{allocationId}`: the custom data to set, on the allocations of these expenses. */
export const ExpenseV4AllocationPatch = z.strictObject({
  allocation: z.strictObject({ customData: z.array(ExpenseV4CustomDataInput) }),
  expenseIds: z.array(z.string().min(1)).min(1),
})
export type ExpenseV4AllocationPatch = z.infer<typeof ExpenseV4AllocationPatch>

/** One attendee of an expense (`ExpenseAttendeeWithAmounts`). */
export const ExpenseV4ExpenseAttendee = z.looseObject({
  attendeeId: z.string(),
  customData: z.array(ExpenseV4CustomData).nullish(),
  isAmountUserEdited: bool(),
  isTraveling: bool(),
  associatedAttendeeCount: z.number().int().nullish(),
  versionNumber: z.number().int().nullish(),
  transactionAmount: ExpenseV4Amount,
  approvedAmount: ExpenseV4Amount,
})
export type ExpenseV4ExpenseAttendee = z.infer<typeof ExpenseV4ExpenseAttendee>

/**
 * `GET …/expenses/{expenseId}/attendees`.
 *
 * @example
 * ExpenseV4ExpenseAttendees.parse(body).expenseAttendeeList.length
 */
export const ExpenseV4ExpenseAttendees = z.looseObject({
  noShowAttendeeCount: z.number().int().nullish(),
  expenseAttendeeList: z.array(ExpenseV4ExpenseAttendee),
})
export type ExpenseV4ExpenseAttendees = z.infer<typeof ExpenseV4ExpenseAttendees>

/** Body of `POST …/expenses/{expenseId}/attendees` (`transactionAmount` is a plain number here). */
export const ExpenseV4ExpenseAttendeesInput = z.strictObject({
  noShowAttendeeCount: z.number().int().min(0).optional(),
  expenseAttendeeList: z
    .array(
      z.strictObject({
        attendeeId: z.string().min(1),
        customData: z.array(ExpenseV4CustomData).nullish(),
        isAmountUserEdited: z.boolean().optional(),
        isTraveling: z.boolean().nullish(),
        associatedAttendeeCount: z.number().int().min(1).optional(),
        versionNumber: z.number().int().nullish(),
        transactionAmount: z.number().min(0).optional(),
      }),
    )
    .min(1),
})
export type ExpenseV4ExpenseAttendeesInput = z.infer<typeof ExpenseV4ExpenseAttendeesInput>

/** `CommentDetails`: one comment of a report or an expense. */
export const ExpenseV4Comment = z.looseObject({
  comment: z.string(),
  author: ExpenseV4Employee.nullish(),
  createdForEmployee: ExpenseV4Employee.nullish(),
  createdForEmployeeId: str(),
  creationDate: z.string(),
  expenseId: str(),
  isAuditorComment: bool(),
  isLatest: bool(),
  stepInstanceId: str(),
})
export type ExpenseV4Comment = z.infer<typeof ExpenseV4Comment>

/** Body of a comment POST or PUT. */
export const ExpenseV4CommentBody = z.strictObject({ comment: z.string().trim().min(1).max(2000) })
export type ExpenseV4CommentBody = z.infer<typeof ExpenseV4CommentBody>

/**
 * The one mapping between the v3.0 report (`ReportItem`) and the v4 report: v4 field → v3.0
 * field. Amount fields take the v3.0 number and the report's `CurrencyCode`; dates are converted
 * (v3.0 has no zone, v4 writes `Z`; `reportDate` is the date part of `UserDefinedDate`).
 */
export const EXPENSE_V4_REPORT_FIELDS = {
  reportId: 'ID',
  name: 'Name',
  approvalStatus: 'ApprovalStatusName',
  approvalStatusId: 'ApprovalStatusCode',
  paymentStatus: 'PaymentStatusName',
  paymentStatusId: 'PaymentStatusCode',
  currencyCode: 'CurrencyCode',
  countryCode: 'Country',
  countrySubDivisionCode: 'CountrySubdivision',
  policyId: 'PolicyID',
  ledger: 'LedgerName',
  creationDate: 'CreateDate',
  submitDate: 'SubmitDate',
  reportDate: 'UserDefinedDate',
  isPaperReceiptsReceived: 'ReceiptsReceived',
  isReportEverSentBack: 'EverSentBack',
  reportTotal: 'Total',
  claimedAmount: 'TotalClaimedAmount',
  approvedAmount: 'TotalApprovedAmount',
  amountDueEmployee: 'AmountDueEmployee',
  amountDueCompanyCard: 'AmountDueCompanyCard',
  personalAmount: 'PersonalAmount',
} as const

/** v3.0 date (`2024-05-01T10:00:00`, no zone) → `2024-05-01T10:00:00Z`; null stays null. */
export function v4DateTimeOf(v3: unknown): string | null {
  if (typeof v3 !== 'string' || v3 === '') return null
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v3) ? v3 : `${v3}Z`)
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 19)}Z` : null
}

/** v3.0 date → `YYYY-MM-DD`; null stays null. */
export function v4DateOf(v3: unknown): string | null {
  return v4DateTimeOf(v3)?.slice(0, 10) ?? null
}

/** `YYYY-MM-DD` (v4) → the v3.0 date-time at midnight (`2024-05-01T00:00:00`). */
export function v3DateOf(v4: string): string {
  return `${v4}T00:00:00`
}

/** Approval statuses a report is "submitted" in (waiting in or past the workflow). */
const UNSUBMITTED = new Set(['A_NOTF', 'A_RESU'])

/** What the v4 view of a report needs besides the v3.0 record. */
export interface ExpenseV4ReportView {
  /** Identity UUID of the owner. */
  readonly userId: string | null
  /** Employee id of the owner. */
  readonly employeeId?: string | null
  /** Absolute URL of the report's long URL (`…/users/{userId}/context/{contextType}/reports/{id}`). */
  readonly selfHref: string
  /** Fields v4 has and the v3.0 record does not (kept beside the record by the server). */
  readonly extras?: {
    readonly businessPurpose?: string | null
    readonly startDate?: string | null
    readonly endDate?: string | null
  }
}

/**
 * The v4 view of a v3.0 report record (the same record both APIs serve). Pure.
 *
 * @example
 * expenseV4ReportFromV3(v3Item, { userId, selfHref }).approvalStatusId === v3Item.ApprovalStatusCode
 */
export function expenseV4ReportFromV3(
  v3: Readonly<Record<string, unknown>>,
  view: ExpenseV4ReportView,
): ExpenseV4Report {
  const currencyCode = typeof v3.CurrencyCode === 'string' ? v3.CurrencyCode : 'USD'
  const money = (k: string) => ({
    value: typeof v3[k] === 'number' ? (v3[k] as number) : 0,
    currencyCode,
  })
  const text = (k: string) => (typeof v3[k] === 'string' && v3[k] !== '' ? (v3[k] as string) : null)
  const code = String(v3.ApprovalStatusCode ?? 'A_NOTF')
  const claimed = money('TotalClaimedAmount')
  const approved = money('TotalApprovedAmount')
  const customData = Object.entries(v3)
    .filter(([k, v]) => /^(Custom|OrgUnit)\d+$/.test(k) && v !== null && v !== undefined)
    .map(([k, v]) => {
      const field = v as { Value?: unknown; ListItemID?: unknown } | string
      const value = typeof field === 'string' ? field : String(field.Value ?? '')
      return {
        id: k.replace(/^Custom/, 'custom').replace(/^OrgUnit/, 'orgUnit'),
        value,
        isValid: true,
        listItemUrl: null,
      }
    })
  return {
    reportId: String(v3.ID),
    reportNumber: String(v3.ID).slice(0, 6),
    name: text('Name'),
    userId: view.userId,
    employee: { employeeId: view.employeeId ?? null, employeeUuid: view.userId },
    approvalStatus: String(v3.ApprovalStatusName ?? 'Not Submitted'),
    approvalStatusId: code,
    paymentStatus: String(v3.PaymentStatusName ?? 'Not Paid'),
    paymentStatusId: String(v3.PaymentStatusCode ?? 'P_NOTP'),
    concurAuditStatus: 'NOTR',
    reportDate: v4DateOf(v3.UserDefinedDate),
    startDate: view.extras?.startDate ?? null,
    endDate: view.extras?.endDate ?? null,
    creationDate: v4DateTimeOf(v3.CreateDate) ?? '1970-01-01T00:00:00Z',
    submitDate: v4DateTimeOf(v3.SubmitDate),
    reportType: 'Regular',
    reportVersion: 0,
    businessPurpose: view.extras?.businessPurpose ?? null,
    policyId: text('PolicyID'),
    ledger: text('LedgerName'),
    countryCode: text('Country'),
    countrySubDivisionCode: text('CountrySubdivision'),
    currencyCode,
    redirectFund: null,
    customData,
    links: [{ rel: 'self', href: view.selfHref, method: 'GET', isTemplated: false }],
    isPaperReceiptsReceived: v3.ReceiptsReceived === true,
    isReportEverSentBack: v3.EverSentBack === true,
    isSentBack: code === 'A_RESU' && v3.EverSentBack === true,
    isSubmitted: !UNSUBMITTED.has(code),
    canRecall: code === 'A_PEND',
    canAddExpense: UNSUBMITTED.has(code),
    canReopen: false,
    isReopened: false,
    reportTotal: money('Total'),
    claimedAmount: claimed,
    approvedAmount: approved,
    amountDueEmployee: money('AmountDueEmployee'),
    amountDueCompanyCard: money('AmountDueCompanyCard'),
    personalAmount: money('PersonalAmount'),
    amountNotApproved: {
      value: Math.max(0, Math.round((claimed.value - approved.value) * 100) / 100),
      currencyCode,
    },
    amountCompanyPaid: { value: 0, currencyCode },
    amountDueCompany: { value: 0, currencyCode },
    paymentConfirmedAmount: { value: 0, currencyCode },
  }
}
