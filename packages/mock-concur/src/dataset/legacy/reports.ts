import { getResource, type ReportSummary } from '@concurkit/contract'
import { seedFrom } from '../../util/hash.js'
import { pathWithOne } from '../../util/paths.js'
import {
  ALLOCATIONS_PER_REPORT,
  ASSOCIATIONS_PER_REPORT,
  type Dataset,
  ENTRIES_PER_REPORT,
  fakerFor,
  userNameOf,
} from '../dataset.js'
import {
  allocationAt,
  allocationSlot,
  associationAttendee,
  attendeeAt,
  batchId,
  entriesOfReport,
  entryAt,
  itemizationAt,
  itemizationsOfEntry,
  paymentTypeId,
  REPORT_PURPOSES,
  type ReportCore,
  receiptImageExists,
  reportAt,
  reportCore,
  reportId,
} from '../expense.js'
import { encodeId } from '../ids.js'
import { createMersenneRandomizer } from '../randomizer.js'
import { COUNTRIES, PAYMENT_TYPES, STATUS_COMBOS } from '../tables.js'
import { DATE_SLACK_AFTER, formatV3Date, TIMELINE_SPAN, TIMELINE_START } from '../time.js'
import { decimal8 } from './common.js'

/** The v2.0 `Status` groups as sets of (approval, payment) codes; `ACTIVE` = everything not yet confirmed paid. */
export const V2_STATUS_GROUPS: Readonly<Record<string, (approval: string, payment: string) => boolean>> = {
  ACTIVE: (_a, p) => p !== 'P_PAYC',
  UNSUBMITTED: (a) => a === 'A_NOTF' || a === 'A_RESU',
  PENDING: (a) =>
    ['A_PEND', 'A_FILE', 'A_RHLD', 'A_PBDG', 'A_PECO', 'A_PVAL', 'A_AAFH', 'A_TEXP'].includes(a),
  ACCOUNTINGREVIEW: (a) => a === 'A_ACCO',
  PENDINGEXTERNALVALIDATION: (a) => a === 'A_EXTV',
  PROCESSING: (a, p) => a === 'A_APPR' && (p === 'P_PROC' || p === 'P_HOLD' || p === 'P_NOTP'),
  INTEGRATED: (a, p) => a === 'A_APPR' && p === 'P_PAID',
  PAYMENTCONFIRMED: (_a, p) => p === 'P_PAYC',
}

/** A v2.0 report list query, parsed. */
export interface V2ReportQuery {
  /** A `V2_STATUS_GROUPS` key, or `*` for every report (an extract job's set). */
  readonly status: string
  readonly owner?: number
  readonly modifiedAfterMs?: number
  readonly modifiedBeforeMs?: number
  readonly batchId?: string
  readonly currency?: string
  readonly paymentTypeId?: string
  readonly reimbursement?: string
  readonly country?: string
  readonly hasAttendees?: boolean
  /** Only reports whose processing date is before this instant and that are INTEGRATED (an extract job's set). */
  readonly extractedBeforeMs?: number
  readonly extractCountries?: readonly string[]
}

/** Whether report *r* matches a v2.0 query (cheap: profile and numeric core only). */
export function v2ReportMatches(ds: Dataset, r: number, q: V2ReportQuery, core?: ReportCore): boolean {
  const c = core ?? reportCore(ds, r)
  const p = c.profile
  const combo = STATUS_COMBOS[p.status]!
  if (q.status !== '*' && !V2_STATUS_GROUPS[q.status]?.(combo.approvalCode, combo.paymentCode)) return false
  if (q.owner !== undefined && c.owner !== q.owner) return false
  if (q.modifiedAfterMs !== undefined && c.modified < q.modifiedAfterMs) return false
  if (q.modifiedBeforeMs !== undefined && c.modified >= q.modifiedBeforeMs) return false
  const country = COUNTRIES[p.country]!
  if (q.currency !== undefined && country.currency !== q.currency.toUpperCase()) return false
  if (q.country !== undefined && country.code !== q.country.toUpperCase()) return false
  if (q.reimbursement !== undefined && p.reimbursement !== q.reimbursement) return false
  if (q.hasAttendees && !p.hasAttendees) return false
  if (q.batchId !== undefined && (!combo.processing || batchId(ds, p.batch) !== q.batchId)) return false
  if (q.paymentTypeId !== undefined && !p.slots.some((s) => paymentTypeId(ds, s.payment) === q.paymentTypeId))
    return false
  if (q.extractedBeforeMs !== undefined) {
    if (combo.paymentCode !== 'P_PAID' && combo.paymentCode !== 'P_PAYC') return false
    if (c.processing === null || c.processing >= q.extractedBeforeMs) return false
    if (q.extractCountries && !q.extractCountries.includes(country.code)) return false
  }
  return true
}

/**
 * The index window that can hold reports modified in [after, before): creation is non-decreasing in
 * the index and a report is modified within `DATE_SLACK_AFTER` of its creation.
 */
export function v2IndexWindow(
  ds: Dataset,
  q: Pick<V2ReportQuery, 'modifiedAfterMs' | 'modifiedBeforeMs'>,
): [number, number] {
  const n = ds.reports
  let lo = 0
  let hi = n
  if (q.modifiedAfterMs !== undefined) {
    lo = Math.floor(((q.modifiedAfterMs - DATE_SLACK_AFTER - TIMELINE_START) * n) / TIMELINE_SPAN) - 2
  }
  if (q.modifiedBeforeMs !== undefined) {
    hi = Math.ceil(((q.modifiedBeforeMs - TIMELINE_START) * n) / TIMELINE_SPAN) + 2
  }
  return [Math.max(0, lo), Math.min(n, hi)]
}

/** Reports matching a v2.0 query, in index (= ReportID) order; `owner` walks a stride. */
export function* v2Reports(ds: Dataset, q: V2ReportQuery): Generator<number> {
  for (const core of v2ReportCores(ds, q)) yield core.index
}

/**
 * The cores of the reports matching a v2.0 query, in index order (what `v2Reports` walks), so a
 * caller that goes on to write the report reuses the core the filter computed.
 */
export function* v2ReportCores(ds: Dataset, q: V2ReportQuery): Generator<ReportCore> {
  const [lo, hi] = v2IndexWindow(ds, q)
  // An owner's reports are a stride (`r mod users = owner`): only those are looked at.
  const first = q.owner === undefined ? lo : lo + ((((q.owner - lo) % ds.users) + ds.users) % ds.users)
  const step = q.owner === undefined ? 1 : ds.users
  for (let r = first; r < hi; r += step) {
    const core = reportCore(ds, r)
    if (v2ReportMatches(ds, r, q, core)) yield core
  }
}

const detailsPath = pathWithOne(getResource('expense-reports-detail').itemPath!)

/** The v2.0 details URL of a report (the `expense-reports-detail` row's item path). */
export function reportDetailsUrl(baseUrl: string, id: string): string {
  return `${baseUrl}${detailsPath(id)}`
}

/** Report *r* as a v2.0 `ReportSummary`. */
export function reportSummaryAt(
  ds: Dataset,
  r: number,
  baseUrl: string,
  record?: Record<string, unknown>,
): ReportSummary {
  const rep = (record ?? reportAt(ds, r)) as ReturnType<typeof reportAt>
  return {
    ReportName: text(rep.Name),
    ReportId: rep.ID,
    ReportTotal: decimal8(Number(rep.Total ?? 0)),
    ReportCurrency: rep.CurrencyCode ?? '',
    ReportDate: dateTime(rep.UserDefinedDate),
    LastComment: text(rep.LastComment),
    'Report-Full-Details-Url': reportDetailsUrl(baseUrl, rep.ID),
    ExpenseUserLoginID: rep.OwnerLoginID ?? '',
    ApproverLoginID: rep.ApproverLoginID ?? '',
    EmployeeName: text(rep.OwnerName),
    ApprovalStatus: rep.ApprovalStatusName ?? '',
    PaymentStatus: rep.PaymentStatusName ?? '',
  }
}

/** The dataset's randomizer (MT19937, as `fakerFor` seeds it) for a report's purpose alone. */
const purposeDraw = createMersenneRandomizer()

/**
 * Seeded report *r* (not modified through v3.0) as a v2.0 `ReportSummary`, from its core: the same
 * object as `reportSummaryAt(ds, core.index, baseUrl)`, computing only the summary's twelve fields
 * (the report's Faker draws for its name and last comment, its owner's and approver's kept names)
 * instead of the whole ~90-field v3.0 record and a second core.
 *
 * @example
 * reportSummaryOf(ds, reportCore(ds, 7), baseUrl) // deep-equals reportSummaryAt(ds, 7, baseUrl)
 */
export function reportSummaryOf(ds: Dataset, core: ReportCore, baseUrl: string): ReportSummary {
  const r = core.index
  const p = core.profile
  const combo = STATUS_COMBOS[p.status]!
  const country = COUNTRIES[p.country]!
  const city = country.cities[p.city]!
  const owner = userNameOf(ds, core.owner)
  // The same draws, in the same order, as `reportAt`: the purpose, then (if sent back) the comment.
  // Without a comment (92 % of reports) the one draw is Faker's `arrayElement` on the dataset's
  // randomizer, taken directly: `floor(next() × length)` after the same seed.
  let purpose: string
  let lastComment = ''
  if (p.everSentBack) {
    const f = fakerFor(ds, 'expense-reports', r)
    purpose = f.helpers.arrayElement(REPORT_PURPOSES)
    lastComment = f.lorem.sentence({ min: 3, max: 8 })
  } else {
    purposeDraw.seed(seedFrom(ds.seed, ds.company.id, 'expense-reports', r))
    purpose = REPORT_PURPOSES[Math.floor(purposeDraw.next() * REPORT_PURPOSES.length)]!
  }
  const dec = country.decimals
  const total = core.amounts[0] + core.amounts[1] + core.amounts[2]
  const id = reportId(ds, r)
  return {
    ReportName: `${purpose} ${city.name}`.trim(),
    ReportId: id,
    ReportTotal: decimal8(Number((total / 10 ** dec).toFixed(dec))),
    ReportCurrency: country.currency,
    ReportDate: formatV3Date(core.userDefined).slice(0, 19),
    LastComment: lastComment.trim(),
    'Report-Full-Details-Url': reportDetailsUrl(baseUrl, id),
    ExpenseUserLoginID: owner.loginId,
    ApproverLoginID: combo.submitted ? userNameOf(ds, p.approver).loginId : '',
    EmployeeName: `${owner.firstName} ${owner.lastName}`.trim(),
    ApprovalStatus: combo.approvalName,
    PaymentStatus: combo.paymentName,
  }
}

const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  USD: 'US, Dollar',
  CAD: 'Canada, Dollar',
  GBP: 'UK, Pound Sterling',
  EUR: 'Euro',
  JPY: 'Japan, Yen',
  CHF: 'Switzerland, Franc',
  AUD: 'Australia, Dollar',
  INR: 'India, Rupee',
  SGD: 'Singapore, Dollar',
  MXN: 'Mexico, Peso',
  CNY: 'China, Yuan Renminbi',
  BRL: 'Brazil, Real',
}

const yn = (b: boolean | null | undefined): 'Y' | 'N' => (b ? 'Y' : 'N')
const text = (v: unknown): string => {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object' && 'Value' in (v as Record<string, unknown>))
    return String((v as { Value: unknown }).Value ?? '').trim()
  return String(v).trim()
}
const numbered = (prefix: string, count: number, source: Record<string, unknown> = {}) => {
  const o: Record<string, string> = {}
  for (let i = 1; i <= count; i++) o[`${prefix}${i}`] = text(source[`${prefix}${i}`])
  return o
}
const dateTime = (v: string | null | undefined) => (v ? v.slice(0, 19) : '')
const NIL = { '@_i:nil': 'true' }
const NEVER = '0001-01-01T00:00:00'

/** Options of the details body: administrators see the report key and VAT data. */
export interface DetailsOptions {
  readonly admin: boolean
}

function vatData(admin: boolean, hasVat: boolean, amount: number, pct: number) {
  if (!admin || !hasVat) return { VATData: [] }
  const rate = 20
  const vat = (amount * pct) / 100 - (amount * pct) / 100 / (1 + rate / 100)
  return {
    VATData: [
      { VATCode: 'STANDARD', VATRate: decimal8(rate), VATAmount: decimal8(Math.round(vat * 100) / 100) },
    ],
  }
}

/**
 * Report *r* as v2.0 `ReportDetails` (element order of Concur's sample): header, entries with their
 * itemizations (a `Regular` row for the entry itself, `Child` rows for its itemizations), their
 * allocations and attendees, and the owner. Amounts add up as in the v3.0 records they come from.
 */
export function reportDetailsAt(
  ds: Dataset,
  r: number,
  options: DetailsOptions,
  record?: Record<string, unknown>,
): Record<string, unknown> {
  const rep = (record ?? reportAt(ds, r)) as Record<string, unknown> & ReturnType<typeof reportAt>
  const core = reportCore(ds, r)
  const p = core.profile
  const owner = userNameOf(ds, core.owner)
  const country = COUNTRIES[p.country]!
  const city = country.cities[p.city]!
  const name = text(rep.Name)
  const purpose = name.endsWith(` ${city.name}`) ? name.slice(0, -city.name.length - 1) : name
  const [e0, e1] = entriesOfReport(r)
  const allocs = Array.from(
    { length: ALLOCATIONS_PER_REPORT },
    (_, k) => r * ALLOCATIONS_PER_REPORT + k,
  ).filter((a) => allocationSlot(ds, a).exists)
  const allocationXml = (a: number, hasVat: boolean, amount: number) => {
    const al = allocationAt(ds, a) as Record<string, unknown>
    const pct = Number(al.Percentage)
    return {
      AllocationID: String(al.ID),
      Percentage: `${decimal8(pct)}%`,
      AccountCode1: text(al.AccountCode1),
      AccountCode2: text(al.AccountCode2),
      ...numbered('Custom', 20, al),
      VATDataList: vatData(options.admin, hasVat, amount, pct),
    }
  }
  const attendeesOf = (e: number) => {
    if (e % ENTRIES_PER_REPORT !== 1 || !p.hasAttendees) return []
    return Array.from({ length: ASSOCIATIONS_PER_REPORT }, (_, s) => {
      const a = attendeeAt(ds, associationAttendee(ds, r * ASSOCIATIONS_PER_REPORT + s)) as Record<
        string,
        unknown
      >
      return {
        AttendeeType: text(a.AttendeeTypeCode),
        FirstName: text(a.FirstName),
        LastName: text(a.LastName),
        Company: text(a.Company),
        Title: text(a.Title),
        ExternalID: text(a.ExternalID),
        ...numbered('Custom', 20, a),
        HasExceptionsPrevYear: yn(a.HasExceptionsPrevYear as boolean),
        HasExceptionsYTD: yn(a.HasExceptionsYTD as boolean),
        IsDeleted: 'N',
        OwnerEmpName: text(a.OwnerName),
        TotalAmountPrevYear: decimal8(Number(a.TotalAmountPrevYear ?? 0)),
        TotalAmountYTD: decimal8(Number(a.TotalAmountYTD ?? 0)),
        VersionNumber: text(a.VersionNumber),
        AttendeeID: text(a.ID),
        AttendeeTypeCode: text(a.AttendeeTypeCode),
        AttendeeOwnerID: text(a.OwnerLoginID),
        CurrencyCode: text(a.CurrencyCode),
      }
    })
  }
  const entries = []
  for (let e = e0; e < e1; e++) {
    const en = entryAt(ds, e) as Record<string, unknown> & ReturnType<typeof entryAt>
    const slot = p.slots[e - e0]!
    const payment = PAYMENT_TYPES[slot.payment]!
    const items = itemizationsOfEntry(ds, e)
    const amount = Number(en.TransactionAmount ?? 0)
    const entryAllocs = allocs.filter((a) => allocationSlot(ds, a).entry === e)
    const itemRow = (
      type: 'Regular' | 'Child',
      src: Record<string, unknown>,
      id: string,
      allocations: number[],
      attendees: unknown[],
    ) => ({
      ItemType: type,
      ItemizationID: id,
      ExpenseTypeID: text(src.ExpenseTypeCode),
      ExpenseTypeName: text(src.ExpenseTypeName),
      TransactionDate: dateTime(src.TransactionDate as string),
      TransactionAmount: decimal8(Number(src.TransactionAmount ?? 0)),
      PostedAmount: decimal8(Number(src.PostedAmount ?? 0)),
      ApprovedAmount: src.ApprovedAmount === null ? '' : decimal8(Number(src.ApprovedAmount ?? 0)),
      BusinessPurpose: text(src.Description),
      ...numbered('OrgUnit', 6, src),
      ...numbered('Custom', 40, src),
      HasComments: yn(src.HasComments as boolean),
      CommentCount: '0',
      IsPersonal: yn(src.IsPersonal as boolean),
      LastModified: dateTime(src.LastModified as string),
      AllocationsList: {
        Allocation: allocations.map((a) => allocationXml(a, slot.vat, Number(src.TransactionAmount ?? 0))),
      },
      AttendeesList: { Attendee: attendees },
    })
    const rows = [itemRow('Regular', en, en.ID, entryAllocs, attendeesOf(e))]
    for (const i of items) {
      const it = itemizationAt(ds, i) as Record<string, unknown> & ReturnType<typeof itemizationAt>
      rows.push(
        itemRow(
          'Child',
          it,
          it.ID,
          allocs.filter((a) => allocationSlot(ds, a).itemization === i),
          [],
        ),
      )
    }
    entries.push({
      ReportEntryID: en.ID,
      ExpenseTypeID: text(en.ExpenseTypeCode),
      ExpenseTypeName: text(en.ExpenseTypeName),
      SpendCategory: text(en.SpendCategoryName),
      PaymentTypeCode: payment.code,
      PaymentTypeName: payment.name,
      TransactionDate: dateTime(en.TransactionDate as string),
      TransactionCurrencyName: CURRENCY_NAMES[country.currency] ?? country.currency,
      ExchangeRate: (1).toFixed(14),
      TransactionAmount: decimal8(amount),
      PostedAmount: decimal8(Number(en.PostedAmount ?? amount)),
      ApprovedAmount: en.ApprovedAmount === null ? '' : decimal8(Number(en.ApprovedAmount ?? amount)),
      BusinessPurpose: text(en.Description),
      VendorDescription: text(en.VendorDescription),
      LocationName: city.name,
      LocationSubdivision: text(city.subdivision),
      LocationCountry: country.code,
      ...numbered('OrgUnit', 6, en),
      ...numbered('Custom', 40, en),
      FormID: text(en.FormID),
      EntryImageID: receiptImageExists(ds, e) ? encodeId('receipt-images', ds.tag, e) : '',
      HasVat: yn(en.HasVAT as boolean),
      HasComments: yn(en.HasComments as boolean),
      CommentCount: '0',
      IsItemized: yn(items.length > 0),
      HasExceptions: yn(en.HasExceptions as boolean),
      IsPersonal: yn(en.IsPersonal as boolean),
      HasAttendees: yn(en.HasAttendees as boolean),
      HasAllocation: yn(en.AllocationType === 'P'),
      IsCreditCardCharge: yn(slot.payment === 2),
      IsPersonalCardCharge: yn(en.IsPersonalCardCharge as boolean),
      ReceiptRequired: yn(en.IsImageRequired as boolean),
      ImageRequired: yn(en.IsImageRequired as boolean),
      'E-ReceiptID': text(en.ElectronicReceiptID),
      LastModified: dateTime(en.LastModified as string),
      ItemizationsList: { Itemization: rows },
      UserLoginID: owner.loginId,
    })
  }
  return detailsHeader(rep, owner, {
    purpose,
    country: country.code,
    subdivision: text(city.subdivision),
    reimbursement: p.reimbursement,
    entries,
    reportKey: options.admin ? String(r + 1) : undefined,
  })
}

/** The `ReportDetails` header around its entries, from a v3.0 report record. */
function detailsHeader(
  rep: Record<string, unknown>,
  owner: { loginId: string; firstName: string; lastName: string },
  x: {
    purpose: string
    country: string
    subdivision: string
    reimbursement: string
    entries: unknown[]
    reportKey: string | undefined
  },
): Record<string, unknown> {
  return {
    UserLoginID: owner.loginId,
    EmployeeName: `${owner.lastName}, ${owner.firstName}`,
    ReportID: rep.ID,
    ...(x.reportKey === undefined ? {} : { ReportKey: x.reportKey }),
    ReportName: text(rep.Name),
    Purpose: x.purpose,
    ReportDate: dateTime(rep.UserDefinedDate as string),
    CreationDate: dateTime(rep.CreateDate as string),
    SubmitDate: rep.SubmitDate ? dateTime(rep.SubmitDate as string) : NEVER,
    PaidDate: rep.PaidDate ? dateTime(rep.PaidDate as string) : NIL,
    CurrencyCode: text(rep.CurrencyCode),
    ReportTotal: decimal8(Number(rep.Total ?? 0)),
    PersonalExpenses: decimal8(Number(rep.PersonalAmount ?? 0)),
    AmountDueEmployee: decimal8(Number(rep.AmountDueEmployee ?? 0)),
    AmountDueCompanyCard: decimal8(Number(rep.AmountDueCompanyCard ?? 0)),
    TotalClaimedAmount: decimal8(Number(rep.TotalClaimedAmount ?? 0)),
    TotalApprovedAmount: decimal8(Number(rep.TotalApprovedAmount ?? 0)),
    ApprovalStatusCode: text(rep.ApprovalStatusCode),
    ApprovalStatusName: text(rep.ApprovalStatusName),
    PaymentStatusCode: text(rep.PaymentStatusCode),
    PaymentStatusName: text(rep.PaymentStatusName),
    ...numbered('OrgUnit', 6, rep),
    ...numbered('Custom', 20, rep),
    LedgerName: text(rep.LedgerName),
    PolicyID: text(rep.PolicyID),
    EverSentBack: yn(rep.EverSentBack as boolean),
    HasException: yn(rep.HasException as boolean),
    WorkflowActionURL: text(rep.WorkflowActionUrl),
    ExpenseEntriesList: { ExpenseEntry: x.entries },
    Country: x.country,
    CountrySubdivision: x.subdivision,
    ProcessingPaymentDate: rep.ProcessingPaymentDate ? dateTime(rep.ProcessingPaymentDate as string) : '',
    ReceiptsReceived: yn(rep.ReceiptsReceived as boolean),
    ReportOwner: {
      EmployeeID: owner.loginId,
      LastName: owner.lastName,
      FirstName: owner.firstName,
      MiddleInitial: '',
      EmployeeCustom21: '',
      ...numbered('EmployeeOrgUnit', 6),
      ReimbursementMethodCode: x.reimbursement,
    },
  }
}

/**
 * A report created through the v3.0 API (the overlay) as v2.0 `ReportDetails`: its header from the
 * created record and no entries (entries created later through v3.0 are not joined in).
 */
export function createdReportDetails(
  ds: Dataset,
  index: number,
  record: Record<string, unknown>,
  owner: number,
  options: DetailsOptions,
): Record<string, unknown> {
  const user = userNameOf(ds, owner)
  return detailsHeader(record, user, {
    purpose: '',
    country: text(record.Country),
    subdivision: text(record.CountrySubdivision),
    reimbursement: 'CNQRPAY',
    entries: [],
    reportKey: options.admin ? String(index + 1) : undefined,
  })
}
