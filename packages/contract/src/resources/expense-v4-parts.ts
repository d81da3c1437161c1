import { z } from 'zod'
import {
  ExpenseV4Amount,
  type ExpenseV4ContextType,
  ExpenseV4CustomData,
  ExpenseV4CustomDataInput,
} from './expense-v4.js'

/**
 * Expense v4 wire shapes of the parts of a report beyond reports, expenses, allocations, attendees
 * and report comments (concur-api-v4 §3.2–3.3; swagger Reports.swagger.json): exceptions, form
 * fields, taxes, cash-advance and request associations, cost objects for an approver, and the
 * submitted-expense PATCH body.
 *
 * @example
 * const exceptions = ExpenseV4Exception.array().parse(await res.json())
 * exceptions[0]?.exceptionCode // 'MISSREQFLD'
 */

const amount = () => ExpenseV4Amount.nullish()
const str = () => z.string().nullish()
const bool = () => z.boolean().nullish()

/** The Expense v4 tax scope: PATCH of an expense tax needs it (`readwrite` only reads taxes). */
export const EXPENSE_V4_TAX_SCOPE = 'expense.report.tax.readwrite'

/** Which `contextType` values the long URLs of these parts accept (swagger enums; §3.1). */
export const EXPENSE_V4_PART_CONTEXTS = {
  exceptions: ['TRAVELER', 'PROXY'],
  requestAssociations: ['TRAVELER', 'MANAGER', 'PROCESSOR', 'PROXY'],
  expenseComments: ['TRAVELER', 'MANAGER', 'PROXY'],
} as const satisfies Record<string, readonly ExpenseV4ContextType[]>

/** `exceptionVisibility`: who sees an exception. */
export const ExpenseV4ExceptionVisibility = z.enum(['ALL', 'APPROVER_PROCESSOR', 'PROCESSOR'])
export type ExpenseV4ExceptionVisibility = z.infer<typeof ExpenseV4ExceptionVisibility>

/**
 * `ReportException`: one exception of a report, an expense or an allocation (`expenseId` and
 * `allocationId` say which; `parentExpenseId` is the entry of an itemization).
 */
export const ExpenseV4Exception = z.looseObject({
  exceptionCode: z.string(),
  exceptionVisibility: ExpenseV4ExceptionVisibility.nullish(),
  isBlocking: bool(),
  message: str(),
  allocationId: str(),
  expenseId: str(),
  parentExpenseId: str(),
})
export type ExpenseV4Exception = z.infer<typeof ExpenseV4Exception>

/** Body of `PUT …/exceptions` (short URLs, company token). */
export const ExpenseV4ExceptionPut = z.strictObject({
  exceptionCode: z
    .string()
    .trim()
    .min(1)
    .max(20)
    .regex(/^[A-Za-z0-9_]+$/, 'expected letters, digits or _'),
  exceptionVisibility: ExpenseV4ExceptionVisibility,
})
export type ExpenseV4ExceptionPut = z.infer<typeof ExpenseV4ExceptionPut>

/** `FormField`: one field of a report or expense form (the samples answer a bare array). */
export const ExpenseV4FormField = z.looseObject({
  parentFieldId: str(),
  controlType: str(),
  dataType: str(),
  defaultValue: str(),
  fieldAccess: z.enum(['HD', 'RO', 'RW']).nullish(),
  fieldId: z.string(),
  formFieldId: str(),
  fieldName: str(),
  fieldSequence: z.number().int().nullish(),
  hasLineSeparator: bool(),
  isCopyDownSource: bool(),
  listId: str(),
  listLevel: z.number().int().nullish(),
  isExternalList: bool(),
  maximumLength: z.number().int().nullish(),
  isRequired: bool(),
  tooltip: str(),
  validationExpression: str(),
  validationMessage: str(),
  itemizationCopyDownAction: z.enum(['ConfiguredCopyDown', 'None', 'ParentExpense']).nullish(),
  requiredForAutoSave: bool(),
  referenceLink: str(),
  targetFieldSettings: z.array(z.looseObject({})).nullish(),
})
export type ExpenseV4FormField = z.infer<typeof ExpenseV4FormField>

/** `ExpenseTax`: one tax authority's tax of an expense. */
export const ExpenseV4Tax = z.looseObject({
  customData: z.array(ExpenseV4CustomData).nullish(),
  reclaimCode: str(),
  reclaimTransactionAmount: z.number().nullish(),
  taxAuthorityId: z.string(),
  taxAuthorityName: str(),
  taxCode: str(),
  taxLabel: str(),
  taxFormId: str(),
  taxRateTypeId: str(),
  taxRateTypeName: str(),
  taxReclaimConfigurationId: str(),
  taxTransactionAmount: z.number().nullish(),
  taxPostedAmount: z.number().nullish(),
  taxReclaimPostedAmount: z.number().nullish(),
})
export type ExpenseV4Tax = z.infer<typeof ExpenseV4Tax>

/** `GET …/expenses/{expenseId}/taxes`. */
export const ExpenseV4Taxes = z.looseObject({ expenseTaxes: z.array(ExpenseV4Tax) })
export type ExpenseV4Taxes = z.infer<typeof ExpenseV4Taxes>

/**
 * Body of `PATCH …/expenses/{expenseId}/tax/{taxAuthorityId}` (JSON Merge Patch). The path names
 * the tax authority; a `taxAuthorityId` in the body must agree with it.
 */
export const ExpenseV4TaxPatch = z.strictObject({
  taxAuthorityId: z.string().min(1).optional(),
  customData: z.array(ExpenseV4CustomDataInput).optional(),
  reclaimCode: z.string().max(20).nullish(),
  reclaimTransactionAmount: z.number().finite().nullish(),
  taxAuthorityName: z.string().nullish(),
  taxCode: z.string().max(20).nullish(),
  taxLabel: z.string().nullish(),
  taxFormId: z.string().nullish(),
  taxRateTypeId: z.string().nullish(),
  taxRateTypeName: z.string().nullish(),
  taxReclaimConfigurationId: z.string().nullish(),
  taxTransactionAmount: z.number().finite().nullish(),
  taxPostedAmount: z.number().finite().nullish(),
  taxReclaimPostedAmount: z.number().finite().nullish(),
})
export type ExpenseV4TaxPatch = z.infer<typeof ExpenseV4TaxPatch>

/** `GET /reports/{reportId}/cashAdvances`. */
export const ExpenseV4CashAdvances = z.looseObject({
  cashAdvances: z.array(z.looseObject({ id: z.string() })),
})
export type ExpenseV4CashAdvances = z.infer<typeof ExpenseV4CashAdvances>

/** Body of `POST /reports/{reportId}/cashAdvances`: replaces every association of the report. */
export const ExpenseV4CashAdvancesPost = z.strictObject({
  cashAdvanceIds: z.array(z.string().min(1)).max(100),
})
export type ExpenseV4CashAdvancesPost = z.infer<typeof ExpenseV4CashAdvancesPost>

/** `GET …/reports/{reportId}/requestassociations`: the travel requests the report is linked to. */
export const ExpenseV4RequestAssociations = z.looseObject({
  requests: z.array(z.looseObject({ id: z.string() })),
})
export type ExpenseV4RequestAssociations = z.infer<typeof ExpenseV4RequestAssociations>

/**
 * One cost object of `GET /users/{userId}/reports/{reportId}/costObjectsForApprover`. The table
 * names the expense amount `claimedAmount`, the sample `postedAmount`: both are accepted.
 */
export const ExpenseV4CostObject = z.looseObject({
  name: str(),
  approvedAmount: amount(),
  claimedAmount: amount(),
  approverId: str(),
  expenses: z
    .array(
      z.looseObject({
        id: z.string(),
        approvedAmount: amount(),
        claimedAmount: amount(),
        postedAmount: amount(),
      }),
    )
    .nullish(),
  isOwnedByCaller: bool(),
  isFullyApproved: bool(),
  isApprovableAsUser: bool(),
  isApprovableAsDelegate: bool(),
})
export type ExpenseV4CostObject = z.infer<typeof ExpenseV4CostObject>

/** Body of `PATCH /reports/{reportId}/expenses/{expenseId}` (submitted report, company token). */
export const ExpenseV4ExpensePatch = z.strictObject({
  expenseSource: z.enum(['EA', 'MOB', 'OTHER', 'SE', 'TA', 'TR', 'UI']),
  businessPurpose: z.string().max(64).nullish(),
  customData: z.array(ExpenseV4CustomDataInput).optional(),
  isExpenseRejected: z.boolean().optional(),
  isPaperReceiptReceived: z.boolean().optional(),
})
export type ExpenseV4ExpensePatch = z.infer<typeof ExpenseV4ExpensePatch>
