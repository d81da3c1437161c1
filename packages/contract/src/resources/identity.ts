import { z } from 'zod'
import { defineResource } from '../registry.js'

/**
 * Identity v4 / v4.1 (SCIM 2.0 Users) wire schemas.
 *
 * Read shapes are tolerant (`looseObject`, every attribute but `id` optional and most nullable):
 * `attributes`/`excludedAttributes` and the caller's scopes decide which attributes a response
 * carries, and Concur's documented samples print `null` for unset values.
 *
 * @see https://developer.concur.com/api-reference/profile/v4.1.identity.html
 */

/** The core User schema URN. */
export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'
/** The enterprise extension URN. */
export const SCIM_ENTERPRISE_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
/** Concur's SAP extension URN. */
export const SCIM_SAP_SCHEMA = 'urn:ietf:params:scim:schemas:extension:sap:2.0:User'
/** The settings extension URN (v4.1 swagger). */
export const SCIM_SETTINGS_SCHEMA = 'urn:ietf:params:scim:schemas:extension:settings:2.0:User'
/** The ListResponse message URN. */
export const SCIM_LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
/** Concur's SearchRequest message URN (`POST /Users/.search`). */
export const SCIM_SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:concur:2.0:SearchRequest'
/** The SCIM error message URN. */
export const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'
/** Concur's error extension URN (its `messages[]`). */
export const SCIM_CONCUR_ERROR = 'urn:ietf:params:scim:api:messages:concur:2.0:Error'

const str = z.string().nullish()
const bool = z.boolean().nullish()

/** `addresses[]` entry. */
export const IdentityAddress = z.looseObject({
  country: str,
  locality: str,
  postalCode: str,
  region: str,
  streetAddress: str,
  type: str,
})
export type IdentityAddress = z.infer<typeof IdentityAddress>

/** `emails[]` entry (`verified` is a string in the reference page and a boolean in the swagger). */
export const IdentityEmail = z.looseObject({
  value: z.string(),
  type: str,
  notifications: bool,
  verified: z.union([z.boolean(), z.string()]).nullish(),
})
export type IdentityEmail = z.infer<typeof IdentityEmail>

/** `phoneNumbers[]` entry. */
export const IdentityPhoneNumber = z.looseObject({
  value: z.string(),
  type: str,
  display: str,
  notifications: bool,
  primary: bool,
})
export type IdentityPhoneNumber = z.infer<typeof IdentityPhoneNumber>

/** `name`. */
export const IdentityName = z.looseObject({
  familyName: str,
  givenName: str,
  academicTitle: str,
  familyNamePrefix: str,
  formatted: str,
  honorificPrefix: str,
  honorificSuffix: str,
  legalName: str,
  middleInitial: str,
  middleName: str,
})
export type IdentityName = z.infer<typeof IdentityName>

/** `meta` (read-only). */
export const IdentityMeta = z.looseObject({
  resourceType: str,
  created: str,
  lastModified: str,
  version: z.number().int().nullish(),
  location: str,
})
export type IdentityMeta = z.infer<typeof IdentityMeta>

/** The enterprise extension (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`). */
export const IdentityEnterprise = z.looseObject({
  companyId: str,
  costCenter: str,
  department: str,
  division: str,
  employeeNumber: str,
  manager: z.looseObject({ value: str, $ref: str, displayName: str, employeeNumber: str }).nullish(),
  organization: str,
  legalEntity: str,
  startDate: str,
  terminationDate: str,
  leavesOfAbsence: z.array(z.looseObject({ startDate: str, endDate: str, type: str })).nullish(),
})
export type IdentityEnterprise = z.infer<typeof IdentityEnterprise>

/** The SAP extension (`urn:ietf:params:scim:schemas:extension:sap:2.0:User`). */
export const IdentitySap = z.looseObject({ userUuid: str })
export type IdentitySap = z.infer<typeof IdentitySap>

/**
 * A SCIM User as Identity v4/v4.1 return it (core + enterprise + SAP extension).
 *
 * @example
 * IdentityUser.parse(await res.json()).userName
 */
export const IdentityUser = z.looseObject({
  schemas: z.array(z.string()).optional(),
  id: z.string(),
  externalId: str,
  userName: z.string().optional(),
  active: z.boolean().optional(),
  displayName: str,
  nickName: str,
  title: str,
  timezone: str,
  preferredLanguage: str,
  dateOfBirth: str,
  name: IdentityName.nullish(),
  emails: z.array(IdentityEmail).nullish(),
  phoneNumbers: z.array(IdentityPhoneNumber).nullish(),
  addresses: z.array(IdentityAddress).nullish(),
  emergencyContacts: z.array(z.looseObject({})).nullish(),
  entitlements: z.array(z.string()).nullish(),
  localeOverrides: z.looseObject({}).nullish(),
  meta: IdentityMeta.nullish(),
  [SCIM_ENTERPRISE_SCHEMA]: IdentityEnterprise.nullish(),
  [SCIM_SAP_SCHEMA]: IdentitySap.nullish(),
  /** v4.1 swagger only: the UI theme. */
  [SCIM_SETTINGS_SCHEMA]: z.looseObject({ theme: str }).nullish(),
})
export type IdentityUser = z.infer<typeof IdentityUser>

/**
 * Identity v4 ListResponse (index paging: `startIndex` 1-based, `count` ≤ 100).
 *
 * @example
 * IdentityListResponseV4.parse(body).Resources.length
 */
export const IdentityListResponseV4 = z.looseObject({
  schemas: z.array(z.string()),
  totalResults: z.number().int().nonnegative(),
  startIndex: z.number().int().positive().optional(),
  itemsPerPage: z.number().int().nonnegative(),
  Resources: z.array(IdentityUser),
})
export type IdentityListResponseV4 = z.infer<typeof IdentityListResponseV4>

/**
 * Identity v4.1 UserList (cursor paging): `nextCursor` present while a next page exists.
 *
 * @example
 * const page = IdentityListResponseV41.parse(body); page.nextCursor ?? 'last page'
 */
export const IdentityListResponseV41 = IdentityListResponseV4.extend({
  nextCursor: z.string().min(1).optional(),
})
export type IdentityListResponseV41 = z.infer<typeof IdentityListResponseV41>

/**
 * `POST /profile/identity/v4.1/Users/.search` body. Strict: an unknown member is a bad request.
 *
 * @example
 * IdentitySearchRequest.parse({ schemas: [SCIM_SEARCH_REQUEST], filter: 'userName eq "a@b.c"' })
 */
export const IdentitySearchRequest = z.strictObject({
  schemas: z.array(z.literal(SCIM_SEARCH_REQUEST)).min(1),
  filter: z.string().optional(),
  count: z.number().int().min(1).max(1000).optional(),
  attributes: z.array(z.string()).optional(),
  excludedAttributes: z.array(z.string()).optional(),
  cursor: z.string().optional(),
  continuationToken: z.string().optional(),
})
export type IdentitySearchRequest = z.infer<typeof IdentitySearchRequest>

/**
 * The SCIM error body (RFC 7644 §3.12) with Concur's `messages[]` extension.
 *
 * @example
 * IdentityError.parse(body).scimType // 'invalidFilter'
 */
export const IdentityError = z.looseObject({
  schemas: z.array(z.string()).optional(),
  status: z.string(),
  scimType: z.string().optional(),
  detail: z.string().optional(),
  [SCIM_CONCUR_ERROR]: z
    .looseObject({
      messages: z.array(
        z.looseObject({
          code: z.string(),
          message: z.string().optional(),
          schemaPath: z.string().optional(),
          type: z.enum(['error', 'warning']),
        }),
      ),
    })
    .optional(),
})
export type IdentityError = z.infer<typeof IdentityError>

/** The Identity read scopes (attribute groups) of the scope-mapping page. */
export const IDENTITY_READ_SCOPES = [
  'identity.user.ids.read',
  'identity.user.core.read',
  'identity.user.coresensitive.read',
  'identity.user.enterprise.read',
  'identity.user.sap.read',
] as const

/**
 * The registry row of Identity v4.1 users: company tokens only, cursor paging (`count` ≤ 1000,
 * `nextCursor` sent back as `cursor`, absent on the last page), records in `Resources`.
 */
export const identityUsers = defineResource({
  name: 'identity-users',
  title: 'Users (Identity v4.1)',
  api: 'v4.1',
  path: '/profile/identity/v4.1/Users',
  itemPath: '/profile/identity/v4.1/Users/{id}',
  format: 'json',
  paging: {
    kind: 'json',
    items: 'Resources',
    size: { param: 'count', default: 100, max: 1000 },
    next: { type: 'token', field: 'nextCursor', param: 'cursor' },
    total: 'totalResults',
  },
  scope: 'identity.user.core.read',
  item: IdentityUser,
  idField: 'id',
  filters: [],
  adminOnly: true,
  writes: [],
  reference: 'v4 §1.2',
  tokenKinds: ['company'],
  errorBody: IdentityError,
})
