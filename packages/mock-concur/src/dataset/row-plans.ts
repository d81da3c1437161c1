import { getResource, type ResourceName } from '@concurkit/contract'
import { type Dataset, isTestUser, PROFILE_PERIOD, type ReportProfile, userOf } from './dataset.js'
import { batchId, groupConfigId, paymentTypeId, type ReportCore, reportCore, reportOwner } from './expense.js'
import { type Filters, type FilterValue, fieldMatches } from './filters.js'
import { decodeId } from './ids.js'
import { type Candidates, EMPTY_PLAN, type Plan, planOf } from './plan.js'
import type { Provider } from './providers.js'
import { ATTENDEE_TYPES, COUNTRIES, STATUS_COMBOS } from './tables.js'
import { DATE_SLACK_AFTER, DATE_SLACK_BEFORE, DAY_MS, TIMELINE_SPAN, TIMELINE_START } from './time.js'

/*
 * The filter plans the v3.0 row providers (resources/v3/*) share: report-level filters and the
 * report window of a child resource, and the generic plan of small resources. One row's own plan
 * lives in its provider file.
 */

export const str = (f: Filters, k: string) => f.get(k) as string | undefined
export const bool = (f: Filters, k: string) => f.get(k) as boolean | undefined

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

export const pick = (f: Filters, keys: readonly string[]): Map<string, FilterValue> => {
  const m = new Map<string, FilterValue>()
  for (const k of keys) {
    const v = f.get(k)
    if (v !== undefined) m.set(k, v)
  }
  return m
}

export function onlyReport(ds: Dataset, id: string | undefined): number | undefined {
  if (id === undefined) return undefined
  const r = decodeId('expense-reports', ds.tag, id)
  return r === undefined || r >= ds.reports ? -1 : r
}

export function attendeeStride(ds: Dataset, id: string | undefined) {
  if (id === undefined) return undefined
  const a = decodeId('expense-attendees', ds.tag, id)
  if (a === undefined || a >= ds.attendees) return null
  const types = ATTENDEE_TYPES.length
  return { q: Math.floor(a / types), t: a % types, mod: ds.attendees / types }
}

export const ownerOfReportChild = (k: number) => (ds: Dataset, i: number) =>
  reportOwner(ds, Math.floor(i / k))

export const defs = (name: ResourceName) => getResource(name).filters

/** A plan that tests generated records against every filter with a field (small resources). */
export function recordPlan(
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
