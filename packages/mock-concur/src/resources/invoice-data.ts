import type {
  InvoiceAllocation,
  InvoiceLineItem,
  InvoiceVendor,
  PaymentRequest,
  PaymentRequestDigest,
} from '@concurkit/contract'
import { type Dataset, fakerFor, rngFor, userNameOf, userOf } from '../dataset/dataset.js'
import { COUNTRIES, type Country } from '../dataset/tables.js'
import { DAY_MS, formatV3Date, TIMELINE_SPAN, TIMELINE_START } from '../dataset/time.js'
import { keptIn } from '../util/bounded.js'

/**
 * The Invoice dataset: payment requests, their digests and the vendors they pay, generated lazily and
 * deterministically from `(seed, company, index)` like the expense dataset. Payment request *i* is
 * owned by user `i mod users` of the same company and pays vendor `h(i) mod vendors`; its line items'
 * `TotalPrice` add up to `LineItemTotalAmount`, plus `TaxAmount` and `ShippingAmount` to `InvoiceAmount`,
 * and each line item's allocations add up to 100 %.
 */

type Wire<T> = { [K in keyof T as K extends 'URI' ? never : string extends K ? never : K]: T[K] }
/** A payment request as stored (no `URI`, which names the caller's origin). */
export type PaymentRequestRecord = Wire<PaymentRequest>
/** A vendor as stored (no `URI`). */
export type VendorRecord = Wire<InvoiceVendor>

/** Id prefixes of the Invoice records (then the 8-hex company tag and a 12-hex index). */
const PREFIX = { request: 'gIp', vendor: 'gIv' } as const
const INDEX_WIDTH = 12

/** A vendor's address as a payment request's `VendorRemitAddress` (and `VendorShipFromAddress`). */
export function remitAddressOf(vendor: VendorRecord, discountTerms: string | null) {
  return {
    Name: vendor.VendorName ?? null,
    Address1: vendor.Address1 ?? null,
    Address2: vendor.Address2 ?? null,
    Address3: vendor.Address3 ?? null,
    City: vendor.City ?? null,
    State: vendor.State ?? null,
    PostalCode: vendor.PostalCode ?? null,
    CountryCode: vendor.CountryCode ?? null,
    DiscountTerms: discountTerms,
  }
}

/** Number of seeded payment requests of a company: one per expense report (the company size). */
export function paymentRequestCount(ds: Dataset): number {
  return ds.reports
}

/** Number of seeded vendors of a company: a tenth of its payment requests, from 30 to 1,500. */
export function vendorCount(ds: Dataset): number {
  return Math.max(30, Math.min(1500, Math.ceil(ds.reports / 10)))
}

const encode = (prefix: string, ds: Dataset, index: number) =>
  `${prefix}${ds.tag}${index.toString(16).toUpperCase().padStart(INDEX_WIDTH, '0')}`

function decode(prefix: string, ds: Dataset, id: string): number | undefined {
  const head = prefix + ds.tag
  if (id.length !== head.length + INDEX_WIDTH || !id.startsWith(head)) return undefined
  const hex = id.slice(head.length)
  if (!/^[0-9A-F]+$/.test(hex)) return undefined
  const n = Number.parseInt(hex, 16)
  return Number.isSafeInteger(n) ? n : undefined
}

/** The id of payment request *i* (the digest's `ID` and `PaymentRequestId`). */
export const paymentRequestId = (ds: Dataset, i: number) => encode(PREFIX.request, ds, i)
/** The index a payment request id encodes (seeded or created), or undefined. */
export const paymentRequestIndex = (ds: Dataset, id: string) => decode(PREFIX.request, ds, id)
/** The id of vendor *v*. */
export const vendorId = (ds: Dataset, v: number) => encode(PREFIX.vendor, ds, v)
/** The index a vendor id encodes, or undefined. */
export const vendorIndex = (ds: Dataset, id: string) => decode(PREFIX.vendor, ds, id)

const pad = (n: number, width: number) => String(n).padStart(width, '0')
const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!

/** Vendor countries (two-decimal currencies), weighted towards the US as the expense dataset is. */
const VENDOR_COUNTRIES = ['US', 'US', 'US', 'US', 'CA', 'GB', 'DE', 'FR', 'AU', 'CH'] as const
const countryOf = (code: string): Country => COUNTRIES.find((c) => c.code === code) ?? COUNTRIES[0]!
const PAYMENT_METHODS = ['CHECK', 'CHECK', 'ACH', 'ACH', 'ACH', 'WIRE', 'CARD', 'VCHER'] as const
const PAYMENT_TERMS = ['Net 30', 'Net 45', 'Net 60', 'Due on receipt'] as const
const TERMS_DAYS: Readonly<Record<string, number>> = {
  'Net 30': 30,
  'Net 45': 45,
  'Net 60': 60,
  'Due on receipt': 0,
}
const EXPENSE_TYPES = ['OFFIC', 'COMPT', 'SFTWR', 'CONSL', 'FACIL', 'MKTNG', 'TELCO', 'SHIPG'] as const
const ACCOUNTS = ['6100', '6150', '6200', '6300', '6410', '6500', '7100', '7200'] as const

const vendorMemo = new Map<string, VendorRecord>()

/**
 * Vendor *v* of the company (without `URI`): code `V00001`…, one remit-to address `REMIT`, the
 * currency of its country. Memoized (a bounded map).
 *
 * @example
 * vendorAt(ds, 0).VendorCode // 'V00001'
 */
export function vendorAt(ds: Dataset, v: number): VendorRecord {
  return keptIn(vendorMemo, `${ds.seed}\u001f${ds.company.id}\u001f${v}`, 4096, () => makeVendor(ds, v))
}

function makeVendor(ds: Dataset, v: number): VendorRecord {
  const f = fakerFor(ds, 'invoice-vendors', v)
  const country = countryOf(f.helpers.arrayElement(VENDOR_COUNTRIES))
  const city = f.helpers.arrayElement(country.cities)
  const method = f.helpers.arrayElement(PAYMENT_METHODS)
  const terms = f.helpers.arrayElement(PAYMENT_TERMS)
  const first = f.person.firstName()
  const last = f.person.lastName()
  const name = f.company.name()
  const custom = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`Custom${i + 1}`, null]))
  const record: VendorRecord = {
    ID: vendorId(ds, v),
    VendorCode: `V${pad(v + 1, 5)}`,
    AddressCode: 'REMIT',
    VendorName: name,
    VendorFormName: 'Default Vendor Form',
    AccountNumber: `ACCT-${pad(f.number.int({ min: 0, max: 99_999_999 }), 8)}`,
    AddressImportSyncID: null,
    Address1: f.location.streetAddress(),
    Address2: f.datatype.boolean(0.2) ? `Suite ${f.number.int({ min: 100, max: 999 })}` : null,
    Address3: null,
    City: city.name,
    State: city.region,
    PostalCode: f.location.zipCode(),
    Country: country.code,
    CountryCode: country.code,
    CurrencyCode: country.currency,
    TaxID: `${pad(f.number.int({ min: 10, max: 99 }), 2)}-${pad(f.number.int({ min: 0, max: 9_999_999 }), 7)}`,
    TaxType: country.hasVat ? 'VAT' : 'EIN',
    ProvincialTaxID: null,
    PaymentMethodType: method,
    PaymentTerms: terms,
    DiscountTermsDays: f.datatype.boolean(0.3) ? '10' : null,
    DiscountPercentage: f.datatype.boolean(0.3) ? '2' : null,
    Approved: v % 11 === 10 ? 'false' : 'true',
    ContactEmail: f.internet.email({ firstName: first, lastName: last }).toLowerCase(),
    ContactFirstName: first,
    ContactLastName: last,
    ContactPhoneNumber: f.phone.number({ style: 'international' }),
    PurchaseOrderContactEmail: null,
    PurchaseOrderContactFirstName: null,
    PurchaseOrderContactLastName: null,
    PurchaseOrderContactPhoneNumber: null,
    DefaultEmployeeID: null,
    DefaultExpenseTypeName: null,
    ShippingMethod: null,
    ShippingTerms: null,
    IsVisibleForContentExtraction: 'true',
    IsLineItemVatIncld: country.hasVat ? 'true' : 'false',
    VoucherNotes: null,
    ...custom,
    StatusList: [],
    VendorBankList: [],
    VendorGroupList: [],
  }
  return Object.freeze(record)
}

/** The statuses and dates of payment request *i*: the first draws of its core. */
export interface RequestHead {
  readonly approval: 'A_NOTF' | 'A_PEND' | 'A_APPR' | 'A_RESU'
  readonly payment: 'P_NOTP' | 'P_PROC' | 'P_PAID'
  readonly created: number
  readonly invoiceDate: number
  readonly submitted: number | null
  readonly approved: number | null
  readonly extracted: number | null
  readonly paid: number | null
}

/** The numbers of payment request *i*: owner, vendor, statuses, dates, amounts (minor units). Cheap: no Faker. */
export interface RequestCore extends RequestHead {
  readonly index: number
  readonly owner: number
  readonly vendor: number
  readonly lastModified: number
  readonly lines: readonly {
    readonly quantity: number
    readonly unit: number
    readonly tax: number
    readonly split: number | null
    readonly account: number
    readonly type: number
  }[]
  readonly shipping: number
  readonly hasImage: boolean
  readonly invoiceNumber: string
  readonly po: string | null
}

/** The head's draws, from the request's generator (the core goes on drawing from where it stops). */
function drawHead(ds: Dataset, i: number, rng: () => number): RequestHead {
  const count = paymentRequestCount(ds)
  // Created in index order across the two-year timeline (jitter within a day), so the dates are
  // spread and recent requests have the highest indexes.
  const created = TIMELINE_START + Math.floor((i / Math.max(1, count)) * TIMELINE_SPAN + rng() * DAY_MS)
  const invoiceDate = created - Math.floor(rng() * 10) * DAY_MS
  const roll = rng()
  const approval = roll < 0.12 ? 'A_NOTF' : roll < 0.3 ? 'A_PEND' : roll < 0.35 ? 'A_RESU' : 'A_APPR'
  const submitted = approval === 'A_NOTF' ? null : created + Math.floor((0.1 + rng() * 2) * DAY_MS)
  const approved = approval === 'A_APPR' ? submitted! + Math.floor((0.2 + rng() * 4) * DAY_MS) : null
  const payRoll = rng()
  const payment =
    approved === null ? 'P_NOTP' : payRoll < 0.65 ? 'P_PAID' : payRoll < 0.85 ? 'P_PROC' : 'P_NOTP'
  const extracted = payment === 'P_NOTP' ? null : approved! + Math.floor((0.5 + rng()) * DAY_MS)
  const paid = payment === 'P_PAID' ? extracted! + Math.floor((1 + rng() * 5) * DAY_MS) : null
  return { approval, payment, created, invoiceDate, submitted, approved, extracted, paid }
}

/**
 * The statuses and dates of payment request *i* without the rest of its core (no line items drawn):
 * what the digest list's status and date filters read. Equal to those fields of `requestCore`.
 *
 * @example
 * requestHead(ds, 0).approval === requestCore(ds, 0).approval // true
 */
export function requestHead(ds: Dataset, i: number): RequestHead {
  return drawHead(ds, i, rngFor(ds, 'payment-requests', i))
}

/**
 * The core of payment request *i*.
 *
 * @example
 * requestCore(ds, 0).lines.length
 */
export function requestCore(ds: Dataset, i: number): RequestCore {
  const rng = rngFor(ds, 'payment-requests', i)
  const { approval, payment, created, invoiceDate, submitted, approved, extracted, paid } = drawHead(
    ds,
    i,
    rng,
  )
  const n = 1 + Math.floor(rng() * 4)
  const lines = Array.from({ length: n }, () => {
    const quantity = 1 + Math.floor(rng() * 10)
    const unit = 500 + Math.floor(rng() * 49_500)
    const tax = rng() < 0.7 ? Math.round(quantity * unit * 0.08) : 0
    const split = rng() < 0.3 ? pick(rng, [25, 40, 50, 60, 75]) : null
    return {
      quantity,
      unit,
      tax,
      split,
      account: Math.floor(rng() * ACCOUNTS.length),
      type: Math.floor(rng() * EXPENSE_TYPES.length),
    }
  })
  const shipping = rng() < 0.25 ? 500 + Math.floor(rng() * 4500) : 0
  const lastModified =
    Math.max(created, submitted ?? 0, approved ?? 0, extracted ?? 0, paid ?? 0) + Math.floor(rng() * 3600_000)
  return {
    index: i,
    owner: i % ds.users,
    vendor: Math.floor(rng() * vendorCount(ds)),
    approval,
    payment,
    created,
    invoiceDate,
    submitted,
    approved,
    extracted,
    paid,
    lastModified,
    lines,
    shipping,
    hasImage: rng() < 0.7,
    invoiceNumber: `INV-${pad(Math.floor(rng() * 1_000_000), 6)}-${pad(i, 5)}`,
    po: rng() < 0.4 ? `PO-${pad(Math.floor(rng() * 100_000), 5)}` : null,
  }
}

/** Minor units as a decimal string with the currency's decimals (`123456` → `'1234.56'`). */
export function money(minor: number, decimals: number): string {
  if (decimals === 0) return String(Math.round(minor / 100))
  const sign = minor < 0 ? '-' : ''
  const abs = Math.abs(minor)
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100, 2)}`
}

const date = (ms: number | null) => (ms === null ? null : formatV3Date(ms))
const flag = (b: boolean) => (b ? 'true' : 'false')

/**
 * Payment request *i* as `GET /api/v3.0/invoice/paymentrequest/{id}` serves it (without `URI`),
 * with its hidden `LastModifiedDate` (the digest shows it; the request has no such field).
 *
 * @example
 * paymentRequestAt(ds, 0).record.LineItems?.LineItem.length
 */
export function paymentRequestAt(
  ds: Dataset,
  i: number,
): { record: PaymentRequestRecord; lastModified: number; hasImage: boolean } {
  const core = requestCore(ds, i)
  const vendor = vendorAt(ds, core.vendor)
  const owner = userOf(ds, core.owner)
  const d = 2
  const f = fakerFor(ds, 'payment-requests', i)
  const id = paymentRequestId(ds, i)
  const lineItems: InvoiceLineItem[] = core.lines.map((l, k) => {
    const total = l.quantity * l.unit
    const allocations: InvoiceAllocation[] = (l.split === null ? [100] : [l.split, 100 - l.split]).map(
      (pct, a) => ({
        AllocationAccountCode: ACCOUNTS[(l.account + a) % ACCOUNTS.length]!,
        Percentage: String(pct),
        IsTestUser: 'false',
        ...Object.fromEntries(
          Array.from({ length: 20 }, (_, c) => [
            `Custom${c + 1}`,
            c === 0 ? `CC-${1000 + ((core.owner + a) % 12)}` : null,
          ]),
        ),
      }),
    )
    return {
      LineItemId: `${id}-${k + 1}`,
      RequestLineItemNumber: String(k + 1),
      Description: f.commerce.productName(),
      ExpenseTypeCode: EXPENSE_TYPES[l.type]!,
      Quantity: String(l.quantity),
      UnitPrice: money(l.unit, d),
      TotalPrice: money(total, d),
      Tax: money(l.tax, d),
      TaxCode: l.tax > 0 ? 'TX8' : null,
      TaxCode2: null,
      TaxCode3: null,
      TaxCode4: null,
      VatAmount: null,
      VatAmountTwo: null,
      VatAmountThree: null,
      VatAmountFour: null,
      VatRate: null,
      VatRateTwo: null,
      VatRateThree: null,
      VatRateFour: null,
      AmountWithoutVat: money(total, d),
      ApprovedLineItemAmount: core.approval === 'A_APPR' ? money(total, d) : null,
      RequestedLineItemAmount: money(total, d),
      PurchaseOrderNumber: core.po,
      MatchedPurchaseOrderLineItemId: null,
      IsMatched: flag(core.po !== null),
      AllocationStatus: 'Allocated',
      DeliverySlipNumber: null,
      LineItemIsTestUser: 'false',
      ShipFromPostalCode: null,
      ShipToPostalCode: null,
      SupplierPartId: null,
      UnitOfMeasure: 'EA',
      ...Object.fromEntries(Array.from({ length: 20 }, (_, c) => [`Custom${c + 1}`, null])),
      Allocations: { Allocation: allocations },
    }
  })
  const { lineTotal, tax, amount } = amountsOf(core)
  const termsDays = TERMS_DAYS[vendor.PaymentTerms ?? ''] ?? 30
  const companyAddress = {
    Name: ds.company.name,
    Address1: '601 108th Ave NE',
    Address2: null,
    Address3: null,
    City: 'Bellevue',
    State: 'WA',
    PostalCode: '98004',
    CountryCode: 'US',
  }
  const remit = remitAddressOf(
    vendor,
    vendor.DiscountTermsDays ? `${vendor.DiscountPercentage}% ${vendor.DiscountTermsDays}` : null,
  )
  const record: PaymentRequestRecord = {
    ID: id,
    Name: `${vendor.VendorName} ${formatV3Date(core.invoiceDate).slice(0, 10)}`,
    Description: f.commerce.productDescription().slice(0, 64),
    InvoiceNumber: core.invoiceNumber,
    InvoiceDate: date(core.invoiceDate),
    InvoiceReceivedDate: date(core.created),
    InvoiceAmount: money(amount, d),
    CurrencyCode: vendor.CurrencyCode ?? 'USD',
    CountryCode: vendor.CountryCode ?? 'US',
    ApprovalStatus: core.approval,
    PaymentStatus: core.payment,
    PaymentMethod: vendor.PaymentMethodType ?? 'CHECK',
    LedgerCode: 'DEFAULT',
    EmployeeName: `${owner.lastName}, ${owner.firstName}`,
    CreatedByUsername: owner.loginId,
    AssignedByUsername: null,
    BuyerCostCenter: `CC-${1000 + (core.owner % 12)}`,
    CheckNumber:
      core.payment === 'P_PAID' && vendor.PaymentMethodType === 'CHECK' ? String(100_000 + i) : null,
    DataSource: 'API',
    DeliverySlipNumber: null,
    DiscountPercentage: vendor.DiscountPercentage ?? null,
    DiscountTerms: remit.DiscountTerms,
    ExternalPolicyId: null,
    NotesToVendor: null,
    OB10BuyerId: null,
    OB10TransactionId: null,
    PaymentAdjustmentNotes: null,
    PaymentTermsDays: String(termsDays),
    ProvincialTaxId: null,
    PurchaseOrderNumber: core.po,
    ReceiptConfirmationType: core.po ? 'RECEIPT' : 'NONE',
    VendorTaxId: vendor.TaxID ?? null,
    PaymentRequestCreatedByTestUser: 'false',
    PaymentRequestDeletedBy: null,
    PaidAmount: money(core.payment === 'P_PAID' ? amount : 0, d),
    TotalApprovedAmount: money(core.approval === 'A_APPR' ? amount : 0, d),
    CalculatedAmount: money(amount, d),
    LineItemTotalAmount: money(lineTotal, d),
    LineItemVatAmount: money(0, d),
    ShippingAmount: money(core.shipping, d),
    TaxAmount: money(tax, d),
    AmountWithoutVat: money(amount, d),
    VatAmountOne: null,
    VatAmountTwo: null,
    VatAmountThree: null,
    VatAmountFour: null,
    VatRateOne: null,
    VatRateTwo: null,
    VatRateThree: null,
    VatRateFour: null,
    TaxCode: tax > 0 ? 'TX8' : null,
    TaxCode2: null,
    TaxCode3: null,
    TaxCode4: null,
    PaidDate: date(core.paid),
    PaymentDueDate: date(core.invoiceDate + termsDays * DAY_MS),
    UserCreationDate: date(core.created),
    FirstSubmitDate: date(core.submitted),
    LastSubmitDate: date(core.submitted),
    FirstApprovalDate: date(core.approved),
    WorkflowCompleteDate: date(core.approved),
    ExtractDate: date(core.extracted),
    DeletedDate: null,
    AssignedDate: null,
    IsAssigned: 'false',
    IsInvoiceConfirmed: flag(core.approval !== 'A_NOTF'),
    IsPaymentRequestDeleted: 'false',
    IsPaymentRequestDuplicate: 'false',
    IsTestTransaction: 'false',
    SubmittedByDelegate: 'false',
    ApprovedByDelegate: 'false',
    OrgUnit01: 'US01',
    OrgUnit02: `CC-${1000 + (core.owner % 12)}`,
    OrgUnit03: null,
    OrgUnit04: null,
    OrgUnit05: null,
    OrgUnit06: null,
    ...Object.fromEntries(
      Array.from({ length: 24 }, (_, c) => [`Custom${c + 1}`, c === 0 ? 'Invoice' : null]),
    ),
    CompanyBillToAddress: companyAddress,
    CompanyShipToAddress: companyAddress,
    VendorRemitAddress: remit,
    VendorShipFromAddress: remit,
    LineItems: { LineItem: lineItems },
  }
  return { record, lastModified: core.lastModified, hasImage: core.hasImage }
}

/** A request's line total, tax and amount (line total + tax + shipping), in minor units. */
function amountsOf(core: RequestCore): { lineTotal: number; tax: number; amount: number } {
  const lineTotal = core.lines.reduce((s, l) => s + l.quantity * l.unit, 0)
  const tax = core.lines.reduce((s, l) => s + l.tax, 0)
  return { lineTotal, tax, amount: lineTotal + tax + core.shipping }
}

/**
 * The digest of seeded payment request *i* (owner `ownerLogin`), made from its core, vendor and
 * owner's names without the rest of the request (its line items draw Faker text the digest never
 * shows): the same object as `digestOf(paymentRequestAt(ds, i).record, …)`, field for field.
 *
 * @example
 * seededDigestOf(ds, 0, login, origin).Total === digestOf(paymentRequestAt(ds, 0).record, …).Total // true
 */
export function seededDigestOf(
  ds: Dataset,
  i: number,
  ownerLogin: string | null,
  origin: string,
): Wire<PaymentRequestDigest> {
  const core = requestCore(ds, i)
  const vendor = vendorAt(ds, core.vendor)
  const owner = userNameOf(ds, core.owner)
  const id = paymentRequestId(ds, i)
  const { amount } = amountsOf(core)
  return {
    ID: id,
    PaymentRequestId: id,
    PaymentRequestUri: `${origin}/api/v3.0/invoice/paymentrequest/${id}`,
    ApprovalStatusCode: core.approval ?? null,
    PaymentStatusCode: core.payment ?? null,
    CreateDate: date(core.created),
    UserDefinedDate: date(core.invoiceDate),
    PaidDate: date(core.paid),
    LastModifiedDate: formatV3Date(core.lastModified),
    ExtractedDate: date(core.extracted),
    CurrencyCode: vendor.CurrencyCode ?? 'USD',
    InvoiceNumber: core.invoiceNumber ?? null,
    IsDeleted: false,
    OwnerLoginID: ownerLogin,
    OwnerName: `${owner.lastName}, ${owner.firstName}`,
    Total: money(amount, 2),
    VendorName: vendor.VendorName ?? null,
    PaymentMethod: vendor.PaymentMethodType ?? 'CHECK',
    PurchaseOrderNumber: core.po ?? null,
  }
}

/**
 * The digest of a payment request (without `URI`; `PaymentRequestUri` on `origin`). The digest's
 * `ID` is the payment request's id, so a client fans out `…/paymentrequest/{ID}`.
 *
 * @example
 * digestOf(paymentRequestAt(ds, 0).record, lastModified, origin).Total
 */
export function digestOf(
  record: PaymentRequestRecord,
  lastModified: number,
  ownerLogin: string | null,
  origin: string,
): Wire<PaymentRequestDigest> {
  const id = String(record.ID)
  return {
    ID: id,
    PaymentRequestId: id,
    PaymentRequestUri: `${origin}/api/v3.0/invoice/paymentrequest/${id}`,
    ApprovalStatusCode: record.ApprovalStatus ?? null,
    PaymentStatusCode: record.PaymentStatus ?? null,
    CreateDate: record.UserCreationDate ?? null,
    UserDefinedDate: record.InvoiceDate ?? null,
    PaidDate: record.PaidDate ?? null,
    LastModifiedDate: formatV3Date(lastModified),
    ExtractedDate: record.ExtractDate ?? null,
    CurrencyCode: record.CurrencyCode ?? null,
    InvoiceNumber: record.InvoiceNumber ?? null,
    IsDeleted: record.IsPaymentRequestDeleted === 'true',
    OwnerLoginID: ownerLogin,
    OwnerName: record.EmployeeName ?? null,
    Total: record.InvoiceAmount ?? null,
    VendorName: record.VendorRemitAddress?.Name ?? null,
    PaymentMethod: record.PaymentMethod ?? null,
    PurchaseOrderNumber: record.PurchaseOrderNumber ?? null,
  }
}
