import { z } from 'zod'
import {
  numbered,
  XmlDateTime,
  XmlDecimal,
  XmlDecimalOrEmpty,
  XmlInt,
  XmlNullableDateTime,
  XmlPercentage,
  XmlText,
  YesNo,
} from './fields.js'

/** Namespace of the v1.1 expense report API (CardCharges, Delegators, Forms). */
export const EXPENSE_V11_NAMESPACE = 'http://www.concursolutions.com/api/expense/expensereport/2011/03'
/** Namespace of the v1.1 CardCharges and FormFields samples (they spell it with `https://`). */
export const EXPENSE_V11_HTTPS_NAMESPACE = 'https://www.concursolutions.com/api/expense/expensereport/2011/03'
/** Namespace of the v2.0 report list (`ReportsList`). */
export const EXPENSE_V20_LIST_NAMESPACE = 'http://www.concursolutions.com/api/expense/expensereport/2012/06'
/** Namespace of v2.0 report details (`ReportDetails`), as in Concur's sample (US host spelled out). */
export const EXPENSE_V20_DETAILS_NAMESPACE =
  'http://us.api.concursolutions.com/api/expense/expensereport/2012/07'
/** The XML Schema instance namespace (`i:nil`). */
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance'

/**
 * One unassigned company card charge (`<CardCharge>` of v1.1 `CardCharges`).
 *
 * @example
 * CardCharge.parse({ CardNumber: 'XXXXXXXXX1111', ExpKey: 'CARRT', ExpName: 'Car Rental', Merchant: 'Hertz',
 *   TransactionAmount: '283.88000000', TransactionCrnCode: 'USD', TransactionDate: '2010-08-19T00:00:00' })
 */
export const CardCharge = z.looseObject({
  CardNumber: z.string().regex(/^X+\d{4}$/, 'masked card number'),
  ExpKey: XmlText,
  ExpName: XmlText,
  Merchant: XmlText,
  TransactionAmount: XmlDecimal,
  TransactionCrnCode: z.string().regex(/^[A-Z]{3}$/),
  TransactionDate: XmlDateTime,
})
export type CardCharge = z.infer<typeof CardCharge>

/**
 * One delegator of the token owner (`<Delegator>` of v1.1 `DelegatorsList`).
 *
 * @example
 * Delegator.shape.CanApprove.parse('N')
 */
export const Delegator = z.looseObject({
  CanApprove: YesNo,
  CanPrepare: YesNo,
  CanSubmit: YesNo,
  CanTemporaryApprove: YesNo,
  CanViewReceipts: YesNo,
  ReceiveApprovalEmails: YesNo,
  ReceivesEmails: YesNo,
  DelegatorXUserID: XmlText,
})
export type Delegator = z.infer<typeof Delegator>

/** Form codes of v1.1 `report/Forms` (Concur's sample list). */
export const FORM_CODES = [
  'ENTRYINFO',
  'RPTINFO',
  'ALLOCINFO',
  'ATTNINFO',
  'TRAVELREQENTRYINFO',
  'TRAVELREQINFO',
  'EXPLISTDTL',
  'ATNLISTDTL',
  'CARINFO',
] as const

/** `<FormType>` of v1.1 `report/Forms`. */
export const FormType = z.looseObject({ Name: XmlText, FormCode: XmlText })
export type FormType = z.infer<typeof FormType>

/** `<FormData>` of v1.1 `report/Forms/{FormCode}`. */
export const FormData = z.looseObject({ Name: XmlText, FormId: XmlText })
export type FormData = z.infer<typeof FormData>

/** `<FormField>` of v1.1 `report/Form/{FormId}/Fields`. */
export const FormField = z.looseObject({
  Id: XmlText,
  Label: XmlText,
  ControlType: XmlText,
  DataType: z.enum([
    'VARCHAR',
    'INTEGER',
    'CHAR',
    'TIMESTAMP',
    'NUMERIC',
    'MONEY',
    'SMALLINT',
    'BINARY',
    'LIST',
    'MLIST',
    'BOOLEANCHAR',
  ]),
  MaxLength: z.union([XmlInt, z.literal('')]),
  Required: YesNo,
  Cols: z.union([XmlInt, z.literal('')]),
  Access: z.enum(['RW', 'RO', 'HD']),
  Width: z.union([XmlInt, z.literal('')]),
  Custom: YesNo,
  Sequence: XmlInt,
})
export type FormField = z.infer<typeof FormField>

/**
 * One record of the "Expense Form" report: a form field, annotated with the form type and form it
 * belongs to (the report flattens Forms → Forms/{FormCode} → Form/{FormId}/Fields).
 *
 * @example
 * ExpenseFormRecord.shape.FormCode.parse('RPTINFO')
 */
export const ExpenseFormRecord = FormField.extend({
  FormTypeName: XmlText,
  FormCode: XmlText,
  FormName: XmlText,
  FormId: XmlText,
})
export type ExpenseFormRecord = z.infer<typeof ExpenseFormRecord>

/** v2.0 `Status` values of `GET /api/expense/expensereport/v2.0/Reports/`. */
export const V2_REPORT_STATUSES = [
  'ACTIVE',
  'UNSUBMITTED',
  'PENDING',
  'ACCOUNTINGREVIEW',
  'PROCESSING',
  'INTEGRATED',
  'PENDINGEXTERNALVALIDATION',
  'PAYMENTCONFIRMED',
] as const

/**
 * One report of the v2.0 list (`<ReportSummary>` of `ReportsList`).
 *
 * @example
 * ReportSummary.shape.ReportTotal.parse('175.23000000')
 */
export const ReportSummary = z.looseObject({
  ReportName: XmlText,
  ReportId: XmlText,
  ReportTotal: XmlDecimal,
  ReportCurrency: z.string().regex(/^[A-Z]{3}$/),
  ReportDate: XmlDateTime,
  LastComment: XmlText,
  'Report-Full-Details-Url': z.string().url(),
  ExpenseUserLoginID: XmlText,
  ApproverLoginID: XmlText,
  EmployeeName: XmlText,
  ApprovalStatus: XmlText,
  PaymentStatus: XmlText,
  ApprovalURL: XmlText.optional(),
})
export type ReportSummary = z.infer<typeof ReportSummary>

const custom = <const N extends number>(n: N) => numbered('Custom', n, XmlText)
const orgUnits = numbered('OrgUnit', 6, XmlText)

/** `<Attendee>` of v2.0 report details. */
export const ReportAttendee = z.looseObject({
  AttendeeType: XmlText,
  FirstName: XmlText,
  LastName: XmlText,
  Company: XmlText,
  Title: XmlText,
  ExternalID: XmlText,
  ...custom(20),
  HasExceptionsPrevYear: YesNo,
  HasExceptionsYTD: YesNo,
  IsDeleted: YesNo,
  OwnerEmpName: XmlText,
  TotalAmountPrevYear: XmlDecimal,
  TotalAmountYTD: XmlDecimal,
  VersionNumber: XmlInt,
  AttendeeID: XmlText,
  AttendeeTypeCode: XmlText,
  AttendeeOwnerID: XmlText,
  CurrencyCode: XmlText,
})
export type ReportAttendee = z.infer<typeof ReportAttendee>

/** `<VATData>` of a v2.0 allocation (Web Services Administrators only; element names UNVERIFIED). */
export const ReportVatData = z.looseObject({
  VATCode: XmlText,
  VATRate: XmlDecimal,
  VATAmount: XmlDecimal,
})
export type ReportVatData = z.infer<typeof ReportVatData>

/** `<Allocation>` of v2.0 report details. */
export const ReportAllocation = z.looseObject({
  AllocationID: XmlText,
  Percentage: XmlPercentage,
  AccountCode1: XmlText,
  AccountCode2: XmlText,
  ...custom(20),
  VATDataList: z.looseObject({ VATData: z.array(ReportVatData) }),
})
export type ReportAllocation = z.infer<typeof ReportAllocation>

/** `<Itemization>` of v2.0 report details. */
export const ReportItemization = z.looseObject({
  ItemType: z.enum(['Regular', 'Child']),
  ItemizationID: XmlText,
  ExpenseTypeID: XmlText,
  ExpenseTypeName: XmlText,
  TransactionDate: XmlDateTime,
  TransactionAmount: XmlDecimal,
  PostedAmount: XmlDecimal,
  ApprovedAmount: XmlDecimalOrEmpty,
  BusinessPurpose: XmlText,
  ...orgUnits,
  ...custom(40),
  HasComments: YesNo,
  CommentCount: XmlInt,
  IsPersonal: YesNo,
  LastModified: XmlDateTime,
  AllocationsList: z.looseObject({ Allocation: z.array(ReportAllocation) }),
  AttendeesList: z.looseObject({ Attendee: z.array(ReportAttendee) }),
})
export type ReportItemization = z.infer<typeof ReportItemization>

/** `<ExpenseEntry>` of v2.0 report details. */
export const ReportEntry = z.looseObject({
  ReportEntryID: XmlText,
  ExpenseTypeID: XmlText,
  ExpenseTypeName: XmlText,
  SpendCategory: XmlText,
  PaymentTypeCode: XmlText,
  PaymentTypeName: XmlText,
  TransactionDate: XmlDateTime,
  TransactionCurrencyName: XmlText,
  ExchangeRate: XmlDecimal,
  TransactionAmount: XmlDecimal,
  PostedAmount: XmlDecimal,
  ApprovedAmount: XmlDecimalOrEmpty,
  BusinessPurpose: XmlText,
  VendorDescription: XmlText,
  LocationName: XmlText,
  LocationSubdivision: XmlText,
  LocationCountry: XmlText,
  ...orgUnits,
  ...custom(40),
  FormID: XmlText,
  EntryImageID: XmlText,
  HasVat: YesNo,
  HasComments: YesNo,
  CommentCount: XmlInt,
  IsItemized: YesNo,
  HasExceptions: YesNo,
  IsPersonal: YesNo,
  HasAttendees: YesNo,
  HasAllocation: YesNo,
  IsCreditCardCharge: YesNo,
  IsPersonalCardCharge: YesNo,
  ReceiptRequired: YesNo,
  ImageRequired: YesNo,
  'E-ReceiptID': XmlText,
  LastModified: XmlDateTime,
  ItemizationsList: z.looseObject({ Itemization: z.array(ReportItemization) }),
  UserLoginID: XmlText,
})
export type ReportEntry = z.infer<typeof ReportEntry>

/** `<ReportOwner>` of v2.0 report details. */
export const ReportOwner = z.looseObject({
  EmployeeID: XmlText,
  LastName: XmlText,
  FirstName: XmlText,
  MiddleInitial: XmlText,
  EmployeeCustom21: XmlText,
  ...numbered('EmployeeOrgUnit', 6, XmlText),
  ReimbursementMethodCode: XmlText,
})
export type ReportOwner = z.infer<typeof ReportOwner>

/**
 * One record of "Expense Reports Detail": v2.0 `report/{reportId}` → `<ReportDetails>`.
 *
 * @example
 * ReportDetails.shape.PaidDate.parse(null) // i:nil="true"
 */
export const ReportDetails = z.looseObject({
  UserLoginID: XmlText,
  EmployeeName: XmlText,
  ReportID: XmlText,
  ReportName: XmlText,
  Purpose: XmlText,
  ReportDate: XmlDateTime,
  CreationDate: XmlDateTime,
  SubmitDate: XmlNullableDateTime,
  PaidDate: XmlNullableDateTime,
  CurrencyCode: XmlText,
  ReportTotal: XmlDecimal,
  PersonalExpenses: XmlDecimal,
  AmountDueEmployee: XmlDecimal,
  AmountDueCompanyCard: XmlDecimal,
  TotalClaimedAmount: XmlDecimal,
  TotalApprovedAmount: XmlDecimal,
  ApprovalStatusCode: XmlText,
  ApprovalStatusName: XmlText,
  PaymentStatusCode: XmlText,
  PaymentStatusName: XmlText,
  ...orgUnits,
  ...custom(20),
  LedgerName: XmlText,
  PolicyID: XmlText,
  EverSentBack: YesNo,
  HasException: YesNo,
  WorkflowActionURL: XmlText,
  ExpenseEntriesList: z.looseObject({ ExpenseEntry: z.array(ReportEntry) }),
  Country: XmlText,
  CountrySubdivision: XmlText,
  ProcessingPaymentDate: XmlNullableDateTime,
  ReceiptsReceived: YesNo,
  ReportOwner: ReportOwner,
  /** Web Services Administrators only (UNVERIFIED element name, from the v1.1 `RptKey`). */
  ReportKey: XmlText.optional(),
})
export type ReportDetails = z.infer<typeof ReportDetails>

/**
 * Body of the v1.1 report workflow action (`POST …/report/{ReportID}/WorkFlowAction`, the
 * `WorkflowAction` element of `REPORT_WORKFLOW_ACTION`) once parsed, namespace prefixes removed.
 *
 * @example
 * WorkflowActionBody.parse({ WorkflowAction: { Action: 'Approve', Comment: 'ok' } })
 */
export const WorkflowActionBody = z.object({
  WorkflowAction: z.object({
    Action: z.string(),
    Comment: z.string().max(2000, 'Comment is longer than 2000 characters').optional(),
  }),
})
export type WorkflowActionBody = z.infer<typeof WorkflowActionBody>
