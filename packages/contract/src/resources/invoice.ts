import { z } from 'zod'
import { defineResource, type FilterDefinition, type FilterType } from '../registry.js'

/**
 * Invoice APIs (reference v4 §8): Payment Request Digests v3.0, Payment Requests v3.0, Vendor v3.1
 * and the invoice image of Image v1.0. Every field of the swagger definitions is a string on the
 * wire (`ex4:invoice-v3.0-PaymentRequest.swagger2.json`); the page documents `IsDeleted` of a digest
 * as a boolean, so both are read. Unused fields are `null` (JSON) or `i:nil` (XML).
 */

/** A documented string field of an Invoice record (`null` when unset). */
const Str = z.string().nullish()

type StringFields<K extends readonly string[]> = { [P in K[number]]: typeof Str }

/** A zod shape of optional, nullable string fields. */
function stringFields<const K extends readonly string[]>(keys: K): StringFields<K> {
  return Object.fromEntries(keys.map((k) => [k, Str])) as StringFields<K>
}

/** `Custom1` … `Custom<n>` (`Custom01` … with `pad`). */
function customNames(n: number, pad = false): `Custom${string}`[] {
  return Array.from({ length: n }, (_, i) => `Custom${pad ? String(i + 1).padStart(2, '0') : i + 1}` as const)
}

/** The string fields of a digest (md table plus the swagger's `PurchaseOrderNumber`). */
export const DIGEST_FIELDS = [
  'ID',
  'URI',
  'PaymentRequestId',
  'PaymentRequestUri',
  'ApprovalStatusCode',
  'PaymentStatusCode',
  'CreateDate',
  'UserDefinedDate',
  'PaidDate',
  'LastModifiedDate',
  'ExtractedDate',
  'CurrencyCode',
  'InvoiceNumber',
  'OwnerLoginID',
  'OwnerName',
  'Total',
  'VendorName',
  'PaymentMethod',
  'PurchaseOrderNumber',
] as const

/**
 * One payment request digest (`GET /api/v3.0/invoice/paymentrequestdigests`).
 *
 * @example
 * PaymentRequestDigest.parse(page.PaymentRequestDigest[0]).PaymentRequestId
 */
export const PaymentRequestDigest = z.looseObject({
  ...stringFields(DIGEST_FIELDS),
  IsDeleted: z.union([z.boolean(), z.string()]).nullish(),
})
export type PaymentRequestDigest = z.infer<typeof PaymentRequestDigest>

/**
 * The digest collection: the records in `PaymentRequestDigest` and again in `Items` (the page lists
 * both), `NextPage` (absolute URL, `null` on the last page) and `TotalCount` (all matches).
 *
 * @example
 * const page = PaymentRequestDigestCollection.parse(await res.json())
 */
export const PaymentRequestDigestCollection = z.looseObject({
  PaymentRequestDigest: z.array(PaymentRequestDigest),
  Items: z.array(PaymentRequestDigest).nullish(),
  NextPage: z.string().nullish(),
  TotalCount: z.number().int().nullish(),
})
export type PaymentRequestDigestCollection = z.infer<typeof PaymentRequestDigestCollection>

/** Fields of an allocation of a line item (swagger `Allocation`). */
export const ALLOCATION_FIELDS = [
  'AllocationAccountCode',
  'Percentage',
  'IsTestUser',
  ...customNames(20),
] as const

/**
 * One allocation of a line item; the allocations of a line item add up to 100 (`Percentage`).
 *
 * @example
 * InvoiceAllocation.parse({ AllocationAccountCode: '6100', Percentage: '100' })
 */
export const InvoiceAllocation = z.looseObject(stringFields(ALLOCATION_FIELDS))
export type InvoiceAllocation = z.infer<typeof InvoiceAllocation>

/** Fields of a line item (swagger `LineItem`, without `Allocations`). */
export const LINE_ITEM_FIELDS = [
  'LineItemId',
  'RequestLineItemNumber',
  'Description',
  'ExpenseTypeCode',
  'Quantity',
  'UnitPrice',
  'TotalPrice',
  'Tax',
  'TaxCode',
  'TaxCode2',
  'TaxCode3',
  'TaxCode4',
  'VatAmount',
  'VatAmountTwo',
  'VatAmountThree',
  'VatAmountFour',
  'VatRate',
  'VatRateTwo',
  'VatRateThree',
  'VatRateFour',
  'AmountWithoutVat',
  'ApprovedLineItemAmount',
  'RequestedLineItemAmount',
  'PurchaseOrderNumber',
  'MatchedPurchaseOrderLineItemId',
  'IsMatched',
  'AllocationStatus',
  'DeliverySlipNumber',
  'LineItemIsTestUser',
  'ShipFromPostalCode',
  'ShipToPostalCode',
  'SupplierPartId',
  'UnitOfMeasure',
  ...customNames(20),
] as const

/**
 * One line item of a payment request, its allocations wrapped as `{"Allocation": [...]}`.
 *
 * @example
 * InvoiceLineItem.parse(request.LineItems.LineItem[0]).Allocations?.Allocation
 */
export const InvoiceLineItem = z.looseObject({
  ...stringFields(LINE_ITEM_FIELDS),
  Allocations: z.looseObject({ Allocation: z.array(InvoiceAllocation) }).nullish(),
})
export type InvoiceLineItem = z.infer<typeof InvoiceLineItem>

/** Fields of a company address (swagger `CompanyAddress`); a vendor address adds `DiscountTerms`. */
export const ADDRESS_FIELDS = [
  'Name',
  'Address1',
  'Address2',
  'Address3',
  'City',
  'State',
  'PostalCode',
  'CountryCode',
] as const

/** A company bill-to or ship-to address. */
export const CompanyAddress = z.looseObject(stringFields(ADDRESS_FIELDS))
export type CompanyAddress = z.infer<typeof CompanyAddress>

/** A vendor remit-to or ship-from address. */
export const VendorAddress = z.looseObject({ ...stringFields(ADDRESS_FIELDS), DiscountTerms: Str })
export type VendorAddress = z.infer<typeof VendorAddress>

/** The string fields of a payment request (swagger `PaymentRequest`, without the objects). */
export const PAYMENT_REQUEST_FIELDS = [
  'ID',
  'URI',
  'Name',
  'Description',
  'InvoiceNumber',
  'InvoiceDate',
  'InvoiceReceivedDate',
  'InvoiceAmount',
  'CurrencyCode',
  'CountryCode',
  'ApprovalStatus',
  'PaymentStatus',
  'PaymentMethod',
  'LedgerCode',
  'EmployeeName',
  'CreatedByUsername',
  'AssignedByUsername',
  'BuyerCostCenter',
  'CheckNumber',
  'DataSource',
  'DeliverySlipNumber',
  'DiscountPercentage',
  'DiscountTerms',
  'ExternalPolicyId',
  'NotesToVendor',
  'OB10BuyerId',
  'OB10TransactionId',
  'PaymentAdjustmentNotes',
  'PaymentTermsDays',
  'ProvincialTaxId',
  'PurchaseOrderNumber',
  'ReceiptConfirmationType',
  'VendorTaxId',
  'PaymentRequestCreatedByTestUser',
  'PaymentRequestDeletedBy',
  'PaidAmount',
  'TotalApprovedAmount',
  'CalculatedAmount',
  'LineItemTotalAmount',
  'LineItemVatAmount',
  'ShippingAmount',
  'TaxAmount',
  'AmountWithoutVat',
  'VatAmountOne',
  'VatAmountTwo',
  'VatAmountThree',
  'VatAmountFour',
  'VatRateOne',
  'VatRateTwo',
  'VatRateThree',
  'VatRateFour',
  'TaxCode',
  'TaxCode2',
  'TaxCode3',
  'TaxCode4',
  'PaidDate',
  'PaymentDueDate',
  'UserCreationDate',
  'FirstSubmitDate',
  'LastSubmitDate',
  'FirstApprovalDate',
  'WorkflowCompleteDate',
  'ExtractDate',
  'DeletedDate',
  'AssignedDate',
  'IsAssigned',
  'IsInvoiceConfirmed',
  'IsPaymentRequestDeleted',
  'IsPaymentRequestDuplicate',
  'IsTestTransaction',
  'SubmittedByDelegate',
  'ApprovedByDelegate',
  'OrgUnit01',
  'OrgUnit02',
  'OrgUnit03',
  'OrgUnit04',
  'OrgUnit05',
  'OrgUnit06',
  ...customNames(24),
] as const

/**
 * One payment request (`GET /api/v3.0/invoice/paymentrequest/{id}`): header, amounts, dates, flags,
 * org units, custom fields, the four addresses and `LineItems.LineItem[]` with
 * `Allocations.Allocation[]`. The line items' `TotalPrice` add up to `LineItemTotalAmount`.
 *
 * @example
 * PaymentRequest.parse(await res.json()).LineItems?.LineItem.length
 */
export const PaymentRequest = z.looseObject({
  ...stringFields(PAYMENT_REQUEST_FIELDS),
  CompanyBillToAddress: CompanyAddress.nullish(),
  CompanyShipToAddress: CompanyAddress.nullish(),
  VendorRemitAddress: VendorAddress.nullish(),
  VendorShipFromAddress: VendorAddress.nullish(),
  LineItems: z.looseObject({ LineItem: z.array(InvoiceLineItem) }).nullish(),
})
export type PaymentRequest = z.infer<typeof PaymentRequest>

/** A scalar of a write body: a string as documented, or a number (read as its decimal string). */
const WireScalar = z.union([z.string(), z.number().transform(String)])

/** One member or an array of them (XML bodies and hand-written JSON give either). */
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item.transform((x) => [x] as z.output<T>[])])

const scalarFields = <const K extends readonly string[]>(keys: K) =>
  Object.fromEntries(keys.map((k) => [k, WireScalar.optional()])) as {
    [P in K[number]]: z.ZodOptional<typeof WireScalar>
  }

/** Fields of an allocation in a POST/PUT body (swagger `PaymentRequestAllocationPostPut`). */
export const AllocationWrite = z.strictObject(scalarFields(['Percentage', ...customNames(20, true)]))
export type AllocationWrite = z.output<typeof AllocationWrite>

const LINE_ITEM_WRITE_FIELDS = [
  'Description',
  'ExpenseTypeCode',
  'ItemCode',
  'PurchaseOrderNumber',
  'Quantity',
  'UnitPrice',
  'TotalPrice',
  'Tax',
  'TaxCode',
  'TaxCode2',
  'TaxCode3',
  'TaxCode4',
  'VatAmount',
  'VatAmountTwo',
  'VatAmountThree',
  'VatAmountFour',
  'VatRate',
  'VatRateTwo',
  'VatRateThree',
  'VatRateFour',
  'AmountWithoutVat',
  'ShipFromPostalCode',
  'ShipToPostalCode',
  'SupplierPartId',
  'UnitOfMeasure',
  // PUT only (swagger `PaymentRequestLineItemPut`): which line item and what to do with it.
  'LineItemID',
  'Action',
  ...customNames(20, true),
] as const

/**
 * A line item of a POST/PUT body; `Allocations` is `{"Allocation": …}` (one or many) or an array.
 *
 * @example
 * LineItemWrite.parse({ Description: 'Paper', Quantity: '2', UnitPrice: '10.00', TotalPrice: '20.00' })
 */
export const LineItemWrite = z.strictObject({
  ...scalarFields(LINE_ITEM_WRITE_FIELDS),
  Allocations: z
    .union([
      z.strictObject({ Allocation: oneOrMany(AllocationWrite) }).transform((x) => x.Allocation),
      z.array(AllocationWrite),
    ])
    .optional(),
})
export type LineItemWrite = z.output<typeof LineItemWrite>

/**
 * How a write names the vendor to pay: `VendorCode` (with `AddressCode`), or `Name` + `Address1` +
 * `PostalCode`.
 */
export const VendorRemitToIdentifier = z
  .strictObject(scalarFields(['VendorCode', 'AddressCode', 'Name', 'Address1', 'PostalCode']))
  .refine((v) => v.VendorCode !== undefined || (v.Name && v.Address1 && v.PostalCode), {
    message: 'needs VendorCode, or Name, Address1 and PostalCode',
  })
export type VendorRemitToIdentifier = z.output<typeof VendorRemitToIdentifier>

const PAYMENT_REQUEST_WRITE_FIELDS = [
  'Name',
  'Description',
  'InvoiceNumber',
  'InvoiceDate',
  'InvoiceReceivedDate',
  'InvoiceAmount',
  'CurrencyCode',
  'CountryCode',
  'AmountWithoutVat',
  'BuyerCostCenter',
  'CheckNumber',
  'CompanyBillToAddressCode',
  'CompanyShipToAddressCode',
  'DataSource',
  'DeliverySlipNumber',
  'DiscountPercentage',
  'DiscountTerms',
  'EmployeeEmailAddress',
  'EmployeeId',
  'EmployeeLoginId',
  'ExternalPolicyId',
  'IsEmergencyCheckRun',
  'IsInvoiceConfirmed',
  'LedgerCode',
  'NotesToVendor',
  'OB10BuyerId',
  'OB10TransactionId',
  'PaymentAdjustmentNotes',
  'PaymentAmount',
  'PaymentDueDate',
  'PaymentTermsDays',
  'ProvincialTaxId',
  'PurchaseOrderId',
  'ReceiptConfirmationType',
  'ShippingAmount',
  'TaxAmount',
  'VatAmountOne',
  'VatAmountTwo',
  'VatAmountThree',
  'VatAmountFour',
  'VatRateOne',
  'VatRateTwo',
  'VatRateThree',
  'VatRateFour',
  'VendorShipFromAddressCode',
  'VendorTaxId',
  'OrgUnit01',
  'OrgUnit02',
  'OrgUnit03',
  'OrgUnit04',
  'OrgUnit05',
  'OrgUnit06',
  ...customNames(24, true),
] as const

const paymentRequestWriteShape = {
  ...scalarFields(PAYMENT_REQUEST_WRITE_FIELDS),
  VendorRemitToIdentifier: VendorRemitToIdentifier.optional(),
  LineItems: z
    .union([
      z.strictObject({ LineItem: oneOrMany(LineItemWrite) }).transform((x) => x.LineItem),
      z.array(LineItemWrite),
    ])
    .optional(),
}

/**
 * `POST /api/v3.0/invoice/paymentrequest`: `Name`, `CountryCode`, `InvoiceAmount` and
 * `VendorRemitToIdentifier` are required; `LineItems` is `{"LineItem": [...]}`.
 *
 * @example
 * PaymentRequestCreate.parse({ Name: 'Paper', CountryCode: 'US', InvoiceAmount: '20.00',
 *   VendorRemitToIdentifier: { VendorCode: 'V0001', AddressCode: 'A1' } })
 */
export const PaymentRequestCreate = z.strictObject({
  ...paymentRequestWriteShape,
  Name: WireScalar,
  CountryCode: WireScalar,
  InvoiceAmount: WireScalar,
  VendorRemitToIdentifier: VendorRemitToIdentifier,
})
export type PaymentRequestCreate = z.output<typeof PaymentRequestCreate>

/**
 * `PUT /api/v3.0/invoice/paymentrequest` (no id in the path): `RequestID` names the request; the
 * other fields replace the stored ones.
 *
 * @example
 * PaymentRequestUpdate.parse({ RequestID: id, Description: 'Paper, corrected' })
 */
export const PaymentRequestUpdate = z.strictObject({
  ...paymentRequestWriteShape,
  RequestID: WireScalar,
  DoCopyDown: WireScalar.optional(),
  DoCopyDownFromPO: WireScalar.optional(),
})
export type PaymentRequestUpdate = z.output<typeof PaymentRequestUpdate>

/** Payment methods of a vendor (`paymentMethodType`). */
export const VENDOR_PAYMENT_METHODS = ['ACH', 'CARD', 'CHECK', 'CLIENT', 'PAYPVD', 'VCHER', 'WIRE'] as const

/** The string fields of a vendor (swagger `Vendor`). */
export const VENDOR_FIELDS = [
  'ID',
  'URI',
  'VendorCode',
  'AddressCode',
  'VendorName',
  'VendorFormName',
  'AccountNumber',
  'AddressImportSyncID',
  'Address1',
  'Address2',
  'Address3',
  'City',
  'State',
  'PostalCode',
  'Country',
  'CountryCode',
  'CurrencyCode',
  'TaxID',
  'TaxType',
  'ProvincialTaxID',
  'PaymentMethodType',
  'PaymentTerms',
  'DiscountTermsDays',
  'DiscountPercentage',
  'Approved',
  'ContactEmail',
  'ContactFirstName',
  'ContactLastName',
  'ContactPhoneNumber',
  'PurchaseOrderContactEmail',
  'PurchaseOrderContactFirstName',
  'PurchaseOrderContactLastName',
  'PurchaseOrderContactPhoneNumber',
  'DefaultEmployeeID',
  'DefaultExpenseTypeName',
  'ShippingMethod',
  'ShippingTerms',
  'IsVisibleForContentExtraction',
  'IsLineItemVatIncld',
  'VoucherNotes',
  ...customNames(20),
] as const

/** One status of a vendor write (`StatusList[]`). */
export const VendorStatus = z.looseObject({
  Code: z.number().int().nullish(),
  Message: Str,
  RecordNumber: z.number().int().nullish(),
  Type: Str,
})
export type VendorStatus = z.infer<typeof VendorStatus>

/** One bank account of a vendor (`VendorBankList[]`, swagger `VendorBank`). */
export const VendorBank = z.looseObject({
  StatusList: z.array(VendorStatus).nullish(),
  ...stringFields([
    'ID',
    'URI',
    'VendorCode',
    'AddressCode',
    'AccountNumber',
    'AccountType',
    'BankCode',
    'BankName',
    'BranchCode',
    'BranchLocation',
    'CountryCode',
    'CurrencyAlphaCode',
    'IsActive',
    'NameOnAccount',
    'RoutingNumber',
    'TransType',
  ]),
})
export type VendorBank = z.infer<typeof VendorBank>

/**
 * One vendor (Vendor v3.1), identified by `VendorCode` + `AddressCode`.
 *
 * @example
 * InvoiceVendor.parse(page.Vendor[0]).VendorCode
 */
export const InvoiceVendor = z.looseObject({
  ...stringFields(VENDOR_FIELDS),
  StatusList: z.array(VendorStatus).nullish(),
  VendorBankList: z.array(VendorBank).nullish(),
  VendorGroupList: z.array(z.string()).nullish(),
})
export type InvoiceVendor = z.infer<typeof InvoiceVendor>

/**
 * The vendor collection: `Vendor` array (and `Items`), `NextPage`, `TotalCount`, `RequestRunSummary`
 * (writes).
 *
 * @example
 * VendorCollection.parse(await res.json()).Vendor
 */
export const VendorCollection = z.looseObject({
  Vendor: z.array(InvoiceVendor),
  Items: z.array(InvoiceVendor).nullish(),
  NextPage: z.string().nullish(),
  TotalCount: z.number().int().nullish(),
  RequestRunSummary: Str,
})
export type VendorCollection = z.infer<typeof VendorCollection>

const VENDOR_WRITE_FIELDS = VENDOR_FIELDS.filter((f) => f !== 'ID' && f !== 'URI')

/**
 * One vendor of a `POST`/`PUT /api/v3.1/invoice/vendors` body; `VendorCode`, `AddressCode`,
 * `CountryCode` and `CurrencyCode` are required (the swagger misspells the last `CurrenyCode`).
 *
 * @example
 * VendorWrite.parse({ VendorCode: 'V9', AddressCode: 'A1', CountryCode: 'US', CurrencyCode: 'USD' })
 */
export const VendorWrite = z.strictObject({
  ...scalarFields(VENDOR_WRITE_FIELDS),
  VendorCode: WireScalar,
  AddressCode: WireScalar,
  CountryCode: WireScalar,
  CurrencyCode: WireScalar,
  VendorGroupList: z.array(z.string()).optional(),
})
export type VendorWrite = z.output<typeof VendorWrite>

/**
 * A vendor write body: `{"Vendor": [...]}` (one vendor or many, at most 1,000).
 *
 * @example
 * VendorWriteBody.parse({ Vendor: [{ VendorCode: 'V9', AddressCode: 'A1', CountryCode: 'US', CurrencyCode: 'USD' }] })
 */
export const VendorWriteBody = z.strictObject({
  Vendor: oneOrMany(z.unknown()).pipe(z.array(z.unknown()).min(1).max(1000)),
})
export type VendorWriteBody = z.output<typeof VendorWriteBody>

/**
 * The Image v1.0 answer for an invoice (`<Image><Id/><Url/></Image>`): `Url` is temporary (15 minutes)
 * and downloads without a token.
 *
 * @example
 * InvoiceImage.parse({ Id: 'ABC', Url: 'https://…' })
 */
export const InvoiceImage = z.looseObject({ Id: z.string(), Url: z.string() })
export type InvoiceImage = z.infer<typeof InvoiceImage>

/** Approval status codes of a payment request (the digest's `ApprovalStatusCode`). */
export const INVOICE_APPROVAL_STATUSES = ['A_NOTF', 'A_PEND', 'A_APPR', 'A_RESU', 'A_EXTV'] as const
/** Payment status codes of a payment request (the digest's `PaymentStatusCode`). */
export const INVOICE_PAYMENT_STATUSES = ['P_NOTP', 'P_PROC', 'P_PAID', 'P_HOLD'] as const

/** Digest `limit`: default 1,000 (more than the v3.0 expense APIs allow); 1,000 is also the maximum. */
export const DIGEST_PAGE_SIZE = 1000
/** Vendor `limit`: default 25, maximum 1,000. */
export const VENDOR_PAGE_SIZE = { default: 25, max: 1000 } as const
/** Minutes an invoice image URL stays valid. */
export const INVOICE_IMAGE_URL_MINUTES = 15

const f = <const P extends string, const T extends FilterType>(
  param: P,
  type: T,
  description: string,
  extra: Partial<Pick<FilterDefinition, 'field' | 'op' | 'values'>> = {},
) => ({ param, type, description, ...extra })

/** The `…Before`/`…After` pair of a digest date filter (`YYYY-MM-DD`). */
const datePair = <const N extends string>(name: N, field: string | undefined, what: string) =>
  [
    f(`${name}Before`, 'date', `${what} before this date (YYYY-MM-DD)`, {
      ...(field ? { field } : {}),
      op: 'before',
    }),
    f(`${name}After`, 'date', `${what} after this date (YYYY-MM-DD)`, {
      ...(field ? { field } : {}),
      op: 'after',
    }),
  ] as const

/** Documented filters of the digest list (swagger plus the md-only ones). */
export const DIGEST_FILTERS = [
  f('approvalStatus', 'string', 'approval status code, e.g. A_APPR', {
    field: 'ApprovalStatusCode',
    op: 'eq',
  }),
  f('paymentStatus', 'string', 'payment status code, e.g. P_PAID', { field: 'PaymentStatusCode', op: 'eq' }),
  f('vendorInvoiceNumber', 'string', "the vendor's invoice number", { field: 'InvoiceNumber', op: 'eq' }),
  f('payMethodType', 'enum', 'payment method', {
    field: 'PaymentMethod',
    op: 'eq',
    values: VENDOR_PAYMENT_METHODS,
  }),
  ...datePair('createDate', 'CreateDate', 'created'),
  ...datePair('userDefinedDate', 'UserDefinedDate', 'user-defined (invoice) date'),
  ...datePair('submitDate', undefined, 'submitted'),
  ...datePair('paidDate', 'PaidDate', 'paid'),
  ...datePair('lastModifiedDate', 'LastModifiedDate', 'last modified'),
  ...datePair('extractedDate', 'ExtractedDate', 'extracted'),
] as const

/** Vendor `searchType`: how the text filters match. */
export const VENDOR_SEARCH_TYPES = ['exact', 'begins', 'contains', 'ends'] as const
/** Vendor `sortBy` values (UNVERIFIED: the page names no list; the text filters' fields). */
export const VENDOR_SORT_FIELDS = [
  'VendorCode',
  'VendorName',
  'AddressCode',
  'City',
  'State',
  'PostalCode',
  'Country',
  'TaxID',
] as const

const vendorText = (param: string, field: string, what: string) =>
  f(param, 'string', `${what} (matched as searchType says)`, { field, op: 'ieq' })

/** Documented filters of the vendor list. */
export const VENDOR_FILTERS = [
  vendorText('vendorCode', 'VendorCode', 'vendor code'),
  vendorText('vendorName', 'VendorName', 'vendor name'),
  vendorText('taxID', 'TaxID', 'tax id'),
  vendorText('buyerAccountNumber', 'AccountNumber', "the buyer's account number at the vendor"),
  vendorText('addressCode', 'AddressCode', 'address code'),
  f('paymentMethodType', 'enum', 'payment method', {
    field: 'PaymentMethodType',
    op: 'eq',
    values: VENDOR_PAYMENT_METHODS,
  }),
  vendorText('address1', 'Address1', 'address line 1'),
  vendorText('address2', 'Address2', 'address line 2'),
  vendorText('address3', 'Address3', 'address line 3'),
  vendorText('city', 'City', 'city'),
  vendorText('state', 'State', 'state or province'),
  vendorText('postalCode', 'PostalCode', 'postal code'),
  f('approved', 'boolean', 'approved vendors only (true) or unapproved only (false)', {
    field: 'Approved',
    op: 'eq',
  }),
  vendorText('country', 'Country', 'country'),
  ...Array.from({ length: 20 }, (_, i) =>
    vendorText(`custom${i + 1}`, `Custom${i + 1}`, `custom field ${i + 1}`),
  ),
] as const

/**
 * Registry row of `payment-request-digests` (Payment Request Digests v3.0; scope `INVPMT`): records in
 * `PaymentRequestDigest`, `limit` default and maximum 1,000, the next page in `NextPage`, the count of
 * all matches in `TotalCount`; incremental by `LastModifiedDate`.
 */
export const paymentRequestDigestsRow = defineResource({
  name: 'payment-request-digests',
  title: 'Payment Request Digests',
  api: 'v3.0',
  path: '/api/v3.0/invoice/paymentrequestdigests',
  itemPath: '/api/v3.0/invoice/paymentrequestdigests/{id}',
  format: 'json+xml',
  paging: {
    kind: 'json',
    items: 'PaymentRequestDigest',
    size: { param: 'limit', default: DIGEST_PAGE_SIZE, max: DIGEST_PAGE_SIZE },
    next: { type: 'url', field: 'NextPage' },
    total: 'TotalCount',
  },
  scope: 'INVPMT',
  item: PaymentRequestDigest,
  idField: 'ID',
  adminOnly: false,
  modifiedField: 'LastModifiedDate',
  modifiedFilter: { after: 'lastModifiedDateAfter', before: 'lastModifiedDateBefore' },
  writes: [],
  xml: {
    namespace: 'http://www.concursolutions.com/api/invoice/2012/03',
    listRoot: 'PaymentRequestDigestCollection',
    item: 'PaymentRequestDigest',
  },
  reference: 'v4 §8',
  filters: DIGEST_FILTERS,
})

/** Registry row of `payment-requests`: one `GET …/paymentrequest/{id}` per digest (fan-out). */
export const paymentRequestsRow = defineResource({
  name: 'payment-requests',
  title: 'Payment Requests',
  api: 'v3.0',
  path: '/api/v3.0/invoice/paymentrequest',
  itemPath: '/api/v3.0/invoice/paymentrequest/{id}',
  format: 'json+xml',
  paging: { kind: 'fanout', from: 'payment-request-digests' },
  scope: 'INVPMT',
  item: PaymentRequest,
  idField: 'ID',
  adminOnly: false,
  writes: ['create', 'update'],
  xml: {
    namespace: 'http://www.concursolutions.com/api/invoice/2012/03',
    listRoot: 'PaymentRequests',
    item: 'PaymentRequest',
  },
  reference: 'v4 §8',
  filters: [],
})

/** Registry row of `invoice-vendors` (Vendor v3.1; scope `INVVEN`). */
export const invoiceVendorsRow = defineResource({
  name: 'invoice-vendors',
  title: 'Invoice Vendors',
  api: 'v3.1',
  path: '/api/v3.1/invoice/vendors',
  format: 'json+xml',
  paging: {
    kind: 'json',
    items: 'Vendor',
    size: { param: 'limit', default: VENDOR_PAGE_SIZE.default, max: VENDOR_PAGE_SIZE.max },
    next: { type: 'url', field: 'NextPage' },
    total: 'TotalCount',
  },
  scope: 'INVVEN',
  item: InvoiceVendor,
  idField: 'ID',
  adminOnly: false,
  writes: ['create', 'update', 'delete'],
  xml: {
    namespace: 'http://www.concursolutions.com/api/invoice/vendor/2015/06',
    listRoot: 'VendorCollection',
    item: 'Vendor',
  },
  reference: 'v4 §8',
  filters: VENDOR_FILTERS,
})
