import {
  AllocationItem,
  AttendeeItem,
  DATACENTERS,
  EntryAttendeeAssociationItem,
  EntryItem,
  ItemizationItem,
  REPORT_WORKFLOW_ACTION,
  ReportItem,
} from '@concurkit/contract'
import { pathWithOne } from '../util/paths.js'
import {
  ALLOCATIONS_PER_REPORT,
  ASSOCIATIONS_PER_REPORT,
  type Dataset,
  ENTRIES_PER_REPORT,
  fakerFor,
  ITEMIZATIONS_PER_REPORT,
  type ReportProfile,
  rngFor,
  userNameOf,
} from './dataset.js'
import { encodeId } from './ids.js'
import { fakeTemplate } from './randomizer.js'
import {
  ATTENDEE_TYPES,
  COUNTRIES,
  EXPENSE_TYPES,
  type ExpenseTypeCode,
  PAYMENT_TYPES,
  STATUS_COMBOS,
} from './tables.js'
import { DAY_MS, formatV3Date, midnight, TIMELINE_SPAN, TIMELINE_START } from './time.js'

const workflowActionPath = pathWithOne(REPORT_WORKFLOW_ACTION.path)

/** A report's v1.1 workflow action URL (its `WorkflowActionUrl`). */
export function workflowActionUrl(baseUrl: string, reportId: string): string {
  return `${baseUrl}${workflowActionPath(reportId)}`
}

/** A record as the client sees it, without `URI` (added per request, on the caller's origin). */
export type Wire<T> = { [K in keyof T as K extends 'URI' ? never : string extends K ? never : K]: T[K] }

/** The numbers of report *r* (dates, owner, amounts in minor units): cheap, no Faker. */
export interface ReportCore {
  readonly index: number
  readonly profile: ReportProfile
  readonly owner: number
  readonly create: number
  readonly userDefined: number
  readonly submit: number | null
  readonly processing: number | null
  readonly paid: number | null
  readonly modified: number
  /** Transaction date of entries 0..2 (midnight UTC). */
  readonly entryDates: readonly [number, number, number]
  /** Amount of entries 0..2 in minor units of the report currency. */
  readonly amounts: readonly [number, number, number]
  /** Amounts of the two itemizations of entry 0 (room, tax) when itemized. */
  readonly itemAmounts: readonly [number, number]
}

/**
 * Every field of an item schema but `URI`, in the schema's order (Concur's), set to null. Records
 * start from a copy of it (`{ ...TEMPLATE, Field: value }`): V8 clones the template's shape, so a
 * 90-field record stays a fast object, and fields a record does not set (custom fields, org units)
 * stay null. Spreading blocks of nulls into the middle of a literal instead made every record a
 * slow dictionary object, several times dearer to build and to serialise.
 */
function nullTemplate<T>(schema: { readonly shape: Readonly<Record<string, unknown>> }): {
  readonly [K in keyof Wire<T>]: null
} {
  const template: Record<string, null> = {}
  for (const key of Object.keys(schema.shape)) if (key !== 'URI') template[key] = null
  return template as { readonly [K in keyof Wire<T>]: null }
}

const REPORT_NULLS = nullTemplate<ReportItem>(ReportItem)
const ENTRY_NULLS = nullTemplate<EntryItem>(EntryItem)
const ITEMIZATION_NULLS = nullTemplate<ItemizationItem>(ItemizationItem)
const ALLOCATION_NULLS = nullTemplate<AllocationItem>(AllocationItem)
const ASSOCIATION_NULLS = nullTemplate<EntryAttendeeAssociationItem>(EntryAttendeeAssociationItem)
const ATTENDEE_NULLS = nullTemplate<AttendeeItem>(AttendeeItem)

/** The profile of report *r*. */
export function profileOf(ds: Dataset, r: number): ReportProfile {
  return ds.profiles[r % ds.profiles.length]!
}

/** The owner (user index) of report *r*: `r mod users`. */
export function reportOwner(ds: Dataset, r: number): number {
  return r % ds.users
}

/**
 * The creation instant of report *r*: reports are spread evenly over the timeline in index order,
 * so `createDate` is non-decreasing in *r* (date filters narrow to an index window).
 */
export function reportCreate(ds: Dataset, r: number, jitter: number): number {
  return TIMELINE_START + Math.floor(((r + jitter) * TIMELINE_SPAN) / Math.max(1, ds.reports))
}

/**
 * The cheap numeric core of report *r*.
 *
 * @example
 * reportCore(ds, 0).amounts
 */
export function reportCore(ds: Dataset, r: number): ReportCore {
  // The entries, itemizations and allocations of a report ask for its core one after another: the
  // last core is kept (a pure function of the dataset and r, never mutated).
  if (lastCore !== undefined && lastCoreDs === ds && lastCore.index === r) return lastCore
  lastCore = computeReportCore(ds, r)
  lastCoreDs = ds
  return lastCore
}

let lastCore: ReportCore | undefined
let lastCoreDs: Dataset | undefined

function computeReportCore(ds: Dataset, r: number): ReportCore {
  const p = profileOf(ds, r)
  const combo = STATUS_COMBOS[p.status]!
  const country = COUNTRIES[p.country]!
  const rng = rngFor(ds, 'report-core', r)
  const create = reportCreate(ds, r, rng())
  const userDefined = midnight(create) - Math.floor(rng() * 4) * DAY_MS
  const entryDates = [0, 1, 2].map(() => userDefined - Math.floor(rng() * 11) * DAY_MS) as unknown as [
    number,
    number,
    number,
  ]
  const d1 = 3_600_000 + Math.floor(rng() * 9.9 * DAY_MS)
  const d2 = 3_600_000 + Math.floor(rng() * 4.9 * DAY_MS)
  const d3 = 3_600_000 + Math.floor(rng() * 4.9 * DAY_MS)
  const d4 = 60_000 + Math.floor(rng() * 2.9 * DAY_MS)
  const submit = combo.submitted ? create + d1 : null
  const processing = submit !== null && combo.processing ? submit + d2 : null
  const paid = processing !== null && combo.paid ? processing + d3 : null
  const modified = (paid ?? processing ?? submit ?? create) + d4
  const scale = country.rate * 10 ** country.decimals
  const amounts = p.slots.map((s) => {
    const t = EXPENSE_TYPES[s.type]
    return Math.max(1, Math.round((t.min + rng() * (t.max - t.min)) * scale))
  }) as unknown as [number, number, number]
  const room = Math.round(amounts[0] * (0.82 + rng() * 0.1))
  return {
    index: r,
    profile: p,
    owner: reportOwner(ds, r),
    create,
    userDefined,
    submit,
    processing,
    paid,
    modified,
    entryDates,
    amounts,
    itemAmounts: [room, amounts[0] - room],
  }
}

const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000]
/**
 * An amount in major units: `minor / 10^decimals`. IEEE division rounds the exact quotient, so this is
 * the double nearest to the decimal `minor / 10^decimals` — the number `Number(x.toFixed(decimals))`
 * yields, without the string round trip (pinned by a test over millions of amounts).
 */
export const major = (minor: number, decimals: number) => minor / (POWERS_OF_TEN[decimals] ?? 10 ** decimals)

/** The id of report *r*. */
export const reportId = (ds: Dataset, r: number) => encodeId('expense-reports', ds.tag, r)
/** The id of entry *e*. */
export const entryId = (ds: Dataset, e: number) => encodeId('expense-entries', ds.tag, e)
/** The id of itemization *i*. */
export const itemizationId = (ds: Dataset, i: number) => encodeId('expense-itemizations', ds.tag, i)
/** The id of attendee *a*. */
export const attendeeId = (ds: Dataset, a: number) => encodeId('expense-attendees', ds.tag, a)
/** The id of attendee type *t*. */
export const attendeeTypeId = (ds: Dataset, t: number) => encodeId('expense-attendee-types', ds.tag, t)
/** The id of payment type *k* (0 Cash, 1 Company Paid, 2 Pending Card Transaction). */
export const paymentTypeId = (ds: Dataset, k: number) => encodeId('payment-types', ds.tag, k)
/** The id of the policy of expense group configuration *g*. */
export const policyId = (ds: Dataset, g: number) => encodeId('policies', ds.tag, g)
/** The id of expense group configuration *g*. */
export const groupConfigId = (ds: Dataset, g: number) => encodeId('expense-group-configurations', ds.tag, g)
/** The id of payment batch *k*. */
export const batchId = (ds: Dataset, k: number) => encodeId('batches', ds.tag, k)
/** The id of location *l*. */
export const locationId = (ds: Dataset, l: number) => encodeId('locations', ds.tag, l)

/** The location record index of report *r*'s city. */
export function reportLocation(p: ReportProfile): number {
  return p.country + COUNTRIES.length * p.city
}

/** Entries of report *r*: `[3r, 3r+3)`. */
export function entriesOfReport(r: number): [number, number] {
  return [r * ENTRIES_PER_REPORT, r * ENTRIES_PER_REPORT + ENTRIES_PER_REPORT]
}

/** Whether itemization slot *i* exists (its report's hotel entry is itemized). */
export function itemizationExists(ds: Dataset, i: number): boolean {
  return profileOf(ds, Math.floor(i / ITEMIZATIONS_PER_REPORT)).itemized
}

/** Itemizations of entry *e* (empty unless it is an itemized hotel entry). */
export function itemizationsOfEntry(ds: Dataset, e: number): number[] {
  const r = Math.floor(e / ENTRIES_PER_REPORT)
  if (e % ENTRIES_PER_REPORT !== 0 || !profileOf(ds, r).itemized) return []
  return [r * ITEMIZATIONS_PER_REPORT, r * ITEMIZATIONS_PER_REPORT + 1]
}

/** Whether association slot *x* exists (its report's meal entry is a business meal with attendees). */
export function associationExists(ds: Dataset, x: number): boolean {
  return profileOf(ds, Math.floor(x / ASSOCIATIONS_PER_REPORT)).hasAttendees
}

/**
 * The attendee of association slot *x* of report *r*: type from the profile and
 * `floor(a / types) = r mod (attendees / types)`, so the reports of an attendee are a stride.
 */
export function associationAttendee(ds: Dataset, x: number): number {
  const types = ATTENDEE_TYPES.length
  const r = Math.floor(x / ASSOCIATIONS_PER_REPORT)
  const q = r % (ds.attendees / types)
  return q * types + profileOf(ds, r).attendeeTypes[x % ASSOCIATIONS_PER_REPORT]!
}

/** Whether receipt image *e* (one per entry with an image) exists. */
export function receiptImageExists(ds: Dataset, e: number): boolean {
  return profileOf(ds, Math.floor(e / ENTRIES_PER_REPORT)).slots[e % ENTRIES_PER_REPORT]!.image
}

/** Allocation slot *a*: its parent (0..3) and whether it is the second half of a split. */
export function allocationSlot(ds: Dataset, a: number) {
  const r = Math.floor(a / ALLOCATIONS_PER_REPORT)
  const t = a % ALLOCATIONS_PER_REPORT
  const parent = t >> 1
  const second = (t & 1) === 1
  const p = profileOf(ds, r)
  const split = parent === 1 ? p.itemSplit : p.slots[parent === 0 ? 0 : parent - 1]!.split
  const percent = parent === 1 ? 70 : p.slots[parent === 0 ? 0 : parent - 1]!.splitPercent
  const exists = (parent !== 1 || p.itemized) && (!second || split)
  const entry = parent === 0 ? (p.itemized ? null : r * 3) : parent === 1 ? null : r * 3 + parent - 1
  const itemization = parent === 0 ? (p.itemized ? r * 2 : null) : parent === 1 ? r * 2 + 1 : null
  return { r, parent, second, split, percent, exists, entry, itemization }
}

/** Whether allocation slot *a* exists. */
export function allocationExists(ds: Dataset, a: number): boolean {
  return allocationSlot(ds, a).exists
}

function customList(value: string, code: string, listItemId: string) {
  return { Type: 'List', Value: value, Code: code, ListItemID: listItemId }
}

/** What a report is for: its name is one of these (drawn first from the report's Faker), then its city. */
export const REPORT_PURPOSES = [
  'Client visit',
  'Conference',
  'Sales trip',
  'Team offsite',
  'Training',
  'Customer workshop',
]

/**
 * Expense report *r* as served by `GET /api/v3.0/expense/reports` (without `URI`).
 *
 * @example
 * reportAt(ds, 0).ApprovalStatusCode
 */
export function reportAt(ds: Dataset, r: number): Wire<ReportItem> {
  const core = reportCore(ds, r)
  const p = core.profile
  const combo = STATUS_COMBOS[p.status]!
  const country = COUNTRIES[p.country]!
  const city = country.cities[p.city]!
  const owner = userNameOf(ds, core.owner)
  const approver = combo.submitted ? userNameOf(ds, p.approver) : undefined
  const f = fakerFor(ds, 'expense-reports', r)
  const purpose = f.helpers.arrayElement(REPORT_PURPOSES)
  const lastComment = p.everSentBack ? f.lorem.sentence({ min: 3, max: 8 }) : ''
  const dec = country.decimals
  const total = core.amounts[0] + core.amounts[1] + core.amounts[2]
  let personal = 0
  let dueEmployee = 0
  let dueCard = 0
  p.slots.forEach((s, i) => {
    const amount = core.amounts[i]!
    if (s.personal) personal += amount
    else if (PAYMENT_TYPES[s.payment]!.employeePays) dueEmployee += amount
    else if (s.payment === 2) dueCard += amount
  })
  const claimed = total - personal
  const costCenter = r % 12
  const id = reportId(ds, r)
  return {
    ...REPORT_NULLS,
    Name: `${purpose} ${city.name}`,
    Total: major(total, dec),
    CurrencyCode: country.currency,
    Country: country.code,
    CountrySubdivision: city.subdivision,
    CreateDate: formatV3Date(core.create),
    SubmitDate: core.submit === null ? null : formatV3Date(core.submit),
    ProcessingPaymentDate: core.processing === null ? null : formatV3Date(core.processing),
    PaidDate: core.paid === null ? null : formatV3Date(core.paid),
    ReceiptsReceived: combo.submitted && p.receiptsReceived,
    UserDefinedDate: formatV3Date(core.userDefined),
    LastComment: lastComment,
    OwnerLoginID: owner.loginId,
    OwnerName: `${owner.firstName} ${owner.lastName}`,
    ApproverLoginID: approver?.loginId ?? null,
    ApproverName: approver ? `${approver.firstName} ${approver.lastName}` : null,
    ApprovalStatusName: combo.approvalName,
    ApprovalStatusCode: combo.approvalCode,
    PaymentStatusName: combo.paymentName,
    PaymentStatusCode: combo.paymentCode,
    LastModifiedDate: formatV3Date(core.modified),
    PersonalAmount: major(personal, dec),
    AmountDueEmployee: major(dueEmployee, dec),
    AmountDueCompanyCard: major(dueCard, dec),
    TotalClaimedAmount: major(claimed, dec),
    TotalApprovedAmount: combo.approvalCode === 'A_APPR' ? major(claimed, dec) : major(claimed, dec),
    LedgerName: 'DEFAULT',
    PolicyID: policyId(ds, p.group),
    EverSentBack: p.everSentBack,
    HasException: p.hasException,
    WorkflowActionUrl: workflowActionUrl(DATACENTERS[ds.company.datacenter].baseUrl, id),
    // Assigning after the spread keeps the key in its place (OrgUnit1 first).
    OrgUnit1: customList(
      `Cost Center ${1000 + costCenter}`,
      `CC${1000 + costCenter}`,
      encodeId('list-items', ds.tag, costCenter),
    ),
    ID: id,
  } as Wire<ReportItem>
}

/**
 * Expense entry *e* (of report `floor(e / 3)`), without `URI`.
 *
 * @example
 * entryAt(ds, 0).ReportID === reportAt(ds, 0).ID
 */
export function entryAt(ds: Dataset, e: number): Wire<EntryItem> {
  const r = Math.floor(e / ENTRIES_PER_REPORT)
  const s = e % ENTRIES_PER_REPORT
  const core = reportCore(ds, r)
  const p = core.profile
  const slot = p.slots[s]!
  const type = EXPENSE_TYPES[slot.type]
  const country = COUNTRIES[p.country]!
  const city = country.cities[p.city]!
  const owner = userNameOf(ds, core.owner)
  const amount = major(core.amounts[s]!, country.decimals)
  const f = fakerFor(ds, 'expense-entries', e)
  const description = f.datatype.boolean(0.4)
    ? fakeTemplate(f, f.definitions.commerce.product_description).slice(0, 60)
    : null
  const journey =
    slot.type === 'MILEG'
      ? (() => {
          const distance = f.number.int({ min: 5, max: 180 })
          const start = f.number.int({ min: 10_000, max: 90_000 })
          return {
            BusinessDistance: distance,
            PersonalDistance: 0,
            NumberOfPassengers: 1,
            OdometerStart: start,
            OdometerEnd: start + distance,
            StartLocation: city.name,
            EndLocation: f.location.city(),
            UnitOfMeasure: country.code === 'US' || country.code === 'GB' ? 'M' : 'K',
            VehicleID: null,
          }
        })()
      : null
  const payment = PAYMENT_TYPES[slot.payment]!
  return {
    ...ENTRY_NULLS,
    ReportID: reportId(ds, r),
    ReportOwnerID: owner.loginId,
    ExpenseTypeCode: type.code,
    ExpenseTypeName: type.name,
    SpendCategoryCode: type.spendCode,
    SpendCategoryName: type.spendName,
    PaymentTypeID: paymentTypeId(ds, slot.payment),
    PaymentTypeName: payment.name,
    TransactionDate: formatV3Date(core.entryDates[s]!),
    TransactionCurrencyCode: country.currency,
    TransactionAmount: amount,
    ExchangeRate: 1,
    PostedAmount: amount,
    ApprovedAmount: amount,
    VendorDescription: slot.vendor,
    VendorListItemID: null,
    VendorListItemName: null,
    LocationID: locationId(ds, reportLocation(p)),
    LocationName: `${city.name}, ${city.region}`,
    LocationSubdivision: city.region,
    LocationCountry: country.code,
    Description: description,
    IsPersonal: slot.personal,
    IsBillable: slot.billable,
    IsPersonalCardCharge: false,
    HasImage: slot.image,
    IsImageRequired: amount > 75 * country.rate,
    ReceiptReceived: slot.image && p.receiptsReceived,
    TaxReceiptType: slot.vat ? 'T' : 'N',
    ElectronicReceiptID: null,
    CompanyCardTransactionID:
      slot.payment === 2 ? encodeId('expense-entries', ds.tag, e).replace('gWe', 'gWx') : null,
    TripID: null,
    HasItemizations: s === 0 && p.itemized,
    AllocationType: s === 0 ? (p.itemized ? 'P' : slot.split ? 'P' : 'N') : slot.split ? 'P' : 'N',
    HasVAT: slot.vat,
    HasAppliedCashAdvance: false,
    HasAttendees: s === 1 && p.hasAttendees,
    HasComments: p.everSentBack,
    HasExceptions: p.hasException && s === 0,
    IsPaidByExpensePay: payment.employeePays && p.reimbursement === 'CNQRPAY',
    EmployeeBankAccountID: null,
    Journey: journey,
    FormID: encodeId('forms', ds.tag, slot.type === 'MILEG' ? 2 : 1),
    LastModified: formatV3Date(core.modified),
    ID: entryId(ds, e),
  }
}

/**
 * Itemization *i* (of hotel entry `3 * floor(i / 2)`), without `URI`. Only exists when
 * `itemizationExists(ds, i)`; amounts of an entry's itemizations add up to the entry.
 *
 * @example
 * itemizationAt(ds, 0).EntryID
 */
export function itemizationAt(ds: Dataset, i: number): Wire<ItemizationItem> {
  const r = Math.floor(i / ITEMIZATIONS_PER_REPORT)
  const t = i % ITEMIZATIONS_PER_REPORT
  const core = reportCore(ds, r)
  const p = core.profile
  const code: ExpenseTypeCode = t === 0 ? 'LODNG' : 'LODTX'
  const type = EXPENSE_TYPES[code]
  const country = COUNTRIES[p.country]!
  const city = country.cities[p.city]!
  const amount = major(core.itemAmounts[t]!, country.decimals)
  return {
    ...ITEMIZATION_NULLS,
    EntryID: entryId(ds, r * ENTRIES_PER_REPORT),
    ReportID: reportId(ds, r),
    ReportOwnerID: userNameOf(ds, core.owner).loginId,
    ExpenseTypeCode: type.code,
    ExpenseTypeName: type.name,
    SpendCategoryCode: type.spendCode,
    SpendCategoryName: type.spendName,
    TransactionDate: formatV3Date(core.entryDates[0]),
    TransactionAmount: amount,
    PostedAmount: amount,
    ApprovedAmount: amount,
    LocationID: locationId(ds, reportLocation(p)),
    LocationName: `${city.name}, ${city.region}`,
    LocationSubdivision: city.region,
    LocationCountry: country.code,
    Description: t === 0 ? 'Room rate' : null,
    IsPersonal: false,
    IsBillable: p.slots[0].billable,
    IsImageRequired: false,
    AllocationType: t === 0 ? (p.slots[0].split ? 'P' : 'N') : p.itemSplit ? 'P' : 'N',
    HasComments: false,
    HasExceptions: false,
    LastModified: formatV3Date(core.modified),
    ID: itemizationId(ds, i),
  }
}

/**
 * Allocation *a*, without `URI`. The allocations of one parent (entry or itemization) add up to 100%.
 *
 * @example
 * allocationAt(ds, 0).Percentage // '100.00000000' or a split
 */
export function allocationAt(ds: Dataset, a: number): Wire<AllocationItem> {
  const slot = allocationSlot(ds, a)
  const pct = slot.split ? (slot.second ? 100 - slot.percent : slot.percent) : 100
  const parentId =
    slot.itemization !== null ? itemizationId(ds, slot.itemization) : entryId(ds, slot.entry ?? 0)
  const account = 6000 + ((slot.r * 7 + slot.parent * 3 + (slot.second ? 1 : 0)) % 40) * 10
  return {
    ...ALLOCATION_NULLS,
    EntryID: parentId,
    Percentage: pct.toFixed(8),
    IsPercentEdited: slot.split,
    IsHidden: !slot.split,
    AccountCode1: String(account),
    AccountCode2: null,
    ID: encodeId('expense-allocations', ds.tag, a),
  }
}

/**
 * Entry–attendee association *x* (on meal entry `3 * floor(x / 2) + 1`), without `URI`. The
 * amounts of an entry's associations add up to the entry.
 *
 * @example
 * associationAt(ds, 0).AttendeeID
 */
export function associationAt(ds: Dataset, x: number): Wire<EntryAttendeeAssociationItem> {
  const r = Math.floor(x / ASSOCIATIONS_PER_REPORT)
  const s = x % ASSOCIATIONS_PER_REPORT
  const core = reportCore(ds, r)
  const country = COUNTRIES[core.profile.country]!
  const total = core.amounts[1]
  const first = Math.floor(total / 2)
  return {
    ...ASSOCIATION_NULLS,
    EntryID: entryId(ds, r * ENTRIES_PER_REPORT + 1),
    AttendeeID: attendeeId(ds, associationAttendee(ds, x)),
    Amount: major(s === 0 ? first : total - first, country.decimals),
    AssociatedAttendeeCount: 1,
    ID: encodeId('entry-attendee-associations', ds.tag, x),
  }
}

/** The owner (user index) of attendee *a*. */
export function attendeeOwner(ds: Dataset, a: number): number {
  return a % ds.users
}

/** The external ID of attendee *a* (`null` for no-show placeholders). */
export function attendeeExternalId(a: number): string | null {
  return a % ATTENDEE_TYPES.length === 4 ? null : `ATT${String(a + 1).padStart(8, '0')}`
}

/**
 * Attendee *a* (type `a mod 6`), without `URI`.
 *
 * @example
 * attendeeAt(ds, 0).AttendeeTypeCode // 'BUSGUEST'
 */
export function attendeeAt(ds: Dataset, a: number): Wire<AttendeeItem> {
  const t = a % ATTENDEE_TYPES.length
  const type = ATTENDEE_TYPES[t]!
  const owner = userNameOf(ds, attendeeOwner(ds, a))
  const f = fakerFor(ds, 'expense-attendees', a)
  const noShow = type.code === 'NOSHOWS'
  const firstName = f.person.firstName()
  const lastName = f.person.lastName()
  const company = f.company.name()
  const title = f.person.jobTitle()
  const ytd = f.number.int({ min: 0, max: 200_000 }) / 100
  const prev = f.number.int({ min: 0, max: 300_000 }) / 100
  const employee = type.code === 'EMPLOYEE'
  return {
    ...ATTENDEE_NULLS,
    AttendeeTypeCode: type.code,
    AttendeeTypeID: attendeeTypeId(ds, t),
    FirstName: noShow ? null : firstName,
    LastName: noShow ? 'No Show Attendee' : lastName,
    MiddleInitial: null,
    Suffix: null,
    Company: noShow ? null : employee ? ds.company.name : company,
    Title: noShow || type.code === 'SPOUSE' ? null : title,
    ExternalID: attendeeExternalId(a),
    HasExceptionsPrevYear: false,
    HasExceptionsYTD: false,
    TotalAmountPrevYear: noShow ? 0 : prev,
    TotalAmountYTD: noShow ? 0 : ytd,
    VersionNumber: 1,
    OwnerName: `${owner.lastName}, ${owner.firstName}`,
    OwnerLoginID: owner.loginId,
    CurrencyCode: 'USD',
    ID: attendeeId(ds, a),
  }
}
