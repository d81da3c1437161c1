import { z } from 'zod'
import { defineResource } from '../registry.js'
import { ExpenseV4Error } from './expense-v4.js'
import type {
  AttendeeItem,
  AttendeeTypeItem,
  AttendeeWrite,
  ExpenseGroupConfigurationItem,
} from './v3-schemas.js'

/**
 * Expense Configuration v4, Attendees v4 and Attendee Types v4 (reference v4 §4.1–4.3; examples
 * `expense-config-v4-*`, `attendees-v4-*`, `attendee-types-v4-*`; swagger
 * `attendees-v4.0-Attendees.swagger2.json`). They serve the same records as their deprecated
 * v3.0 predecessors (`expense-group-configurations`, `expense-attendees`,
 * `expense-attendee-types`); the functions at the end of this file are the one place where the
 * v3.0 and v4 field names meet.
 *
 * @example
 * const page = AttendeesV4Page.parse(await res.json())
 * page.items[0]?.attendeeTypeCode // 'BUSGUEST'
 */

/** Base path of Expense Configuration v4. */
export const EXPENSE_CONFIG_V4_BASE = '/expenseconfig/v4'
/** Base path of Attendees v4 (no service prefix). */
export const ATTENDEES_V4_BASE = '/v4/attendees'
/** Path of Attendee Types v4. */
export const ATTENDEE_TYPES_V4_PATH = '/v4/attendeetypes'

/** The Expense Configuration v4 scopes, one per endpoint family. */
export const EXPENSE_CONFIG_V4_SCOPES = {
  policies: 'expense.config.policies.restricted.read',
  expenseTypes: 'expense.config.expensetypes.restricted.read',
  paymentTypes: 'expense.config.paymenttypes.restricted.read',
  attendeeTypes: 'expense.config.attendeetypes.restricted.read',
  groups: 'expense.config.groups.restricted.read',
} as const

/** The Attendees v4 scopes: `attendee.read` (GET), `attendee.write` (GET, POST, PUT), `attendee.writeonly` (POST, PUT). */
export const ATTENDEES_V4_SCOPES = ['attendee.read', 'attendee.write', 'attendee.writeonly'] as const
/** The Attendee Types v4 scope (company tokens only). */
export const ATTENDEE_TYPES_V4_SCOPE = 'attendee.admin.read'

/** Page size of `GET /v4/attendees`: default 25, at most 100. */
export const ATTENDEES_V4_PAGE = { default: 25, max: 100 } as const
/** The most `externalId` values one list request may name. */
export const ATTENDEES_V4_MAX_EXTERNAL_IDS = 10
/** Attendee types whose attendees cannot be created through `POST /v4/attendees`. */
export const ATTENDEE_V4_UNCREATABLE_TYPES = ['NOSHOWS', 'SYSEMP'] as const

// ---------------------------------------------------------------- Expense Configuration v4

/** `GET /users/{userID}/policies`: one policy. */
export const ExpenseConfigV4Policy = z.looseObject({
  policyId: z.string(),
  policyName: z.string().nullish(),
  isDefault: z.boolean().nullish(),
  isInheritable: z.boolean().nullish(),
})
export type ExpenseConfigV4Policy = z.infer<typeof ExpenseConfigV4Policy>

/** `GET /users/{userID}/policies/{policyId}/expensetypes`: one expense type. */
export const ExpenseConfigV4ExpenseType = z.looseObject({
  expenseTypeId: z.string(),
  expenseTypeName: z.string().nullish(),
  spendCategoryCode: z.string().nullish(),
  spendCategoryName: z.string().nullish(),
  isCategory: z.boolean().nullish(),
  parentExpenseTypeId: z.string().nullish(),
  parentName: z.string().nullish(),
})
export type ExpenseConfigV4ExpenseType = z.infer<typeof ExpenseConfigV4ExpenseType>

/** `GET /users/{userID}/paymenttypes`: one payment type. */
export const ExpenseConfigV4PaymentType = z.looseObject({
  paymentTypeId: z.string(),
  paymentTypeName: z.string().nullish(),
  isDefault: z.boolean().nullish(),
})
export type ExpenseConfigV4PaymentType = z.infer<typeof ExpenseConfigV4PaymentType>

/** `GET /users/{userID}/attendeetypes`: one attendee type. */
export const ExpenseConfigV4AttendeeType = z.looseObject({
  attendeeTypeCode: z.string(),
  attendeeTypeName: z.string().nullish(),
})
export type ExpenseConfigV4AttendeeType = z.infer<typeof ExpenseConfigV4AttendeeType>

/** The cash advance settings of a group (`workflowId` null = none). */
export const ExpenseConfigV4CashAdvance = z.looseObject({
  workflowId: z.string().nullish(),
  name: z.string().nullish(),
  allowUserCarryBalance: z.boolean().nullish(),
  allowUserLinkMultiple: z.boolean().nullish(),
  allowUserUpdateExchangeRate: z.boolean().nullish(),
})

/** `GET /companies/{companyId}/groupconfigs`: one Group. */
export const ExpenseConfigV4Group = z.looseObject({
  hierarchyNodeId: z.string(),
  groupName: z.string().nullish(),
  allowUserDigitalTaxInvoice: z.boolean().nullish(),
  allowUserRegisterYodlee: z.boolean().nullish(),
  attendeeListFormId: z.string().nullish(),
  attendeeListFormName: z.string().nullish(),
  cashAdvance: ExpenseConfigV4CashAdvance.nullish(),
})
export type ExpenseConfigV4Group = z.infer<typeof ExpenseConfigV4Group>

/** A Group Config: the Group plus its policies, payment types and attendee types. */
export const ExpenseConfigV4GroupConfig = ExpenseConfigV4Group.extend({
  policies: z.array(ExpenseConfigV4Policy).nullish(),
  paymentTypes: z.array(ExpenseConfigV4PaymentType).nullish(),
  attendeeTypes: z.array(ExpenseConfigV4AttendeeType).nullish(),
})
export type ExpenseConfigV4GroupConfig = z.infer<typeof ExpenseConfigV4GroupConfig>

/**
 * The Expense Configuration v4 error body: Expense v4's `ErrorMessage` without `customResponseData`.
 *
 * @example
 * ExpenseConfigV4Error.parse(await res.json()).errorMessage
 */
export const ExpenseConfigV4Error = ExpenseV4Error.omit({ customResponseData: true })
export type ExpenseConfigV4Error = z.infer<typeof ExpenseConfigV4Error>

// ---------------------------------------------------------------- Attendees v4

/** A custom field of an attendee as read (`type` and `value` always present). */
export const AttendeeV4CustomField = z.looseObject({
  type: z.string(),
  value: z.string().nullable(),
  code: z.string().nullish(),
  listItemId: z.string().nullish(),
})
export type AttendeeV4CustomField = z.infer<typeof AttendeeV4CustomField>

const CUSTOM_COUNT = 25
/** The attendee custom field names, `custom1` … `custom25`. */
const CUSTOM_KEYS = [
  'custom1',
  'custom2',
  'custom3',
  'custom4',
  'custom5',
  'custom6',
  'custom7',
  'custom8',
  'custom9',
  'custom10',
  'custom11',
  'custom12',
  'custom13',
  'custom14',
  'custom15',
  'custom16',
  'custom17',
  'custom18',
  'custom19',
  'custom20',
  'custom21',
  'custom22',
  'custom23',
  'custom24',
  'custom25',
] as const
type CustomKey = (typeof CUSTOM_KEYS)[number]
const customShape = <T extends z.ZodType>(make: () => T) =>
  Object.fromEntries(CUSTOM_KEYS.map((k) => [k, make()])) as { [K in CustomKey]: T }

/**
 * An attendee as Attendees v4 answers it (swagger `AttendeeGet`).
 *
 * @example
 * AttendeeV4.parse(body.items[0]).ownerUserId
 */
export const AttendeeV4 = z.looseObject({
  id: z.string().min(1),
  uri: z.string().nullish(),
  attendeeTypeCode: z.string(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  middleInitial: z.string().nullish(),
  suffix: z.string().nullish(),
  title: z.string().nullish(),
  company: z.string().nullish(),
  externalId: z.string().nullish(),
  currencyCode: z.string().nullish(),
  ownerName: z.string().nullish(),
  ownerUserId: z.string().nullish(),
  preferredName: z.string().nullish(),
  versionNumber: z.number().int().nullish(),
  hasExceptionsPrevYear: z.boolean().nullish(),
  hasExceptionsYtd: z.boolean().nullish(),
  totalAmountPrevYear: z.number().nullish(),
  totalAmountYtd: z.number().nullish(),
  ...customShape(() => AttendeeV4CustomField.nullish()),
})
export type AttendeeV4 = z.infer<typeof AttendeeV4>

/**
 * `GET /v4/attendees` (and `/v4/attendees/{id}`): `{"items":[…], "nextPage"?}`. The documented
 * get-by-ids sample spells the array `Items`; both spellings are accepted when reading.
 */
export const AttendeesV4Page = z
  .looseObject({
    items: z.array(AttendeeV4).optional(),
    Items: z.array(AttendeeV4).optional(),
    nextPage: z.string().nullish(),
  })
  .refine((b) => b.items !== undefined || b.Items !== undefined, { message: 'no items array' })
export type AttendeesV4Page = z.infer<typeof AttendeesV4Page>

const text = (max: number) => z.string().max(max)

/** Body of `POST /v4/attendees` (swagger `AttendeePost`): custom fields are plain strings. */
export const AttendeeV4Create = z.strictObject({
  attendeeTypeCode: z.string().min(1),
  lastName: text(132).min(1),
  firstName: text(50).nullish(),
  middleInitial: text(1).nullish(),
  suffix: text(32).nullish(),
  title: text(32).nullish(),
  company: text(150).nullish(),
  externalId: text(48).nullish(),
  currencyCode: z.string().length(3).nullish(),
  preferredName: z.string().nullish(),
  totalAmountYtd: z.number().nullish(),
  ...customShape(() => z.string().max(48).nullish()),
})
export type AttendeeV4Create = z.infer<typeof AttendeeV4Create>

/** Body of `PUT /v4/attendees/{id}` (swagger `AttendeePut`): only supplied fields change. */
export const AttendeeV4Update = AttendeeV4Create.partial().extend({
  attendeeTypeCode: z.string().min(1).optional(),
  lastName: text(132).min(1).optional(),
})
export type AttendeeV4Update = z.infer<typeof AttendeeV4Update>

/** Answer of `POST /v4/attendees` (200): `{"id","uri"}`. */
export const AttendeeV4Created = z.looseObject({ id: z.string().min(1), uri: z.string() })
export type AttendeeV4Created = z.infer<typeof AttendeeV4Created>

/**
 * The Attendees v4 error body (swagger `ErrorMessage`).
 *
 * @example
 * AttendeesV4Error.parse(await res.json()).validationErrors?.[0]?.source
 */
export const AttendeesV4Error = z.looseObject({
  errorId: z.string().nullish(),
  errorMessage: z.string(),
  httpStatus: z.string(),
  path: z.string().nullish(),
  timestamp: z.string().nullish(),
  validationErrors: z
    .array(z.looseObject({ id: z.string().nullish(), message: z.string(), source: z.string().nullish() }))
    .nullish(),
})
export type AttendeesV4Error = z.infer<typeof AttendeesV4Error>

// ---------------------------------------------------------------- Attendee Types v4

/**
 * One attendee type of `GET /v4/attendeetypes` (a bare array).
 *
 * @example
 * AttendeeTypeV4.parse(body[0]).duplicateSearchFields // ['title', 'company', …]
 */
export const AttendeeTypeV4 = z.looseObject({
  id: z.string().min(1),
  code: z.string(),
  name: z.string().nullish(),
  allowAttendeeCountEditing: z.boolean().nullish(),
  allowManuallyEnteredAttendees: z.boolean().nullish(),
  externalConnectorId: z.string().nullish(),
  duplicateSearchFields: z.array(z.string()).nullish(),
  form: z.looseObject({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  isDeleted: z.boolean().nullish(),
  isPublic: z.boolean().nullish(),
  permitAdds: z.boolean().nullish(),
  isActive: z.boolean().nullish(),
  searchPreference: z.string().nullish(),
  systemRecord: z.boolean().nullish(),
})
export type AttendeeTypeV4 = z.infer<typeof AttendeeTypeV4>

// ---------------------------------------------------------------- v3.0 ↔ v4 (the one mapping)

/** v3.0 attendee field → v4 field, for the fields both name (custom fields aside). */
export const ATTENDEE_V3_TO_V4 = {
  AttendeeTypeCode: 'attendeeTypeCode',
  FirstName: 'firstName',
  LastName: 'lastName',
  MiddleInitial: 'middleInitial',
  Suffix: 'suffix',
  Title: 'title',
  Company: 'company',
  ExternalID: 'externalId',
  CurrencyCode: 'currencyCode',
  OwnerName: 'ownerName',
  VersionNumber: 'versionNumber',
  HasExceptionsPrevYear: 'hasExceptionsPrevYear',
  HasExceptionsYTD: 'hasExceptionsYtd',
  TotalAmountPrevYear: 'totalAmountPrevYear',
  TotalAmountYTD: 'totalAmountYtd',
} as const satisfies Partial<Record<keyof AttendeeItem, keyof AttendeeV4>>

/** v3.0 attendee type field → v4 field (`DuplicateSearchFields` values are camel-cased too). */
export const ATTENDEE_TYPE_V3_TO_V4 = {
  Code: 'code',
  Name: 'name',
  AllowAttendeeCountEditing: 'allowAttendeeCountEditing',
  AllowManuallyEnteredAttendees: 'allowManuallyEnteredAttendees',
  ConnectorID: 'externalConnectorId',
} as const satisfies Partial<Record<keyof AttendeeTypeItem, keyof AttendeeTypeV4>>

type Rec = Readonly<Record<string, unknown>>
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null)
const camel = (s: string) => s.charAt(0).toLowerCase() + s.slice(1)

/** What a v4 view knows that the v3.0 record does not: its v4 ids and links. */
export interface AttendeeV4Ids {
  readonly id: string
  readonly uri: string
  /** The owner's UUID (v3.0 names the owner by login id). */
  readonly ownerUserId: string | null
}

/**
 * The v4 attendee of a v3.0 attendee record: the same values under v4 names, custom fields as
 * `{type, value, code, listItemId}` (empty ones left out, as in the documented samples).
 *
 * @example
 * attendeeV4FromV3(v3, { id, uri, ownerUserId }).lastName === v3.LastName // true
 */
export function attendeeV4FromV3(v3: Rec, ids: AttendeeV4Ids): AttendeeV4 {
  const out: Record<string, unknown> = {}
  for (const [from, to] of Object.entries(ATTENDEE_V3_TO_V4)) out[to] = v3[from] ?? null
  out.ownerUserId = ids.ownerUserId
  for (let k = 1; k <= CUSTOM_COUNT; k++) {
    const f = v3[`Custom${k}`] as Rec | null | undefined
    if (!f || typeof f !== 'object' || f.Value === null || f.Value === undefined) continue
    out[`custom${k}`] = {
      type: str(f.Type) ?? 'Text',
      value: str(f.Value),
      ...(f.Code ? { code: str(f.Code) } : {}),
      ...(f.ListItemID ? { listItemId: str(f.ListItemID) } : {}),
    }
  }
  out.id = ids.id
  out.uri = ids.uri
  return out as AttendeeV4
}

/**
 * The v3.0 write body (`AttendeeWrite` fields, minus `AttendeeTypeID`, which the caller resolves
 * from `attendeeTypeCode`) of a v4 create or update body: only the fields the body supplies.
 *
 * @example
 * attendeeV3WriteOfV4({ lastName: 'Timber', custom8: 'NYC' }) // { LastName: 'Timber', Custom8: 'NYC' }
 */
export function attendeeV3WriteOfV4(body: AttendeeV4Update): Omit<AttendeeWrite, 'AttendeeTypeID'> {
  const out: Record<string, unknown> = {}
  const v4ToV3 = Object.fromEntries(Object.entries(ATTENDEE_V3_TO_V4).map(([a, b]) => [b, a]))
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || k === 'attendeeTypeCode' || k === 'preferredName') continue
    const custom = /^custom(\d+)$/.exec(k)
    if (custom) out[`Custom${custom[1]}`] = v
    else if (v4ToV3[k] && !['OwnerName', 'VersionNumber', 'AttendeeTypeCode'].includes(v4ToV3[k]!))
      out[v4ToV3[k]!] = v
  }
  return out as Omit<AttendeeWrite, 'AttendeeTypeID'>
}

/**
 * The v4 attendee type of a v3.0 attendee type record. `id` and the form's id are v4 UUIDs the
 * caller derives; the v3.0 record has no `isPublic`, `permitAdds`, `searchPreference`: every seeded
 * type is public, active, not deleted; `permitAdds` follows `AllowManuallyEnteredAttendees`.
 *
 * @example
 * attendeeTypeV4FromV3(v3, { id, formId, formName: 'Business Guest Attendee Form' }).code // 'BUSGUEST'
 */
export function attendeeTypeV4FromV3(
  v3: Rec,
  ids: { readonly id: string; readonly formId: string; readonly formName: string },
): AttendeeTypeV4 {
  const out: Record<string, unknown> = {}
  for (const [from, to] of Object.entries(ATTENDEE_TYPE_V3_TO_V4)) out[to] = v3[from] ?? null
  if (out.externalConnectorId === '') out.externalConnectorId = null
  const fields = Array.isArray(v3.DuplicateSearchFields) ? (v3.DuplicateSearchFields as string[]) : []
  out.duplicateSearchFields = fields.map(camel)
  out.form = { id: ids.formId, name: ids.formName }
  out.isPublic = true
  out.isDeleted = false
  out.permitAdds = v3.AllowManuallyEnteredAttendees === true
  out.isActive = true
  out.searchPreference = 'DS'
  out.systemRecord = v3.Code === 'NOSHOWS' || v3.Code === 'SYSEMP'
  out.id = ids.id
  return out as AttendeeTypeV4
}

type V3Group = Partial<ExpenseGroupConfigurationItem>

/**
 * The v4 Group of a v3.0 expense group configuration (`hierarchyNodeId` derived by the caller).
 *
 * @example
 * groupV4FromV3(v3, nodeId).groupName === v3.Name // true
 */
export function groupV4FromV3(v3: V3Group, hierarchyNodeId: string): ExpenseConfigV4Group {
  const ca = v3.CashAdvance
  return {
    hierarchyNodeId,
    groupName: v3.Name ?? null,
    allowUserDigitalTaxInvoice: v3.AllowUserDigitalTaxInvoice ?? null,
    allowUserRegisterYodlee: v3.AllowUserRegisterYodlee ?? null,
    attendeeListFormId: v3.AttendeeListFormID ?? null,
    attendeeListFormName: v3.AttendeeListFormName ?? null,
    cashAdvance: ca
      ? {
          workflowId: ca.WorkflowID ?? null,
          name: ca.Name ?? null,
          allowUserCarryBalance: ca.AllowUserCarryBalance ?? null,
          allowUserLinkMultiple: ca.AllowUserLinkMultiple ?? null,
          allowUserUpdateExchangeRate: ca.AllowUserUpdateExchangeRate ?? null,
        }
      : { workflowId: null, name: null },
  }
}

/** The v4 policies of a v3.0 group configuration (`policyId` = the v3.0 policy `ID`, as Expense v4 reports use it). */
export function policiesV4FromV3(v3: V3Group): ExpenseConfigV4Policy[] {
  return (v3.Policies ?? []).map((p) => ({
    policyId: p.ID,
    policyName: p.Name ?? null,
    isDefault: p.IsDefault ?? null,
    isInheritable: p.IsInheritable ?? null,
  }))
}

/** The v4 payment types of a v3.0 group configuration. */
export function paymentTypesV4FromV3(v3: V3Group): ExpenseConfigV4PaymentType[] {
  return (v3.PaymentTypes ?? []).map((p) => ({
    paymentTypeId: p.ID,
    paymentTypeName: p.Name ?? null,
    isDefault: p.IsDefault ?? null,
  }))
}

/** The v4 attendee types of a v3.0 group configuration. */
export function attendeeTypesV4FromV3(v3: V3Group): ExpenseConfigV4AttendeeType[] {
  return (v3.AttendeeTypes ?? []).map((t) => ({
    attendeeTypeCode: t.Code ?? '',
    attendeeTypeName: t.Name ?? null,
  }))
}

/**
 * The v4 expense types of one policy of a v3.0 group configuration: `expenseTypeId` = v3.0 `Code`,
 * `spendCategoryCode` = v3.0 `ExpenseCode`; the spend category's name comes from the caller (v3.0
 * does not carry it). The mock has no expense-type categories: `isCategory` is false.
 */
export function expenseTypesV4FromV3(
  v3: V3Group,
  policyId: string,
  spendCategoryName: (expenseCode: string | null) => string | null,
): ExpenseConfigV4ExpenseType[] | undefined {
  const policy = (v3.Policies ?? []).find((p) => p.ID === policyId)
  if (!policy) return undefined
  return (policy.ExpenseTypes ?? []).map((t) => ({
    expenseTypeId: t.Code ?? '',
    expenseTypeName: t.Name ?? null,
    spendCategoryCode: t.ExpenseCode ?? null,
    spendCategoryName: spendCategoryName(t.ExpenseCode ?? null),
    isCategory: false,
  }))
}

/**
 * The v4 Group Config of a v3.0 group configuration: the Group plus policies, payment types and
 * attendee types.
 *
 * @example
 * groupConfigV4FromV3(v3, nodeId).policies?.[0]?.policyId === v3.Policies?.[0]?.ID // true
 */
export function groupConfigV4FromV3(v3: V3Group, hierarchyNodeId: string): ExpenseConfigV4GroupConfig {
  return {
    ...groupV4FromV3(v3, hierarchyNodeId),
    policies: policiesV4FromV3(v3),
    paymentTypes: paymentTypesV4FromV3(v3),
    attendeeTypes: attendeeTypesV4FromV3(v3),
  }
}

// ---------------------------------------------------------------- registry rows

/**
 * The registry row `attendees-v4`: `GET /v4/attendees`, `limit` 25 (at most 100) a page, the next
 * page's URL in `nextPage`. A company token (or a Web Services Administrator's user token) reads
 * every attendee of the company, another user's token its own; `userId` narrows to one owner.
 *
 * @example
 * for await (const a of client.resource('attendees-v4').list({ attendeeTypeCode: 'BUSGUEST' })) a.id
 */
export const attendeesV4 = defineResource({
  name: 'attendees-v4',
  title: 'Attendees (Attendees v4)',
  api: 'v4',
  path: ATTENDEES_V4_BASE,
  format: 'json',
  paging: {
    kind: 'json',
    items: 'items',
    size: { param: 'limit', default: ATTENDEES_V4_PAGE.default, max: ATTENDEES_V4_PAGE.max },
    next: { type: 'url', field: 'nextPage' },
  },
  scope: 'attendee.read',
  item: AttendeeV4,
  idField: 'id',
  filters: [
    {
      param: 'attendeeTypeCode',
      type: 'string',
      field: 'attendeeTypeCode',
      op: 'eq',
      description: 'Attendees of one attendee type (code)',
    },
    {
      param: 'externalId',
      type: 'csv',
      field: 'externalId',
      op: 'in',
      description: 'Up to 10 external IDs, comma-separated',
    },
  ],
  adminOnly: false,
  writes: ['create', 'update'],
  reference: 'v4 §4.2',
  errorBody: AttendeesV4Error,
})

/**
 * The registry row `attendee-types-v4`: `GET /v4/attendeetypes`, a bare array, company tokens only.
 *
 * @example
 * for await (const t of client.resource('attendee-types-v4').list()) t.code
 */
export const attendeeTypesV4 = defineResource({
  name: 'attendee-types-v4',
  title: 'Attendee Types (Attendee Types v4)',
  api: 'v4',
  path: ATTENDEE_TYPES_V4_PATH,
  format: 'json',
  paging: { kind: 'json', items: '', next: { type: 'none' } },
  scope: ATTENDEE_TYPES_V4_SCOPE,
  item: AttendeeTypeV4,
  idField: 'id',
  filters: [],
  adminOnly: true,
  writes: [],
  reference: 'v4 §4.3',
  tokenKinds: ['company'],
  errorBody: AttendeesV4Error,
})

/**
 * The registry row `expense-config-v4-policies`: `GET /expenseconfig/v4/users/{userId}/policies`,
 * a bare array (no paging). `{userId}` is the UUID of the user — with a user token, its own `sub`.
 *
 * @example
 * for await (const p of client.resource('expense-config-v4-policies').list({ userId })) p.policyId
 */
export const expenseConfigV4Policies = defineResource({
  name: 'expense-config-v4-policies',
  title: 'Expense policies (Expense Configuration v4)',
  api: 'v4',
  path: `${EXPENSE_CONFIG_V4_BASE}/users/{userId}/policies`,
  format: 'json',
  paging: { kind: 'json', items: '', next: { type: 'none' } },
  scope: EXPENSE_CONFIG_V4_SCOPES.policies,
  item: ExpenseConfigV4Policy,
  idField: 'policyId',
  filters: [],
  adminOnly: false,
  writes: [],
  reference: 'v4 §4.1',
  errorBody: ExpenseConfigV4Error,
})

/**
 * The registry row `expense-config-v4-payment-types`: `GET /expenseconfig/v4/users/{userId}/paymenttypes`.
 *
 * @example
 * for await (const p of client.resource('expense-config-v4-payment-types').list({ userId })) p.paymentTypeId
 */
export const expenseConfigV4PaymentTypes = defineResource({
  name: 'expense-config-v4-payment-types',
  title: 'Payment types (Expense Configuration v4)',
  api: 'v4',
  path: `${EXPENSE_CONFIG_V4_BASE}/users/{userId}/paymenttypes`,
  format: 'json',
  paging: { kind: 'json', items: '', next: { type: 'none' } },
  scope: EXPENSE_CONFIG_V4_SCOPES.paymentTypes,
  item: ExpenseConfigV4PaymentType,
  idField: 'paymentTypeId',
  filters: [],
  adminOnly: false,
  writes: [],
  reference: 'v4 §4.1',
  errorBody: ExpenseConfigV4Error,
})

/**
 * The registry row `expense-config-v4-attendee-types`: `GET /expenseconfig/v4/users/{userId}/attendeetypes`.
 *
 * @example
 * for await (const t of client.resource('expense-config-v4-attendee-types').list({ userId })) t.attendeeTypeCode
 */
export const expenseConfigV4AttendeeTypes = defineResource({
  name: 'expense-config-v4-attendee-types',
  title: 'Attendee types of a user (Expense Configuration v4)',
  api: 'v4',
  path: `${EXPENSE_CONFIG_V4_BASE}/users/{userId}/attendeetypes`,
  format: 'json',
  paging: { kind: 'json', items: '', next: { type: 'none' } },
  scope: EXPENSE_CONFIG_V4_SCOPES.attendeeTypes,
  item: ExpenseConfigV4AttendeeType,
  idField: 'attendeeTypeCode',
  filters: [],
  adminOnly: false,
  writes: [],
  reference: 'v4 §4.1',
  errorBody: ExpenseConfigV4Error,
})
