import { type FilterDefinition, getResource, type ResourceName } from '@concurkit/contract'
import {
  attendeeTypeAt,
  COMMON_SIZES,
  groupConfigAt,
  listAt,
  listItemAt,
  listItemSlot,
  locationAt,
  userItemAt,
} from './common.js'
import {
  ALLOCATIONS_PER_REPORT,
  ASSOCIATIONS_PER_REPORT,
  type Dataset,
  ENTRIES_PER_REPORT,
  ITEMIZATIONS_PER_REPORT,
  isActiveUser,
  isTestUser,
  LIST_ITEMS_PER_LIST,
  PROFILE_PERIOD,
  type ReportProfile,
  userIndexOfLogin,
  userOf,
} from './dataset.js'
import {
  allocationAt,
  allocationSlot,
  associationAt,
  attendeeAt,
  attendeeOwner,
  batchId,
  entryAt,
  groupConfigId,
  itemizationAt,
  paymentTypeId,
  type ReportCore,
  reportAt,
  reportCore,
  reportOwner,
} from './expense.js'
import { type Filters, type FilterValue, fieldMatches } from './filters.js'
import { decodeId, encodeId, type IdKind } from './ids.js'
import { type Candidates, childPlan, EMPTY_PLAN, type Plan, planOf } from './plan.js'
import { ATTENDEE_TYPES, COUNTRIES, STATUS_COMBOS } from './tables.js'
import { DATE_SLACK_AFTER, DATE_SLACK_BEFORE, DAY_MS, TIMELINE_SPAN, TIMELINE_START } from './time.js'

/** A record as generated (client-visible fields without `URI`). */
export type WireRecord = Record<string, unknown>

/**
 * How the mock serves one resource from the lazy dataset: its index space (with holes), record
 * generator, owner and filter plan.
 */
export interface Provider {
  readonly key: ResourceName | 'lists'
  readonly kind: IdKind
  /** Filter definitions (from the registry row). */
  readonly filters: readonly FilterDefinition[]
  /** Size of the seeded index space (some indices may be holes). */
  size(ds: Dataset): number
  exists(ds: Dataset, i: number): boolean
  generate(ds: Dataset, i: number): WireRecord
  /** The user index owning record *i*, for owner-scoped resources. */
  owner?(ds: Dataset, i: number): number
  /** A plan over the seeded records for the filters and owner (holes excluded). */
  plan(ds: Dataset, filters: Filters, owner: number | undefined): Plan
}

const str = (f: Filters, k: string) => f.get(k) as string | undefined
const bool = (f: Filters, k: string) => f.get(k) as boolean | undefined

/**
 * How far each report date can lie before / after the report's creation (ms). Creation is
 * non-decreasing in the index, so a bound on a date bounds the index window.
 */
const DATE_SLACK: Record<string, readonly [number, number]> = {
  entryTransactionDate: [DATE_SLACK_BEFORE, 0],
  createDate: [0, 0],
  userDefinedDate: [4 * DAY_MS, 0],
  submitDate: [0, 10 * DAY_MS],
  processingPaymentDate: [0, 15 * DAY_MS],
  paidDate: [0, 20 * DAY_MS],
  modifiedDate: [0, DATE_SLACK_AFTER],
}

function windowForDates(ds: Dataset, f: Filters, params: readonly string[]): [number, number] {
  let lo = 0
  let hi = ds.reports
  const n = ds.reports
  for (const param of params) {
    const v = f.get(param)
    if (typeof v !== 'number') continue
    const after = param.endsWith('After')
    const [before, later] = DATE_SLACK[param.slice(0, after ? -5 : -6)] ?? [
      DATE_SLACK_BEFORE,
      DATE_SLACK_AFTER,
    ]
    if (after) {
      const x = v - later - TIMELINE_START
      lo = Math.max(lo, Math.floor((x * n) / TIMELINE_SPAN) - 1)
    } else {
      const x = v + before - TIMELINE_START
      hi = Math.min(hi, Math.ceil((x * n) / TIMELINE_SPAN) + 1)
    }
  }
  return [Math.max(0, lo), Math.max(0, hi)]
}

const REPORT_DATES: Record<string, (c: ReportCore) => number | readonly number[] | null> = {
  entryTransactionDate: (c) => c.entryDates,
  createDate: (c) => c.create,
  userDefinedDate: (c) => c.userDefined,
  submitDate: (c) => c.submit,
  processingPaymentDate: (c) => c.processing,
  paidDate: (c) => c.paid,
  modifiedDate: (c) => c.modified,
}
const DATE_PARAMS = Object.keys(REPORT_DATES).flatMap((k) => [`${k}After`, `${k}Before`])

function profileMatches(ds: Dataset, p: ReportProfile, f: Filters): boolean {
  const combo = STATUS_COMBOS[p.status]!
  const country = COUNTRIES[p.country]!
  for (const [k, v] of f) {
    const s = typeof v === 'string' ? v : ''
    switch (k) {
      case 'approvalStatusCode':
        if (combo.approvalCode !== v) return false
        break
      case 'paymentStatusCode':
        if (combo.paymentCode !== v) return false
        break
      case 'currencyCode':
        if (country.currency !== v) return false
        break
      case 'countryCode':
        if (country.code !== v) return false
        break
      case 'paymentType':
        if (!p.slots.some((x) => paymentTypeId(ds, x.payment) === v)) return false
        break
      case 'reimbursementMethod':
        if (p.reimbursement !== v) return false
        break
      case 'approverLoginID':
        if (!combo.submitted || userOf(ds, p.approver).loginId.toLowerCase() !== s.toLowerCase()) return false
        break
      case 'expenseTypeCode':
        if (!p.slots.some((x) => x.type === v) && !(v === 'LODTX' && p.itemized)) return false
        break
      case 'attendeeTypeCode':
        if (!p.hasAttendees || !p.attendeeTypes.some((t) => ATTENDEE_TYPES[t]!.code === v)) return false
        break
      case 'batchID':
        if (!combo.processing || batchId(ds, p.batch) !== v) return false
        break
      case 'vendorName':
        if (!p.slots.some((x) => x.vendor?.toLowerCase() === s.toLowerCase())) return false
        break
      case 'hasVAT':
        if (p.slots.some((x) => x.vat) !== v) return false
        break
      case 'hasImages':
        if (p.slots.some((x) => x.image) !== v) return false
        break
      case 'hasAttendees':
        if (p.hasAttendees !== v) return false
        break
      case 'hasBillableExpenses':
        if (p.slots.some((x) => x.billable) !== v) return false
        break
      case 'expenseGroupConfigID':
        if (groupConfigId(ds, p.group) !== v) return false
        break
      default:
        break
    }
  }
  return true
}

/** Extra candidate constraints a child resource puts on its reports. */
interface ReportConstraints {
  /** Only this report (from a `reportID`/`entryID` filter); -1 = none matches. */
  only?: number
  strides?: { mod: number; rem: number }[]
}

/**
 * The plan over reports for report-level filters (`approvalStatusCode`, dates, `isTestUser` ...).
 * Categorical filters test the report's profile (a table of `PROFILE_PERIOD` entries precomputed
 * per request); date filters narrow an index window and then test exact dates.
 *
 * @example
 * reportPlan(ds, new Map([['approvalStatusCode', 'A_APPR']]), undefined)
 */
export function reportPlan(
  ds: Dataset,
  f: Filters,
  owner: number | undefined,
  extra: ReportConstraints = {},
): Plan {
  const allowed = new Uint8Array(PROFILE_PERIOD)
  let any = false
  for (let p = 0; p < PROFILE_PERIOD; p++) {
    if (profileMatches(ds, ds.profiles[p]!, f)) {
      allowed[p] = 1
      any = true
    }
  }
  if (!any || extra.only === -1) return EMPTY_PLAN
  let [lo, hi] = windowForDates(ds, f, DATE_PARAMS)
  if (extra.only !== undefined) {
    lo = Math.max(lo, extra.only)
    hi = Math.min(hi, extra.only + 1)
  }
  const strides = [...(extra.strides ?? [])]
  if (owner !== undefined) strides.push({ mod: ds.users, rem: owner })
  const dateTests = DATE_PARAMS.filter((k) => f.has(k)).map((k) => {
    const after = k.endsWith('After')
    const get = REPORT_DATES[k.slice(0, after ? -5 : -6)]!
    const bound = f.get(k) as number
    return (c: ReportCore) => {
      const d = get(c)
      if (d === null) return false
      const list = typeof d === 'number' ? [d] : d
      return list.some((t) => (after ? t >= bound : t < bound))
    }
  })
  const testUser = bool(f, 'isTestUser')
  let memo: ReportCore | undefined
  return planOf({ lo, hi, strides }, (r) => {
    if (allowed[r % PROFILE_PERIOD] !== 1) return false
    if (testUser !== undefined && isTestUser(reportOwner(ds, r)) !== testUser) return false
    if (dateTests.length === 0) return true
    if (memo?.index !== r) memo = reportCore(ds, r)
    const core = memo
    return dateTests.every((t) => t(core))
  })
}

const pick = (f: Filters, keys: readonly string[]): Map<string, FilterValue> => {
  const m = new Map<string, FilterValue>()
  for (const k of keys) {
    const v = f.get(k)
    if (v !== undefined) m.set(k, v)
  }
  return m
}

function onlyReport(ds: Dataset, id: string | undefined): number | undefined {
  if (id === undefined) return undefined
  const r = decodeId('expense-reports', ds.tag, id)
  return r === undefined || r >= ds.reports ? -1 : r
}

function attendeeStride(ds: Dataset, id: string | undefined) {
  if (id === undefined) return undefined
  const a = decodeId('expense-attendees', ds.tag, id)
  if (a === undefined || a >= ds.attendees) return null
  const types = ATTENDEE_TYPES.length
  return { q: Math.floor(a / types), t: a % types, mod: ds.attendees / types }
}

const ownerOfReportChild = (k: number) => (ds: Dataset, i: number) => reportOwner(ds, Math.floor(i / k))

const defs = (name: ResourceName) => getResource(name).filters

const reports: Provider = {
  key: 'expense-reports',
  kind: 'expense-reports',
  get filters() {
    return defs('expense-reports')
  },
  size: (ds) => ds.reports,
  exists: () => true,
  generate: (ds, i) => reportAt(ds, i),
  owner: (ds, i) => reportOwner(ds, i),
  plan: (ds, f, owner) => reportPlan(ds, f, owner),
}

const entries: Provider = {
  key: 'expense-entries',
  kind: 'expense-entries',
  get filters() {
    return defs('expense-entries')
  },
  size: (ds) => ds.reports * ENTRIES_PER_REPORT,
  exists: () => true,
  generate: (ds, i) => entryAt(ds, i),
  owner: ownerOfReportChild(ENTRIES_PER_REPORT),
  plan(ds, f, owner) {
    const att = attendeeStride(ds, str(f, 'attendeeID'))
    if (att === null) return EMPTY_PLAN
    const only = onlyReport(ds, str(f, 'reportID'))
    const rp = reportPlan(ds, pick(f, ['batchID']), owner, {
      ...(only === undefined ? {} : { only }),
      ...(att ? { strides: [{ mod: att.mod, rem: att.q }] } : {}),
    })
    const payment = str(f, 'paymentTypeID')
    const billable = bool(f, 'isBillable')
    const hasAttendees = bool(f, 'hasAttendees')
    const vat = bool(f, 'hasVAT')
    const type = str(f, 'expenseTypeCode')
    const attendeeType = str(f, 'attendeeTypeCode')
    return childPlan(rp, ENTRIES_PER_REPORT, (r, s) => {
      const p = ds.profiles[r % PROFILE_PERIOD]!
      const slot = p.slots[s]!
      const withAttendees = s === 1 && p.hasAttendees
      if (payment !== undefined && paymentTypeId(ds, slot.payment) !== payment) return false
      if (billable !== undefined && slot.billable !== billable) return false
      if (hasAttendees !== undefined && withAttendees !== hasAttendees) return false
      if (vat !== undefined && slot.vat !== vat) return false
      if (type !== undefined && slot.type !== type) return false
      if (
        attendeeType !== undefined &&
        !(withAttendees && p.attendeeTypes.some((t) => ATTENDEE_TYPES[t]!.code === attendeeType))
      )
        return false
      if (att && !(withAttendees && p.attendeeTypes.includes(att.t))) return false
      return true
    })
  },
}

const itemizations: Provider = {
  key: 'expense-itemizations',
  kind: 'expense-itemizations',
  get filters() {
    return defs('expense-itemizations')
  },
  size: (ds) => ds.reports * ITEMIZATIONS_PER_REPORT,
  exists: (ds, i) => ds.profiles[Math.floor(i / ITEMIZATIONS_PER_REPORT) % PROFILE_PERIOD]!.itemized,
  generate: (ds, i) => itemizationAt(ds, i),
  owner: ownerOfReportChild(ITEMIZATIONS_PER_REPORT),
  plan(ds, f, owner) {
    let only = onlyReport(ds, str(f, 'reportID'))
    const entry = str(f, 'entryID')
    if (entry !== undefined) {
      const e = decodeId('expense-entries', ds.tag, entry)
      const r = e === undefined || e % ENTRIES_PER_REPORT !== 0 ? -1 : e / ENTRIES_PER_REPORT
      only = only === undefined || only === r ? r : -1
      if (r >= ds.reports) only = -1
    }
    const rp = reportPlan(ds, new Map(), owner, only === undefined ? {} : { only })
    const type = str(f, 'expenseTypeCode')
    return childPlan(rp, ITEMIZATIONS_PER_REPORT, (r, t) => {
      if (!ds.profiles[r % PROFILE_PERIOD]!.itemized) return false
      return type === undefined || type === (t === 0 ? 'LODNG' : 'LODTX')
    })
  },
}

const allocations: Provider = {
  key: 'expense-allocations',
  kind: 'expense-allocations',
  get filters() {
    return defs('expense-allocations')
  },
  size: (ds) => ds.reports * ALLOCATIONS_PER_REPORT,
  exists: (ds, i) => allocationSlot(ds, i).exists,
  generate: (ds, i) => allocationAt(ds, i),
  owner: ownerOfReportChild(ALLOCATIONS_PER_REPORT),
  plan(ds, f, owner) {
    let only = onlyReport(ds, str(f, 'reportID'))
    const narrow = (r: number) => {
      only = only === undefined || only === r ? r : -1
      if (r >= ds.reports) only = -1
    }
    const entryParam = str(f, 'entryID')
    const itemParam = str(f, 'itemizationID')
    const e = entryParam === undefined ? undefined : (decodeId('expense-entries', ds.tag, entryParam) ?? -1)
    const it =
      itemParam === undefined ? undefined : (decodeId('expense-itemizations', ds.tag, itemParam) ?? -1)
    if (e !== undefined) narrow(e < 0 ? -1 : Math.floor(e / ENTRIES_PER_REPORT))
    if (it !== undefined) narrow(it < 0 ? -1 : Math.floor(it / ITEMIZATIONS_PER_REPORT))
    const rp = reportPlan(ds, new Map(), owner, only === undefined ? {} : { only })
    return childPlan(rp, ALLOCATIONS_PER_REPORT, (r, t) => {
      const slot = allocationSlot(ds, r * ALLOCATIONS_PER_REPORT + t)
      if (!slot.exists) return false
      if (e !== undefined && slot.entry !== e) return false
      if (it !== undefined && slot.itemization !== it) return false
      return true
    })
  },
}

const associations: Provider = {
  key: 'entry-attendee-associations',
  kind: 'entry-attendee-associations',
  get filters() {
    return defs('entry-attendee-associations')
  },
  size: (ds) => ds.reports * ASSOCIATIONS_PER_REPORT,
  exists: (ds, i) => ds.profiles[Math.floor(i / ASSOCIATIONS_PER_REPORT) % PROFILE_PERIOD]!.hasAttendees,
  generate: (ds, i) => associationAt(ds, i),
  owner: ownerOfReportChild(ASSOCIATIONS_PER_REPORT),
  plan(ds, f, owner) {
    const entry = str(f, 'entryID')
    let only: number | undefined
    if (entry !== undefined) {
      const e = decodeId('expense-entries', ds.tag, entry)
      only = e === undefined || e % ENTRIES_PER_REPORT !== 1 ? -1 : Math.floor(e / ENTRIES_PER_REPORT)
      if (only >= ds.reports) only = -1
    }
    const rp = reportPlan(ds, new Map(), owner, only === undefined ? {} : { only })
    return childPlan(rp, ASSOCIATIONS_PER_REPORT, (r) => ds.profiles[r % PROFILE_PERIOD]!.hasAttendees)
  },
}

const receiptImages: Provider = {
  key: 'receipt-images',
  kind: 'receipt-images',
  get filters() {
    return defs('receipt-images')
  },
  size: (ds) => ds.reports * ENTRIES_PER_REPORT,
  exists: (ds, i) =>
    ds.profiles[Math.floor(i / ENTRIES_PER_REPORT) % PROFILE_PERIOD]!.slots[i % ENTRIES_PER_REPORT]!.image,
  generate: (ds, i) => ({ ID: receiptImageIdOf(ds, i) }),
  owner: ownerOfReportChild(ENTRIES_PER_REPORT),
  plan(ds, _f, owner) {
    const rp = reportPlan(ds, new Map(), owner)
    return childPlan(rp, ENTRIES_PER_REPORT, (r, s) => ds.profiles[r % PROFILE_PERIOD]!.slots[s]!.image)
  },
}

/** The id of the receipt image of entry *e*. */
export function receiptImageIdOf(ds: Dataset, e: number): string {
  return encodeId('receipt-images', ds.tag, e)
}

/** A plan that tests generated records against every filter with a field (small resources). */
function recordPlan(
  provider: () => Provider,
  ds: Dataset,
  f: Filters,
  c: Candidates,
  extra: (i: number) => boolean = () => true,
): Plan {
  const p = provider()
  const checks = p.filters.filter((d) => d.field && f.has(d.param))
  return planOf(c, (i) => {
    if (!p.exists(ds, i) || !extra(i)) return false
    if (checks.length === 0) return true
    const rec = p.generate(ds, i)
    return checks.every((d) => fieldMatches(d, f.get(d.param)!, rec))
  })
}

const attendees: Provider = {
  key: 'expense-attendees',
  kind: 'expense-attendees',
  get filters() {
    return defs('expense-attendees')
  },
  size: (ds) => ds.attendees,
  exists: () => true,
  generate: (ds, i) => attendeeAt(ds, i),
  owner: (ds, i) => attendeeOwner(ds, i),
  plan(ds, f, owner) {
    const types = ATTENDEE_TYPES.length
    const c: Candidates = { lo: 0, hi: ds.attendees, strides: [] }
    if (owner !== undefined) c.strides.push({ mod: ds.users, rem: owner })
    const typeId = str(f, 'attendeeTypeID')
    if (typeId !== undefined) {
      const t = decodeId('expense-attendee-types', ds.tag, typeId)
      if (t === undefined || t >= types) return EMPTY_PLAN
      c.strides.push({ mod: types, rem: t })
    }
    const external = f.get('externalID') as readonly string[] | undefined
    if (external) {
      c.explicit = external.flatMap((x) => {
        const m = /^ATT(\d{8})$/.exec(x)
        return m ? [Number(m[1]) - 1] : []
      })
    }
    return recordPlan(() => attendees, ds, pick(f, ['externalID']), c)
  },
}

const attendeeTypes: Provider = {
  key: 'expense-attendee-types',
  kind: 'expense-attendee-types',
  get filters() {
    return defs('expense-attendee-types')
  },
  size: () => COMMON_SIZES.attendeeTypes,
  exists: () => true,
  generate: (ds, i) => attendeeTypeAt(ds, i),
  plan: () => planOf({ lo: 0, hi: COMMON_SIZES.attendeeTypes, strides: [] }, () => true),
}

const groupConfigs: Provider = {
  key: 'expense-group-configurations',
  kind: 'expense-group-configurations',
  get filters() {
    return defs('expense-group-configurations')
  },
  size: () => COMMON_SIZES.groupConfigs,
  exists: () => true,
  generate: (ds, i) => groupConfigAt(ds, i),
  plan: () => planOf({ lo: 0, hi: COMMON_SIZES.groupConfigs, strides: [] }, () => true),
}

const users: Provider = {
  key: 'user-information',
  kind: 'user-information',
  get filters() {
    return defs('user-information')
  },
  size: (ds) => ds.users,
  exists: () => true,
  generate: (ds, i) => userItemAt(ds, i),
  owner: (_ds, i) => i,
  plan(ds, f, owner) {
    const c: Candidates = { lo: 0, hi: ds.users, strides: [] }
    const explicit: number[][] = []
    if (owner !== undefined) explicit.push([owner])
    for (const k of ['user', 'primaryEmail']) {
      const v = str(f, k)
      if (v !== undefined) {
        const u = userIndexOfLogin(ds, v)
        explicit.push(u === undefined ? [] : [u])
      }
    }
    const emp = str(f, 'employeeID')
    if (emp !== undefined) {
      const m = /^E(\d{6,})$/.exec(emp)
      explicit.push(m ? [Number(m[1]) - 1] : [])
    }
    if (explicit.length > 0) c.explicit = explicit.reduce((a, b) => a.filter((x) => b.includes(x)))
    const active = bool(f, 'active')
    return recordPlan(
      () => users,
      ds,
      pick(f, ['user', 'primaryEmail', 'employeeID', 'lastName']),
      c,
      (i) => active === undefined || isActiveUser(i) === active,
    )
  },
}

const listItems: Provider = {
  key: 'list-items',
  kind: 'list-items',
  get filters() {
    return defs('list-items')
  },
  size: () => COMMON_SIZES.listItems,
  exists: () => true,
  generate: (ds, i) => listItemAt(ds, i),
  plan(ds, f) {
    const c: Candidates = { lo: 0, hi: COMMON_SIZES.listItems, strides: [] }
    const list = str(f, 'listId')
    if (list !== undefined) {
      const l = decodeId('lists', ds.tag, list)
      if (l === undefined || l >= COMMON_SIZES.lists) return EMPTY_PLAN
      c.lo = l * LIST_ITEMS_PER_LIST
      c.hi = c.lo + LIST_ITEMS_PER_LIST
    }
    const parent = str(f, 'parentId')
    const parentIndex = parent === undefined ? undefined : decodeId('list-items', ds.tag, parent)
    if (parent !== undefined && parentIndex === undefined) return EMPTY_PLAN
    return recordPlan(
      () => listItems,
      ds,
      f,
      c,
      (i) => parentIndex === undefined || listItemSlot(i).parent === parentIndex,
    )
  },
}

const lists: Provider = {
  key: 'lists',
  kind: 'lists',
  filters: [],
  size: () => COMMON_SIZES.lists,
  exists: () => true,
  generate: (ds, i) => listAt(ds, i),
  plan: () => planOf({ lo: 0, hi: COMMON_SIZES.lists, strides: [] }, () => true),
}

const locations: Provider = {
  key: 'locations',
  kind: 'locations',
  get filters() {
    return defs('locations')
  },
  size: () => COMMON_SIZES.locations,
  exists: () => true,
  generate: (ds, i) => locationAt(ds, i),
  plan(ds, f) {
    const city = str(f, 'city')?.toLowerCase()
    return recordPlan(
      () => locations,
      ds,
      f,
      { lo: 0, hi: COMMON_SIZES.locations, strides: [] },
      (i) =>
        city === undefined || String(locationAt(ds, i).Name).split(',')[0]!.trim().toLowerCase() === city,
    )
  },
}

/** The providers of the v3.0 resources (and `lists`), by key. */
export const PROVIDERS: ReadonlyMap<string, Provider> = new Map(
  [
    reports,
    entries,
    itemizations,
    allocations,
    associations,
    receiptImages,
    attendees,
    attendeeTypes,
    groupConfigs,
    users,
    listItems,
    lists,
    locations,
  ].map((p) => [p.key, p]),
)

/**
 * The provider of a v3.0 resource (or `lists`).
 *
 * @example
 * providerOf('expense-reports')?.generate(ds, 0)
 */
export function providerOf(key: string): Provider | undefined {
  return PROVIDERS.get(key)
}
