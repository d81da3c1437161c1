import { z } from 'zod'

/**
 * Quick Expense v4 wire shapes (`/quickexpense/v4`, concur-api-v4 §9.3; swagger
 * QuickExpenses.swagger.json; examples `quick-expense-v4-*`). Errors use the v4 `ErrorMessage`
 * body (`V4Error`).
 *
 * @example
 * QuickExpenseRequest.parse({ expenseTypeId: 'BUSML', transactionAmount: { currencyCode: 'USD', value: 88.05 }, transactionDate: '2019-02-04' })
 */

/** The documented rate limit: 120 requests per 5 minutes per `userID`, shared by both endpoints (429 beyond). */
export const QUICK_EXPENSE_RATE_LIMIT = { requests: 120, windowSeconds: 300 } as const
/** The largest `fileContent` of `…/quickexpenses/image` (reference page: 50 MB; the swagger says 5 MB). */
export const QUICK_EXPENSE_MAX_IMAGE_BYTES = 50 * 1024 * 1024
/** The Quick Expense v4 scopes. */
export const QUICK_EXPENSE_V4_SCOPES = ['quickexpense.writeonly', 'user.read', 'receipts.writeonly'] as const
/** The documented `contextType` path values (only `TRAVELER`). */
export const QUICK_EXPENSE_CONTEXTS = ['TRAVELER'] as const

/** `Amount`: the 3-letter ISO 4217 currency and the value. */
export const QuickExpenseAmount = z.strictObject({
  currencyCode: z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter ISO 4217 code'),
  value: z.number().finite(),
})

/** `Location` of a quick expense (all fields optional; the examples send `id: ""`). */
export const QuickExpenseLocation = z.strictObject({
  city: z.string().optional(),
  countryCode: z.string().optional(),
  countrySubDivisionCode: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
})

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'is not a calendar date',
  )

/**
 * `QuickExpenseRequest`: the JSON body, or the `quickExpenseRequest` part of the image form.
 * `expenseTypeId`, `transactionAmount` and `transactionDate` are required (reference page).
 *
 * @example
 * QuickExpenseRequest.parse(JSON.parse(readFileSync('quick-expense-v4-post-request.json', 'utf8')))
 */
export const QuickExpenseRequest = z.strictObject({
  expenseTypeId: z.string().min(1),
  transactionAmount: QuickExpenseAmount,
  transactionDate: isoDate,
  comment: z.string().optional(),
  entryDetails: z.string().optional(),
  location: QuickExpenseLocation.optional(),
  paymentTypeId: z.enum(['CASHX', 'CPAID', 'PENDC']).optional(),
  vendor: z.string().optional(),
})
export type QuickExpenseRequest = z.infer<typeof QuickExpenseRequest>

/**
 * `NewQuickExpenseResponse` (201): the created quick expense's URI.
 *
 * @example
 * QuickExpenseResponse.parse(body).quickExpenseIdUri // '…/quickexpense/v4/users/{userId}/context/TRAVELER/quickexpenses/{id}'
 */
export const QuickExpenseResponse = z.looseObject({ quickExpenseIdUri: z.string().min(1) })
export type QuickExpenseResponse = z.infer<typeof QuickExpenseResponse>
