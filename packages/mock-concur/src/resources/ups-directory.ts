import {
  type IdentityUser,
  IdentityUserWrite,
  SCIM_ENTERPRISE_SCHEMA,
  SCIM_PATCH_OP,
  SCIM_SAP_SCHEMA,
  SCIM_SETTINGS_SCHEMA,
  SCIM_USER_SCHEMA,
  ScimPatchOp,
  type ScimPatchOperation,
  UPS_EXTENSION_SCHEMAS,
  UPS_SPEND_APPROVER_SCHEMA,
  UPS_SPEND_ROLE_SCHEMA,
  UPS_SPEND_USER_SCHEMA,
  UPS_TRAVEL_USER_SCHEMA,
  UpsUserWrite,
} from '@concurkit/contract'
import type { z } from 'zod'
import { type MockCompany, type MockRole, type MockUser, rolesAt } from '../companies.js'
import { userItemAt } from '../dataset/common.js'
import { type Dataset, datasetOf, isTestUser, userIndexOfLogin } from '../dataset/dataset.js'
import type { CreatedRecord } from '../dataset/overlay.js'
import { providerOf } from '../dataset/providers.js'
import { publishEvent } from '../events/store.js'
import { findUser } from '../oauth/directory.js'
import type { MockState } from '../state.js'
import { uuidFrom } from '../util/hash.js'
import { overlaysOf } from './engine.js'
import { identityIndexOf, identityUserAt } from './identity-users.js'
import { ScimHttpError } from './scim-error.js'
import { applyPatch } from './ups-patch.js'
import { nextCreatedId } from './writes.js'

type Json = Record<string, unknown>

/** A user written through Identity v4 or User Provisioning v4 (a provisioned user, or a changed seeded one). */
export interface DirectoryEntry {
  /** The user index: below the company's `userCount` for seeded users, above for provisioned ones. */
  readonly index: number
  readonly id: string
  /** The User as Identity returns it (core, enterprise, SAP, settings), `meta.location` left out. */
  identity: Json
  /** The spend/payroll/travel extensions as last accepted (by URN). */
  extensions: Json
  /** The extensions as provisioned so far (copied from `extensions` when a provision completes). */
  provisioned: Json
  /** Write-only password (RFC 7643 `password`); never returned. */
  password: string | undefined
  /** The sign-in identity of a provisioned user (token `sub`, login, names, roles). */
  user: MockUser | undefined
  deleted: boolean
  /** The legacy `user-information` record of a provisioned user. */
  v3: CreatedRecord | undefined
}

class CompanyUsers {
  readonly provisioned: DirectoryEntry[] = []
  readonly overrides = new Map<number, DirectoryEntry>()
  readonly byId = new Map<string, DirectoryEntry>()
}

let generations = 0
const nextGeneration = () => ++generations

/** How long a provision stays pending on the mock clock before it completes. */
export const PROVISION_DELAY_SECONDS = 2

/**
 * The users written at run time, per company, and the token service's view of them
 * (`state.userSource`): provisioned users sign in with the password grant and act through every API
 * like seeded ones. Cleared by `reset()`.
 */
export class UserDirectory {
  readonly #companies = new Map<string, CompanyUsers>()
  #generation = nextGeneration()

  constructor(readonly state: MockState) {
    state.userSource = this
  }

  /**
   * Changes with every write and differs between mocks (process-wide counter), so caches shared by
   * several mocks in one process (Identity's filter matches) never serve one mock's users to another.
   */
  get generation(): number {
    return this.#generation
  }

  bump(): void {
    this.#generation = nextGeneration()
  }

  of(companyId: string): CompanyUsers {
    let c = this.#companies.get(companyId)
    if (!c) {
      c = new CompanyUsers()
      this.#companies.set(companyId, c)
    }
    return c
  }

  /** Whether a company has any written user (else reads take the seeded fast path). */
  has(companyId: string): boolean {
    const c = this.#companies.get(companyId)
    return c !== undefined && (c.provisioned.length > 0 || c.overrides.size > 0)
  }

  /** The written entry of user `index`, if any. */
  entry(company: MockCompany, index: number): DirectoryEntry | undefined {
    const c = this.#companies.get(company.id)
    if (!c) return undefined
    return index >= company.userCount ? c.provisioned[index - company.userCount] : c.overrides.get(index)
  }

  /** A provisioned user by index (the token service's lookup for `concur.user` beyond the seeded users). */
  user(company: MockCompany, index: number): MockUser | undefined {
    const e = this.#companies.get(company.id)?.provisioned[index - company.userCount]
    return e && !e.deleted ? e.user : undefined
  }

  /** A provisioned user's index by login (userName), case-insensitive. */
  indexOfLogin(company: MockCompany, login: string): number | undefined {
    const wanted = login.trim().toLowerCase()
    return this.#companies
      .get(company.id)
      ?.provisioned.find((e) => !e.deleted && e.user?.loginId.toLowerCase() === wanted)?.index
  }

  /** An active provisioned user with a password, by login (userName) or e-mail, case-insensitive. */
  find(username: string): { company: MockCompany; user: MockUser } | undefined {
    const wanted = username.trim().toLowerCase()
    for (const company of this.state.companies) {
      const c = this.#companies.get(company.id)
      if (!c) continue
      for (const e of c.provisioned) {
        if (e.deleted || !e.user || e.password === undefined || e.identity.active !== true) continue
        if (e.user.loginId.toLowerCase() === wanted || e.user.email.toLowerCase() === wanted)
          return { company, user: e.user }
      }
    }
    return undefined
  }

  /** Every written user index of a company that is not deleted (seeded overrides and provisioned). */
  writtenIndexes(company: MockCompany): number[] {
    const c = this.#companies.get(company.id)
    if (!c) return []
    return [...[...c.overrides.keys()], ...c.provisioned.filter((e) => !e.deleted).map((e) => e.index)].sort(
      (a, b) => a - b,
    )
  }

  reset(): void {
    this.#companies.clear()
    this.#generation = nextGeneration()
  }
}

/** The user directory of a mock (created on first use; it registers itself as `state.userSource`). */
export function directoryOf(state: MockState): UserDirectory {
  return state.store('ups-directory', () => new UserDirectory(state))
}

const isoMicros = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}000Z`
const ENTITLEMENTS = new Set([
  'Expense',
  'Invoice',
  'Request',
  'Request Only',
  'Travel',
  'Locate',
  'Analytics',
  'Unified Analytics',
])

/** Who writes and where: the company (from the token), its dataset and the mock. */
export interface WriteScope {
  readonly state: MockState
  readonly company: MockCompany
  /** `ups` accepts the spend/payroll/travel extensions; `identity` only core, enterprise, SAP, settings. */
  readonly api: 'identity' | 'ups'
}

const invalid = (detail: string, scimType = 'invalidValue') => new ScimHttpError(400, detail, scimType)

/** Validates a User body with the API's strict schema; the first issue becomes a SCIM 400 `invalidSyntax`/`invalidValue`. */
export function parseUserBody(api: WriteScope['api'], raw: unknown): UpsUserWrite {
  const schema: z.ZodType<UpsUserWrite> =
    api === 'ups' ? UpsUserWrite : (IdentityUserWrite as z.ZodType<UpsUserWrite>)
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const where = issue.path.map(String).join('.')
  if (issue.code === 'unrecognized_keys')
    throw invalid(
      `Unknown attribute${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `[${where ? `${where}.` : ''}${k}]`).join(', ')}${
        api === 'identity' && issue.keys.some((k) => k.startsWith('urn:'))
          ? ' (spend and travel extensions are provisioned through User Provisioning v4)'
          : ''
      }`,
      'invalidSyntax',
    )
  const missing = issue.code === 'invalid_type' && issue.message.includes('undefined')
  throw invalid(
    missing ? `Required attribute [${where}] is missing` : `Invalid value for [${where}]: ${issue.message}`,
    missing ? 'invalidValue' : 'invalidValue',
  )
}

/** The seeded or written User of index `u` (without `meta.location`), or undefined when deleted/absent. */
function currentIdentity(scope: WriteScope, ds: Dataset, u: number): Json | undefined {
  const e = directoryOf(scope.state).entry(scope.company, u)
  if (e) return e.deleted ? undefined : e.identity
  if (u >= ds.users) return undefined
  const user = identityUserAt(ds, u, '', 'v4.1') as Json
  const meta = { ...(user.meta as Json) }
  delete meta.location
  return { ...user, meta }
}

/** The user index of an Identity id in the company (seeded or provisioned), or a SCIM 404. */
export function indexOfId(scope: WriteScope, id: string): number {
  const ds = datasetOf(scope.state.options.seed, scope.company)
  const dir = directoryOf(scope.state)
  const seeded = identityIndexOf(ds, id)
  const entry = seeded === undefined ? dir.of(scope.company.id).byId.get(id.toLowerCase()) : undefined
  const u = seeded ?? entry?.index
  if (u === undefined || currentIdentity(scope, ds, u) === undefined)
    throw new ScimHttpError(404, `User ${id} not found`, undefined, 'NOT_FOUND')
  return u
}

function rolesOf(body: UpsUserWrite): MockRole[] {
  const ent = body.entitlements ?? []
  const spendRoles = body[UPS_SPEND_ROLE_SCHEMA]?.roles ?? []
  return [
    ...(ent.includes('Expense') ? (['ExpenseUser'] as const) : []),
    ...(spendRoles.some((r) => /APPROVER/i.test(r.roleName)) ? (['ExpenseApprover'] as const) : []),
    ...(ent.includes('Travel') ? (['TravelUser'] as const) : []),
  ]
}

/** The manager reference of the enterprise extension resolved to a user of the company (or a 400). */
function resolveManager(
  scope: WriteScope,
  ds: Dataset,
  manager: { value?: string | null; employeeNumber?: string | null } | null | undefined,
) {
  if (!manager || (!manager.value && !manager.employeeNumber)) return null
  let u: number | undefined
  if (manager.value)
    u =
      identityIndexOf(ds, manager.value) ??
      directoryOf(scope.state).of(scope.company.id).byId.get(manager.value.toLowerCase())?.index
  else u = indexOfEmployeeNumber(scope, ds, manager.employeeNumber!)
  const m = u === undefined ? undefined : currentIdentity(scope, ds, u)
  if (!m)
    throw invalid(
      `Manager ${manager.value ?? manager.employeeNumber} is not a user of this company`,
      'invalidValue',
    )
  const ent = (m[SCIM_ENTERPRISE_SCHEMA] ?? {}) as Json
  return { value: m.id, displayName: m.displayName ?? null, employeeNumber: ent.employeeNumber ?? null }
}

function indexOfEmployeeNumber(scope: WriteScope, ds: Dataset, employeeNumber: string): number | undefined {
  const dir = directoryOf(scope.state)
  for (const u of dir.writtenIndexes(scope.company)) {
    const ent = (currentIdentity(scope, ds, u)?.[SCIM_ENTERPRISE_SCHEMA] ?? {}) as Json
    if (String(ent.employeeNumber ?? '').toLowerCase() === employeeNumber.toLowerCase()) return u
  }
  const m = /^E(\d{6,})$/i.exec(employeeNumber)
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= ds.users) {
    const u = Number(m[1]) - 1
    if (!dir.entry(scope.company, u)) return u
  }
  return undefined
}

/** The user index that holds a userName anywhere in the mock (userName is unique across Concur). */
function holderOfUserName(
  scope: WriteScope,
  userName: string,
): { companyId: string; index: number } | undefined {
  const dir = directoryOf(scope.state)
  const wanted = userName.toLowerCase()
  for (const company of scope.state.companies) {
    const ds = datasetOf(scope.state.options.seed, company)
    const c = dir.of(company.id)
    for (const e of [...c.overrides.values(), ...c.provisioned]) {
      if (!e.deleted && String(e.identity.userName).toLowerCase() === wanted)
        return { companyId: company.id, index: e.index }
    }
    const u = userIndexOfLogin(ds, userName)
    if (u !== undefined && !c.overrides.has(u)) return { companyId: company.id, index: u }
  }
  const seeded = findUser(scope.state, userName)
  return seeded ? { companyId: seeded.company.id, index: seeded.user.index } : undefined
}

/** Checks what a schema cannot: companyId, uniqueness, manager, entitlements. Throws a SCIM error. */
function checkSemantics(scope: WriteScope, ds: Dataset, body: UpsUserWrite, self: number | undefined): void {
  const ent = body[SCIM_ENTERPRISE_SCHEMA]
  if (ent?.companyId && ent.companyId.toLowerCase() !== scope.company.id.toLowerCase())
    throw invalid(`companyId ${ent.companyId} is not the company of the access token`, 'mutability')
  for (const e of body.entitlements ?? [])
    if (!ENTITLEMENTS.has(e)) throw invalid(`Invalid value for [entitlements]: ${e}`)
  const holder = holderOfUserName(scope, body.userName)
  if (holder && !(holder.companyId === scope.company.id && holder.index === self))
    throw new ScimHttpError(409, `userName ${body.userName} is already in use`, 'uniqueness', 'UNIQUENESS')
  if (ent?.employeeNumber) {
    const u = indexOfEmployeeNumber(scope, ds, ent.employeeNumber)
    if (u !== undefined && u !== self)
      throw new ScimHttpError(
        409,
        `employeeNumber ${ent.employeeNumber} is already in use in this company`,
        'uniqueness',
        'UNIQUENESS',
      )
  }
}

function displayNameOf(body: UpsUserWrite): string {
  return body.displayName ?? `${body.nickName ?? body.name.givenName} ${body.name.familyName}`
}

/** The Identity User (core, enterprise, SAP, settings) a write produces. */
function buildIdentity(
  scope: WriteScope,
  ds: Dataset,
  body: UpsUserWrite,
  id: string,
  index: number,
  prev: Json | undefined,
): Json {
  const now = scope.state.clock.now()
  const prevMeta = (prev?.meta ?? {}) as Json
  const ent = body[SCIM_ENTERPRISE_SCHEMA] ?? {}
  const middle = body.name.middleName ?? null
  const sapPrev = (prev?.[SCIM_SAP_SCHEMA] ?? {}) as Json
  return {
    schemas: [SCIM_USER_SCHEMA, SCIM_ENTERPRISE_SCHEMA, SCIM_SAP_SCHEMA],
    id,
    externalId: body.externalId ?? null,
    userName: body.userName,
    active: body.active,
    displayName: displayNameOf(body),
    nickName: body.nickName ?? null,
    title: body.title ?? null,
    timezone: body.timezone ?? 'America/New_York',
    preferredLanguage: body.preferredLanguage ?? 'en-US',
    dateOfBirth: body.dateOfBirth ?? null,
    name: {
      familyName: body.name.familyName,
      givenName: body.name.givenName,
      middleName: middle,
      middleInitial: body.name.middleInitial ?? (middle ? middle[0] : null),
      formatted:
        body.name.formatted ?? `${body.name.familyName}, ${body.name.givenName}${middle ? ` ${middle}` : ''}`,
      legalName: body.name.legalName ?? null,
      honorificPrefix: body.name.honorificPrefix ?? null,
      honorificSuffix: body.name.honorificSuffix ?? null,
      familyNamePrefix: body.name.familyNamePrefix ?? null,
      academicTitle: body.name.academicTitle ?? null,
    },
    emails: body.emails.map((e) => ({
      value: e.value,
      type: e.type ?? 'work',
      notifications: e.notifications ?? false,
      verified: e.verified === true || e.verified === 'true',
    })),
    phoneNumbers: body.phoneNumbers ?? [],
    addresses: body.addresses ?? [],
    emergencyContacts: body.emergencyContacts ?? [],
    entitlements: body.entitlements ?? [],
    localeOverrides: prev?.localeOverrides ?? null,
    meta: {
      resourceType: 'User',
      created: prevMeta.created ?? isoMicros(now),
      lastModified: isoMicros(now),
      version: typeof prevMeta.version === 'number' ? prevMeta.version + 1 : 0,
    },
    [SCIM_ENTERPRISE_SCHEMA]: {
      companyId: scope.company.id,
      costCenter: ent.costCenter ?? null,
      department: ent.department ?? null,
      division: ent.division ?? null,
      employeeNumber: ent.employeeNumber ?? null,
      manager: resolveManager(scope, ds, ent.manager),
      organization: scope.company.name,
      legalEntity: ent.legalEntity ?? null,
      startDate: ent.startDate ?? null,
      terminationDate: ent.terminationDate ?? null,
      leavesOfAbsence: ent.leavesOfAbsence ?? [],
    },
    [SCIM_SAP_SCHEMA]: {
      userUuid:
        body[SCIM_SAP_SCHEMA]?.userUuid ??
        (sapPrev.userUuid as string | undefined) ??
        uuidFrom(scope.state.options.seed, scope.company.id, 'ups-sap-user', index),
    },
    ...(body[SCIM_SETTINGS_SCHEMA] ? { [SCIM_SETTINGS_SCHEMA]: body[SCIM_SETTINGS_SCHEMA] } : {}),
  }
}

/** The extensions of a body (spend, payroll, travel), by URN. */
function extensionsOf(body: UpsUserWrite): Json {
  const out: Json = {}
  for (const urn of UPS_EXTENSION_SCHEMAS) {
    const v = (body as Json)[urn]
    if (v !== undefined && v !== null) out[urn] = v
  }
  return out
}

/** A User in the shape a caller writes (for PATCH): the stored Identity User plus the extensions. */
function writeView(identity: Json, extensions: Json, api: WriteScope['api']): Json {
  const out: Json = { ...identity }
  delete out.meta
  delete out.localeOverrides
  const ent = { ...((out[SCIM_ENTERPRISE_SCHEMA] ?? {}) as Json) }
  delete ent.organization
  if (ent.manager && typeof ent.manager === 'object') {
    const m = ent.manager as Json
    ent.manager = { value: m.value ?? null, employeeNumber: m.employeeNumber ?? null }
  }
  out[SCIM_ENTERPRISE_SCHEMA] = ent
  const name = { ...((out.name ?? {}) as Json) }
  out.name = name
  // A derived displayName / formatted name is derived again from the changed names.
  if (out.displayName === `${out.nickName ?? name.givenName} ${name.familyName}`) delete out.displayName
  const middle = name.middleName ? ` ${name.middleName}` : ''
  if (name.formatted === `${name.familyName}, ${name.givenName}${middle}`) delete name.formatted
  for (const k of Object.keys(out)) if (out[k] === null) delete out[k]
  return api === 'ups' ? { ...out, ...extensions } : out
}

/** The legacy `user-information` record (v3.0 users view) of a written user. */
function legacyRecord(identity: Json, id: string): Json {
  const name = (identity.name ?? {}) as Json
  const ent = (identity[SCIM_ENTERPRISE_SCHEMA] ?? {}) as Json
  const emails = (identity.emails ?? []) as Json[]
  const phones = (identity.phoneNumbers ?? []) as Json[]
  return {
    LoginID: identity.userName,
    FirstName: name.givenName ?? null,
    MiddleName: name.middleName ?? null,
    LastName: name.familyName ?? null,
    PrimaryEmail: (emails.find((e) => e.type === 'work') ?? emails[0])?.value ?? null,
    EmployeeID: ent.employeeNumber ?? null,
    OrganizationUnit: ent.costCenter ?? null,
    CellPhoneNumber: phones.find((p) => p.type === 'mobile')?.value ?? null,
    Active: identity.active === true,
    ID: id,
  }
}

function mockUserOf(
  index: number,
  identity: Json,
  body: UpsUserWrite,
  password: string | undefined,
): MockUser {
  const emails = (identity.emails ?? []) as Json[]
  return {
    index,
    id: String(identity.id),
    loginId: body.userName,
    password: password ?? '',
    firstName: body.name.givenName,
    lastName: body.name.familyName,
    email: String((emails.find((e) => e.type === 'work') ?? emails[0])?.value ?? body.userName),
    employeeId: body[SCIM_ENTERPRISE_SCHEMA]?.employeeNumber ?? '',
    roles: rolesOf(body),
  }
}

/** The Identity profile topic of the Event Subscription Service. */
export const IDENTITY_TOPIC = 'public.concur.user.profile.identity'

/** The attribute paths that differ between two Users (`name.familyName`, `urn:…:User.startDate`), `meta` left out. */
function changedAttributes(before: Json, after: Json): string[] {
  const out: string[] = []
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === 'meta' || key === 'schemas') continue
    const a = before[key]
    const b = after[key]
    const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
    if (isObj(a) || isObj(b)) {
      const x = (isObj(a) ? a : {}) as Json
      const y = (isObj(b) ? b : {}) as Json
      for (const sub of new Set([...Object.keys(x), ...Object.keys(y)]))
        if (!same(x[sub], y[sub])) out.push(`${key}.${sub}`)
    } else if (!same(a, b)) out.push(key)
  }
  return out
}

/** Publishes `IdentityProfileCreated` / `Updated` / `Deleted` for a written user. */
function publishIdentity(
  scope: WriteScope,
  eventType: 'IdentityProfileCreated' | 'IdentityProfileUpdated' | 'IdentityProfileDeleted',
  userId: string,
  attributes: string[] | null,
): void {
  publishEvent(scope.state, {
    companyId: scope.company.id,
    topic: IDENTITY_TOPIC,
    eventType,
    extra: { subtopic: userId },
    facts: {
      originator: 'com.concur.profile',
      companyId: scope.company.id,
      userId,
      userHref: `${scope.state.baseUrl(scope.company.datacenter)}/profile/identity/v4/Users/${userId}`,
      attributes,
    },
  })
}

/** What a write did: the entry, whether it created the user, and the extensions it carried. */
export interface WriteResult {
  readonly entry: DirectoryEntry
  readonly created: boolean
  /** Extension URNs the write carried (their provisioning completes later). */
  readonly extensions: Json
  /** A full replace (UPS PUT): provisioned extensions it left out are removed. */
  readonly replacedExtensions?: boolean
}

/** Approver references of the spend Approver extension that name no user of the company. */
export function unresolvedApprovers(scope: WriteScope, extensions: Json): string[] {
  const ds = datasetOf(scope.state.options.seed, scope.company)
  const approver = extensions[UPS_SPEND_APPROVER_SCHEMA] as Record<string, unknown> | undefined
  if (!approver) return []
  const out: string[] = []
  for (const list of Object.values(approver)) {
    if (!Array.isArray(list)) continue
    for (const a of list as { approver?: { value?: string | null; employeeNumber?: string | null } }[]) {
      const ref = a.approver ?? {}
      const u = ref.value
        ? (identityIndexOf(ds, ref.value) ??
          directoryOf(scope.state).of(scope.company.id).byId.get(ref.value.toLowerCase())?.index)
        : ref.employeeNumber
          ? indexOfEmployeeNumber(scope, ds, ref.employeeNumber)
          : undefined
      if (u === undefined || currentIdentity(scope, ds, u) === undefined)
        out.push(String(ref.value ?? ref.employeeNumber ?? '?'))
    }
  }
  return out
}

/**
 * Creates a user (`POST /Users`): validates, checks uniqueness and references, stores the Identity
 * User, the sign-in identity and the legacy users record. Nothing changes when it throws.
 */
export function createUser(scope: WriteScope, raw: unknown): WriteResult {
  const body = parseUserBody(scope.api, raw)
  const ds = datasetOf(scope.state.options.seed, scope.company)
  checkSemantics(scope, ds, body, undefined)
  const dir = directoryOf(scope.state)
  const c = dir.of(scope.company.id)
  const index = scope.company.userCount + c.provisioned.length
  const id = uuidFrom(scope.state.options.seed, scope.company.id, 'ups-user', index)
  const identity = buildIdentity(scope, ds, body, id, index, undefined)
  const entry: DirectoryEntry = {
    index,
    id,
    identity,
    extensions: extensionsOf(body),
    provisioned: {},
    password: body.password,
    user: mockUserOf(index, identity, body, body.password),
    deleted: false,
    v3: undefined,
  }
  const overlay = overlaysOf(scope.state).of(scope.company.id, 'user-information')
  const v3Id = nextCreatedId(ds, providerOf('user-information')!, overlay)
  const v3: CreatedRecord = { record: legacyRecord(identity, v3Id), owner: index, hidden: {} }
  entry.v3 = v3
  c.provisioned.push(entry)
  c.byId.set(id, entry)
  overlay.add(v3)
  dir.bump()
  publishIdentity(scope, 'IdentityProfileCreated', id, null)
  return { entry, created: true, extensions: entry.extensions }
}

/**
 * Replaces a user (`PUT /Users/{id}`: omitted attributes are cleared; through Identity the
 * spend/travel extensions stay as they are). Nothing changes when it throws.
 */
export function replaceUser(scope: WriteScope, id: string, raw: unknown): WriteResult {
  const u = indexOfId(scope, id)
  const body = parseUserBody(scope.api, raw)
  if (body.id !== undefined && body.id.toLowerCase() !== id.toLowerCase())
    throw invalid(`The id in the body (${body.id}) differs from the path`, 'mutability')
  const ds = datasetOf(scope.state.options.seed, scope.company)
  checkSemantics(scope, ds, body, u)
  const dir = directoryOf(scope.state)
  const c = dir.of(scope.company.id)
  const prev = currentIdentity(scope, ds, u)!
  const existing = dir.entry(scope.company, u)
  const identity = buildIdentity(scope, ds, body, String(prev.id), u, prev)
  // The password is write-only: a caller never sees it, so a replace without one keeps it.
  const password = body.password ?? existing?.password
  const extensions = scope.api === 'ups' ? extensionsOf(body) : (existing?.extensions ?? {})
  const entry: DirectoryEntry = existing ?? {
    index: u,
    id: String(prev.id),
    identity,
    extensions: {},
    provisioned: {},
    password: undefined,
    user: undefined,
    deleted: false,
    v3: undefined,
  }
  entry.identity = identity
  entry.extensions = extensions
  entry.password = password
  const overlay = overlaysOf(scope.state).of(scope.company.id, 'user-information')
  if (u >= scope.company.userCount) {
    entry.user = mockUserOf(u, identity, body, password)
    if (entry.v3) overlay.replaceCreated(entry.v3, legacyRecord(identity, String(entry.v3.record?.ID ?? '')))
  } else {
    c.overrides.set(u, entry)
    c.byId.set(entry.id, entry)
    overlay.patch(u, legacyRecord(identity, String(userItemAt(ds, u).ID)))
  }
  dir.bump()
  const changed = changedAttributes(prev, identity)
  if (changed.length > 0) publishIdentity(scope, 'IdentityProfileUpdated', entry.id, changed)
  return {
    entry,
    created: false,
    extensions: scope.api === 'ups' ? extensions : {},
    replacedExtensions: scope.api === 'ups',
  }
}

/** Applies a SCIM PatchOp to a user and stores the result (validated like a PUT). */
export function patchUser(
  scope: WriteScope,
  id: string,
  operations: readonly ScimPatchOperation[],
): WriteResult {
  const u = indexOfId(scope, id)
  const ds = datasetOf(scope.state.options.seed, scope.company)
  const dir = directoryOf(scope.state)
  const existing = dir.entry(scope.company, u)
  const prev = currentIdentity(scope, ds, u)!
  const before = writeView(prev, existing?.extensions ?? derivedExtensions(scope, u), scope.api)
  const after = applyPatch(before, operations)
  const touched = new Set(
    UPS_EXTENSION_SCHEMAS.filter((urn) => JSON.stringify(before[urn]) !== JSON.stringify(after[urn])),
  )
  const result = replaceUser(scope, id, after)
  const carried: Json = {}
  for (const urn of touched) if (after[urn] !== undefined) carried[urn] = after[urn]
  return { ...result, extensions: scope.api === 'ups' ? carried : {}, replacedExtensions: false }
}

/**
 * Deletes a user (hard delete). Concur deletes only users without transaction history: the seeded
 * users all have it (their reports), and so does a provisioned user who created a report.
 */
export function deleteUser(scope: WriteScope, id: string): DirectoryEntry {
  const u = indexOfId(scope, id)
  if (u < scope.company.userCount)
    throw new ScimHttpError(
      409,
      `User ${id} has transaction history and cannot be deleted; set active to false instead`,
      undefined,
      'CONFLICT',
    )
  const reports = overlaysOf(scope.state).peek(scope.company.id, 'expense-reports')
  if (reports?.created.some((r) => r.owner === u && r.record !== null))
    throw new ScimHttpError(
      409,
      `User ${id} has transaction history and cannot be deleted; set active to false instead`,
      undefined,
      'CONFLICT',
    )
  const dir = directoryOf(scope.state)
  const entry = dir.entry(scope.company, u)!
  entry.deleted = true
  if (entry.v3)
    overlaysOf(scope.state).of(scope.company.id, 'user-information').replaceCreated(entry.v3, null)
  dir.bump()
  publishIdentity(scope, 'IdentityProfileDeleted', entry.id, null)
  return entry
}

/** A user as Identity returns it (with `meta.location` for the version), or undefined when it is seeded and unchanged. */
export function writtenIdentity(entry: DirectoryEntry, location: string): Json {
  return { ...entry.identity, meta: { ...(entry.identity.meta as Json), location } }
}

const LOCALES: Readonly<Record<string, string>> = { US: 'en-US', DE: 'de-DE', FR: 'fr-FR' }

/**
 * The spend and travel extensions of a seeded user, derived from the same person (country, currency
 * and locale from the work address, cost center as orgUnit1, roles, the manager as report approver,
 * a travel profile for travel users); none for a provisioned user.
 */
export function derivedExtensions(scope: WriteScope, u: number, seededUser?: IdentityUser): Json {
  const ds = datasetOf(scope.state.options.seed, scope.company)
  const derived: Json = {}
  if (u < ds.users) {
    const seeded = seededUser ?? identityUserAt(ds, u, '', 'v4.1')
    const address = seeded.addresses?.[0]
    const country = address?.country ?? 'US'
    // Only the seeded user's roles are read: `rolesAt` gives them without building the user (its
    // id and password take two more hashes).
    const roles = u < ds.company.users.length ? ds.company.users[u]!.roles : rolesAt(u)
    const ent = seeded[SCIM_ENTERPRISE_SCHEMA]
    derived[UPS_SPEND_USER_SCHEMA] = {
      reimbursementCurrency: country === 'US' ? 'USD' : 'EUR',
      country,
      locale: LOCALES[country] ?? 'en-US',
      reimbursementType: 'ACCOUNTS_PAYABLE',
      ledgerCode: 'DEFAULT',
      stateProvince: address?.region ?? null,
      testEmployee: isTestUser(u),
      nonEmployee: false,
      customData: ent?.costCenter ? [{ id: 'orgUnit1', value: ent.costCenter }] : [],
    }
    derived[UPS_SPEND_ROLE_SCHEMA] = {
      roles: [
        ...(roles.includes('ExpenseUser') ? [{ roleName: 'EXP_USER', roleGroups: [] }] : []),
        ...(roles.includes('ExpenseApprover') ? [{ roleName: 'EXP_APPROVER', roleGroups: [] }] : []),
      ],
    }
    if (ent?.manager?.value)
      derived[UPS_SPEND_APPROVER_SCHEMA] = {
        report: [
          {
            approver: { value: ent.manager.value, employeeNumber: ent.manager.employeeNumber ?? null },
            primary: true,
          },
        ],
      }
    if (roles.includes('TravelUser'))
      derived[UPS_TRAVEL_USER_SCHEMA] = {
        ruleClass: { name: 'Default Travel Class', id: 560485 },
        travelCrsName: null,
        gender: null,
        travelNameRemark: '',
        orgUnit: null,
        customFields: [],
        manager: null,
        groups: [],
      }
  }
  return derived
}

/** Reads a JSON request body, or a SCIM 400 `invalidSyntax`. */
export async function readJsonBody(c: { req: { text(): Promise<string> } }): Promise<unknown> {
  const text = await c.req.text()
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ScimHttpError(400, 'The request body is not JSON', 'invalidSyntax')
  }
}

/**
 * Validates a SCIM PatchOp body; `requireSchemas` (a PATCH request, not a bulk operation's `data`)
 * demands the PatchOp URN in `schemas`.
 */
export function parsePatchBody(raw: unknown, requireSchemas: boolean): ScimPatchOperation[] {
  const parsed = ScimPatchOp.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const where = issue.path.map(String).join('.')
    throw new ScimHttpError(
      400,
      `Invalid PatchOp: ${where ? `${where}: ` : ''}${issue.message}`,
      'invalidSyntax',
    )
  }
  if (requireSchemas && !(parsed.data.schemas ?? []).includes(SCIM_PATCH_OP))
    throw new ScimHttpError(400, `Invalid PatchOp: schemas must include ${SCIM_PATCH_OP}`, 'invalidSyntax')
  return parsed.data.Operations
}
