import { z } from 'zod'
import { defineResource } from '../registry.js'

/**
 * Request v4 wire shapes (`/travelrequest/v4`, concur-api-v4 §7; swagger ConcurRequest.swagger2.json):
 * travel requests, their list envelope `{data, operations}`, comments, cash advances, exceptions,
 * expected expenses and the error body `{errors:[{errorCode, errorMessage}]}`. Response schemas are
 * loose (new Concur fields pass); request bodies are strict.
 *
 * @example
 * RequestV4Page.parse(await res.json()).data[0]?.approvalStatus.code // 'SUBMITTED'
 */

/** The base path of Request v4. */
export const REQUEST_V4_BASE = '/travelrequest/v4'
/** `limit` of `GET /requests`: default 10, at most 100. */
export const REQUEST_V4_DEFAULT_LIMIT = 10
export const REQUEST_V4_MAX_LIMIT = 100

/** The scope of every Request v4 call; approve/sendback at an external-system step also accept the second. */
export const REQUEST_V4_SCOPES = [
  'travelrequest.write',
  'travelrequest.externalsystemworkflow.write',
] as const

/** The documented `view` values of `GET /requests` (ALL is the default). */
export const RequestV4View = z.enum([
  'ALL',
  'ACTIVE',
  'ACTIVEAPPROVED',
  'UNSUBMITTED',
  'PENDING',
  'VALIDATED',
  'APPROVED',
  'CANCELED',
  'CLOSED',
  'SUBMITTED',
  'TOAPPROVE',
  'PENDINGEBOOKING',
  'PENDINGPROPOSAL',
  'PROPOSALAPPROVED',
  'PROPOSALCANCELED',
])
export type RequestV4View = z.infer<typeof RequestV4View>

/** `sortField` and `sortOrder` of `GET /requests` (default startDate, DESC). */
export const RequestV4SortField = z.enum(['startDate', 'approvalStatus', 'requestId'])
export type RequestV4SortField = z.infer<typeof RequestV4SortField>
export const RequestV4SortOrder = z.enum(['ASC', 'DESC'])
export type RequestV4SortOrder = z.infer<typeof RequestV4SortOrder>

/** The workflow actions of `POST /requests/{requestUuid}/{action}`. */
export const RequestV4Action = z.enum([
  'submit',
  'recall',
  'cancel',
  'close',
  'reopen',
  'approve',
  'sendback',
])
export type RequestV4Action = z.infer<typeof RequestV4Action>

/** The documented `approvalStatus.code` values. */
export const RequestV4ApprovalCode = z.enum([
  'NOT_SUBMITTED',
  'SUBMITTED',
  'APPROVED',
  'CANCELED',
  'SENTBACK',
])
export type RequestV4ApprovalCode = z.infer<typeof RequestV4ApprovalCode>

/**
 * The documented `errorCode` values (PD:…/request/v4.response-codes.markdown, by status). The mock
 * answers with these; a client should still accept any string.
 */
export const REQUEST_V4_ERROR_CODES = {
  badParam: 400,
  invalidJson: 400,
  invalidUuid: 400,
  missingRequiredParam: 400,
  idNotAllowed: 400,
  invalidUser: 401,
  permissionDenied: 403,
  notFound: 404,
  timeOut: 408,
  NO_APPROVER: 409,
  internalServerError: 500,
  circuitBreaker: 503,
  entityOffline: 503,
} as const
export type RequestV4ErrorCode = keyof typeof REQUEST_V4_ERROR_CODES

/**
 * The Request v4 error body (swagger `ErrorResponse`).
 *
 * @example
 * RequestV4Error.parse(body).errors[0]?.errorCode // 'missingRequiredParam'
 */
export const RequestV4Error = z.looseObject({
  errors: z.array(z.looseObject({ errorCode: z.string(), errorMessage: z.string() })).min(1),
})
export type RequestV4Error = z.infer<typeof RequestV4Error>

/** `Amount`: `{value, currency}` (`currency`, not `currencyCode`). */
export const RequestV4Amount = z.looseObject({ value: z.number(), currency: z.string() })
export type RequestV4Amount = z.infer<typeof RequestV4Amount>

/** `ResourceLink`: `{id, href, template}` (the documented samples carry typos in `template`, so it is any string). */
export const RequestV4ResourceLink = z.looseObject({
  id: z.string(),
  href: z.string().optional(),
  template: z.string().optional(),
})
export type RequestV4ResourceLink = z.infer<typeof RequestV4ResourceLink>

/** `Link`: one `operations` entry (`rel` next/prev/first/last on pages, an action name on a request). */
export const RequestV4Link = z.looseObject({ rel: z.string(), href: z.string() })
export type RequestV4Link = z.infer<typeof RequestV4Link>

/** `Employee`: owner or approver. */
export const RequestV4Employee = z.looseObject({
  id: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  middleInitial: z.string().optional(),
})
export type RequestV4Employee = z.infer<typeof RequestV4Employee>

/** `CustomField` / `ListItemField`: `custom1`…`custom20`. */
export const RequestV4CustomField = z.looseObject({
  value: z.string().optional(),
  code: z.string().optional(),
  href: z.string().optional(),
  template: z.string().optional(),
})

/** `Location` (`mainDestination`, expense locations). */
export const RequestV4Location = z.looseObject({
  id: z.string().optional(),
  name: z.string().optional(),
  city: z.string().optional(),
  countryCode: z.string().optional(),
  countrySubDivisionCode: z.string().optional(),
  iataCode: z.string().optional(),
  locationCode: z.string().optional(),
})

const customFields = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`custom${i + 1}`, RequestV4CustomField.optional()]),
) as Record<`custom${number}`, z.ZodOptional<typeof RequestV4CustomField>>

const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const hhmm = z.string().regex(/^\d{2}:\d{2}$/)

/**
 * `Request` / `RequestDetails`: one travel request. List items carry the summary fields; a GET by id
 * adds the `comments`, `cashAdvances`, `exceptions` links and `operations` (the caller's workflow actions).
 *
 * @example
 * RequestV4.parse(body).operations?.map((o) => o.rel) // ['submit']
 */
export const RequestV4 = z.looseObject({
  id: z.string(),
  href: z.string().optional(),
  requestId: z.string().optional(),
  name: z.string().optional(),
  businessPurpose: z.string().optional(),
  comment: z.string().optional(),
  approvalStatus: z.looseObject({ code: z.string(), name: z.string().optional() }),
  approved: z.boolean().optional(),
  pendingApproval: z.boolean().optional(),
  closed: z.boolean().optional(),
  canceledPostApproval: z.boolean().optional(),
  everSentBack: z.boolean().optional(),
  isParentRequest: z.boolean().optional(),
  approver: RequestV4Employee.optional(),
  owner: RequestV4Employee.optional(),
  startDate: ymd.optional(),
  endDate: ymd.optional(),
  startTime: hhmm.optional(),
  endTime: hhmm.optional(),
  creationDate: z.string().optional(),
  submitDate: z.string().optional(),
  lastModified: z.string().optional(),
  authorizedDate: z.string().optional(),
  approvalLimitDate: z.string().optional(),
  ...customFields,
  mainDestination: RequestV4Location.optional(),
  policy: z.looseObject({ id: z.string().optional() }).optional(),
  expensePolicy: z.looseObject({ id: z.string().optional() }).optional(),
  travelAgency: RequestV4ResourceLink.partial().optional(),
  cashAdvances: RequestV4ResourceLink.optional(),
  comments: RequestV4ResourceLink.optional(),
  exceptions: RequestV4ResourceLink.optional(),
  expenses: z.array(RequestV4ResourceLink).optional(),
  parentRequest: RequestV4ResourceLink.optional(),
  highestExceptionLevel: z.string().optional(),
  totalApprovedAmount: RequestV4Amount.optional(),
  totalPostedAmount: RequestV4Amount.optional(),
  totalRemainingAmount: RequestV4Amount.optional(),
  type: z.looseObject({ code: z.string(), label: z.string().optional() }).optional(),
  operations: z.array(RequestV4Link).optional(),
})
export type RequestV4 = z.infer<typeof RequestV4>

/**
 * "List of Request" (`PageResultOfResourceOfRequest`): `{data, operations}`; `operations` holds
 * `next`, `prev`, `first`, `last` links (absolute URLs with `start` and `limit`).
 *
 * @example
 * RequestV4Page.parse(body).operations.find((o) => o.rel === 'next')?.href
 */
export const RequestV4Page = z.looseObject({
  data: z.array(RequestV4),
  operations: z.array(RequestV4Link),
})
export type RequestV4Page = z.infer<typeof RequestV4Page>

const writeLink = z.strictObject({ id: z.string().min(1) })
const writeCustom = z.strictObject({ value: z.string(), code: z.string().optional() })
const writeCustomFields = Object.fromEntries(
  Array.from({ length: 20 }, (_, i) => [`custom${i + 1}`, writeCustom.optional()]),
) as Record<`custom${number}`, z.ZodOptional<typeof writeCustom>>

const writeFields = {
  name: z.string().min(1).max(255),
  businessPurpose: z.string().max(2000).optional(),
  comment: z.string().max(2000).optional(),
  startDate: ymd,
  endDate: ymd,
  startTime: hhmm.optional(),
  endTime: hhmm.optional(),
  ...writeCustomFields,
  mainDestination: z
    .strictObject({
      id: z.string().optional(),
      name: z.string().optional(),
      city: z.string().optional(),
      countryCode: z.string().optional(),
      countrySubDivisionCode: z.string().optional(),
      iataCode: z.string().optional(),
      locationCode: z.string().optional(),
    })
    .optional(),
  policy: writeLink.optional(),
  travelAgency: writeLink.optional(),
}

/**
 * Body of `POST /requests` (no `id`: Concur answers 400 `idNotAllowed`). The mock requires `name`,
 * `startDate` and `endDate` (UNVERIFIED: the swagger marks no field required).
 *
 * @example
 * RequestV4Create.parse({ name: 'Lyon training', startDate: '2026-07-01', endDate: '2026-07-03' })
 */
export const RequestV4Create = z.strictObject(writeFields)
export type RequestV4Create = z.infer<typeof RequestV4Create>

/** Body of `PUT /requests/{requestUuid}`: the create fields, plus the request's own `id` (optional). */
export const RequestV4Update = z.strictObject({ ...writeFields, id: z.string().optional() })
export type RequestV4Update = z.infer<typeof RequestV4Update>

/** Optional body of a workflow action (`comment`, used by sendback). */
export const RequestV4ActionBody = z.strictObject({ comment: z.string().max(2000).optional() })
export type RequestV4ActionBody = z.infer<typeof RequestV4ActionBody>

/** `Comment`: `GET /requests/{id}/comments` and `/expenses/{id}/comments` answer an array, newest first. */
export const RequestV4Comment = z.looseObject({
  author: z.looseObject({ firstName: z.string().optional(), lastName: z.string().optional() }),
  creationDateTime: z.string(),
  isLatest: z.boolean(),
  value: z.string(),
})
export type RequestV4Comment = z.infer<typeof RequestV4Comment>
export const RequestV4Comments = z.array(RequestV4Comment)

/** `GET /requests/{id}/cashadvances`: links to the cash advances (`GET /cashadvances/{id}`). */
export const RequestV4CashAdvanceLinks = z.array(RequestV4ResourceLink)

/** `CashAdvance` (`GET /cashadvances/{cashAdvanceUuid}`). */
export const RequestV4CashAdvance = z.looseObject({
  cashAdvanceId: z.string(),
  amountRequested: RequestV4Amount,
  approvalStatus: z.looseObject({ code: z.string(), name: z.string().optional() }),
  comment: z.string().optional(),
  exchangeRate: z.looseObject({ value: z.number(), operation: z.string() }).optional(),
  issueDate: z.string().optional(),
  requestDate: z.string().optional(),
})
export type RequestV4CashAdvance = z.infer<typeof RequestV4CashAdvance>

/** `RequestException`: `GET /requests/{id}/exceptions` answers an array. */
export const RequestV4Exception = z.looseObject({
  code: z.string(),
  level: z.number().int(),
  message: z.string(),
  isBlocking: z.boolean(),
  source: z.looseObject({ id: z.string(), href: z.string().optional(), type: z.string() }).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
})
export type RequestV4Exception = z.infer<typeof RequestV4Exception>
export const RequestV4Exceptions = z.array(RequestV4Exception)

/** `Allocation` of an expected expense. */
export const RequestV4Allocation = z.looseObject({
  allocationId: z.string().optional(),
  expenseId: z.string().optional(),
  allocationAmount: RequestV4Amount.optional(),
  approvedAmount: RequestV4Amount.optional(),
  postedAmount: RequestV4Amount.optional(),
  percentage: z.number(),
  percentEdited: z.boolean().optional(),
  systemAllocation: z.boolean().optional(),
})

/**
 * `Expense`: an expected expense of a request (`/requests/{id}/expenses`, `/expenses/{id}`).
 *
 * @example
 * RequestV4ExpectedExpense.parse(body).transactionAmount?.value
 */
export const RequestV4ExpectedExpense = z.looseObject({
  id: z.string().optional(),
  href: z.string().optional(),
  expenseType: z.looseObject({ id: z.string(), name: z.string().optional() }),
  transactionDate: z.string(),
  transactionAmount: RequestV4Amount.optional(),
  approvedAmount: RequestV4Amount.optional(),
  postedAmount: RequestV4Amount.optional(),
  remainingAmount: RequestV4Amount.optional(),
  exchangeRate: z.looseObject({ value: z.number(), operation: z.string() }).optional(),
  businessPurpose: z.string().optional(),
  location: RequestV4Location.optional(),
  allocations: z.array(RequestV4Allocation).optional(),
  parentRequest: RequestV4ResourceLink.optional(),
  tripData: z.looseObject({ segmentType: z.looseObject({ code: z.string() }) }).optional(),
})
export type RequestV4ExpectedExpense = z.infer<typeof RequestV4ExpectedExpense>
export const RequestV4ExpectedExpenses = z.array(RequestV4ExpectedExpense)

/**
 * Body of `POST /requests/{id}/expenses` and `PUT /expenses/{id}`: `expenseType.id`,
 * `transactionDate` and `transactionAmount` are required by the mock; other documented fields
 * (`tripData`, `allocations`, …) are accepted and kept as sent.
 */
export const RequestV4ExpectedExpenseWrite = z.looseObject({
  id: z.string().optional(),
  expenseType: z.looseObject({ id: z.string().min(1), name: z.string().optional() }),
  transactionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)?$/),
  transactionAmount: z.looseObject({ value: z.number().nonnegative(), currency: z.string().length(3) }),
  businessPurpose: z.string().max(2000).optional(),
  location: RequestV4Location.optional(),
})
export type RequestV4ExpectedExpenseWrite = z.infer<typeof RequestV4ExpectedExpenseWrite>

/** `ResourceOfPolicy`: `GET /userpolicies` answers the request policies a user may use. */
export const RequestV4Policy = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  href: z.string().optional(),
  allowParticipants: z.boolean().optional(),
})
export type RequestV4Policy = z.infer<typeof RequestV4Policy>
export const RequestV4Policies = z.array(RequestV4Policy)

/** `ResourceOfTravelAgency` (`GET /travelagencies/{agencyUuid}`). */
export const RequestV4TravelAgency = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  emailAddress: z.string().optional(),
  proposalType: z.string().optional(),
  customerAccountCode: z.string().optional(),
  customerAccountName: z.string().optional(),
})
export type RequestV4TravelAgency = z.infer<typeof RequestV4TravelAgency>

/**
 * The registry row of Request v4 travel requests: `{data, operations}`, the next page named by the
 * `operations` link `next`, `limit` ≤ 100. A company token walks `view=ALL` (the default) of the
 * whole company (the system user); `userId` narrows to one user's requests.
 */
export const travelRequests = defineResource({
  name: 'travel-requests',
  title: 'Travel Requests (Request v4)',
  api: 'v4',
  path: `${REQUEST_V4_BASE}/requests`,
  itemPath: `${REQUEST_V4_BASE}/requests/{id}`,
  format: 'json',
  paging: {
    kind: 'json',
    items: 'data',
    size: { param: 'limit', default: REQUEST_V4_DEFAULT_LIMIT, max: REQUEST_V4_MAX_LIMIT },
    next: { type: 'link', field: 'operations', rel: 'next' },
  },
  scope: 'travelrequest.write',
  item: RequestV4,
  idField: 'id',
  userParam: 'userId',
  filters: [
    {
      param: 'modifiedAfter',
      type: 'datetime',
      field: 'lastModified',
      op: 'after',
      description: "Modified at or after (yyyy-MM-dd'T'HH:mm:ss'Z' or yyyy-MM-dd, UTC).",
    },
    {
      param: 'modifiedBefore',
      type: 'datetime',
      field: 'lastModified',
      op: 'before',
      description: 'Modified before (same formats).',
    },
    {
      param: 'approvedAfter',
      type: 'datetime',
      field: 'authorizedDate',
      op: 'after',
      description: 'Approved at or after (same formats; approved requests only).',
    },
    {
      param: 'approvedBefore',
      type: 'datetime',
      field: 'authorizedDate',
      op: 'before',
      description: 'Approved before (same formats; approved requests only).',
    },
  ],
  adminOnly: false,
  modifiedField: 'lastModified',
  modifiedFilter: { after: 'modifiedAfter', before: 'modifiedBefore' },
  writes: ['create', 'update', 'delete'],
  reference: 'v4 §7',
  errorBody: RequestV4Error,
})
