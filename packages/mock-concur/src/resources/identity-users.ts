import {
  type IdentityUser,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_SAP_SCHEMA,
  SCIM_USER_SCHEMA,
} from '@concurkit/contract'
import { employeeIdAt, type MockUser, rolesAt, userIdAt } from '../companies.js'
import { userCostCenter, userInformationExtras } from '../dataset/common.js'
import { type Dataset, isActiveUser, rngFor, userNameOf, userOf } from '../dataset/dataset.js'
import { isoSeconds } from '../dataset/time.js'
import { keptIn } from '../util/bounded.js'
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

/**
 * What varies from one Identity user to the next; every other attribute is a constant of the
 * company (schemas, `localeOverrides`, the office, the manager, the organization).
 */
export interface IdentityUserParts {
  readonly u: number
  readonly id: string
  readonly loginId: string
  readonly email: string
  readonly firstName: string
  readonly lastName: string
  readonly middleName: string | null
  readonly employeeId: string
  readonly entitlements: readonly string[]
  readonly cellPhone: string | null
  readonly costCenter: string | null
  readonly created: number
  readonly lastModified: number
  readonly version: number
  readonly sapUuid: string
}

/** The per-company constants of an Identity user (the same for every user of a company). */
export interface IdentityCompanyParts {
  readonly companyId: string
  readonly organization: string
  readonly manager: { readonly value: string; readonly displayName: string; readonly employeeNumber: string }
}

/**
 * The varying parts of user *u*: four hashes (names, id, the v3.0 record's draws, the Identity
 * draws) and the SAP UUID's — the same values `userOf`/`userItemAt` give, without their password
 * hash and v3.0 id.
 */
export function identityUserParts(ds: Dataset, u: number): IdentityUserParts {
  let person: Pick<MockUser, 'id' | 'loginId' | 'email' | 'firstName' | 'lastName' | 'employeeId' | 'roles'>
  if (u < ds.company.users.length) person = ds.company.users[u]!
  else {
    const n = userNameOf(ds, u)
    person = {
      id: userIdAt(ds.seed, ds.company, u),
      loginId: n.loginId,
      email: n.loginId,
      firstName: n.firstName,
      lastName: n.lastName,
      employeeId: employeeIdAt(u),
      roles: rolesAt(u),
    }
  }
  const extras = userInformationExtras(ds, u)
  const rng = rngFor(ds, 'identity-user', u)
  const created = EPOCH_2015 + Math.floor(rng() * 3000) * DAY_MS + Math.floor(rng() * DAY_MS)
  const lastModified = created + Math.floor(rng() * 400) * DAY_MS + Math.floor(rng() * DAY_MS)
  return {
    u,
    id: person.id,
    loginId: person.loginId,
    email: person.email,
    firstName: person.firstName,
    lastName: person.lastName,
    middleName: extras.middleName,
    employeeId: person.employeeId,
    entitlements: [
      ...(person.roles.includes('ExpenseUser') ? ['Expense'] : []),
      ...(u % 5 === 0 ? ['Invoice'] : []),
      ...(person.roles.includes('TravelUser') ? ['Travel'] : []),
    ],
    cellPhone: extras.cellPhone,
    costCenter: userCostCenter(u),
    created,
    lastModified,
    version: 1 + Math.floor(rng() * 6),
    sapUuid: uuidFrom(ds.seed, ds.company.id, 'identity-sap-user', u),
  }
}

/** The company's constants: its id and name, and its users' manager (user 1). */
export function identityCompanyParts(ds: Dataset): IdentityCompanyParts {
  const manager = userOf(ds, 1)
  return {
    companyId: ds.company.id,
    organization: ds.company.name,
    manager: {
      value: manager.id,
      displayName: `${manager.firstName} ${manager.lastName}`,
      employeeNumber: manager.employeeId,
    },
  }
}

const isoMicros = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

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
  return identityUserOf(identityUserParts(ds, u), identityCompanyParts(ds), baseUrl, version)
}

/** The Identity user built from its parts (a fresh object: callers may change it). */
export function identityUserOf(
  p: IdentityUserParts,
  company: IdentityCompanyParts,
  baseUrl: string,
  version: IdentityVersion,
): IdentityUser {
  const u = p.u
  const office = OFFICES[u % OFFICES.length]!
  const active = isActiveUser(u)
  const middle = p.middleName
  return {
    schemas: [SCIM_USER_SCHEMA, SCIM_ENTERPRISE_SCHEMA, SCIM_SAP_SCHEMA],
    id: p.id,
    externalId: `ext-${p.employeeId}`,
    userName: p.loginId,
    active,
    displayName: `${p.firstName} ${p.lastName}`,
    nickName: null,
    title: null,
    timezone: office.country === 'US' ? 'America/New_York' : 'Europe/Berlin',
    preferredLanguage: 'en-US',
    dateOfBirth: null,
    name: {
      familyName: p.lastName,
      givenName: p.firstName,
      middleName: middle,
      formatted: `${p.lastName}, ${p.firstName}${middle ? ` ${middle}` : ''}`,
      honorificPrefix: null,
      honorificSuffix: null,
      familyNamePrefix: null,
    },
    emails: [{ value: p.email, type: 'work', notifications: true, verified: true }],
    phoneNumbers: p.cellPhone
      ? [{ value: p.cellPhone, type: 'mobile', display: p.cellPhone, notifications: false, primary: true }]
      : [],
    addresses: [{ type: 'work', ...office }],
    emergencyContacts: [],
    entitlements: [...p.entitlements],
    localeOverrides: { ...LOCALE_OVERRIDES },
    meta: {
      resourceType: 'User',
      created: isoMicros(p.created),
      lastModified: isoMicros(p.lastModified),
      version: p.version,
      location: `${baseUrl}/profile/identity/${version}/Users/${p.id}`,
    },
    [SCIM_ENTERPRISE_SCHEMA]: {
      companyId: company.companyId,
      costCenter: p.costCenter,
      department: DEPARTMENTS[u % DEPARTMENTS.length]!,
      division: null,
      employeeNumber: p.employeeId,
      manager: u === 1 ? null : { ...company.manager },
      organization: company.organization,
      startDate: `${isoDay(p.created)}T00:00:00.000`,
      terminationDate: active ? null : `${isoDay(p.lastModified)}T00:00:00.000`,
      leavesOfAbsence: [],
    },
    [SCIM_SAP_SCHEMA]: { userUuid: p.sapUuid },
  }
}

/** A JSON string literal, as `JSON.stringify` writes it (quotes only when nothing needs escaping). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/
const str = (s: string) => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`)
const strOrNull = (s: string | null) => (s === null ? 'null' : str(s))

/** The JSON text of a constant value, computed once. */
const LOCALE_JSON = JSON.stringify(LOCALE_OVERRIDES)
const ADDRESSES_JSON = OFFICES.map((o) => JSON.stringify([{ type: 'work', ...o }]))
const TIMEZONE_JSON = OFFICES.map((o) =>
  JSON.stringify(o.country === 'US' ? 'America/New_York' : 'Europe/Berlin'),
)
const DEPARTMENT_JSON = DEPARTMENTS.map((d) => JSON.stringify(d))
const SCHEMAS_JSON = JSON.stringify([SCIM_USER_SCHEMA, SCIM_ENTERPRISE_SCHEMA, SCIM_SAP_SCHEMA])
const ENTERPRISE_KEY = JSON.stringify(SCIM_ENTERPRISE_SCHEMA)
const SAP_KEY = JSON.stringify(SCIM_SAP_SCHEMA)

/** `yyyy-mm-dd` of the days from 2015 on (the users' dates), built on first use. */
const DAY_TEXT: string[] = []
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))
const DAYS_FAST = 8192

function dayText(ms: number): string {
  const d = Math.floor((ms - EPOCH_2015) / DAY_MS)
  if (!(d >= 0 && d < DAYS_FAST)) return isoDay(ms)
  let text = DAY_TEXT[d]
  if (text === undefined) {
    text = isoDay(EPOCH_2015 + d * DAY_MS)
    DAY_TEXT[d] = text
  }
  return text
}

/** `isoMicros` without a Date: `isoSeconds` (time.ts: a day cache and digit tables) and the milliseconds. */
function isoMicrosText(ms: number): string {
  const d = Math.floor((ms - EPOCH_2015) / DAY_MS)
  if (!Number.isInteger(ms) || !(d >= 0 && d < DAYS_FAST)) return isoMicros(ms)
  return `${isoSeconds(ms)}.${THREE[ms % 1000]}000Z`
}

/** The per-company JSON fragments of a user page (manager, company, location prefix). */
export interface IdentityJsonContext {
  readonly locationPrefix: string
  readonly companyId: string
  readonly organization: string
  readonly manager: string
}

/**
 * The constant JSON fragments of a company's users for a base URL and version (built per page:
 * a few strings).
 */
export function identityJsonContext(
  ds: Dataset,
  baseUrl: string,
  version: IdentityVersion,
): IdentityJsonContext {
  return identityJsonContextOf(identityCompanyParts(ds), baseUrl, version)
}

/** `identityJsonContext` from the company's constants. */
export function identityJsonContextOf(
  c: IdentityCompanyParts,
  baseUrl: string,
  version: IdentityVersion,
): IdentityJsonContext {
  return {
    locationPrefix: `${baseUrl}/profile/identity/${version}/Users/`,
    companyId: JSON.stringify(c.companyId),
    organization: JSON.stringify(c.organization),
    manager: JSON.stringify(c.manager),
  }
}

/**
 * `JSON.stringify(identityUserAt(ds, u, baseUrl, version))`, written straight from the parts: the
 * same text, byte for byte (tests compare the two over many users and over parts holding quotes,
 * backslashes, control characters, non-ASCII and lone surrogates), without building the object.
 *
 * @example
 * identityUserJson(identityUserParts(ds, 7), identityJsonContext(ds, base, 'v4.1'))
 */
export function identityUserJson(p: IdentityUserParts, c: IdentityJsonContext): string {
  const u = p.u
  const office = u % OFFICES.length
  const active = isActiveUser(u)
  const middle = p.middleName
  const first = p.firstName
  const last = p.lastName
  const employee = str(p.employeeId)
  const phone = p.cellPhone ? str(p.cellPhone) : undefined
  let entitlements = '['
  for (let i = 0; i < p.entitlements.length; i++) entitlements += `${i ? ',' : ''}${str(p.entitlements[i]!)}`
  return (
    `{"schemas":${SCHEMAS_JSON},"id":${str(p.id)},"externalId":${str(`ext-${p.employeeId}`)},` +
    `"userName":${str(p.loginId)},"active":${active},"displayName":${str(`${first} ${last}`)},` +
    `"nickName":null,"title":null,"timezone":${TIMEZONE_JSON[office]},"preferredLanguage":"en-US","dateOfBirth":null,` +
    `"name":{"familyName":${str(last)},"givenName":${str(first)},"middleName":${strOrNull(middle)},` +
    `"formatted":${str(`${last}, ${first}${middle ? ` ${middle}` : ''}`)},"honorificPrefix":null,"honorificSuffix":null,"familyNamePrefix":null},` +
    `"emails":[{"value":${str(p.email)},"type":"work","notifications":true,"verified":true}],` +
    `"phoneNumbers":${phone ? `[{"value":${phone},"type":"mobile","display":${phone},"notifications":false,"primary":true}]` : '[]'},` +
    `"addresses":${ADDRESSES_JSON[office]},"emergencyContacts":[],"entitlements":${entitlements}],` +
    `"localeOverrides":${LOCALE_JSON},` +
    `"meta":{"resourceType":"User","created":${str(isoMicrosText(p.created))},"lastModified":${str(isoMicrosText(p.lastModified))},` +
    `"version":${JSON.stringify(p.version)},"location":${str(c.locationPrefix + p.id)}},` +
    `${ENTERPRISE_KEY}:{"companyId":${c.companyId},"costCenter":${strOrNull(p.costCenter)},"department":${DEPARTMENT_JSON[u % DEPARTMENTS.length]},` +
    `"division":null,"employeeNumber":${employee},"manager":${u === 1 ? 'null' : c.manager},"organization":${c.organization},` +
    `"startDate":"${dayText(p.created)}T00:00:00.000","terminationDate":${active ? 'null' : `"${dayText(p.lastModified)}T00:00:00.000"`},"leavesOfAbsence":[]},` +
    `${SAP_KEY}:{"userUuid":${str(p.sapUuid)}}}`
  )
}

/** The user index whose UUID is `id`, or undefined (a per-company map built once, on first use). */
const indexCache = new Map<string, Map<string, number>>()
export function identityIndexOf(ds: Dataset, id: string): number | undefined {
  const key = `${ds.seed}\u001f${ds.company.id}\u001f${ds.users}`
  const map = keptIn(indexCache, key, 16, () => {
    const byId = new Map<string, number>()
    for (let u = 0; u < ds.users; u++) byId.set(uuidFrom(ds.seed, ds.company.id, 'user', u), u)
    return byId
  })
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
