import type {
  AttendeeTypeItem,
  ExpenseGroupConfigurationItem,
  ListItem,
  ListItemItem,
  LocationItem,
  UserItem,
} from '@concurkit/contract'
import { keptIn } from '../util/bounded.js'
import { seedFrom } from '../util/hash.js'
import {
  type Dataset,
  datasetFaker,
  fakerFor,
  isActiveUser,
  LIST_ITEMS_PER_LIST,
  LIST_PARENTS,
  LOCATION_COUNT,
  userOf,
} from './dataset.js'
import { attendeeTypeId, groupConfigId, paymentTypeId, policyId, type Wire } from './expense.js'
import { encodeId } from './ids.js'
import { createMersenneRandomizer } from './randomizer.js'
import { ATTENDEE_TYPES, COUNTRIES, EXPENSE_TYPES, GROUP_CONFIGS, LISTS, PAYMENT_TYPES } from './tables.js'

/** Most small-table records kept (list items and locations: 640 per company). */
const MEMO_SIZE = 4096
const memo = new Map<string, object>()

/**
 * A record of a fixed-size per-company table, generated once and then served from a bounded map
 * (oldest first out). The bound is an entry count, independent of the dataset size. Records are
 * frozen: callers copy before they change one (as the overlay and `URI` code do).
 */
function memoized<T extends object>(ds: Dataset, kind: string, i: number, make: () => T): T {
  const key = `${ds.seed}\u001f${ds.company.id}\u001f${kind}\u001f${i}`
  return keptIn(memo, key, MEMO_SIZE, () => Object.freeze(make())) as T
}

/** The fields of user *u*'s v3.0 record that come from its own draws (Identity serves them too). */
export interface UserInformationExtras {
  readonly middleName: string | null
  readonly cellPhone: string | null
}

const extrasRng = createMersenneRandomizer()
/** The `en` tables the direct path draws from (absent in another locale: Faker is used then). */
const EXTRAS_TABLES = (() => {
  const { generic, female, male } = datasetFaker.definitions.person.middle_name ?? {}
  const phones = datasetFaker.definitions.phone_number?.format?.international
  if (!generic || !female || !male || !phones?.length) return undefined
  const weightsOf = (own: readonly string[]) => [
    { weight: 3 * Math.sqrt(own.length), value: own },
    { weight: Math.sqrt(generic.length), value: generic as readonly string[] },
  ]
  return { female: weightsOf(female), male: weightsOf(male), phones: phones as readonly string[] }
})()

/** Faker's `number.int({ max: n - 1 })` / `helpers.arrayElement` index on the extras randomizer. */
const drawBelow = (n: number) => Math.floor(extrasRng.next() * n)

/**
 * User *u*'s middle name and cell phone: exactly `f = fakerFor(ds, 'user-information', u);
 * f.datatype.boolean(0.2) ? f.person.middleName() : null; f.datatype.boolean(0.6) ?
 * f.phone.number({ style: 'international' }) : null`, with the same draws in the same order (a
 * boolean, a sex, the weighted list, the name; a boolean, the format, a digit per `#` and `!`),
 * without Faker's per-call option handling. A test compares it with Faker over many seeds.
 */
export function userInformationExtras(ds: Dataset, u: number): UserInformationExtras {
  const t = EXTRAS_TABLES
  if (!t) {
    const f = fakerFor(ds, 'user-information', u)
    const middleName = f.datatype.boolean(0.2) ? f.person.middleName() : null
    return {
      middleName,
      cellPhone: f.datatype.boolean(0.6) ? f.phone.number({ style: 'international' }) : null,
    }
  }
  extrasRng.seed(seedFrom(ds.seed, ds.company.id, 'user-information', u))
  let middleName: string | null = null
  if (extrasRng.next() < 0.2) {
    const weighted = drawBelow(2) === 0 ? t.female : t.male
    const x = extrasRng.next() * (weighted[0]!.weight + weighted[1]!.weight)
    const list = x < weighted[0]!.weight ? weighted[0]!.value : weighted[1]!.value
    middleName = list[list.length > 1 ? drawBelow(list.length) : 0]!
  }
  let cellPhone: string | null = null
  if (extrasRng.next() < 0.6) {
    const format = t.phones[t.phones.length > 1 ? drawBelow(t.phones.length) : 0]!
    let out = ''
    for (let i = 0; i < format.length; i++) {
      const ch = format.charAt(i)
      out += ch === '#' ? drawBelow(10) : ch === '!' ? Math.floor(extrasRng.next() * 8 + 2) : ch
    }
    cellPhone = out
  }
  return { middleName, cellPhone }
}

/**
 * User *u* as served by `GET /api/v3.0/common/users` (without `URI`).
 *
 * @example
 * userItemAt(ds, 0).LoginID
 */
export function userItemAt(ds: Dataset, u: number): Wire<UserItem> {
  const user = userOf(ds, u)
  const extras = userInformationExtras(ds, u)
  return {
    LoginID: user.loginId,
    FirstName: user.firstName,
    MiddleName: extras.middleName,
    LastName: user.lastName,
    PrimaryEmail: user.email,
    EmployeeID: user.employeeId,
    OrganizationUnit: userCostCenter(u),
    CellPhoneNumber: extras.cellPhone,
    Active: isActiveUser(u),
    ID: encodeId('user-information', ds.tag, u),
  }
}

/** User *u*'s cost center (the v3.0 `OrganizationUnit`, the Identity `costCenter`). */
export function userCostCenter(u: number): string {
  return `Cost Center ${1000 + (u % 12)}`
}

/**
 * Attendee type *t* (the six seeded types), without `URI`.
 *
 * @example
 * attendeeTypeAt(ds, 0).Code // 'BUSGUEST'
 */
export function attendeeTypeAt(ds: Dataset, t: number): Wire<AttendeeTypeItem> {
  const type = ATTENDEE_TYPES[t]!
  return {
    Name: type.name,
    Code: type.code,
    AttendeeFormID: encodeId('forms', ds.tag, 10 + t),
    DuplicateSearchFields: [...type.fields],
    ConnectorID: '',
    AllowManuallyEnteredAttendees: type.code !== 'EMPLOYEE',
    AllowAttendeeCountEditing: type.code === 'BUSGUEST' || type.code === 'NOSHOWS',
    ID: attendeeTypeId(ds, t),
  }
}

/**
 * Expense group configuration *g*, without `URI`: its payment types and one policy with every expense type.
 *
 * @example
 * groupConfigAt(ds, 0).Policies?.[0]?.ExpenseTypes?.length
 */
export function groupConfigAt(ds: Dataset, g: number): Wire<ExpenseGroupConfigurationItem> {
  const cfg = GROUP_CONFIGS[g]!
  return {
    Name: cfg.name,
    AttendeeListFormID: encodeId('forms', ds.tag, 30),
    AttendeeListFormName: 'Default Attendee Detail View',
    AllowUserRegisterYodlee: false,
    AllowUserDigitalTaxInvoice: cfg.country !== 'US',
    AttendeeTypes: ATTENDEE_TYPES.map((t) => ({ Code: t.code, Name: t.name })),
    CashAdvance:
      g === 0
        ? {
            AllowUserCarryBalance: true,
            AllowUserLinkMultiple: false,
            AllowUserUpdateExchangeRate: false,
            Name: 'Default Cash Advance',
            WorkflowID: encodeId('forms', ds.tag, 40),
          }
        : null,
    PaymentTypes: PAYMENT_TYPES.map((p, k) => ({
      ID: paymentTypeId(ds, k),
      Name: p.name,
      IsDefault: k === 0,
    })),
    Policies: [
      {
        ID: policyId(ds, g),
        Name: cfg.policy,
        IsDefault: true,
        IsInheritable: true,
        ExpenseTypes: Object.values(EXPENSE_TYPES).map((t) => ({
          Code: t.code,
          Name: t.name,
          ExpenseCode: t.expenseCode,
        })),
      },
    ],
    ID: groupConfigId(ds, g),
  }
}

/**
 * List *l*, without `URI`.
 *
 * @example
 * listAt(ds, 0).Name // 'Cost Centers'
 */
export function listAt(ds: Dataset, l: number): Wire<ListItem> {
  const list = LISTS[l]!
  return {
    Name: list.name,
    ConnectorID: null,
    DisplayCodeFirst: list.search === 'CODE',
    ExternalThreshold: 0,
    IsVendorList: list.vendor,
    SearchCriteriaCode: list.search,
    ID: encodeId('lists', ds.tag, l),
  }
}

/** The list and position of list item *i*; in two-level lists items past `LIST_PARENTS` are children. */
export function listItemSlot(i: number) {
  const l = Math.floor(i / LIST_ITEMS_PER_LIST)
  const k = i % LIST_ITEMS_PER_LIST
  const levels = LISTS[l]?.levels ?? 1
  const parent =
    levels === 2 && k >= LIST_PARENTS ? l * LIST_ITEMS_PER_LIST + ((k - LIST_PARENTS) % LIST_PARENTS) : null
  return { l, k, parent }
}

function listItemCode(i: number): string {
  const { l, k } = listItemSlot(i)
  return l === 0
    ? `CC${1000 + k}`
    : `${LISTS[l]!.name.slice(0, 3).toUpperCase()}${String(k).padStart(3, '0')}`
}

function listItemName(ds: Dataset, i: number): string {
  const { l, k } = listItemSlot(i)
  if (l === 0) return `Cost Center ${1000 + k}`
  const f = fakerFor(ds, 'list-items', i)
  if (l === 3) return f.company.name().slice(0, 64)
  if (l === 4) return f.location.state()
  return f.commerce.department() + (k >= LIST_PARENTS ? ` ${f.commerce.productAdjective()}` : '')
}

/**
 * List item *i* (of list `floor(i / 40)`), without `URI`.
 *
 * @example
 * listItemAt(ds, 0).Level1Code // 'CC1000'
 */
export function listItemAt(ds: Dataset, i: number): Wire<ListItemItem> {
  return memoized(ds, 'list-items', i, () => makeListItem(ds, i))
}

function makeListItem(ds: Dataset, i: number): Wire<ListItemItem> {
  const { l, parent } = listItemSlot(i)
  const levels: Record<Extract<keyof Wire<ListItemItem>, `Level${number}Code`>, string | null> = {
    Level1Code: null,
    Level2Code: null,
    Level3Code: null,
    Level4Code: null,
    Level5Code: null,
    Level6Code: null,
    Level7Code: null,
    Level8Code: null,
    Level9Code: null,
    Level10Code: null,
  }
  if (parent === null) levels.Level1Code = listItemCode(i)
  else {
    levels.Level1Code = listItemCode(parent)
    levels.Level2Code = listItemCode(i)
  }
  return {
    ListID: encodeId('lists', ds.tag, l),
    ParentID: parent === null ? null : encodeId('list-items', ds.tag, parent),
    Name: listItemName(ds, i),
    ...levels,
    ID: encodeId('list-items', ds.tag, i),
  }
}

/**
 * Location *i* (country `i mod 10`): the country's known cities first, then generated towns.
 *
 * @example
 * locationAt(ds, 0).Name // 'Seattle, Washington'
 */
export function locationAt(ds: Dataset, i: number): Wire<LocationItem> {
  return memoized(ds, 'locations', i, () => makeLocation(ds, i))
}

function makeLocation(ds: Dataset, i: number): Wire<LocationItem> {
  const country = COUNTRIES[i % COUNTRIES.length]!
  const k = Math.floor(i / COUNTRIES.length)
  const known = country.cities[k]
  if (known) {
    return {
      Name: `${known.name}, ${known.region}`,
      Country: country.code,
      CountrySubdivision: known.subdivision,
      AdministrativeRegion: known.region,
      IATACode: known.iata,
      IsAirport: false,
      IsBookingTool: true,
      Latitude: known.lat,
      Longitude: known.lon,
      ID: encodeId('locations', ds.tag, i),
    }
  }
  const f = fakerFor(ds, 'locations', i)
  const near = country.cities[k % country.cities.length]!
  return {
    Name: `${f.location.city()}, ${near.region}`.slice(0, 64),
    Country: country.code,
    CountrySubdivision: near.subdivision,
    AdministrativeRegion: near.region,
    IATACode: null,
    IsAirport: false,
    IsBookingTool: false,
    Latitude: Number((near.lat + f.number.float({ min: -1, max: 1 })).toFixed(4)),
    Longitude: Number((near.lon + f.number.float({ min: -1, max: 1 })).toFixed(4)),
    ID: encodeId('locations', ds.tag, i),
  }
}

/** Number of locations, lists and list items of every company. */
export const COMMON_SIZES = {
  locations: LOCATION_COUNT,
  lists: LISTS.length,
  listItems: LISTS.length * LIST_ITEMS_PER_LIST,
  attendeeTypes: ATTENDEE_TYPES.length,
  groupConfigs: GROUP_CONFIGS.length,
} as const
