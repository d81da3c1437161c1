import {
  type IdentityUser,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_SAP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '@concurkit/contract'
import { userItemAt } from '../dataset/common.js'
import { type Dataset, isActiveUser, rngFor, userOf } from '../dataset/dataset.js'
import { uuidFrom } from '../util/hash.js'
import { type AttrPath, resolveAttrPath } from './identity-filter.js'

/** The Identity API versions the mock serves. */
export type IdentityVersion = 'v4' | 'v4.1'

/** Work addresses the mock's users are spread over (Bellevue is the search guide's example). */
const OFFICES = [
  {
    streetAddress: '601 108th Ave NE',
    locality: 'Bellevue',
    region: 'WA',
    postalCode: '98004',
    country: 'US',
  },
  {
    streetAddress: '3999 West Chester Pike',
    locality: 'Newtown Square',
    region: 'PA',
    postalCode: '19073',
    country: 'US',
  },
  {
    streetAddress: 'Dietmar-Hopp-Allee 16',
    locality: 'Walldorf',
    region: 'BW',
    postalCode: '69190',
    country: 'DE',
  },
  {
    streetAddress: '18 Rue de Londres',
    locality: 'Paris',
    region: 'IDF',
    postalCode: '75009',
    country: 'FR',
  },
] as const
const DEPARTMENTS = ['Sales', 'Engineering', 'Finance', 'Operations', 'Marketing'] as const
const DAY_MS = 86_400_000
const EPOCH_2015 = Date.UTC(2015, 0, 1)

/** The documented `localeOverrides` sample: the mock returns it for every user. */
const LOCALE_OVERRIDES = {
  preferenceEndDayViewHour: 20,
  preferenceFirstDayOfWeek: 'Sunday',
  preferenceDateFormat: 'mm/dd/yyyy',
  preferenceCurrencySymbolLocation: 'BeforeAmount',
  preferenceHourMinuteSeparator: ':',
  preferenceDistance: 'mile',
  preferenceDefaultCalView: 'month',
  preference24Hour: 'H:mm AM/PM',
  preferenceNumberFormat: '1,000.00',
  preferenceStartDayViewHour: 8,
  preferenceNegativeCurrencyFormat: null,
  preferenceNegativeNumberFormat: null,
} as const

const isoMicros = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`

/**
 * User *u* of the dataset as Identity v4/v4.1 return it: the same person as `/api/v3.0/common/users`
 * and the token `sub` (Identity `id` = the mock user's UUID, `userName` = login ID, the same e-mail,
 * names, employee number, active flag, cost center and phone). Attributes Concur has and the
 * legacy views lack (addresses, department, start date, SAP `userUuid`, …) are derived from
 * (seed, company, u) with their own seed kind, so existing resources keep their values.
 *
 * @example
 * identityUserAt(ds, 0, 'https://us.api.concursolutions.com', 'v4.1').userName
 */
export function identityUserAt(
  ds: Dataset,
  u: number,
  baseUrl: string,
  version: IdentityVersion,
): IdentityUser {
  const user = userOf(ds, u)
  const item = userItemAt(ds, u)
  const rng = rngFor(ds, 'identity-user', u)
  const office = OFFICES[u % OFFICES.length]!
  const created = EPOCH_2015 + Math.floor(rng() * 3000) * DAY_MS + Math.floor(rng() * DAY_MS)
  const lastModified = created + Math.floor(rng() * 400) * DAY_MS + Math.floor(rng() * DAY_MS)
  const active = isActiveUser(u)
  const manager = u === 1 ? null : userOf(ds, 1)
  const entitlements = [
    ...(user.roles.includes('ExpenseUser') ? ['Expense'] : []),
    ...(u % 5 === 0 ? ['Invoice'] : []),
    ...(user.roles.includes('TravelUser') ? ['Travel'] : []),
  ]
  const middle = item.MiddleName ?? null
  const startDay = new Date(created).toISOString().slice(0, 10)
  return {
    schemas: [SCIM_USER_SCHEMA, SCIM_ENTERPRISE_SCHEMA, SCIM_SAP_SCHEMA],
    id: user.id,
    externalId: `ext-${user.employeeId}`,
    userName: user.loginId,
    active,
    displayName: `${user.firstName} ${user.lastName}`,
    nickName: null,
    title: null,
    timezone: office.country === 'US' ? 'America/New_York' : 'Europe/Berlin',
    preferredLanguage: 'en-US',
    dateOfBirth: null,
    name: {
      familyName: user.lastName,
      givenName: user.firstName,
      middleName: middle,
      formatted: `${user.lastName}, ${user.firstName}${middle ? ` ${middle}` : ''}`,
      honorificPrefix: null,
      honorificSuffix: null,
      familyNamePrefix: null,
    },
    emails: [{ value: user.email, type: 'work', notifications: true, verified: true }],
    phoneNumbers: item.CellPhoneNumber
      ? [
          {
            value: item.CellPhoneNumber,
            type: 'mobile',
            display: item.CellPhoneNumber,
            notifications: false,
            primary: true,
          },
        ]
      : [],
    addresses: [{ type: 'work', ...office }],
    emergencyContacts: [],
    entitlements,
    localeOverrides: { ...LOCALE_OVERRIDES },
    meta: {
      resourceType: 'User',
      created: isoMicros(created),
      lastModified: isoMicros(lastModified),
      version: 1 + Math.floor(rng() * 6),
      location: `${baseUrl}/profile/identity/${version}/Users/${user.id}`,
    },
    [SCIM_ENTERPRISE_SCHEMA]: {
      companyId: ds.company.id,
      costCenter: item.OrganizationUnit ?? null,
      department: DEPARTMENTS[u % DEPARTMENTS.length]!,
      division: null,
      employeeNumber: user.employeeId,
      manager: manager
        ? {
            value: manager.id,
            displayName: `${manager.firstName} ${manager.lastName}`,
            employeeNumber: manager.employeeId,
          }
        : null,
      organization: ds.company.name,
      startDate: `${startDay}T00:00:00.000`,
      terminationDate: active ? null : `${new Date(lastModified).toISOString().slice(0, 10)}T00:00:00.000`,
      leavesOfAbsence: [],
    },
    [SCIM_SAP_SCHEMA]: { userUuid: uuidFrom(ds.seed, ds.company.id, 'identity-sap-user', u) },
  }
}

/** The user index whose UUID is `id`, or undefined (a per-company map built once, on first use). */
const indexCache = new Map<string, Map<string, number>>()
export function identityIndexOf(ds: Dataset, id: string): number | undefined {
  const key = `${ds.seed}\u001f${ds.company.id}\u001f${ds.users}`
  let map = indexCache.get(key)
  if (!map) {
    map = new Map()
    for (let u = 0; u < ds.users; u++) map.set(uuidFrom(ds.seed, ds.company.id, 'user', u), u)
    if (indexCache.size >= 16) indexCache.delete(indexCache.keys().next().value as string)
    indexCache.set(key, map)
  }
  return map.get(id.toLowerCase())
}

/** The Identity read scopes (attribute groups) and the top-level attributes each one reveals. */
export const SCOPE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'identity.user.ids.read': ['id', 'externalId', 'userName'],
  'identity.user.core.read': [
    'active',
    'name',
    'displayName',
    'nickName',
    'localeOverrides',
    'meta',
    'timezone',
    'title',
    'preferredLanguage',
  ],
  'identity.user.coresensitive.read': [
    'addresses',
    'dateOfBirth',
    'emails',
    'phoneNumbers',
    'emergencyContacts',
  ],
  'identity.user.enterprise.read': [SCIM_ENTERPRISE_SCHEMA, 'entitlements'],
  'identity.user.sap.read': [SCIM_SAP_SCHEMA],
}

/**
 * The Identity read scopes a token holds. The mock registers apps with Connect scopes only, so
 * `USER` or `user_read` stands for every Identity read scope; `identity.user.*.read` scopes a
 * token carries count as they are.
 *
 * @example
 * identityReadScopes(new Set(['USER'])).size // 5
 */
export function identityReadScopes(scopes: ReadonlySet<string>): Set<string> {
  const all = Object.keys(SCOPE_GROUPS)
  if (scopes.has('USER') || scopes.has('user_read')) return new Set(all)
  return new Set(all.filter((s) => scopes.has(s)))
}

/** Drops the attributes whose read scope the token lacks (`schemas` always stays). */
export function withinScopes(user: IdentityUser, readScopes: ReadonlySet<string>): IdentityUser {
  if (readScopes.size === Object.keys(SCOPE_GROUPS).length) return user
  const allowed = new Set(['schemas'])
  for (const s of readScopes) for (const a of SCOPE_GROUPS[s] ?? []) allowed.add(a)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(user)) if (allowed.has(k)) out[k] = v
  return out as IdentityUser
}

/** An `attributes`/`excludedAttributes` entry that names no attribute of the User (SCIM 400 `invalidPath`). */
export class ScimPathError extends Error {
  constructor(readonly path: string) {
    super(`Invalid attribute path [${path}]`)
    this.name = 'ScimPathError'
  }
}

function rootOf(
  obj: Record<string, unknown>,
  path: AttrPath,
): { holder: Record<string, unknown>; key: string } {
  if (path.part === 'core') return { holder: obj, key: path.segments[0]! }
  return { holder: obj, key: path.part === 'enterprise' ? SCIM_ENTERPRISE_SCHEMA : SCIM_SAP_SCHEMA }
}

function findKey(obj: unknown, lower: string): string | undefined {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined
  return Object.keys(obj).find((k) => k.toLowerCase() === lower)
}

/** Validates attribute paths against a template user; returns them resolved. */
export function resolveAttributeList(list: readonly string[], template: IdentityUser): AttrPath[] {
  return list.map((text) => {
    const path = resolveAttrPath(text.trim())
    if (!path) throw new ScimPathError(text)
    let node: unknown = template as Record<string, unknown>
    if (path.part !== 'core') node = (template as Record<string, unknown>)[rootOf({}, path).key]
    for (const s of path.segments) {
      const inner: unknown = Array.isArray(node) ? node[0] : node
      const k = findKey(inner, s)
      if (k === undefined) throw new ScimPathError(text)
      node = (inner as Record<string, unknown>)[k]
    }
    return path
  })
}

/** Copies the value at `segments` (case-insensitive) from `src` into `dst`; arrays map element-wise. */
function copyAt(src: unknown, dst: Record<string, unknown>, segments: readonly string[]): void {
  const [head, ...rest] = segments
  if (head === undefined) return
  const k = findKey(src, head)
  if (k === undefined) return
  const v = (src as Record<string, unknown>)[k]
  if (rest.length === 0 || v === null || typeof v !== 'object') {
    dst[k] = v
    return
  }
  if (Array.isArray(v)) {
    const existing = Array.isArray(dst[k]) ? (dst[k] as Record<string, unknown>[]) : []
    dst[k] = v.map((el, i) => {
      const target = { ...(existing[i] ?? {}) }
      copyAt(el, target, rest)
      return target
    })
    return
  }
  const target = (dst[k] as Record<string, unknown> | undefined) ?? {}
  copyAt(v, target, rest)
  dst[k] = target
}

function removeAt(obj: unknown, segments: readonly string[]): void {
  const [head, ...rest] = segments
  if (head === undefined || obj === null || typeof obj !== 'object') return
  if (Array.isArray(obj)) {
    for (const el of obj) removeAt(el, segments)
    return
  }
  const k = findKey(obj, head)
  if (k === undefined) return
  if (rest.length === 0) delete (obj as Record<string, unknown>)[k]
  else removeAt((obj as Record<string, unknown>)[k], rest)
}

/**
 * Applies `attributes` (only those, plus `id` and `schemas`) or `excludedAttributes` (all but
 * those; `id` and `schemas` are always returned).
 *
 * @example
 * project(user, [resolveAttrPath('name.givenName')!], [])
 */
export function project(
  user: IdentityUser,
  attributes: readonly AttrPath[],
  excluded: readonly AttrPath[],
): IdentityUser {
  const src = user as Record<string, unknown>
  if (attributes.length > 0) {
    const out: Record<string, unknown> = { schemas: src.schemas, id: src.id }
    for (const path of attributes) {
      if (path.part === 'core') copyAt(src, out, path.segments)
      else copyAt(src, out, [rootOf(src, path).key.toLowerCase(), ...path.segments])
    }
    return out as IdentityUser
  }
  if (excluded.length === 0) return user
  const out = structuredClone(src)
  for (const path of excluded) {
    const segments =
      path.part === 'core' ? path.segments : [rootOf(src, path).key.toLowerCase(), ...path.segments]
    const [first] = segments
    if (segments.length === 1 && (first === 'id' || first === 'schemas')) continue
    removeAt(out, segments)
  }
  return out as IdentityUser
}
