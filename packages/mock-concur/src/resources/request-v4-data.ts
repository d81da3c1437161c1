import type {
  RequestV4,
  RequestV4Action,
  RequestV4ApprovalCode,
  RequestV4CashAdvance,
  RequestV4Comment,
  RequestV4Exception,
  RequestV4ExpectedExpense,
  RequestV4Link,
} from '@concurkit/contract'
import type { MockCompany } from '../companies.js'
import { type Dataset, datasetOf, rngFor, userOf } from '../dataset/dataset.js'
import { DAY_MS, TIMELINE_SPAN, TIMELINE_START } from '../dataset/time.js'
import type { MockState } from '../state.js'
import { keptIn } from '../util/bounded.js'
import { hashHex } from '../util/hash.js'

/**
 * The Request v4 data of the mock: travel requests generated lazily and deterministically per user
 * of each company (a pure function of seed, company and ordinal), plus the per-mock changes made
 * through the API (kept in `state.store('request-v4')`, cleared by `reset()`).
 */

/** Seeded travel requests per user. */
export const REQUESTS_PER_USER = 3

/** One stored expected expense (the wire shape is rendered from it). */
export interface StoredExpense {
  readonly id: string
  typeId: string
  typeName: string
  /** `yyyy-MM-dd`. */
  date: string
  amount: number
  currency: string
  businessPurpose?: string
  location?: Record<string, unknown>
  /** Other documented fields the caller sent (`tripData`, custom fields …), kept as sent. */
  extra: Record<string, unknown>
  comments: StoredComment[]
}

export interface StoredComment {
  readonly author: number
  readonly atMs: number
  readonly value: string
}

export interface StoredCashAdvance {
  readonly id: string
  readonly amount: number
  readonly currency: string
  readonly requestMs: number
  readonly comment: string
}

/** A travel request as the mock keeps it. */
export interface TravelRequest {
  readonly id: string
  readonly requestId: string
  /** Position in the company's creation order (seeded first, then created ones). */
  readonly ordinal: number
  readonly owner: number
  readonly approver: number | null
  name: string
  businessPurpose?: string
  comment?: string
  startDate: string
  endDate: string
  startTime?: string
  endTime?: string
  custom: Record<string, { value: string; code?: string }>
  mainDestination?: Record<string, unknown>
  policyId: string
  travelAgencyId?: string
  status: RequestV4ApprovalCode
  closed: boolean
  canceledPostApproval: boolean
  everSentBack: boolean
  creationMs: number
  lastModifiedMs: number
  submitMs?: number
  authorizedMs?: number
  currency: string
  comments: StoredComment[]
  expenses: StoredExpense[]
  /** Index the next created expected expense gets. */
  nextExpense: number
  cashAdvances: StoredCashAdvance[]
  exceptions: {
    code: string
    level: number
    message: string
    isBlocking: boolean
    parameters: Record<string, unknown>
  }[]
}

const STATUS_NAME: Record<RequestV4ApprovalCode, string> = {
  NOT_SUBMITTED: 'Not Submitted',
  SUBMITTED: 'Submitted & Pending Approval',
  APPROVED: 'Approved',
  CANCELED: 'Canceled',
  SENTBACK: 'Sent Back',
}

const CITIES = [
  { city: 'Lyon, FRANCE', countryCode: 'FR', countrySubDivisionCode: 'FR-69' },
  { city: 'Berlin, GERMANY', countryCode: 'DE', countrySubDivisionCode: 'DE-BE' },
  { city: 'Nantes, FRANCE', countryCode: 'FR', countrySubDivisionCode: 'FR-44' },
  { city: 'Munich, GERMANY', countryCode: 'DE', countrySubDivisionCode: 'DE-BY' },
  { city: 'London, UNITED KINGDOM', countryCode: 'GB', countrySubDivisionCode: 'GB-LND' },
  { city: 'Seattle, Washington', countryCode: 'US', countrySubDivisionCode: 'US-WA' },
  { city: 'Chicago, Illinois', countryCode: 'US', countrySubDivisionCode: 'US-IL' },
  { city: 'New York, New York', countryCode: 'US', countrySubDivisionCode: 'US-NY' },
] as const
const PURPOSES = [
  'Client meeting',
  'Company training',
  'Project kick-off',
  'Sales conference',
  'Partner workshop',
  'Quarterly review',
] as const
const EXPENSE_TYPES = [
  ['AIRFR', 'Airfare'],
  ['LODNG', 'Hotel'],
  ['DINNR', 'Dinner'],
  ['TAXIX', 'Taxi'],
  ['CARRT', 'Car Rental'],
] as const

const hex32 = (...parts: (string | number)[]) =>
  hashHex(...parts)
    .slice(0, 24)
    .toUpperCase()
const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, '0')

/** The id of request `ordinal` of a company: 24 hash digits + the ordinal (so a lookup costs one hash). */
export function requestIdOf(ds: Dataset, ordinal: number): string {
  return `${hex32(ds.seed, ds.company.id, 'travel-request', ordinal)}${hex8(ordinal)}`
}

/** The ordinal an id names, or undefined when the id is not one of this company's. */
export function ordinalOf(ds: Dataset, id: string): number | undefined {
  if (!/^[0-9A-F]{32}$/.test(id)) return undefined
  const ordinal = Number.parseInt(id.slice(24), 16)
  return requestIdOf(ds, ordinal) === id ? ordinal : undefined
}

/** The id of child `j` (`expense` or `cash-advance`) of request `ordinal`: 16 hash digits, ordinal, j. */
export function childIdOf(ds: Dataset, kind: string, ordinal: number, j: number): string {
  return `${hex32(ds.seed, ds.company.id, kind, ordinal, j).slice(0, 16)}${hex8(ordinal)}${hex8(j)}`
}

/** The request ordinal a child id names (checked), or undefined. */
export function childOrdinalOf(ds: Dataset, kind: string, id: string): number | undefined {
  if (!/^[0-9A-F]{32}$/.test(id)) return undefined
  const ordinal = Number.parseInt(id.slice(16, 24), 16)
  const j = Number.parseInt(id.slice(24), 16)
  return childIdOf(ds, kind, ordinal, j) === id ? ordinal : undefined
}

/** The short `requestId` (4–6 alphanumerics) of an ordinal. */
function shortIdOf(ordinal: number): string {
  return (36 ** 3 + ordinal).toString(36).toUpperCase()
}

/**
 * The approver of a user's requests: the user's manager in the dataset (Identity v4 names user 1 as
 * everyone's manager) — user 1 has none, so the administrator (user 0) approves their requests.
 */
export function approverOf(ds: Dataset, owner: number): number | null {
  if (owner !== 1) return ds.users > 1 ? 1 : null
  return 0
}

/** The company's default request policy and travel agency ids. */
export const policyIdOf = (ds: Dataset) => hex32(ds.seed, ds.company.id, 'request-policy').padEnd(32, '0')
export const agencyIdOf = (ds: Dataset) => hex32(ds.seed, ds.company.id, 'travel-agency').padEnd(32, '0')
/** The currency of a company's requests (its datacenter's region). */
export const currencyOf = (ds: Dataset) => (ds.company.datacenter.startsWith('eu') ? 'EUR' : 'USD')

const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const cents = (x: number) => Math.round(x * 100) / 100

/**
 * The random draws of seeded request `ordinal`, numbers only: everything `seededRequest` renders,
 * and all the list reads (`seededCores`) — one function, so the two cannot drift apart.
 */
interface SeededDraw {
  status: RequestV4ApprovalCode
  closed: boolean
  everSentBack: boolean
  creationMs: number
  /** UTC midnight of the start and end dates. */
  start: number
  end: number
  submitMs: number | undefined
  authorizedMs: number | undefined
  lastModifiedMs: number
  place: number
  purpose: number
  expenseCount: number
  /** Per expected expense (at most 3): expense type, day after the start, amount. */
  readonly expenseType: number[]
  readonly expenseDay: number[]
  readonly expenseAmount: number[]
  cashAdvance: number | undefined
  startHour: number
  startMinute: number
  endHour: number
  endMinute: number
}

const newDraw = (): SeededDraw => ({
  status: 'NOT_SUBMITTED',
  closed: false,
  everSentBack: false,
  creationMs: 0,
  start: 0,
  end: 0,
  submitMs: undefined,
  authorizedMs: undefined,
  lastModifiedMs: 0,
  place: 0,
  purpose: 0,
  expenseCount: 0,
  expenseType: [0, 0, 0],
  expenseDay: [0, 0, 0],
  expenseAmount: [0, 0, 0],
  cashAdvance: undefined,
  startHour: 0,
  startMinute: 0,
  endHour: 0,
  endMinute: 0,
})

/** Fills `d` with the draws of seeded request `ordinal` (< users × REQUESTS_PER_USER). */
function drawSeeded(ds: Dataset, ordinal: number, d: SeededDraw): SeededDraw {
  const rng = rngFor(ds, 'travel-request', ordinal)
  const approver = approverOf(ds, Math.floor(ordinal / REQUESTS_PER_USER))
  const x = rng()
  let status: RequestV4ApprovalCode =
    x < 0.25
      ? 'NOT_SUBMITTED'
      : x < 0.45
        ? 'SUBMITTED'
        : x < 0.8
          ? 'APPROVED'
          : x < 0.88
            ? 'SENTBACK'
            : 'CANCELED'
  if (approver === null && status !== 'NOT_SUBMITTED') status = 'NOT_SUBMITTED'
  d.status = status
  d.closed = status === 'APPROVED' && rng() < 0.3
  d.everSentBack = status === 'SENTBACK' || (status !== 'NOT_SUBMITTED' && rng() < 0.1)
  const creationMs =
    TIMELINE_START + Math.floor(rng() * (TIMELINE_SPAN - 90 * DAY_MS)) + 1000 * Math.floor(rng() * 80_000)
  d.creationMs = creationMs
  const start = creationMs - (creationMs % DAY_MS) + (7 + Math.floor(rng() * 50)) * DAY_MS
  d.start = start
  const end = start + Math.floor(rng() * 6) * DAY_MS
  d.end = end
  const submitMs = status === 'NOT_SUBMITTED' ? undefined : creationMs + Math.floor(rng() * 3 * DAY_MS)
  d.submitMs = submitMs
  const authorizedMs =
    status === 'APPROVED' || (status === 'CANCELED' && rng() < 0.3)
      ? (submitMs ?? creationMs) + Math.floor(rng() * 4 * DAY_MS)
      : undefined
  d.authorizedMs = authorizedMs
  d.lastModifiedMs = Math.max(creationMs, submitMs ?? 0, authorizedMs ?? 0) + Math.floor(rng() * DAY_MS)
  d.place = Math.floor(rng() * CITIES.length)
  d.purpose = Math.floor(rng() * PURPOSES.length)
  d.expenseCount = 1 + Math.floor(rng() * 3)
  for (let j = 0; j < d.expenseCount; j++) {
    d.expenseType[j] = Math.floor(rng() * EXPENSE_TYPES.length)
    d.expenseDay[j] = Math.floor(rng() * (1 + (end - start) / DAY_MS))
    d.expenseAmount[j] = cents(20 + rng() * 880)
  }
  d.cashAdvance = rng() < 0.25 ? cents(100 + rng() * 400) : undefined
  d.startHour = 6 + Math.floor(rng() * 12)
  d.startMinute = rng() < 0.5 ? 0 : 30
  d.endHour = 12 + Math.floor(rng() * 10)
  d.endMinute = rng() < 0.5 ? 0 : 30
  return d
}

const hhmm = (hour: number, minute: number) =>
  `${String(hour).padStart(2, '0')}:${minute === 0 ? '00' : '30'}`

/** Seeded request `ordinal` (< users × REQUESTS_PER_USER): status, dates, expenses, cash advance. */
function seededRequest(ds: Dataset, ordinal: number): TravelRequest {
  const d = drawSeeded(ds, ordinal, newDraw())
  const owner = Math.floor(ordinal / REQUESTS_PER_USER)
  const approver = approverOf(ds, owner)
  const { status, creationMs, start, submitMs, authorizedMs } = d
  const place = CITIES[d.place]!
  const purpose = PURPOSES[d.purpose]!
  const city = place.city.split(',')[0]!
  const currency = currencyOf(ds)
  const expenses: StoredExpense[] = []
  for (let j = 0; j < d.expenseCount; j++) {
    const [typeId, typeName] = EXPENSE_TYPES[d.expenseType[j]!]!
    expenses.push({
      id: childIdOf(ds, 'expense', ordinal, j),
      typeId,
      typeName,
      date: ymd(start + d.expenseDay[j]! * DAY_MS),
      amount: d.expenseAmount[j]!,
      currency,
      businessPurpose: `${typeName} for ${purpose.toLowerCase()} in ${city}`,
      location: { name: place.city, city: place.city, countryCode: place.countryCode },
      extra: {},
      comments: [],
    })
  }
  const cashAdvances: StoredCashAdvance[] = []
  const exceptions: TravelRequest['exceptions'] = []
  if (d.cashAdvance !== undefined) {
    const amount = d.cashAdvance
    cashAdvances.push({
      id: childIdOf(ds, 'cash-advance', ordinal, 0),
      amount,
      currency,
      requestMs: creationMs,
      comment: `Cash advance for ${city}`,
    })
    if (amount > 300)
      exceptions.push({
        code: 'CALWARN2',
        level: 1,
        message:
          'The requested Cash Advance exceeds the limit allowed by your company policy. Please update the requested amount accordingly.',
        isBlocking: false,
        parameters: {},
      })
  }
  const comments: StoredComment[] = [
    {
      author: owner,
      atMs: creationMs,
      value: `Need to arrive the day before for the ${purpose.toLowerCase()}`,
    },
  ]
  if (d.everSentBack && approver !== null)
    comments.push({
      author: approver,
      atMs: (submitMs ?? creationMs) + DAY_MS / 2,
      value: 'Please review the expected expenses before resubmitting',
    })
  return {
    id: requestIdOf(ds, ordinal),
    requestId: shortIdOf(ordinal),
    ordinal,
    owner,
    approver,
    name: `${purpose} in ${city}`,
    businessPurpose: `${purpose} in ${city}`,
    comment: comments[0]!.value,
    startDate: ymd(start),
    endDate: ymd(d.end),
    startTime: hhmm(d.startHour, d.startMinute),
    endTime: hhmm(d.endHour, d.endMinute),
    custom: {},
    mainDestination: { ...place, name: place.city },
    policyId: policyIdOf(ds),
    travelAgencyId: agencyIdOf(ds),
    status,
    closed: d.closed,
    canceledPostApproval: status === 'CANCELED' && authorizedMs !== undefined,
    everSentBack: d.everSentBack,
    creationMs,
    lastModifiedMs: d.lastModifiedMs,
    ...(submitMs === undefined ? {} : { submitMs }),
    ...(authorizedMs === undefined ? {} : { authorizedMs }),
    currency,
    comments,
    expenses,
    nextExpense: d.expenseCount,
    cashAdvances,
    exceptions,
  }
}

/** The per-mock Request v4 changes: per company, replaced or deleted seeded requests and created ones. */
export interface RequestV4Store {
  readonly changed: Map<string, Map<string, TravelRequest | null>>
  readonly created: Map<string, TravelRequest[]>
  /**
   * Per company, the selections of recent list queries as request ordinals in list order (dropped
   * on every change of the company).
   */
  readonly selections: Map<string, Map<string, Int32Array>>
  reset(): void
}

export function requestStore(state: MockState): RequestV4Store {
  return state.store('request-v4', () => {
    const changed = new Map<string, Map<string, TravelRequest | null>>()
    const created = new Map<string, TravelRequest[]>()
    const selections = new Map<string, Map<string, Int32Array>>()
    return {
      changed,
      created,
      selections,
      reset: () => {
        changed.clear()
        created.clear()
        selections.clear()
      },
    }
  })
}

/**
 * What a list query reads of a request (views, date filters, sort keys), without building it:
 * seeded requests give it from the company's core table, stored ones (changed or created) from
 * the request itself.
 */
export interface RequestCore {
  ordinal: number
  owner: number
  approver: number | null
  status: RequestV4ApprovalCode
  closed: boolean
  hasTravelAgency: boolean
  /** `Date.parse(`${startDate}T00:00:00Z`)`. */
  startDayMs: number
  /**
   * `${startDate}T${startTime ?? '00:00'}` as the number `yyyyMMddHHmm`, which orders like the
   * string; NaN when the dates are not in that shape (then `startText` is compared).
   */
  startKey: number
  lastModifiedMs: number
  authorizedMs: number | undefined
  /** The request when it is a stored one (changed or created); undefined for a seeded one. */
  stored: TravelRequest | undefined
}

const STATUS_CODES: readonly RequestV4ApprovalCode[] = [
  'NOT_SUBMITTED',
  'SUBMITTED',
  'APPROVED',
  'SENTBACK',
  'CANCELED',
]
const CLOSED_BIT = 8
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/
const HHMM = /^(\d{2}):(\d{2})$/

/** The sort text of a request's start, `yyyy-MM-ddTHH:mm` (the time `00:00` when it has none). */
export function startText(c: RequestCore): string {
  return c.stored ? `${c.stored.startDate}T${c.stored.startTime ?? '00:00'}` : startKeyText(c.startKey)
}

/** The text a numeric start key stands for (`202503101230` → `2025-03-10T12:30`). */
export function startKeyText(key: number): string {
  const s = String(key).padStart(12, '0')
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}`
}

function startKeyOf(date: string, time = '00:00'): number {
  const d = YMD.exec(date)
  const t = HHMM.exec(time)
  return d && t ? Number(`${d[1]}${d[2]}${d[3]}${t[1]}${t[2]}`) : Number.NaN
}

/** The list core of a stored request. */
function coreOf(r: TravelRequest): RequestCore {
  return {
    ordinal: r.ordinal,
    owner: r.owner,
    approver: r.approver,
    status: r.status,
    closed: r.closed,
    hasTravelAgency: r.travelAgencyId !== undefined,
    startDayMs: Date.parse(`${r.startDate}T00:00:00Z`),
    startKey: startKeyOf(r.startDate, r.startTime),
    lastModifiedMs: r.lastModifiedMs,
    authorizedMs: r.authorizedMs,
    stored: r,
  }
}

/** The list cores of a run of seeded requests, column by column (about 33 bytes a request). */
interface SeededCores {
  /** The ordinal of the first entry. */
  readonly first: number
  readonly count: number
  /** Index in STATUS_CODES, plus CLOSED_BIT when closed. */
  readonly state: Uint8Array
  /** UTC midnight of the start date, in days since the epoch. */
  readonly startDay: Int32Array
  readonly startKey: Float64Array
  readonly lastModifiedMs: Float64Array
  /** NaN: never authorized. */
  readonly authorizedMs: Float64Array
}

/**
 * The list cores of seeded requests `first … first + count - 1`: the draws of `seededRequest`
 * without the ids, strings, expenses and comments it builds from them.
 */
function drawCores(ds: Dataset, first: number, count: number): SeededCores {
  const cores: SeededCores = {
    first,
    count,
    state: new Uint8Array(count),
    startDay: new Int32Array(count),
    startKey: new Float64Array(count),
    lastModifiedMs: new Float64Array(count),
    authorizedMs: new Float64Array(count),
  }
  const d = newDraw()
  const day = new Date(0)
  for (let i = 0; i < count; i++) {
    drawSeeded(ds, first + i, d)
    cores.state[i] = STATUS_CODES.indexOf(d.status) + (d.closed ? CLOSED_BIT : 0)
    cores.startDay[i] = d.start / DAY_MS
    day.setTime(d.start)
    const ymdNumber = (day.getUTCFullYear() * 100 + day.getUTCMonth() + 1) * 100 + day.getUTCDate()
    cores.startKey[i] = ymdNumber * 10_000 + d.startHour * 100 + d.startMinute
    cores.lastModifiedMs[i] = d.lastModifiedMs
    cores.authorizedMs[i] = d.authorizedMs ?? Number.NaN
  }
  return cores
}

const coresCache = new Map<string, SeededCores>()

/** The list cores of every seeded request of a company (cached: about 33 bytes a request). */
function seededCores(ds: Dataset): SeededCores {
  const key = `${ds.seed}\u001f${ds.company.id}\u001f${ds.users}`
  return keptIn(coresCache, key, 16, () => drawCores(ds, 0, ds.users * REQUESTS_PER_USER))
}

/**
 * Visits the list core of every travel request of a company now — or of one owner's requests
 * only —, in creation order (seeded, then created; deleted ones skipped, changed ones as changed).
 * The core passed is only valid during the call (seeded ones share one object): copy what you keep.
 *
 * @example
 * let pending = 0
 * forEachCore(state, company, (c) => { if (c.status === 'SUBMITTED') pending++ })
 */
export function forEachCore(
  state: MockState,
  company: MockCompany,
  visit: (c: RequestCore) => void,
  owner?: number,
): void {
  const ds = datasetOf(state.options.seed, company)
  const store = requestStore(state)
  const changed = store.changed.get(company.id)
  const cores =
    owner === undefined
      ? seededCores(ds)
      : drawCores(ds, owner * REQUESTS_PER_USER, owner < ds.users ? REQUESTS_PER_USER : 0)
  let changedAt: Map<number, TravelRequest | null> | undefined
  if (changed && changed.size > 0) {
    changedAt = new Map()
    for (const [id, r] of changed) changedAt.set(r ? r.ordinal : Number.parseInt(id.slice(24), 16), r)
  }
  const c: RequestCore = {
    ordinal: 0,
    owner: 0,
    approver: null,
    status: 'NOT_SUBMITTED',
    closed: false,
    // Every seeded request names the company's travel agency.
    hasTravelAgency: true,
    startDayMs: 0,
    startKey: 0,
    lastModifiedMs: 0,
    authorizedMs: undefined,
    stored: undefined,
  }
  let approverOwner = -1
  for (let i = 0; i < cores.count; i++) {
    const o = cores.first + i
    const r = changedAt?.get(o)
    if (r === null) continue
    if (r) {
      visit(coreOf(r))
      continue
    }
    const owner = (o / REQUESTS_PER_USER) | 0
    if (owner !== approverOwner) {
      c.approver = approverOf(ds, owner)
      approverOwner = owner
    }
    const s = cores.state[i]!
    const authorized = cores.authorizedMs[i]!
    c.ordinal = o
    c.owner = owner
    c.status = STATUS_CODES[s & (CLOSED_BIT - 1)]!
    c.closed = (s & CLOSED_BIT) !== 0
    c.startDayMs = cores.startDay[i]! * DAY_MS
    c.startKey = cores.startKey[i]!
    c.lastModifiedMs = cores.lastModifiedMs[i]!
    c.authorizedMs = Number.isNaN(authorized) ? undefined : authorized
    visit(c)
  }
  for (const r of store.created.get(company.id) ?? []) {
    const now = changed?.get(r.id)
    if (now === null || (owner !== undefined && r.owner !== owner)) continue
    visit(coreOf(now ?? r))
  }
}

/**
 * Request `ordinal` of a company now (undefined: no such request, or deleted); a seeded one is
 * built on each call (about 20 µs), so build only what you serve.
 */
export function requestAt(
  state: MockState,
  company: MockCompany,
  ordinal: number,
): TravelRequest | undefined {
  const ds = datasetOf(state.options.seed, company)
  const store = requestStore(state)
  const changed = store.changed.get(company.id)
  const seeded = ds.users * REQUESTS_PER_USER
  if (!Number.isSafeInteger(ordinal) || ordinal < 0) return undefined
  if (ordinal < seeded) {
    const now = changed?.get(requestIdOf(ds, ordinal))
    return now === undefined ? seededRequest(ds, ordinal) : (now ?? undefined)
  }
  const r = store.created.get(company.id)?.[ordinal - seeded]
  if (!r) return undefined
  const now = changed?.get(r.id)
  return now === undefined ? r : (now ?? undefined)
}

/**
 * Every travel request of a company now, in creation order (seeded, then created). Builds every
 * seeded request (cost proportional to the company): routes read `forEachCore`, `requestAt` or
 * `requestsOf` instead.
 *
 * @example
 * allRequests(state, company).length // users × 3 ± API changes
 */
export function allRequests(state: MockState, company: MockCompany): TravelRequest[] {
  const ds = datasetOf(state.options.seed, company)
  const out: TravelRequest[] = []
  const count = ds.users * REQUESTS_PER_USER + (requestStore(state).created.get(company.id)?.length ?? 0)
  for (let o = 0; o < count; o++) {
    const r = requestAt(state, company, o)
    if (r) out.push(r)
  }
  return out
}

/**
 * The travel requests of one user now (`allRequests` filtered by owner, without building anyone
 * else's): the seeded three, then the created ones.
 *
 * @example
 * requestsOf(state, company, 7).map((r) => r.status)
 */
export function requestsOf(
  state: MockState,
  company: MockCompany,
  owner: number | undefined,
): TravelRequest[] {
  const ds = datasetOf(state.options.seed, company)
  const out: TravelRequest[] = []
  if (owner === undefined || !Number.isSafeInteger(owner) || owner < 0) return out
  if (owner < ds.users)
    for (let o = owner * REQUESTS_PER_USER; o < (owner + 1) * REQUESTS_PER_USER; o++) {
      const r = requestAt(state, company, o)
      if (r) out.push(r)
    }
  for (const r of storedCreated(state, company)) if (r.owner === owner) out.push(r)
  return out
}

/** The created requests of a company now, in creation order (changed as changed, deleted skipped). */
function storedCreated(state: MockState, company: MockCompany): TravelRequest[] {
  const store = requestStore(state)
  const changed = store.changed.get(company.id)
  const out: TravelRequest[] = []
  for (const r of store.created.get(company.id) ?? []) {
    const now = changed?.get(r.id)
    if (now !== null) out.push(now ?? r)
  }
  return out
}

/**
 * The requests of a company that differ from their seeded generation: changed seeded ones and
 * created ones (every other request is seeded as generated, with the company's default agency and
 * policy).
 */
export function storedRequests(state: MockState, company: MockCompany): TravelRequest[] {
  const ds = datasetOf(state.options.seed, company)
  const seeded = ds.users * REQUESTS_PER_USER
  const out: TravelRequest[] = []
  for (const r of requestStore(state).changed.get(company.id)?.values() ?? [])
    if (r && r.ordinal < seeded) out.push(r)
  out.push(...storedCreated(state, company))
  return out
}

/** One request by id (undefined: no such request, or deleted). */
export function findRequest(state: MockState, company: MockCompany, id: string): TravelRequest | undefined {
  const ds = datasetOf(state.options.seed, company)
  const ordinal = ordinalOf(ds, id)
  if (ordinal === undefined) return undefined
  const r = requestAt(state, company, ordinal)
  return r?.id === id ? r : undefined
}

/** A writable copy of a request (the seeded one stays as generated); `save` stores it. */
export function editable(r: TravelRequest): TravelRequest {
  return structuredClone(r)
}

export function saveRequest(
  state: MockState,
  company: MockCompany,
  r: TravelRequest | null,
  id: string,
): void {
  const store = requestStore(state)
  let m = store.changed.get(company.id)
  if (!m) {
    m = new Map()
    store.changed.set(company.id, m)
  }
  m.set(id, r)
  store.selections.delete(company.id)
}

/**
 * A list selection of the company (request ordinals in list order), computed once per distinct
 * query until the company's requests change (a walk of 150 pages sorts the requests once, not 150
 * times).
 */
export function cachedSelection(
  state: MockState,
  company: MockCompany,
  key: string,
  compute: () => Int32Array,
): Int32Array {
  const store = requestStore(state)
  let m = store.selections.get(company.id)
  if (!m) {
    m = new Map()
    store.selections.set(company.id, m)
  }
  return keptIn(m, key, 16, compute)
}

/** A new request's ordinal and ids (after every seeded and created one of the company). */
export function newRequestIds(
  state: MockState,
  company: MockCompany,
): { ordinal: number; id: string; requestId: string } {
  const ds = datasetOf(state.options.seed, company)
  const store = requestStore(state)
  let list = store.created.get(company.id)
  if (!list) {
    list = []
    store.created.set(company.id, list)
  }
  const ordinal = ds.users * REQUESTS_PER_USER + list.length
  return { ordinal, id: requestIdOf(ds, ordinal), requestId: shortIdOf(ordinal) }
}

export function addCreated(state: MockState, company: MockCompany, r: TravelRequest): void {
  const store = requestStore(state)
  store.created.get(company.id)!.push(r)
  store.selections.delete(company.id)
}

// ---- rendering ----------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString()

function employee(ds: Dataset, u: number) {
  const user = userOf(ds, u)
  return { id: user.id, firstName: user.firstName, lastName: user.lastName }
}

const link = (base: string, kind: string, id: string) => ({
  href: `${base}/travelrequest/v4/${kind}/${id}`,
  id,
  template: `${base}/travelrequest/v4/${kind}/{id}`,
})

const total = (r: TravelRequest) => ({
  value: cents(r.expenses.reduce((s, e) => s + e.amount, 0)),
  currency: r.currency,
})

/**
 * A request as `GET /requests` lists it (the documented list items: no sub-resource links, no `operations`).
 *
 * @example
 * requestSummary(ds, r, 'https://us.api.concursolutions.com').approvalStatus.code
 */
export function requestSummary(ds: Dataset, r: TravelRequest, base: string): RequestV4 {
  const amount = total(r)
  const out: Record<string, unknown> = {
    href: `${base}/travelrequest/v4/requests/${r.id}`,
    id: r.id,
    approvalStatus: { code: r.status, name: STATUS_NAME[r.status] },
    approved: r.status === 'APPROVED',
    ...(r.approver === null ? {} : { approver: employee(ds, r.approver) }),
    ...(r.authorizedMs === undefined ? {} : { authorizedDate: iso(r.authorizedMs) }),
    ...(r.businessPurpose === undefined ? {} : { businessPurpose: r.businessPurpose }),
    canceledPostApproval: r.canceledPostApproval,
    closed: r.closed,
    ...(r.comment === undefined ? {} : { comment: r.comment }),
    creationDate: iso(r.creationMs),
    ...r.custom,
    endDate: r.endDate,
    ...(r.endTime === undefined ? {} : { endTime: r.endTime }),
    everSentBack: r.everSentBack,
    expenses: r.expenses.map((e) => link(base, 'expenses', e.id)),
    ...(r.exceptions.length > 0 ? { highestExceptionLevel: 'WARNING' } : {}),
    lastModified: iso(r.lastModifiedMs),
    ...(r.mainDestination === undefined ? {} : { mainDestination: r.mainDestination }),
    name: r.name,
    owner: employee(ds, r.owner),
    pendingApproval: r.status === 'SUBMITTED',
    policy: { id: r.policyId },
    requestId: r.requestId,
    startDate: r.startDate,
    ...(r.startTime === undefined ? {} : { startTime: r.startTime }),
    ...(r.submitMs === undefined ? {} : { submitDate: iso(r.submitMs) }),
    totalApprovedAmount: amount,
    totalPostedAmount: amount,
    totalRemainingAmount: amount,
    ...(r.travelAgencyId === undefined
      ? {}
      : { travelAgency: link(base, 'travelagencies', r.travelAgencyId) }),
    type: { code: 'TRAVEL', label: 'Travel' },
  }
  return out as RequestV4
}

/** Who acts: the system user (company token without `userId`) or a user of the company. */
export type Actor = { readonly kind: 'system' } | { readonly kind: 'user'; readonly index: number }

/** The workflow actions an actor may take on a request now (also the rule the action routes enforce). */
export function availableActions(r: TravelRequest, actor: Actor): RequestV4Action[] {
  const out: RequestV4Action[] = []
  const traveler = actor.kind === 'system' || actor.index === r.owner
  if (traveler) {
    if (r.status === 'NOT_SUBMITTED') out.push('submit')
    else if (r.status === 'SENTBACK') out.push('submit', 'cancel')
    else if (r.status === 'SUBMITTED') out.push('recall', 'cancel')
    else if (r.status === 'APPROVED')
      out.push(...(r.closed ? (['reopen'] as const) : (['close', 'cancel'] as const)))
  }
  if (actor.kind === 'user' && actor.index === r.approver && r.status === 'SUBMITTED')
    out.push('approve', 'sendback')
  return out
}

/** A request as `GET /requests/{id}` and the writes answer it: summary + sub-resource links + `operations`. */
export function requestDetails(ds: Dataset, r: TravelRequest, base: string, actor: Actor): RequestV4 {
  const sub = (name: string) => ({
    href: `${base}/travelrequest/v4/requests/${r.id}/${name}`,
    id: r.id,
    template: `${base}/travelrequest/v4/requests/{id}/${name}`,
  })
  const operations: RequestV4Link[] = availableActions(r, actor).map((rel) => ({
    rel,
    href: `${base}/travelrequest/v4/requests/${r.id}/${rel}`,
  }))
  return {
    ...requestSummary(ds, r, base),
    cashAdvances: sub('cashadvances'),
    comments: sub('comments'),
    exceptions: sub('exceptions'),
    operations,
  }
}

/** Comments, newest first; only the newest has `isLatest`. */
export function commentsWire(ds: Dataset, comments: readonly StoredComment[]): RequestV4Comment[] {
  return [...comments]
    .sort((a, b) => b.atMs - a.atMs)
    .map((c, i) => {
      const u = userOf(ds, c.author)
      return {
        author: { firstName: u.firstName, lastName: u.lastName },
        creationDateTime: iso(c.atMs),
        isLatest: i === 0,
        value: c.value,
      }
    })
}

export function exceptionsWire(r: TravelRequest, base: string): RequestV4Exception[] {
  return r.exceptions.map((e) => ({
    ...e,
    source: { id: r.id, href: `${base}/travelrequest/v4/requests/${r.id}`, type: 'HEADER' },
  }))
}

export function cashAdvanceWire(r: TravelRequest, ca: StoredCashAdvance): RequestV4CashAdvance {
  return {
    cashAdvanceId: ca.id,
    amountRequested: { value: ca.amount, currency: ca.currency },
    approvalStatus: { code: r.status, name: STATUS_NAME[r.status] },
    comment: ca.comment,
    exchangeRate: { value: 1, operation: 'MULTIPLY' },
    ...(r.authorizedMs === undefined ? {} : { issueDate: iso(r.authorizedMs) }),
    requestDate: iso(ca.requestMs),
  }
}

export function expenseWire(r: TravelRequest, e: StoredExpense, base: string): RequestV4ExpectedExpense {
  const amount = { value: e.amount, currency: e.currency }
  return {
    ...e.extra,
    href: `${base}/travelrequest/v4/expenses/${e.id}`,
    id: e.id,
    allocations: [
      {
        allocationAmount: amount,
        approvedAmount: amount,
        allocationId: `${e.id.slice(0, 24)}A0000000`.slice(0, 32),
        postedAmount: amount,
        expenseId: e.id,
        percentEdited: false,
        systemAllocation: true,
        percentage: 100,
      },
    ],
    approvedAmount: amount,
    ...(e.businessPurpose === undefined ? {} : { businessPurpose: e.businessPurpose }),
    exchangeRate: { value: 1, operation: 'MULTIPLY' },
    expenseType: { id: e.typeId, name: e.typeName },
    ...(e.location === undefined ? {} : { location: e.location }),
    parentRequest: {
      href: `${base}/travelrequest/v4/requests/${r.id}`,
      id: r.id,
      template: `${base}/travelrequest/v4/requests/{id}`,
    },
    postedAmount: amount,
    remainingAmount: amount,
    transactionAmount: amount,
    transactionDate: `${e.date}T00:00:00.000Z`,
  }
}

/** The request holding an expected expense (by the ordinal in its id) and the expense. */
export function findExpense(
  state: MockState,
  company: MockCompany,
  expenseId: string,
): { request: TravelRequest; expense: StoredExpense } | undefined {
  const ds = datasetOf(state.options.seed, company)
  const ordinal = childOrdinalOf(ds, 'expense', expenseId)
  if (ordinal === undefined) return undefined
  const request = findRequest(state, company, requestIdOf(ds, ordinal))
  const expense = request?.expenses.find((e) => e.id === expenseId)
  return request && expense ? { request, expense } : undefined
}

/** The request holding a cash advance and the cash advance. */
export function findCashAdvance(
  state: MockState,
  company: MockCompany,
  id: string,
): { request: TravelRequest; cashAdvance: StoredCashAdvance } | undefined {
  const ds = datasetOf(state.options.seed, company)
  const ordinal = childOrdinalOf(ds, 'cash-advance', id)
  if (ordinal === undefined) return undefined
  const request = findRequest(state, company, requestIdOf(ds, ordinal))
  const cashAdvance = request?.cashAdvances.find((c) => c.id === id)
  return request && cashAdvance ? { request, cashAdvance } : undefined
}
