import { z } from 'zod'
import { defineResource } from '../registry.js'
import { IdentityUser, SCIM_ENTERPRISE_SCHEMA, SCIM_SAP_SCHEMA, SCIM_SETTINGS_SCHEMA } from './identity.js'

/**
 * Identity v4 writes and User Provisioning v4 (UPS) wire schemas: the User a caller sends (strict:
 * an attribute the API does not know is a bad request), the SCIM PatchOp, the BulkRequest, the
 * spend/travel extensions and the asynchronous ProvisionStatus.
 *
 * @see https://developer.concur.com/api-reference/user-provisioning/v4.user-provisioning.html
 */

/** The SCIM error of Spend User Retrieval: RFC 7644 §3.12 with an integer `status`, no Concur `messages[]`. */
export const SpendScimError = z.looseObject({
  schemas: z.array(z.string()),
  status: z.number().int(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
})
export type SpendScimError = z.infer<typeof SpendScimError>

/** The SCIM PatchOp message URN. */
export const SCIM_PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
/** The SCIM BulkRequest message URN. */
export const SCIM_BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest'
/** The ProvisionStatus schema URN of UPS. */
export const UPS_PROVISION_STATUS_SCHEMA =
  'urn:ietf:params:scim:schemas:extension:concur:2.0:Provision:Status'
/** The spend extension URNs (reference §2.4). */
export const UPS_SPEND_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:spend:2.0:User'
export const UPS_SPEND_ROLE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:spend:2.0:Role'
export const UPS_SPEND_APPROVER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:spend:2.0:Approver'
export const UPS_SPEND_APPROVER_LIMIT_SCHEMA =
  'urn:ietf:params:scim:schemas:extension:spend:2.0:ApproverLimit'
export const UPS_SPEND_DELEGATE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:spend:2.0:Delegate'
export const UPS_SPEND_USER_PREFERENCE_SCHEMA =
  'urn:ietf:params:scim:schemas:extension:spend:2.0:UserPreference'
export const UPS_SPEND_INVOICE_PREFERENCE_SCHEMA =
  'urn:ietf:params:scim:schemas:extension:spend:2.0:InvoicePreference'
export const UPS_SPEND_WORKFLOW_PREFERENCE_SCHEMA =
  'urn:ietf:params:scim:schemas:extension:spend:2.0:WorkflowPreference'
/** The payroll extension URN (ADP; only with `reimbursementType` ADP_PAYROLL). */
export const UPS_PAYROLL_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:Payroll'
/** The travel extension URN. */
export const UPS_TRAVEL_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:travel:2.0:User'

/** Every extension UPS provisions besides core/enterprise/SAP, in the order its status lists them. */
export const UPS_EXTENSION_SCHEMAS = [
  UPS_SPEND_WORKFLOW_PREFERENCE_SCHEMA,
  UPS_SPEND_ROLE_SCHEMA,
  UPS_SPEND_USER_PREFERENCE_SCHEMA,
  UPS_SPEND_APPROVER_SCHEMA,
  UPS_PAYROLL_SCHEMA,
  UPS_SPEND_USER_SCHEMA,
  UPS_SPEND_DELEGATE_SCHEMA,
  UPS_SPEND_APPROVER_LIMIT_SCHEMA,
  UPS_SPEND_INVOICE_PREFERENCE_SCHEMA,
  UPS_TRAVEL_USER_SCHEMA,
] as const

const text = (max?: number) => (max === undefined ? z.string() : z.string().max(max))
const opt = <T extends z.ZodType>(t: T) => t.nullish()
const ymd = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
const ref = z.strictObject({
  value: opt(z.string()),
  employeeNumber: opt(z.string()),
  displayName: opt(z.string()),
  $ref: opt(z.string()),
})

/** The `name` a caller sends: `familyName` and `givenName` required. */
export const IdentityNameWrite = z.strictObject({
  familyName: z.string().min(1),
  givenName: z.string().min(1),
  academicTitle: opt(z.string()),
  familyNamePrefix: opt(z.string()),
  formatted: opt(z.string()),
  honorificPrefix: opt(z.string()),
  honorificSuffix: opt(z.string()),
  /** Read-only in Identity: accepted and ignored, as the documented UPS example sends it. */
  legalName: opt(z.string()),
  middleInitial: opt(z.string()),
  middleName: opt(z.string()),
})

/** An `emails[]` entry a caller sends (`value` required, ≤ 255). */
export const IdentityEmailWrite = z.strictObject({
  value: z.string().min(1).max(255),
  type: opt(z.enum(['work', 'home', 'work2', 'other', 'other2'])),
  notifications: opt(z.boolean()),
  verified: opt(z.union([z.boolean(), z.enum(['true', 'false'])])),
  primary: opt(z.boolean()),
})

/** The enterprise extension a caller sends (`companyId` immutable; read-only attributes ignored). */
export const IdentityEnterpriseWrite = z.strictObject({
  companyId: opt(z.string()),
  costCenter: opt(text(25)),
  department: opt(z.string()),
  division: opt(text(48)),
  employeeNumber: opt(text(48)),
  manager: opt(ref),
  organization: opt(z.string()),
  legalEntity: opt(z.string()),
  startDate: opt(z.string()),
  terminationDate: opt(z.string()),
  leavesOfAbsence: opt(
    z.array(
      z.strictObject({
        startDate: ymd,
        endDate: opt(ymd),
        type: opt(z.enum(['voluntary', 'mandatory'])),
      }),
    ),
  ),
})

const coreWrite = {
  schemas: z.array(z.string()).optional(),
  /** Read-only: accepted on PUT when it equals the path id. */
  id: z.string().optional(),
  externalId: opt(z.string()),
  userName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^@\s|]+@[^@\s|]+$/, 'userName must be user@domain without spaces or |'),
  active: z.boolean(),
  /**
   * RFC 7643 §4.1.1 `password` (writeOnly, never returned). Concur does not document it; the mock
   * accepts it so a provisioned user can sign in with the password grant.
   */
  password: z.string().min(8).max(128).optional(),
  displayName: opt(text(60)),
  nickName: opt(text(60)),
  title: opt(text(255)),
  timezone: opt(z.string()),
  preferredLanguage: opt(z.string()),
  dateOfBirth: opt(ymd),
  name: IdentityNameWrite,
  emails: z.array(IdentityEmailWrite).min(1),
  phoneNumbers: opt(
    z.array(
      z.strictObject({
        value: z.string().min(1),
        type: opt(z.enum(['work', 'home', 'mobile', 'fax', 'pager', 'other'])),
        display: opt(z.string()),
        notifications: opt(z.boolean()),
        primary: opt(z.boolean()),
      }),
    ),
  ),
  addresses: opt(
    z.array(
      z.strictObject({
        country: opt(z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')),
        locality: opt(z.string()),
        postalCode: opt(z.string()),
        region: opt(z.string()),
        streetAddress: opt(z.string()),
        type: opt(z.enum(['work', 'home', 'other', 'billing', 'bank', 'shipping'])),
      }),
    ),
  ),
  emergencyContacts: opt(z.array(z.looseObject({ name: z.string(), relationship: z.string() })).max(1)),
  entitlements: opt(z.array(z.string())),
  /** Read-only attributes: accepted and ignored (RFC 7644 §3.5.1). */
  localeOverrides: z.unknown().optional(),
  meta: z.unknown().optional(),
  [SCIM_ENTERPRISE_SCHEMA]: opt(IdentityEnterpriseWrite),
  [SCIM_SAP_SCHEMA]: opt(z.strictObject({ userUuid: opt(z.string().min(1).max(36)) })),
  [SCIM_SETTINGS_SCHEMA]: opt(z.strictObject({ theme: opt(z.string()) })),
}

/**
 * The User body of Identity v4 `POST /Users` and `PUT /Users/{id}` (core, enterprise, SAP, settings).
 * Strict: an unknown attribute (for example a spend extension, which only UPS takes) is a bad request.
 *
 * @example
 * IdentityUserWrite.parse({ userName: 'a@b.c', active: true, name: { familyName: 'Doe', givenName: 'Jo' }, emails: [{ value: 'a@b.c' }] })
 */
export const IdentityUserWrite = z.strictObject(coreWrite)
export type IdentityUserWrite = z.infer<typeof IdentityUserWrite>

/** A `customData` entry of the spend extension (custom1–custom22, orgUnit1–orgUnit6). */
const customDatum = z.strictObject({
  id: z
    .string()
    .regex(/^(custom([1-9]|1\d|2[0-2])|orgUnit[1-6])$/, 'expected custom1–custom22 or orgUnit1–orgUnit6'),
  value: opt(z.string()),
  syncGuid: opt(z.string()),
  href: opt(z.string()),
})

/** The spend extension (`reimbursementCurrency`, `country`, `locale` required). */
export const UpsSpendUser = z.strictObject({
  reimbursementCurrency: z.string().regex(/^[A-Z]{3}$/, 'expected a 3-letter ISO 4217 code'),
  country: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code'),
  locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected an RFC 5646 tag such as en-US'),
  reimbursementType: opt(z.enum(['ACCOUNTS_PAYABLE', 'ADP_PAYROLL', 'CONCUR_PAY', 'OTHER'])),
  ledgerCode: opt(text(20)),
  budgetCountryCode: opt(z.string()),
  stateProvince: opt(z.string()),
  cashAdvanceAccountCode: opt(text(20)),
  testEmployee: opt(z.boolean()),
  nonEmployee: opt(z.boolean()),
  biManager: opt(ref),
  biHierarchy: opt(
    z.looseObject({ code: opt(z.string()), syncGuid: opt(z.string()), href: opt(z.string()) }),
  ),
  customData: opt(z.array(customDatum)),
  /** The swagger's name for `customData`. */
  schemaCustomData: opt(z.array(customDatum)),
})
export type UpsSpendUser = z.infer<typeof UpsSpendUser>

const approverEntry = z.looseObject({ approver: ref, primary: z.boolean() })
const approverLimit = z.looseObject({
  approvalType: z.string(),
  exceptionApprovalAuthority: opt(z.boolean()),
  approvalLimit: opt(z.number()),
  reimbursementCurrency: opt(z.string()),
  approvalGroup: opt(z.string()),
  level: opt(z.number().int()),
})
const bools = z.record(z.string(), z.union([z.boolean(), z.string(), z.null()]))

/** The travel extension (`ruleClass` required). */
export const UpsTravelUser = z.strictObject({
  ruleClass: z.union([
    z.strictObject({ id: z.number().int(), name: opt(z.string()) }),
    z.strictObject({ id: opt(z.number().int()), name: z.string().min(1) }),
  ]),
  travelNameRemark: opt(z.string()),
  travelCrsName: opt(z.string()),
  groups: opt(z.array(z.number().int())),
  manager: opt(ref),
  customFields: opt(z.array(z.strictObject({ name: z.string(), value: opt(z.string()) }))),
  gender: opt(z.string()),
  orgUnit: opt(z.string()),
  /** Swagger-only members. */
  name: opt(z.string()),
  permissions: z.unknown().optional(),
  xmlProfileSyncId: opt(z.string()),
})
export type UpsTravelUser = z.infer<typeof UpsTravelUser>

/**
 * The User body of UPS `POST /profile/v4/Users` and `PUT /Users/{id}`: the Identity User plus the
 * spend, payroll and travel extensions.
 *
 * @example
 * UpsUserWrite.parse(body)[UPS_SPEND_USER_SCHEMA]?.reimbursementCurrency
 */
export const UpsUserWrite = z.strictObject({
  ...coreWrite,
  [UPS_SPEND_USER_SCHEMA]: opt(UpsSpendUser),
  [UPS_SPEND_ROLE_SCHEMA]: opt(
    z.strictObject({
      roles: z.array(z.strictObject({ roleName: z.string().min(1), roleGroups: z.array(z.string()) })),
    }),
  ),
  [UPS_SPEND_APPROVER_SCHEMA]: opt(
    z.strictObject({
      report: opt(z.array(approverEntry)),
      cashAdvance: opt(z.array(approverEntry)),
      request: opt(z.array(approverEntry)),
      invoice: opt(z.array(approverEntry)),
      purchaseRequest: opt(z.array(approverEntry)),
      statement: opt(z.array(approverEntry)),
      budget: opt(z.array(approverEntry)),
    }),
  ),
  [UPS_SPEND_APPROVER_LIMIT_SCHEMA]: opt(
    z.strictObject({
      authorizedApprover: opt(z.array(approverLimit)),
      costObjectApprover: opt(z.array(approverLimit)),
    }),
  ),
  [UPS_SPEND_DELEGATE_SCHEMA]: opt(
    z.strictObject({
      expense: opt(z.array(z.looseObject({}))),
      payment: opt(z.array(z.looseObject({}))),
      purchaseRequest: opt(z.array(z.looseObject({}))),
    }),
  ),
  [UPS_SPEND_USER_PREFERENCE_SCHEMA]: opt(bools),
  [UPS_SPEND_INVOICE_PREFERENCE_SCHEMA]: opt(bools),
  [UPS_SPEND_WORKFLOW_PREFERENCE_SCHEMA]: opt(bools),
  [UPS_PAYROLL_SCHEMA]: opt(
    z.strictObject({
      adp: z.strictObject({
        companyCode: z.string().min(1),
        deductionCode: z.string().min(1),
        employeeFileNumber: z.string().min(1),
      }),
    }),
  ),
  [UPS_TRAVEL_USER_SCHEMA]: opt(UpsTravelUser),
})
export type UpsUserWrite = z.infer<typeof UpsUserWrite>

/** One SCIM PatchOp operation (`op` is case-insensitive, RFC 7644 §3.5.2). */
export const ScimPatchOperation = z.strictObject({
  op: z.preprocess(
    (v) => (typeof v === 'string' ? v.toLowerCase() : v),
    z.enum(['add', 'replace', 'remove']),
  ),
  path: z.string().min(1).optional(),
  value: z.unknown().optional(),
})
export type ScimPatchOperation = z.infer<typeof ScimPatchOperation>

/**
 * A SCIM PatchOp body (`PATCH /Users/{id}`; inside a bulk operation `schemas` may be left out).
 *
 * @example
 * ScimPatchOp.parse({ schemas: [SCIM_PATCH_OP], Operations: [{ op: 'replace', path: 'nickName', value: 'Sam' }] })
 */
export const ScimPatchOp = z.strictObject({
  schemas: z.array(z.string()).optional(),
  Operations: z.array(ScimPatchOperation).min(1),
})
export type ScimPatchOp = z.infer<typeof ScimPatchOp>

/** One operation of a BulkRequest. */
export const UpsBulkOperation = z.strictObject({
  method: z.enum(['POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().regex(/^\/Users(\/[^/]+)?\/?$/, 'path must be /Users or /Users/{id}'),
  bulkId: z.string().min(1).optional(),
  /** A User (POST, PUT), a PatchOp (PATCH), nothing (DELETE); validated per method. */
  data: z.unknown().optional(),
})
export type UpsBulkOperation = z.infer<typeof UpsBulkOperation>

/** The maximum number of operations of one BulkRequest. */
export const UPS_BULK_MAX_OPERATIONS = 100
/** The maximum size of one BulkRequest body, in bytes (400 KB). */
export const UPS_BULK_MAX_BYTES = 400 * 1024

/**
 * `POST /profile/v4/Bulk`: 1–100 operations (`bulkId` required and unique for POST).
 *
 * @example
 * UpsBulkRequest.parse({ schemas: [SCIM_BULK_REQUEST], Operations: [{ method: 'DELETE', path: '/Users/…' }] })
 */
export const UpsBulkRequest = z.strictObject({
  schemas: z.array(z.string()).refine((s) => s.includes(SCIM_BULK_REQUEST), {
    message: `schemas must include ${SCIM_BULK_REQUEST}`,
  }),
  failOnErrors: z.number().int().nonnegative().optional(),
  Operations: z.array(UpsBulkOperation).min(1).max(UPS_BULK_MAX_OPERATIONS),
})
export type UpsBulkRequest = z.infer<typeof UpsBulkRequest>

/** The status of one provisioned extension of one operation. */
export const UpsExtensionStatus = z.looseObject({
  name: z.string(),
  status: z.looseObject({
    completed: z.boolean(),
    success: z.boolean().nullable(),
    code: z.string().optional(),
    result: z.enum(['success', 'no-op', 'error']).optional(),
  }),
  messages: z
    .array(
      z.looseObject({
        code: z.string(),
        message: z.string().optional(),
        schemaPath: z.string().optional(),
        type: z.string(),
      }),
    )
    .optional(),
})
export type UpsExtensionStatus = z.infer<typeof UpsExtensionStatus>

/** One operation of a provision (`?attributes=operations`). */
export const UpsOperationStatus = z.looseObject({
  id: z.string(),
  bulkId: z.string().optional(),
  status: z.looseObject({
    completed: z.boolean(),
    success: z.boolean().nullable(),
    code: z.string().optional(),
  }),
  resource: z.looseObject({ id: z.string().nullable(), type: z.string() }).optional(),
  extensions: z.array(UpsExtensionStatus).optional(),
})
export type UpsOperationStatus = z.infer<typeof UpsOperationStatus>

/**
 * A provision's status (`GET /profile/v4/provisions/{id}/status`, and the 202 body of `/Bulk`):
 * `status.completed` false and `success` null while pending.
 *
 * @example
 * const s = UpsProvisionStatus.parse(body); s.status.completed && s.status.success
 */
export const UpsProvisionStatus = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  operationsCount: z.looseObject({
    total: z.number().int().nonnegative(),
    success: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
  }),
  status: z.looseObject({ completed: z.boolean(), success: z.boolean().nullable() }),
  meta: z.looseObject({
    location: z.string(),
    created: z.string(),
    lastModified: z.string(),
    provisionType: z.enum(['Bulk', 'User']).optional(),
    resourceType: z.string(),
    correlationId: z.string().optional(),
    completed: z.string().optional(),
  }),
  totalResults: z.number().int().nonnegative().optional(),
  itemsPerPage: z.number().int().nonnegative().optional(),
  startIndex: z.number().int().positive().optional(),
  operations: z.array(UpsOperationStatus).optional(),
})
export type UpsProvisionStatus = z.infer<typeof UpsProvisionStatus>

/**
 * The User UPS answers to `POST`/`PUT`/`PATCH /Users`: the Identity User with `meta.statusUrl` and
 * `meta.provisionId` of the asynchronous provision.
 *
 * @example
 * UpsUserResponse.parse(body).meta.provisionId
 */
export const UpsUserResponse = IdentityUser.extend({
  meta: z.looseObject({
    resourceType: z.string().nullish(),
    created: z.string().nullish(),
    lastModified: z.string().nullish(),
    version: z.number().int().nullish(),
    location: z.string().nullish(),
    statusUrl: z.string(),
    provisionId: z.string(),
  }),
})
export type UpsUserResponse = z.infer<typeof UpsUserResponse>

/**
 * A user's spend profile as `GET /profile/spend/v4.1/Users/{id}` returns it: the spend extensions by
 * URN (`schemas` starts with `urn:com.concur.spend.user.model.scim.ScimResource`).
 *
 * @example
 * UpsSpendProfile.parse(body)[UPS_SPEND_USER_SCHEMA]?.country
 */
export const UpsSpendProfile = z.looseObject({
  schemas: z.array(z.string()),
  id: z.string(),
  externalId: z.string().nullish(),
  meta: z.unknown().nullish(),
  [UPS_SPEND_USER_SCHEMA]: z
    .looseObject({ reimbursementCurrency: z.string(), country: z.string(), locale: z.string() })
    .optional(),
  [UPS_SPEND_ROLE_SCHEMA]: z
    .looseObject({ roles: z.array(z.looseObject({ roleName: z.string() })) })
    .optional(),
  [UPS_SPEND_APPROVER_SCHEMA]: z.looseObject({}).optional(),
})
export type UpsSpendProfile = z.infer<typeof UpsSpendProfile>

/** The SCIM ListResponse of `GET /profile/spend/v4.1/Users` (index paging, `count` ≤ 100). */
export const UpsSpendProfileList = z.looseObject({
  schemas: z.array(z.string()),
  totalResults: z.number().int().nonnegative(),
  startIndex: z.number().int().positive().optional(),
  itemsPerPage: z.number().int().nonnegative().optional(),
  Resources: z.array(UpsSpendProfile),
})
export type UpsSpendProfileList = z.infer<typeof UpsSpendProfileList>

/**
 * The registry row of the spend profiles (Spend User Retrieval v4.1): one `GET /Users/{id}` per
 * Identity user (a fan-out of `identity-users`; the list endpoint pages by `startIndex`, which no
 * registry paging model describes), company tokens only.
 */
export const spendUsers = defineResource({
  name: 'spend-users',
  title: 'Spend Users (Spend User Retrieval v4.1)',
  api: 'v4.1',
  path: '/profile/spend/v4.1/Users',
  itemPath: '/profile/spend/v4.1/Users/{id}',
  format: 'json',
  paging: { kind: 'fanout', from: 'identity-users' },
  scope: 'spend.user.general.read',
  item: UpsSpendProfile,
  idField: 'id',
  filters: [],
  adminOnly: true,
  writes: [],
  reference: 'v4 §2.3',
  tokenKinds: ['company'],
  errorBody: SpendScimError,
})
