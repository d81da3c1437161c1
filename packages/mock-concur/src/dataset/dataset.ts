import { en, Faker } from '@faker-js/faker'
import {
  type MockCompany,
  type MockUser,
  type MockUserName,
  userAt,
  userCountFor,
  userIdAt,
  userNameAt,
} from '../companies.js'
import { keptIn } from '../util/bounded.js'
import { mulberry32, seedFrom } from '../util/hash.js'
import { companyTag } from './ids.js'
import { createMersenneRandomizer } from './randomizer.js'
import {
  ATTENDEE_TYPES,
  COUNTRIES,
  COUNTRY_WEIGHTS,
  EXPENSE_TYPES,
  type ExpenseTypeCode,
  GROUP_CONFIGS,
  LISTS,
  REIMBURSEMENT,
  SLOT_TYPES,
  STATUS_COMBOS,
} from './tables.js'

/** Entries per report: report *r* owns entries `[3r, 3r+3)`. */
export const ENTRIES_PER_REPORT = 3
/** Itemization slots per report: report *r*'s hotel entry `3r` owns itemizations `2r, 2r+1` (when it is a hotel). */
export const ITEMIZATIONS_PER_REPORT = 2
/** Allocation slots per report: two per allocation parent (itemization 2r, itemization 2r+1 or entry 3r, entry 3r+1, entry 3r+2). */
export const ALLOCATIONS_PER_REPORT = 8
/** Attendee association slots per report, on the meal entry `3r+1` (when it is a business meal). */
export const ASSOCIATIONS_PER_REPORT = 2
/** Categorical attributes of report *r* come from profile `r mod PROFILE_PERIOD` (a prime). */
export const PROFILE_PERIOD = 1009
/** Items per list. */
export const LIST_ITEMS_PER_LIST = 40
/** Level-1 items of a two-level list (the rest are their children). */
export const LIST_PARENTS = 8
/** Locations per company. */
export const LOCATION_COUNT = 240

/** One entry slot of a report profile. */
export interface SlotProfile {
  readonly type: ExpenseTypeCode
  readonly payment: number
  readonly vendor: string | null
  readonly vat: boolean
  readonly image: boolean
  readonly billable: boolean
  readonly personal: boolean
  readonly location: number
  /** The allocation of this parent is split in two (else one allocation of 100%). */
  readonly split: boolean
  readonly splitPercent: number
}

/**
 * The categorical attributes shared by every report *r* with `r mod PROFILE_PERIOD = p`. Filters on
 * them test a table lookup, so a page costs the same anywhere in a large company.
 */
export interface ReportProfile {
  readonly status: number
  readonly country: number
  readonly city: number
  readonly reimbursement: string
  /** Approver user index (0 or 1) once submitted. */
  readonly approver: number
  readonly group: number
  readonly batch: number
  readonly slots: readonly [SlotProfile, SlotProfile, SlotProfile]
  /** Allocation split of itemization 2r+1 (parent 1). */
  readonly itemSplit: boolean
  /** Attendee type index of association slots 0 and 1. */
  readonly attendeeTypes: readonly [number, number]
  readonly itemized: boolean
  readonly hasAttendees: boolean
  readonly receiptsReceived: boolean
  readonly everSentBack: boolean
  readonly hasException: boolean
}

/** The lazily generated data of one company: sizes, tag and small per-company tables. Never holds records. */
export interface Dataset {
  readonly seed: number
  readonly company: MockCompany
  /** Number of seeded expense reports (the company size). */
  readonly reports: number
  readonly users: number
  readonly attendees: number
  readonly tag: string
  readonly profiles: readonly ReportProfile[]
}

/**
 * One Faker instance for the dataset, reseeded per record. Its randomizer is Faker's own MT19937
 * sequence on a typed array (`createMersenneRandomizer`): the same values, far cheaper reseeding.
 */
export const datasetFaker = new Faker({ locale: en, randomizer: createMersenneRandomizer() })

/**
 * Reseeds the dataset's Faker for record `index` of `kind` and returns it.
 *
 * @example
 * const f = fakerFor(ds, 'expense-reports', 7); f.company.buzzNoun()
 */
export function fakerFor(ds: Dataset, kind: string, index: number): Faker {
  datasetFaker.seed(seedFrom(ds.seed, ds.company.id, kind, index))
  return datasetFaker
}

/** A cheap seeded RNG for record `index` of `kind` (no Faker). */
export function rngFor(ds: Dataset, kind: string, index: number): () => number {
  return mulberry32(seedFrom(ds.seed, ds.company.id, kind, index))
}

function weighted<T>(rng: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0)
  let x = rng() * total
  for (let i = 0; i < items.length; i++) {
    x -= weights[i] ?? 0
    if (x < 0) return items[i]!
  }
  return items[items.length - 1]!
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!

function buildProfile(seed: number, companyId: string, p: number): ReportProfile {
  const rng = mulberry32(seedFrom(seed, companyId, 'report-profile', p))
  const status = weighted(
    rng,
    STATUS_COMBOS.map((_, i) => i),
    STATUS_COMBOS.map((s) => s.weight),
  )
  const country = weighted(
    rng,
    COUNTRIES.map((_, i) => i),
    COUNTRY_WEIGHTS,
  )
  const c = COUNTRIES[country]!
  const city = Math.floor(rng() * c.cities.length)
  const reimbursement = weighted(
    rng,
    REIMBURSEMENT.map((r) => r[0]),
    REIMBURSEMENT.map((r) => r[1]),
  )
  const approver = rng() < 0.8 ? 1 : 0
  const group = country === 1 ? 1 : country === 0 ? 0 : 2
  const batch = Math.floor(rng() * 8)
  const slot = (s: number): SlotProfile => {
    const type = pick(rng, SLOT_TYPES[s]!)
    const vendors = EXPENSE_TYPES[type].vendors
    return {
      type,
      payment: weighted(rng, [0, 1, 2], [50, 40, 10]),
      vendor: vendors.length > 0 ? pick(rng, vendors) : null,
      vat: c.hasVat && rng() < 0.85,
      image: rng() < 0.55,
      billable: rng() < 0.2,
      personal: rng() < 0.04,
      location: Math.floor(rng() * 1000),
      split: rng() < 0.3,
      splitPercent: pick(rng, [50, 60, 70, 75, 80, 90]),
    }
  }
  const slots = [slot(0), slot(1), slot(2)] as const
  return {
    status,
    country,
    city,
    reimbursement,
    approver,
    group,
    batch,
    slots,
    itemSplit: rng() < 0.3,
    attendeeTypes: [pick(rng, [0, 0, 1, 3, 5]), pick(rng, [0, 1, 1, 3, 4])],
    itemized: slots[0].type === 'LODNG',
    hasAttendees: slots[1].type === 'BUSML',
    receiptsReceived: rng() < 0.6,
    everSentBack: rng() < 0.08,
    hasException: rng() < 0.12,
  }
}

const cache = new Map<string, Dataset>()

/**
 * The dataset of a company for a seed (cached; a few kilobytes of tables, no records).
 *
 * @example
 * const ds = datasetOf(state.options.seed, state.companies[0]!)
 * reportAt(ds, 0).Name
 */
export function datasetOf(seed: number, company: MockCompany): Dataset {
  const key = `${seed}\u001f${company.id}\u001f${company.size}`
  return keptIn(cache, key, 64, () => makeDataset(seed, company))
}

function makeDataset(seed: number, company: MockCompany): Dataset {
  const attendeeTypes = ATTENDEE_TYPES.length
  return {
    seed,
    company,
    reports: company.size,
    users: company.userCount ?? userCountFor(company.size),
    attendees: attendeeTypes * Math.max(4, Math.ceil(company.size / (4 * attendeeTypes))),
    tag: companyTag(seed, company.id),
    profiles: Array.from({ length: PROFILE_PERIOD }, (_, p) => buildProfile(seed, company.id, p)),
  }
}

const userCache = new Map<string, MockUser>()

/**
 * The UUID of user *i* of the dataset's company: `userOf(ds, i).id` without building the user (its
 * names and password take more hashes).
 *
 * @example
 * userIdOf(ds, 5) === userOf(ds, 5).id // true
 */
export function userIdOf(ds: Dataset, index: number): string {
  return index < ds.company.users.length ? ds.company.users[index]!.id : userIdAt(ds.seed, ds.company, index)
}

/**
 * User *i* of the dataset's company (a small cache of recently used users).
 *
 * @example
 * userOf(ds, 0).loginId
 */
export function userOf(ds: Dataset, index: number): MockUser {
  if (index < ds.company.users.length) return ds.company.users[index]!
  const key = `${ds.seed}\u001f${ds.company.id}\u001f${index}`
  let u = userCache.get(key)
  if (!u) {
    u = userAt(ds.seed, ds.company, index)
    if (userCache.size >= 4096) userCache.clear()
    userCache.set(key, u)
  }
  return u
}

/**
 * Most user names kept, in all (one process-wide map, whatever the number of companies and their
 * sizes): every user of a company up to ~1.3M reports, so a client paging through a company pays
 * each user's names once. About 220 bytes each with the map's slot (the first and last names are
 * Faker's own strings, shared): at most ~15 MB.
 */
const NAMES_KEPT = 65_536
/** Users per company are at most 100,000 (`userCountFor`): below 2^17, so keys never collide. */
const NAME_KEY_STRIDE = 2 ** 17
const names = new Map<number, MockUserName>()
const datasetSerials = new WeakMap<Dataset, number>()
let nextSerial = 0

/**
 * The name fields of user *i* (login ID, first and last name): what seeded records that name a user
 * carry. Cheaper than `userOf` (one hash, not three, per user not yet seen), and kept in a bounded
 * map keyed by number.
 *
 * @example
 * userNameOf(ds, 7).loginId === userOf(ds, 7).loginId // true
 */
export function userNameOf(ds: Dataset, index: number): MockUserName {
  if (index < ds.company.users.length) return ds.company.users[index]!
  if (index >= NAME_KEY_STRIDE) return userNameAt(ds.seed, ds.company, index)
  let serial = datasetSerials.get(ds)
  if (serial === undefined) {
    serial = nextSerial++
    datasetSerials.set(ds, serial)
  }
  const key = serial * NAME_KEY_STRIDE + index
  let u = names.get(key)
  if (!u) {
    u = userNameAt(ds.seed, ds.company, index)
    if (names.size >= NAMES_KEPT) names.clear()
    names.set(key, u)
  }
  return u
}

/**
 * The user index a login ID names in this company, or undefined. Login IDs end with the user index
 * before the `@`, so this costs one user's names (`userNameOf`: kept once seen), not a whole user.
 *
 * @example
 * userIndexOfLogin(ds, ds.company.users[2]!.loginId) // 2
 */
export function userIndexOfLogin(ds: Dataset, loginId: string): number | undefined {
  const m = /(\d+)@[^@]+$/.exec(loginId)
  if (!m) return undefined
  const index = Number(m[1])
  if (!Number.isSafeInteger(index) || index >= ds.users) return undefined
  return userNameOf(ds, index).loginId.toLowerCase() === loginId.toLowerCase() ? index : undefined
}

/** Whether user *u* is flagged as a test user (`isTestUser`). */
export function isTestUser(u: number): boolean {
  return u % 13 === 12
}

/** Whether user *u* is active. */
export function isActiveUser(u: number): boolean {
  return u < 4 || u % 17 !== 16
}

/** Group configs, lists: exported sizes for convenience. */
export const GROUP_CONFIG_COUNT = GROUP_CONFIGS.length
export const LIST_COUNT = LISTS.length
