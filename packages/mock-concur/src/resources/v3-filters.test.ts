import { type FilterDefinition, RESOURCES } from '@concurkit/contract'
import { beforeAll, describe, expect, it } from 'vitest'
import { fieldMatches, parseFilterValue } from '../dataset/filters.js'
import {
  associationAt,
  datasetOf,
  decodeId,
  entryAt,
  isTestUser,
  itemizationAt,
  policyId,
  reportAt,
  userIndexOfLogin,
} from '../dataset/index.js'
import { createMockConcur, type MockConcur } from '../mock.js'
import { digestRecords } from './legacy/manifest.js'
import { rowProviderOf } from './row-providers.js'
import { call, issueToken, walk, withoutUri } from './v3-testing.js'

type Item = Record<string, unknown>
const V3 = RESOURCES.filter((r) => r.api === 'v3.0' && !rowProviderOf(r.name))

let mock: MockConcur
let admin: string
const samples = new Map<string, Item[]>()

beforeAll(async () => {
  mock = createMockConcur({ seed: 11, size: 90, companies: 1, datacenters: ['us'] })
  admin = await issueToken(mock, { user: 0 })
  for (const row of V3) {
    samples.set(
      row.name,
      (await walk(mock, `${row.path}?limit=100${row.userParam ? '&user=ALL' : ''}`, admin)).items,
    )
  }
})

const ds = () => datasetOf(mock.state.options.seed, mock.state.companies[0]!)
const reportIndex = (item: Item) => decodeId('expense-reports', ds().tag, String(item.ID))!
const entriesOf = (item: Item) => [0, 1, 2].map((s) => entryAt(ds(), reportIndex(item) * 3 + s))
const dateOnly = (v: unknown) => String(v).slice(0, 10)

function middle<T>(list: readonly T[]): T {
  return list[Math.floor(list.length / 2)]!
}

/** A value of a filter that selects some records of the sample, and a check of its meaning when it has no field. */
function caseFor(
  name: string,
  def: FilterDefinition,
): { values: string[]; empty?: boolean; check?: (item: Item, raw: string) => boolean } {
  const items = samples.get(name)!
  if (def.type === 'boolean') return { values: ['true', 'false'], check: fieldlessCheck(name, def.param) }
  if (def.field) {
    const withValue = items.filter(
      (i) =>
        i[def.field!] !== null &&
        i[def.field!] !== undefined &&
        i[def.field!] !== '' &&
        (def.param !== 'itemizationID' || String(i[def.field!]).startsWith('gWi')),
    )
    // Seeded lists have two levels: deeper level codes select nothing (the filter still applies).
    if (withValue.length === 0) return { values: ['NONE'], empty: true }
    const v = middle(withValue)[def.field]
    if (def.type === 'datetime') return { values: [dateOnly(v), String(v)] }
    if (def.type === 'csv') return { values: [`${String(withValue[0]![def.field])},${String(v)}`] }
    return { values: [String(v)] }
  }
  const entries = samples.get('expense-entries')!
  const fixed: Record<string, string> = {
    paymentType: String(middle(entries).PaymentTypeID),
    reimbursementMethod: 'CNQRPAY',
    expenseTypeCode: 'LODNG',
    attendeeTypeCode: 'BUSGUEST',
    vendorName: String(middle(entries.filter((e) => e.VendorDescription)).VendorDescription),
    expenseGroupConfigID: String(samples.get('expense-group-configurations')![0]!.ID),
    attendeeID: String(middle(samples.get('entry-attendee-associations')!).AttendeeID),
    reportID: String(middle(samples.get('expense-reports')!).ID),
    city: 'Seattle',
    entryTransactionDateAfter: dateOnly(middle(samples.get('expense-reports')!).CreateDate),
    entryTransactionDateBefore: dateOnly(middle(samples.get('expense-reports')!).CreateDate),
  }
  if (def.param === 'batchID') {
    const d = ds()
    const paid = samples.get('expense-reports')!.find((r) => r.PaymentStatusCode === 'P_PAID')!
    const p = d.profiles[reportIndex(paid) % d.profiles.length]!
    fixed.batchID = `gWb${d.tag}${p.batch.toString(16).toUpperCase().padStart(12, '0')}`
  }
  return { values: [fixed[def.param]!], check: fieldlessCheck(name, def.param) }
}

function fieldlessCheck(name: string, param: string): ((item: Item, raw: string) => boolean) | undefined {
  const bool = (raw: string) => raw === 'true'
  if (name === 'expense-reports') {
    switch (param) {
      case 'paymentType':
        return (i, v) => entriesOf(i).some((e) => e.PaymentTypeID === v)
      case 'expenseTypeCode':
        return (i, v) => entriesOf(i).some((e) => e.ExpenseTypeCode === v)
      case 'attendeeTypeCode':
        return (i, v) => {
          const r = reportIndex(i)
          return [0, 1].some((s) => {
            const a = decodeId(
              'expense-attendees',
              ds().tag,
              String(associationAt(ds(), r * 2 + s).AttendeeID),
            )!
            return ['BUSGUEST', 'EMPLOYEE', 'SPOUSE', 'HCP', 'NOSHOWS', 'PRIVATE'][a % 6] === v
          })
        }
      case 'vendorName':
        return (i, v) =>
          entriesOf(i).some((e) => String(e.VendorDescription).toLowerCase() === v.toLowerCase())
      case 'reimbursementMethod':
        return (i, v) => ds().profiles[reportIndex(i) % ds().profiles.length]!.reimbursement === v
      case 'batchID':
        return (i) => ['P_PROC', 'P_PAID', 'P_PAYC'].includes(String(i.PaymentStatusCode))
      case 'hasVAT':
        return (i, v) => entriesOf(i).some((e) => e.HasVAT) === bool(v)
      case 'hasImages':
        return (i, v) => entriesOf(i).some((e) => e.HasImage) === bool(v)
      case 'hasAttendees':
        return (i, v) => entriesOf(i).some((e) => e.HasAttendees) === bool(v)
      case 'hasBillableExpenses':
        return (i, v) => entriesOf(i).some((e) => e.IsBillable) === bool(v)
      case 'isTestUser':
        return (i, v) => isTestUser(userIndexOfLogin(ds(), String(i.OwnerLoginID))!) === bool(v)
      case 'expenseGroupConfigID':
        return (i) => i.PolicyID === policyId(ds(), 0)
      case 'entryTransactionDateAfter':
        return (i, v) => entriesOf(i).some((e) => dateOnly(e.TransactionDate) >= v)
      case 'entryTransactionDateBefore':
        return (i, v) => entriesOf(i).some((e) => dateOnly(e.TransactionDate) < v)
      default:
        return undefined
    }
  }
  if (name === 'expense-entries' && param === 'attendeeID')
    return (i, v) => {
      const e = decodeId('expense-entries', ds().tag, String(i.ID))!
      return [0, 1].some((s) => associationAt(ds(), Math.floor(e / 3) * 2 + s).AttendeeID === v)
    }
  if (name === 'expense-entries' && param === 'attendeeTypeCode') return (i) => i.HasAttendees === true
  if (name === 'expense-entries' && param === 'batchID')
    return (i) => {
      const r = decodeId('expense-reports', ds().tag, String(i.ReportID))!
      return ['P_PROC', 'P_PAID', 'P_PAYC'].includes(String(reportAt(ds(), r).PaymentStatusCode))
    }
  if (name === 'expense-allocations' && param === 'reportID')
    return (i, v) => {
      const id = String(i.EntryID)
      const e = decodeId('expense-entries', ds().tag, id)
      const report =
        e !== undefined
          ? entryAt(ds(), e).ReportID
          : itemizationAt(ds(), decodeId('expense-itemizations', ds().tag, id)!).ReportID
      return report === v
    }
  if (name === 'locations' && param === 'city')
    return (i, v) => String(i.Name).toLowerCase().startsWith(`${v.toLowerCase()},`)
  return undefined
}

const MAY_BE_EMPTY = new Set(['isTestUser=true', 'active=false', 'hasAttendees=false'])

describe('every documented filter: returned items satisfy it and the manifest narrowed by it agrees', () => {
  for (const row of V3) {
    for (const def of row.filters) {
      it(`${row.name} ${def.param}`, async () => {
        const { values, check, empty } = caseFor(row.name, def)
        for (const raw of values) {
          const q = new URLSearchParams({ [def.param]: raw, limit: '40' })
          if (row.userParam && def.param !== row.userParam) q.set(row.userParam, 'ALL')
          const { items } = await walk(mock, `${row.path}?${q}`, admin)
          if (empty) expect(items).toEqual([])
          else if (!MAY_BE_EMPTY.has(`${def.param}=${raw}`))
            expect(items.length, `${def.param}=${raw}`).toBeGreaterThan(0)
          const parsed = parseFilterValue(def, raw)
          for (const item of items) {
            if (def.field)
              expect(fieldMatches(def, parsed, item), `${def.param}=${raw} on ${item.ID}`).toBe(true)
            if (check) expect(check(item, raw), `${def.param}=${raw} on ${item.ID}`).toBe(true)
          }
          expect(def.field || check, `${def.param} is checked`).toBeTruthy()
          const all = samples.get(row.name)!
          if (def.field) expect(all.filter((i) => fieldMatches(def, parsed, i)).length).toBe(items.length)
          const mq = new URLSearchParams({ resource: row.name, [def.param]: raw })
          if (row.userParam && def.param !== row.userParam) mq.set(row.userParam, 'ALL')
          const m = (await (await mock.app.request(`/_mock/manifest?${mq}`)).json()) as {
            companies: { resources: Record<string, unknown> }[]
          }
          expect(m.companies[0]!.resources[row.name]).toEqual(digestRecords(withoutUri(items)))
        }
      })
    }
  }

  it('refuses unknown parameters and malformed values naming the parameter', async () => {
    const bad: [string, string][] = [
      ['/api/v3.0/expense/reports?colour=blue', "'colour'"],
      ['/api/v3.0/expense/reports?hasVAT=yes', "'hasVAT'"],
      ['/api/v3.0/expense/reports?approvalStatusCode=A_NOPE', "'approvalStatusCode'"],
      ['/api/v3.0/expense/reports?createDateAfter=2024-13-01', "'createDateAfter'"],
      ['/api/v3.0/expense/reports?modifiedDateBefore=yesterday', "'modifiedDateBefore'"],
      ['/api/v3.0/expense/attendees?externalID=1,2,3,4,5,6,7,8,9,10,11', "'externalID'"],
      ['/api/v3.0/common/users?active=1', "'active'"],
    ]
    for (const [path, name] of bad) {
      const res = await call(mock, path, admin)
      expect(res.status, path).toBe(400)
      expect(((await res.json()) as { Error: { Message: string } }).Error.Message).toContain(name)
    }
  })

  it('expresses connector filters: status, approval status, user, date range and days back', async () => {
    const reports = samples.get('expense-reports')!
    const owner = String(reports[5]!.OwnerLoginID)
    const after = dateOnly(reports[30]!.CreateDate)
    const before = dateOnly(reports[60]!.CreateDate)
    const q = `approvalStatusCode=A_APPR&paymentStatusCode=P_PAID&createDateAfter=${after}&createDateBefore=${before}`
    const { items } = await walk(mock, `/api/v3.0/expense/reports?user=ALL&${q}`, admin)
    const expected = reports.filter(
      (r) =>
        r.ApprovalStatusCode === 'A_APPR' &&
        r.PaymentStatusCode === 'P_PAID' &&
        dateOnly(r.CreateDate) >= after &&
        dateOnly(r.CreateDate) < before,
    )
    expect(items.map((i) => i.ID)).toEqual(expected.map((i) => i.ID))
    const mine = await walk(mock, `/api/v3.0/expense/reports?user=${encodeURIComponent(owner)}`, admin)
    expect(mine.items.length).toBe(reports.filter((r) => r.OwnerLoginID === owner).length)
    expect(mine.items.every((r) => r.OwnerLoginID === owner)).toBe(true)
  })
})
