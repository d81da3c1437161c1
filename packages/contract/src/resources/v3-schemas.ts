import { z } from 'zod'
import type { NumberedField, UpTo } from './legacy/fields.js'

/**
 * A v3.0 date-time: `yyyy-MM-ddTHH:mm:ss[.fff]`, no zone (Concur trims trailing zeros of the fraction).
 *
 * @example
 * V3DateTime.parse('2016-04-04T23:33:08.21')
 */
export const V3DateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?$/, 'expected yyyy-MM-ddTHH:mm:ss[.fff]')
export type V3DateTime = z.infer<typeof V3DateTime>

/**
 * The v3.0 CustomField object (GET). Unused custom fields are `null`.
 *
 * @example
 * CustomField.parse({ Type: 'List', Value: 'Seattle', Code: 'SEA', ListItemID: 'gWk..' })
 */
export const CustomField = z.looseObject({
  Type: z.string().nullish(),
  Value: z.string().nullish(),
  Code: z.string().nullish(),
  ListItemID: z.string().nullish(),
})
export type CustomField = z.infer<typeof CustomField>

/**
 * CustomFieldExtension (allocations): CustomField plus `Label` and `Sequence`.
 *
 * @example
 * CustomFieldExtension.parse({ Type: 'Text', Value: 'x', Label: 'Project', Sequence: 1 })
 */
export const CustomFieldExtension = CustomField.extend({
  Label: z.string().nullish(),
  Sequence: z.number().int().nullish(),
})
export type CustomFieldExtension = z.infer<typeof CustomFieldExtension>

/**
 * The v3.0 collection envelope `{"Items": [...], "NextPage": url|null}` for an item schema.
 * `NextPage` is absent or null on the last page.
 *
 * @example
 * const page = V3Collection(ReportItem).parse(await res.json())
 */
export function V3Collection<T extends z.ZodType>(item: T) {
  return z.looseObject({ Items: z.array(item), NextPage: z.string().nullish() })
}

/**
 * The answer to a v3.0 create (`POST`): `{"ID", "URI"}`.
 *
 * @example
 * CreateResponse.parse({ ID: 'DD683A53018A4349B7CD', URI: 'https://…/reports/DD683A53018A4349B7CD' })
 */
export const CreateResponse = z.looseObject({ ID: z.string(), URI: z.string() })
export type CreateResponse = z.infer<typeof CreateResponse>

const s = () => z.string().nullable()
const n = () => z.number().nullable()
const b = () => z.boolean().nullable()
const d = () => V3DateTime.nullable()

function numbered<const P extends string, const N extends number, T extends z.ZodType>(
  prefix: P,
  count: N,
  schema: () => T,
): Record<NumberedField<P, N>, T> {
  const shape: Partial<Record<NumberedField<P, N>, T>> = {}
  for (let i = 1; i <= count; i++) shape[`${prefix}${i}` as NumberedField<P, N>] = schema()
  return shape as Record<NumberedField<P, N>, T>
}

function levelCodes<T extends z.ZodType>(schema: () => T): Record<`Level${UpTo<10>}Code`, T> {
  const shape: Partial<Record<`Level${UpTo<10>}Code`, T>> = {}
  for (let i = 1; i <= 10; i++) shape[`Level${i as UpTo<10>}Code`] = schema()
  return shape as Record<`Level${UpTo<10>}Code`, T>
}

const custom = <const N extends number>(count: N) => numbered('Custom', count, () => CustomField.nullable())
const orgUnits = () => numbered('OrgUnit', 6, () => CustomField.nullable())
const idUri = { ID: z.string(), URI: z.string() }

/**
 * An expense report (v3.0 `ReportGet`, reference C.1).
 *
 * @example
 * ReportItem.parse(page.Items[0]).ApprovalStatusCode // 'A_NOTF'
 */
export const ReportItem = z.looseObject({
  Name: s(),
  Total: n(),
  CurrencyCode: s(),
  Country: s(),
  CountrySubdivision: s(),
  CreateDate: d(),
  SubmitDate: d(),
  ProcessingPaymentDate: d(),
  PaidDate: d(),
  ReceiptsReceived: b(),
  UserDefinedDate: d(),
  LastComment: s(),
  OwnerLoginID: s(),
  OwnerName: s(),
  ApproverLoginID: s(),
  ApproverName: s(),
  ApprovalStatusName: s(),
  ApprovalStatusCode: s(),
  PaymentStatusName: s(),
  PaymentStatusCode: s(),
  LastModifiedDate: d(),
  PersonalAmount: n(),
  AmountDueEmployee: n(),
  AmountDueCompanyCard: n(),
  TotalClaimedAmount: n(),
  TotalApprovedAmount: n(),
  LedgerName: s(),
  PolicyID: s(),
  EverSentBack: b(),
  HasException: b(),
  WorkflowActionUrl: s(),
  ...orgUnits(),
  ...custom(20),
  ...idUri,
})
export type ReportItem = z.infer<typeof ReportItem>

/**
 * The Journey object of a mileage entry.
 *
 * @example
 * Journey.parse({ BusinessDistance: 42, UnitOfMeasure: 'M' })
 */
export const Journey = z.looseObject({
  BusinessDistance: z.number().int().nullish(),
  PersonalDistance: z.number().int().nullish(),
  NumberOfPassengers: z.number().int().nullish(),
  OdometerStart: z.number().int().nullish(),
  OdometerEnd: z.number().int().nullish(),
  StartLocation: z.string().nullish(),
  EndLocation: z.string().nullish(),
  UnitOfMeasure: z.string().nullish(),
  VehicleID: z.string().nullish(),
})
export type Journey = z.infer<typeof Journey>

/**
 * An expense entry (v3.0 `EntryGet`, reference C.2).
 *
 * @example
 * EntryItem.parse(item).ReportID
 */
export const EntryItem = z.looseObject({
  ReportID: s(),
  ReportOwnerID: s(),
  ExpenseTypeCode: s(),
  ExpenseTypeName: s(),
  SpendCategoryCode: s(),
  SpendCategoryName: s(),
  PaymentTypeID: s(),
  PaymentTypeName: s(),
  TransactionDate: d(),
  TransactionCurrencyCode: s(),
  TransactionAmount: n(),
  ExchangeRate: n(),
  PostedAmount: n(),
  ApprovedAmount: n(),
  VendorDescription: s(),
  VendorListItemID: s(),
  VendorListItemName: s(),
  LocationID: s(),
  LocationName: s(),
  LocationSubdivision: s(),
  LocationCountry: s(),
  Description: s(),
  IsPersonal: b(),
  IsBillable: b(),
  IsPersonalCardCharge: b(),
  HasImage: b(),
  IsImageRequired: b(),
  ReceiptReceived: b(),
  TaxReceiptType: s(),
  ElectronicReceiptID: s(),
  CompanyCardTransactionID: s(),
  TripID: s(),
  HasItemizations: b(),
  AllocationType: s(),
  HasVAT: b(),
  HasAppliedCashAdvance: b(),
  HasAttendees: b(),
  HasComments: b(),
  HasExceptions: b(),
  IsPaidByExpensePay: b(),
  EmployeeBankAccountID: s(),
  Journey: Journey.nullable(),
  FormID: s(),
  LastModified: d(),
  ...orgUnits(),
  ...custom(40),
  ...idUri,
})
export type EntryItem = z.infer<typeof EntryItem>

/**
 * An itemization of an entry (v3.0 `ItemizationGet`, reference C.3).
 *
 * @example
 * ItemizationItem.parse(item).EntryID
 */
export const ItemizationItem = z.looseObject({
  EntryID: s(),
  ReportID: s(),
  ReportOwnerID: s(),
  ExpenseTypeCode: s(),
  ExpenseTypeName: s(),
  SpendCategoryCode: s(),
  SpendCategoryName: s(),
  TransactionDate: d(),
  TransactionAmount: n(),
  PostedAmount: n(),
  ApprovedAmount: n(),
  LocationID: s(),
  LocationName: s(),
  LocationSubdivision: s(),
  LocationCountry: s(),
  Description: s(),
  IsPersonal: b(),
  IsBillable: b(),
  IsImageRequired: b(),
  AllocationType: s(),
  HasComments: b(),
  HasExceptions: b(),
  LastModified: d(),
  ...orgUnits(),
  ...custom(40),
  ...idUri,
})
export type ItemizationItem = z.infer<typeof ItemizationItem>

/**
 * An allocation (v3.0 `AllocationGet`, reference C.4). `Percentage` is a string like `"100.00000000"`.
 *
 * @example
 * Number(AllocationItem.parse(item).Percentage)
 */
export const AllocationItem = z.looseObject({
  EntryID: s(),
  Percentage: s(),
  IsPercentEdited: b(),
  IsHidden: b(),
  AccountCode1: s(),
  AccountCode2: s(),
  ...numbered('Custom', 20, () => CustomFieldExtension.nullable()),
  ...idUri,
})
export type AllocationItem = z.infer<typeof AllocationItem>

/**
 * An attendee (v3.0 `AttendeeGet`, reference C.5).
 *
 * @example
 * AttendeeItem.parse(item).AttendeeTypeCode
 */
export const AttendeeItem = z.looseObject({
  AttendeeTypeCode: s(),
  AttendeeTypeID: s(),
  FirstName: s(),
  LastName: s(),
  MiddleInitial: s(),
  Suffix: s(),
  Company: s(),
  Title: s(),
  ExternalID: s(),
  HasExceptionsPrevYear: b(),
  HasExceptionsYTD: b(),
  TotalAmountPrevYear: n(),
  TotalAmountYTD: n(),
  VersionNumber: z.number().int().nullable(),
  OwnerName: s(),
  OwnerLoginID: s(),
  CurrencyCode: s(),
  ...custom(25),
  ...idUri,
})
export type AttendeeItem = z.infer<typeof AttendeeItem>

/**
 * An attendee type (v3.0 `AttendeeTypeGet`, reference C.6).
 *
 * @example
 * AttendeeTypeItem.parse(item).Code // 'BUSGUEST'
 */
export const AttendeeTypeItem = z.looseObject({
  Name: s(),
  Code: s(),
  AttendeeFormID: s(),
  DuplicateSearchFields: z.array(z.string()).nullable(),
  ConnectorID: s(),
  AllowManuallyEnteredAttendees: b(),
  AllowAttendeeCountEditing: b(),
  ...idUri,
})
export type AttendeeTypeItem = z.infer<typeof AttendeeTypeItem>

/**
 * An entry–attendee association (v3.0 `EntryAttendeeAssociationGet`, reference C.7). Custom fields are strings here.
 *
 * @example
 * EntryAttendeeAssociationItem.parse(item).AttendeeID
 */
export const EntryAttendeeAssociationItem = z.looseObject({
  EntryID: s(),
  AttendeeID: s(),
  Amount: n(),
  AssociatedAttendeeCount: z.number().int().nullable(),
  ...numbered('Custom', 5, () => z.string().nullable()),
  ...idUri,
})
export type EntryAttendeeAssociationItem = z.infer<typeof EntryAttendeeAssociationItem>

/**
 * An expense group configuration (v3.0 `ExpenseGroupConfiguration`, reference C.8).
 *
 * @example
 * ExpenseGroupConfigurationItem.parse(item).Policies?.[0]?.ExpenseTypes
 */
export const ExpenseGroupConfigurationItem = z.looseObject({
  Name: s(),
  AttendeeListFormID: s(),
  AttendeeListFormName: s(),
  AllowUserRegisterYodlee: b(),
  AllowUserDigitalTaxInvoice: b(),
  AttendeeTypes: z.array(z.looseObject({ Code: s(), Name: s() })).nullish(),
  CashAdvance: z
    .looseObject({
      AllowUserCarryBalance: b(),
      AllowUserLinkMultiple: b(),
      AllowUserUpdateExchangeRate: b(),
      Name: s(),
      WorkflowID: s(),
    })
    .nullable(),
  PaymentTypes: z.array(z.looseObject({ ID: z.string(), Name: s(), IsDefault: b() })).nullable(),
  Policies: z
    .array(
      z.looseObject({
        ID: z.string(),
        Name: s(),
        IsDefault: b(),
        IsInheritable: b(),
        ExpenseTypes: z.array(z.looseObject({ Code: s(), Name: s(), ExpenseCode: s() })).nullable(),
      }),
    )
    .nullable(),
  ...idUri,
})
export type ExpenseGroupConfigurationItem = z.infer<typeof ExpenseGroupConfigurationItem>

/**
 * A receipt image in a collection (v3.0 `ReceiptImage`, reference C.9): only `ID` and `URI`.
 *
 * @example
 * ReceiptImageItem.parse({ ID: 'x', URI: 'https://…/receiptimages/x' })
 */
export const ReceiptImageItem = z.looseObject({ ...idUri })
export type ReceiptImageItem = z.infer<typeof ReceiptImageItem>

/**
 * One receipt image fetched by id: `{Id, Url}` where `Url` is a temporary URL of the image bytes
 * (the JSON form of the documented `<Image>` element).
 *
 * @example
 * const { Url } = ReceiptImage.parse(await res.json())
 */
export const ReceiptImage = z.looseObject({ Id: z.string(), Url: z.string() })
export type ReceiptImage = z.infer<typeof ReceiptImage>

/**
 * A user (v3.0 `User`, reference C.10).
 *
 * @example
 * UserItem.parse(item).LoginID
 */
export const UserItem = z.looseObject({
  LoginID: s(),
  FirstName: s(),
  MiddleName: s(),
  LastName: s(),
  PrimaryEmail: s(),
  EmployeeID: s(),
  OrganizationUnit: s(),
  CellPhoneNumber: s(),
  Active: b(),
  ...idUri,
})
export type UserItem = z.infer<typeof UserItem>

/**
 * A list item (v3.0 `ListItemGet`, reference C.11).
 *
 * @example
 * ListItemItem.parse(item).Level1Code
 */
export const ListItemItem = z.looseObject({
  ListID: s(),
  ParentID: s(),
  Name: s(),
  ...levelCodes(() => z.string().nullable()),
  ...idUri,
})
export type ListItemItem = z.infer<typeof ListItemItem>

/**
 * A list (v3.0 `ListGet`, reference C.11).
 *
 * @example
 * ListItem.parse(item).SearchCriteriaCode // 'TEXT'
 */
export const ListItem = z.looseObject({
  Name: s(),
  ConnectorID: s(),
  DisplayCodeFirst: b(),
  ExternalThreshold: z.number().int().nullable(),
  IsVendorList: b(),
  SearchCriteriaCode: s(),
  ...idUri,
})
export type ListItem = z.infer<typeof ListItem>

/**
 * A location (v3.0 `Location`, reference C.12).
 *
 * @example
 * LocationItem.parse(item).IATACode
 */
export const LocationItem = z.looseObject({
  Name: s(),
  Country: s(),
  CountrySubdivision: s(),
  AdministrativeRegion: s(),
  IATACode: s(),
  IsAirport: b(),
  IsBookingTool: b(),
  Latitude: n(),
  Longitude: n(),
  ...idUri,
})
export type LocationItem = z.infer<typeof LocationItem>

// ---- request bodies (strict in) ----------------------------------------------------------------

const os = () => z.string().nullish()
const customStrings = <const N extends number>(count: N) =>
  numbered('Custom', count, () => z.string().nullish())
const orgUnitStrings = () => numbered('OrgUnit', 6, () => z.string().nullish())

/**
 * Body of `POST /expense/reports` and `PUT /expense/reports/{id}` (custom fields are plain strings).
 *
 * @example
 * ReportWrite.parse({ Name: 'Client visit' })
 */
export const ReportWrite = z.strictObject({
  Name: os(),
  Purpose: os(),
  Comment: os(),
  UserDefinedDate: V3DateTime.nullish(),
  PolicyID: os(),
  ...orgUnitStrings(),
  ...customStrings(20),
})
export type ReportWrite = z.infer<typeof ReportWrite>

/**
 * Body of `POST`/`PUT` `/expense/entries`.
 *
 * @example
 * EntryWrite.parse({ ReportID: 'DD683A53018A4349B7CD', ExpenseTypeCode: 'TAXIX', TransactionAmount: 12.5, TransactionCurrencyCode: 'USD', TransactionDate: '2025-01-02T00:00:00' })
 */
export const EntryWrite = z.strictObject({
  ReportID: os(),
  ExpenseTypeCode: os(),
  TransactionAmount: z.number().nullish(),
  TransactionCurrencyCode: os(),
  TransactionDate: V3DateTime.nullish(),
  PaymentTypeID: os(),
  Description: os(),
  Comment: os(),
  ExchangeRate: z.number().nullish(),
  IsBillable: z.boolean().nullish(),
  IsPersonal: z.boolean().nullish(),
  Journey: Journey.nullish(),
  LocationID: os(),
  TaxReceiptType: os(),
  VendorDescription: os(),
  VendorListItemID: os(),
  ...orgUnitStrings(),
  ...customStrings(40),
})
export type EntryWrite = z.infer<typeof EntryWrite>

/**
 * Body of `POST`/`PUT` `/expense/itemizations`.
 *
 * @example
 * ItemizationWrite.parse({ EntryID: 'gWe…', ExpenseTypeCode: 'LODTX', TransactionAmount: 20, TransactionDate: '2025-01-02T00:00:00' })
 */
export const ItemizationWrite = z.strictObject({
  EntryID: os(),
  ExpenseTypeCode: os(),
  TransactionAmount: z.number().nullish(),
  TransactionDate: V3DateTime.nullish(),
  Description: os(),
  Comment: os(),
  IsBillable: z.boolean().nullish(),
  IsPersonal: z.boolean().nullish(),
  ...orgUnitStrings(),
  ...customStrings(40),
})
export type ItemizationWrite = z.infer<typeof ItemizationWrite>

/**
 * Body of `POST`/`PUT` `/expense/attendees`.
 *
 * @example
 * AttendeeWrite.parse({ AttendeeTypeID: 'gWy…', FirstName: 'Ada', LastName: 'Lovelace' })
 */
export const AttendeeWrite = z.strictObject({
  AttendeeTypeID: os(),
  Company: os(),
  CurrencyCode: os(),
  ExternalID: z.string().max(48).nullish(),
  FirstName: os(),
  LastName: os(),
  MiddleInitial: os(),
  Suffix: os(),
  Title: os(),
  TotalAmountYTD: z.number().nullish(),
  ...customStrings(25),
})
export type AttendeeWrite = z.infer<typeof AttendeeWrite>

/**
 * Body of `POST`/`PUT` `/expense/attendeetypes`.
 *
 * @example
 * AttendeeTypeWrite.parse({ Code: 'VENDOR', Name: 'Vendor' })
 */
export const AttendeeTypeWrite = z.strictObject({
  Code: os(),
  Name: os(),
  AttendeeFormID: os(),
  ConnectorID: os(),
  DuplicateSearchFields: z.array(z.string()).nullish(),
  AllowManuallyEnteredAttendees: z.boolean().nullish(),
  AllowAttendeeCountEditing: z.boolean().nullish(),
})
export type AttendeeTypeWrite = z.infer<typeof AttendeeTypeWrite>

/**
 * Body of `POST`/`PUT` `/expense/entryattendeeassociations` (`EntryID`/`AttendeeID` only on POST).
 *
 * @example
 * EntryAttendeeAssociationWrite.parse({ EntryID: 'gWe…', AttendeeID: 'gWt…', Amount: 20 })
 */
export const EntryAttendeeAssociationWrite = z.strictObject({
  EntryID: os(),
  AttendeeID: os(),
  Amount: z.number().nullish(),
  AssociatedAttendeeCount: z.number().int().nullish(),
  ...numbered('Custom', 5, () => z.string().nullish()),
})
export type EntryAttendeeAssociationWrite = z.infer<typeof EntryAttendeeAssociationWrite>

/**
 * Body of `POST`/`PUT` `/common/listitems`.
 *
 * @example
 * ListItemWrite.parse({ ListID: 'gWl…', Name: 'Seattle', Level1Code: 'SEA' })
 */
export const ListItemWrite = z.strictObject({
  ListID: os(),
  Name: z.string().max(64).nullish(),
  Code: os(),
  ...levelCodes(() => z.string().max(32).nullish()),
})
export type ListItemWrite = z.infer<typeof ListItemWrite>

/**
 * Body of `POST /common/lists` (`ListPost`) and `PUT /common/lists/{id}` (`ListPut`, a subset).
 * The spec calls `Name`, `DisplayCodeFirst`, `IsVendorList` and `SearchCriteriaCode` required on a
 * create; the mock checks that when it creates.
 *
 * @example
 * ListWrite.parse({ Name: 'Projects', DisplayCodeFirst: false, IsVendorList: false, SearchCriteriaCode: 'TEXT' })
 */
export const ListWrite = z.strictObject({
  Name: z.string().max(64).nullish(),
  ConnectorID: os(),
  DisplayCodeFirst: z.boolean().nullish(),
  ExternalThreshold: z.number().int().min(1).max(10).nullish(),
  IsVendorList: z.boolean().nullish(),
  SearchCriteriaCode: os(),
})
export type ListWrite = z.infer<typeof ListWrite>
