import { DATACENTERS, type DatacenterName, Scope } from '@concurkit/contract'
import { en, Faker } from '@faker-js/faker'
import { createMersenneRandomizer } from './dataset/randomizer.js'
import { hashHex, seedFrom, uuidFrom } from './util/hash.js'

/** Roles a mock user can hold. `WebServicesAdmin` sees company-wide data (`user=ALL`). */
export type MockRole = 'WebServicesAdmin' | 'ExpenseUser' | 'ExpenseApprover' | 'TravelUser'

/** A user of a mock company. */
export interface MockUser {
  /** Index of the user in its company (user *i* is a pure function of seed, company and i). */
  readonly index: number
  /** The user's UUID (the `sub` of their tokens). */
  readonly id: string
  readonly loginId: string
  readonly password: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly employeeId: string
  readonly roles: readonly MockRole[]
}

/** An OAuth application (client) registered for a company. */
export interface MockApp {
  readonly name: string
  readonly clientId: string
  readonly clientSecret: string
  /** Scopes granted to the app; a token never carries more. */
  readonly scopes: readonly Scope[]
  /** Redirect URIs accepted by `/oauth2/v0/authorize` (any `http://127.0.0.1`/`localhost` URI is also accepted). */
  readonly redirectUris: readonly string[]
}

/** A seeded mock company. */
export interface MockCompany {
  readonly index: number
  /** Company UUID (the `sub` of company tokens, the `username` of the company request token grant). */
  readonly id: string
  readonly name: string
  readonly domain: string
  readonly datacenter: DatacenterName
  /** Number of expense reports; every other resource's size follows from it. */
  readonly size: number
  /** Total users (user-information records); the first few are printed with their credentials. */
  readonly userCount: number
  /** The company's primary app (all scopes) first, then a read-only app limited to `EXPRPT`. */
  readonly apps: readonly MockApp[]
  /** The users whose credentials are listed (admin, approver, travellers): `userAt(company, i)` for i < 4. */
  readonly users: readonly MockUser[]
}

/** Every scope the primary app of a mock company holds: all Connect scopes but payment batches and EVS. */
export const ALL_APP_SCOPES: readonly Scope[] = Scope.options.filter((s) => s !== 'PAYBAT' && s !== 'EVS')

const LISTED_USERS = 4
const faker = new Faker({ locale: en, randomizer: createMersenneRandomizer() })

/** Derives the number of users of a company from its report count. */
export function userCountFor(size: number): number {
  return Math.max(10, Math.min(100_000, Math.ceil(size / 20)))
}

/**
 * User *i* of a company: a pure function of (seed, company, i). User 0 is the Web Services
 * Administrator, user 1 an approver, the rest expense users.
 */
export function userAt(seed: number, company: Pick<MockCompany, 'id' | 'domain'>, index: number): MockUser {
  const { firstName, lastName, loginId } = userNameAt(seed, company, index)
  return {
    index,
    id: userIdAt(seed, company, index),
    loginId,
    password: `Pw-${hashHex(seed, company.id, 'password', index).slice(0, 20)}`,
    firstName,
    lastName,
    email: loginId,
    employeeId: employeeIdAt(index),
    roles: rolesAt(index),
  }
}

/** The UUID of user *i* (`userAt(…).id`, one hash: for callers that need no password). */
export function userIdAt(seed: number, company: Pick<MockCompany, 'id'>, index: number): string {
  return uuidFrom(seed, company.id, 'user', index)
}

/** The employee ID of user *i* (`E000001` for user 0). */
export function employeeIdAt(index: number): string {
  return `E${String(index + 1).padStart(6, '0')}`
}

/** The roles of user *i*: user 0 is the Web Services Administrator, user 1 an approver, the rest expense users. */
export function rolesAt(index: number): MockRole[] {
  return index === 0
    ? ['WebServicesAdmin', 'ExpenseUser', 'ExpenseApprover']
    : index === 1
      ? ['ExpenseUser', 'ExpenseApprover', 'TravelUser']
      : ['ExpenseUser', 'TravelUser']
}

const nameRng = createMersenneRandomizer()
const FIRST = faker.definitions.person.first_name
const LAST_PATTERNS = faker.rawDefinitions.person?.last_name_pattern?.generic
/** `{{person.last_name.generic}}` placeholders in a last-name pattern. */
const LAST_PLACEHOLDER = /\{\{person\.last_name\.generic\}\}/g
/** The `en` tables the direct path draws from (absent in another locale: Faker is used then). */
const NAME_TABLES = (() => {
  const { generic, female, male } = FIRST
  const last = faker.definitions.person.last_name.generic
  if (!generic || !female || !male || !last || !LAST_PATTERNS?.length) return undefined
  const weightsOf = (own: readonly string[]) => [
    { weight: 3 * Math.sqrt(own.length), value: own },
    { weight: Math.sqrt(generic.length), value: generic as readonly string[] },
  ]
  return { female: weightsOf(female), male: weightsOf(male), last, patterns: LAST_PATTERNS }
})()

/** Faker's `helpers.arrayElement` on our randomizer (same draw, same element). */
function pickName<T>(list: readonly T[]): T {
  return list[list.length > 1 ? Math.floor(nameRng.next() * list.length) : 0]!
}

/** Faker's `helpers.weightedArrayElement` on our randomizer. */
function weightedName<T>(items: readonly { readonly weight: number; readonly value: T }[]): T {
  const total = items.reduce((a, x) => a + x.weight, 0)
  const x = nameRng.next() * total
  let acc = 0
  for (const item of items) {
    acc += item.weight
    if (x < acc) return item.value
  }
  return items[items.length - 1]!.value
}

/**
 * Exactly `faker.seed(seed); faker.person.firstName(); faker.person.lastName()` of an `en` Faker on
 * the dataset's randomizer, with the same draws in the same order (a sex, the weighted choice of
 * the sex's or the generic list, the name; for the last name a sex draw it does not use, the
 * weighted pattern, one name per placeholder), without Faker's template evaluation per call. A test
 * compares it with Faker over many seeds; a Faker upgrade that changes the draws fails it.
 */
export function personNames(seed: number): { firstName: string; lastName: string } {
  const t = NAME_TABLES
  if (!t) {
    faker.seed(seed)
    const firstName = faker.person.firstName()
    return { firstName, lastName: faker.person.lastName() }
  }
  nameRng.seed(seed)
  const sex = Math.floor(nameRng.next() * 2) === 0 ? 'female' : 'male'
  const firstName = pickName(weightedName(t[sex]))
  nameRng.next()
  const pattern = weightedName(t.patterns)
  const lastName = pattern.replace(LAST_PLACEHOLDER, () => pickName(t.last))
  return { firstName, lastName }
}

/** The name fields of a user (what records that name a user carry). */
export interface MockUserName {
  readonly firstName: string
  readonly lastName: string
  readonly loginId: string
}

/**
 * The names and login of user *i*: the part of `userAt` that seeded records need, without the two
 * further hashes of its id and password (the same values: `userAt` is built on it).
 *
 * @example
 * userNameAt(42, company, 5).loginId === userAt(42, company, 5).loginId // true
 */
export function userNameAt(
  seed: number,
  company: Pick<MockCompany, 'id' | 'domain'>,
  index: number,
): MockUserName {
  const { firstName, lastName } = personNames(seedFrom(seed, company.id, 'user', index))
  const slug = `${firstName}.${lastName}`.toLowerCase().replace(/[^a-z.]/g, '')
  return { firstName, lastName, loginId: `${slug}${index}@${company.domain}` }
}

/** Company *k* for a seed: a pure function of (seed, k, size, datacenters). */
export function companyAt(
  seed: number,
  index: number,
  size: number,
  datacenters: readonly DatacenterName[],
): MockCompany {
  faker.seed(seedFrom(seed, 'company', index))
  const name = faker.company.name()
  const domain = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}${index}.example.com`
  const id = uuidFrom(seed, 'company', index)
  // The Global Landing Zone only issues tokens: companies live in the other datacenters.
  const homes = datacenters.filter((dc) => !DATACENTERS[dc].landingZone)
  const datacenter = homes[index % homes.length] ?? 'us'
  const apps: MockApp[] = [
    {
      name: `${name} integration`,
      clientId: uuidFrom(seed, id, 'client', 0),
      clientSecret: uuidFrom(seed, id, 'client-secret', 0),
      scopes: ALL_APP_SCOPES,
      redirectUris: ['http://127.0.0.1/callback'],
    },
    {
      name: `${name} expense-reports reader`,
      clientId: uuidFrom(seed, id, 'client', 1),
      clientSecret: uuidFrom(seed, id, 'client-secret', 1),
      scopes: ['EXPRPT', 'openid'],
      redirectUris: ['http://127.0.0.1/callback'],
    },
  ]
  const partial = { id, domain }
  const userCount = userCountFor(size)
  const users = Array.from({ length: Math.min(LISTED_USERS, userCount) }, (_, i) => userAt(seed, partial, i))
  return { index, id, name, domain, datacenter, size, userCount, apps, users }
}

/** The seed the mock uses when none is given. */
export const DEFAULT_SEED = 42
/** The report count of each company when none is given. */
export const DEFAULT_SIZE = 500
/** The datacenters the mock serves when none are given: two, so geolocation is always exercised. */
export const DEFAULT_DATACENTERS: readonly DatacenterName[] = ['us', 'eu2']
/** The number of companies when none is given. */
export const DEFAULT_COMPANIES = 2

/** The datacenters a mock can serve. */
export const MOCK_DATACENTERS = Object.keys(DATACENTERS) as DatacenterName[]

/**
 * The default company's credentials (seed 42): for tests and scripts that start the mock with
 * default options. These are mock-only values and open nothing real.
 *
 * @example
 * const { clientId, clientSecret, admin } = DEFAULT_CREDENTIALS
 */
export const DEFAULT_CREDENTIALS = (() => {
  const c = companyAt(DEFAULT_SEED, 0, DEFAULT_SIZE, DEFAULT_DATACENTERS)
  return Object.freeze({
    companyId: c.id,
    datacenter: c.datacenter,
    clientId: c.apps[0]!.clientId,
    clientSecret: c.apps[0]!.clientSecret,
    admin: { loginId: c.users[0]!.loginId, password: c.users[0]!.password },
    user: { loginId: c.users[2]!.loginId, password: c.users[2]!.password },
  })
})()

/** A company as the admin API and `concurkit mock --json` describe it (credentials included: mock-only values). */
export interface CompanyDescription {
  readonly id: string
  readonly name: string
  readonly domain: string
  readonly datacenter: DatacenterName
  /** Base URL of the company's datacenter (its token `geolocation`). */
  readonly geolocation: string
  /** The primary app's credentials (all scopes). */
  readonly clientId: string
  readonly clientSecret: string
  readonly apps: readonly {
    readonly name: string
    readonly clientId: string
    readonly clientSecret: string
    readonly scopes: readonly Scope[]
    readonly redirectUris: readonly string[]
  }[]
  readonly userCount: number
  readonly reportCount: number
  readonly users: readonly {
    readonly id: string
    readonly loginId: string
    readonly password: string
    readonly email: string
    readonly roles: readonly MockRole[]
  }[]
}

/**
 * Describes a company with its app and user credentials.
 *
 * @example
 * describeCompany(mock.state.companies[0], mock.state.baseUrl('us')).clientId
 */
export function describeCompany(company: MockCompany, geolocation: string): CompanyDescription {
  return {
    id: company.id,
    name: company.name,
    domain: company.domain,
    datacenter: company.datacenter,
    geolocation,
    clientId: company.apps[0]!.clientId,
    clientSecret: company.apps[0]!.clientSecret,
    apps: company.apps.map((a) => ({
      name: a.name,
      clientId: a.clientId,
      clientSecret: a.clientSecret,
      scopes: a.scopes,
      redirectUris: a.redirectUris,
    })),
    userCount: company.userCount,
    reportCount: company.size,
    users: company.users.map((u) => ({
      id: u.id,
      loginId: u.loginId,
      password: u.password,
      email: u.email,
      roles: u.roles,
    })),
  }
}
