import {
  type FilterDefinition,
  getResource,
  RESOURCE_NAMES,
  RESOURCES,
  type ResourceDefinition,
  type ResourceName,
} from '@concurkit/contract'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConcurClient,
  ConcurRequestError,
  type ListFilter,
  memoryCursorStore,
  syncResource,
} from '../src/index.ts'
import { buildQuery } from '../src/internal.ts'
import { digest, digester, type MockFixture, startMock } from './helpers/mock.ts'

type Item = Record<string, unknown>

/** v3.0 rows: the manifest leaves `URI` out (mock README, "Manifest"). */
const forDigest = (def: ResourceDefinition, r: Item): Item => {
  if (def.format === 'xml') return r
  const { URI: _uri, ...rest } = r
  return rest
}

/** Trips: the whole timeline and every kind of trip (the API's defaults leave some out). */
const ALL_TRIPS: ListFilter = {
  startDate: '2000-01-01',
  endDate: '2099-12-31',
  includeCanceledTrips: true,
  includeVirtualTrip: 1,
  includeGuestBookings: true,
}

/** Per-user XML resources: read with each listed user's own token, counted per user. */
const PER_USER: readonly ResourceName[] = [
  'company-card-transactions',
  'expense-delegators',
  'card-transactions',
]

/** Rows whose API refuses user tokens (Identity v4): walked with a company token. */
const companyOnly = (def: ResourceDefinition) =>
  def.tokenKinds !== undefined && !def.tokenKinds.includes('user')

/** How a full walk of a resource is read as the Web Services Administrator (everything in the company). */
function walkFilter(def: ResourceDefinition): ListFilter {
  if (def.name === 'travel-itineraries') return { user: 'ALL', ...ALL_TRIPS }
  // Fan-out over expense-reports: `user` goes to the parent walk.
  if (def.name === 'expense-reports-detail') return { user: 'ALL' }
  return def.userParam === 'user' ? { user: 'ALL' } : {}
}

/** The raw query the manifest is narrowed by: exactly what the client sends for `filter`. */
function manifestQuery(def: ResourceDefinition, filter: ListFilter, login?: string): Record<string, string> {
  if (def.paging.kind === 'fanout') return {}
  // a row of one user's data (`{userId}`) is read as the walking user: the manifest is narrowed to them
  if (def.path.includes('{userId}') && login) return { ...buildQuery(def, filter, new Date()), user: login }
  return buildQuery(def, filter, new Date())
}

async function walk(client: ConcurClient, def: ResourceDefinition, filter: ListFilter) {
  const d = digester()
  const items: Item[] = []
  for await (const r of client.resource(def.name).list(filter)) {
    d.add(forDigest(def, r))
    items.push(r)
  }
  return { ...d.result(), items }
}

describe('client against the mock (real sockets)', () => {
  let f: MockFixture
  beforeAll(async () => {
    f = await startMock({ seed: 11, size: 30 })
    const client = await f.client()
    const first = async (name: ResourceName, field: string) => {
      const items = await client
        .resource(name)
        .list(walkFilter(getResource(name)))
        .toArray()
      const withValue = items.filter((i) => i[field] !== null && i[field] !== undefined && i[field] !== '')
      return String(middle(withValue)[field])
    }
    samples.set('reportID', await first('expense-reports', 'ID'))
    samples.set('itemizationID', await first('expense-itemizations', 'ID'))
    samples.set('attendeeID', await first('entry-attendee-associations', 'AttendeeID'))
    samples.set('paymentType', await first('expense-entries', 'PaymentTypeID'))
    samples.set('PaymentTypeID', await first('expense-entries', 'PaymentTypeID'))
    samples.set('expense-reports.expenseTypeCode', await first('expense-entries', 'ExpenseTypeCode'))
    samples.set('vendorName', await first('expense-entries', 'VendorDescription'))
    samples.set('expenseGroupConfigID', await first('expense-group-configurations', 'ID'))
    const [job] = await client.extractJobs.list().toArray()
    samples.set('JobKey', String(job!.id).split('/').at(-1)!)
  })
  afterAll(() => f.close())

  it("takes @concurkit/auth's token manager as it is: base URL from its geolocation, one refresh on a revoked token", async () => {
    const manager = await f.login(0)
    const client = await f.client()
    const defs = await client.extractDefinitions.list().toArray()
    expect(defs.length).toBeGreaterThan(0)
    expect(client.transport.stats.refreshes).toBe(0)
    // Revoke the access token behind the manager's back: the client refreshes once and goes on.
    const token = await manager.getAccessToken()
    f.mock.state.tokens.revoke(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti)
    const again = await client.extractDefinitions.list().toArray()
    expect(again.length).toBe(defs.length)
    expect(client.transport.stats.refreshes).toBe(1)
    expect(await manager.getAccessToken()).not.toBe(token)
  })

  it('extract job: create → poll on the mock clock → download; the file holds the job’s reports', async () => {
    const client = await f.client()
    const [definition] = await client.extractDefinitions.list().toArray()
    const definitionId = String(definition!.id)
    const job = await client.extractJobs.create(definitionId)
    expect(job.status).toBe('Queued')
    const statuses: string[] = []
    const done = await client.extractJobs.waitFor(job.definitionId, job.jobId, {
      interval: 1,
      timeout: 10_000,
      onPoll: async (j) => {
        statuses.push(j.status)
        await f.adminCall('POST', '/_mock/clock', { advanceSeconds: 25 })
      },
    })
    expect(done.status).toBe('Completed')
    expect(statuses).toEqual(['Queued', 'In Process', 'In Process'])
    expect(done.fileLink).toBeDefined()
    const file = await client.extractJobs.download(done)
    expect(file.contentType).toMatch(/^text\/csv/)
    const lines = file.bytes.toString('utf8').trimEnd().split('\r\n')
    expect(lines[0]).toMatch(/^ReportID,ReportName,/)
    // The reports a job extracted are the v2.0 reports with its JobKey: the list's default Status
    // (ACTIVE) leaves out the payment-confirmed ones, so both groups are read.
    const active = await client.reportsDetail.list({ JobKey: done.jobId }).toArray()
    const confirmed = await client.reportsDetail
      .list({ JobKey: done.jobId, Status: 'PAYMENTCONFIRMED' })
      .toArray()
    const listed = [...active, ...confirmed].map((r) => String(r.ReportId))
    expect(active.length).toBeGreaterThan(0)
    const inFile = lines.slice(1).map((l) => l.split(',')[0])
    expect(inFile.length).toBe(listed.length)
    expect([...inFile].sort()).toEqual([...listed].sort())
    // No file before completion: a typed 404.
    const second = await client.extractJobs.create(definitionId)
    const err = await client.extractJobs.download(second).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConcurRequestError)
    expect((err as ConcurRequestError).status).toBe(404)
  })

  it('covers every registry resource the mock counts', async () => {
    const m = await f.adminCall<{ companies: { resources: Record<string, unknown> }[] }>(
      'GET',
      `/_mock/manifest?company=${f.mock.state.companies[0]!.id}`,
    )
    expect(Object.keys(m.companies[0]!.resources).sort()).toEqual([...RESOURCE_NAMES].sort())
  })

  describe.each(RESOURCES.map((r) => [r.name, r] as const))('%s', (name, def) => {
    it('a full walk equals the manifest count and checksum', async () => {
      if (PER_USER.includes(name)) {
        // Each user reads their own records: user i's walk equals the manifest narrowed to their login.
        let total = 0
        for (const userIndex of [0, 1, 2, 3]) {
          const client = await f.client({ userIndex })
          const got = await walk(client, def, {})
          const login = f.mock.state.user(f.mock.state.companies[0]!, userIndex)!.loginId
          const expected = await f.manifest(name, { user: login })
          expect({ count: got.count, sha256: got.sha256 }).toEqual(expected)
          total += got.count
        }
        expect(total).toBeGreaterThan(0)
        return
      }
      if (def.path.includes('{userId}')) {
        // The user is in the path (Receipts v4: the token's own `sub`): each user's walk equals the
        // manifest narrowed to that user.
        let total = 0
        for (const userIndex of [0, 1, 2, 3]) {
          const client = await f.client({ userIndex })
          const user = f.mock.state.user(f.mock.state.companies[0]!, userIndex)!
          const got = await walk(client, def, { userId: user.id })
          const expected = await f.manifest(name, { user: user.loginId })
          expect({ count: got.count, sha256: got.sha256 }).toEqual(expected)
          total += got.count
        }
        expect(total).toBeGreaterThan(0)
        return
      }
      const client = await f.client(companyOnly(def) ? { userIndex: 'company' } : {})
      const filter = walkFilter(def)
      const got = await walk(client, def, filter)
      const expected = await f.manifest(name, manifestQuery(def, filter))
      expect(got.count).toBeGreaterThan(0)
      expect({ count: got.count, sha256: got.sha256 }).toEqual(expected)
      // Nothing twice. Not for expense-form: the mock's ALLOCINFO forms list two fields with
      // Id "Custom1" (labels CostCenter and Custom1), so (FormId, Id) is not unique there (mock data bug).
      if (name === 'expense-form') return
      const ids = got.items.map((r) => JSON.stringify(def.keyFields?.map((k) => r[k]) ?? r[def.idField]))
      expect(new Set(ids).size).toBe(ids.length)
    })
  })

  it('refuses a user token for a company-only row before any request, naming the token kind', async () => {
    const client = await f.client()
    const before = client.transport.stats.requests
    const err = await client
      .resource('identity-users')
      .list()
      .toArray()
      .catch((e: unknown) => e)
    expect(String((err as Error).message)).toMatch(/company-level access tokens only; this is a user token/)
    expect(client.transport.stats.requests).toBe(before)
  })

  const filtered = RESOURCES.filter((r) => r.filters.length > 0)
  describe.each(filtered.map((r) => [r.name, r] as const))('%s', (name, def) => {
    // Trips' userid_type goes with userid_value (the `user` filter sends both).
    const filters = def.filters.filter((x) => !(name === 'travel-itineraries' && x.param === 'userid_type'))
    it('each documented filter: items satisfy it, count and checksum equal the narrowed manifest', async () => {
      const client = await f.client(companyOnly(def) ? { userIndex: 'company' } : {})
      const base = walkFilter(def)
      const all = await walk(client, def, base)
      const allIds = new Set(all.items.map((r) => String(r[def.idField])))
      for (const filter of filters) {
        const { value, check, selects } = filterCase(name, filter, all.items)
        const param = name === 'travel-itineraries' && filter.param === 'userid_value' ? 'user' : filter.param
        const query: ListFilter = { ...base, [param]: value }
        const got = await walk(client, def, query)
        const admin = f.mock.state.user(f.mock.state.companies[0]!, 0)!.loginId
        const expected = await f.manifest(name, manifestQuery(def, query, admin))
        expect({ filter: filter.param, count: got.count, sha256: got.sha256 }).toEqual({
          filter: filter.param,
          ...expected,
        })
        // A value taken from a record selects at least that record (or its neighbours for date bounds).
        if (selects)
          expect({ filter: filter.param, some: got.count > 0 }).toEqual({ filter: filter.param, some: true })
        for (const item of got.items) {
          expect(allIds.has(String(item[def.idField]))).toBe(true)
          if (check)
            expect({ filter: filter.param, ok: check(item) }).toEqual({ filter: filter.param, ok: true })
        }
      }
    })
  })

  it.each([
    ['expense-reports', 'LastModifiedDate', { Name: 'Renamed between polls' }],
    ['expense-entries', 'LastModified', { Description: 'Changed between polls' }],
  ] as const)(
    'incremental %s: after the overlay adds and modifies records, the second sync returns exactly those',
    async (name, field, change) => {
      const client = await f.client()
      const resource = client.resource(name)
      const store = memoryCursorStore()
      const filter = { user: 'ALL' }
      const first = await syncResource(resource, { store, filter })
      expect(first.records).toBe((await f.manifest(name, { user: 'ALL' })).count)
      expect((await syncResource(resource, { store, filter })).records).toBe(0)

      const all = await resource.list(filter).toArray()
      const dataset = async (body: Record<string, unknown>) =>
        (await f.adminCall<{ ID: string; record: Item }>('POST', `/_mock/dataset/${name}`, body)).ID
      await f.adminCall('POST', '/_mock/clock', { advanceSeconds: 3600 })
      const modified = [String(all[3]!.ID), String(all[all.length - 2]!.ID)]
      for (const id of modified) await dataset({ action: 'update', id, fields: change })
      // A new record in the same second as the modifications (the cursor's boundary).
      const createBody =
        name === 'expense-reports'
          ? { action: 'create', fields: { Name: 'Added between polls' } }
          : {
              action: 'create',
              fields: {
                ReportID: String(all[0]!.ReportID),
                ExpenseTypeCode: 'LODNG',
                TransactionAmount: 12.5,
                TransactionCurrencyCode: 'USD',
                TransactionDate: '2024-05-01T00:00:00',
                PaymentTypeID: String(all[0]!.PaymentTypeID),
              },
            }
      const added = await dataset(createBody)

      const seen: Item[] = []
      const second = await syncResource(resource, { store, filter, onRecords: (rs) => void seen.push(...rs) })
      expect(seen.map((r) => String(r.ID)).sort()).toEqual([...modified, added].sort())
      for (const r of seen.filter((x) => modified.includes(String(x.ID)))) expect(r).toMatchObject(change)
      const latest = seen.map((r) => String(r[field])).sort()
      expect(second.cursor.highWater).toBe(latest.at(-1))
      // Nothing more until the next change.
      expect((await syncResource(resource, { store, filter })).records).toBe(0)
    },
  )

  it('get(id) of every v3.0 resource equals the record its list returned', async () => {
    const client = await f.client()
    // receipt-images' item endpoint is the image itself (see the receipt image test).
    const rows = RESOURCES.filter((r) => r.api === 'v3.0' && r.itemPath && r.name !== 'receipt-images')
    expect(rows.length).toBeGreaterThan(5)
    for (const def of rows) {
      const [first] = await client
        .resource(def.name)
        .list(walkFilter(def), { limit: 1 })
        .pages()
        [Symbol.asyncIterator]()
        .next()
        .then((r) => r.value!.items)
      expect({
        name: def.name,
        record: await client.resource(def.name).get(String(first![def.idField])),
      }).toEqual({ name: def.name, record: first })
    }
  })

  it('related reads: a report’s entries, an entry’s itemizations, allocations and attendees', async () => {
    const client = await f.client()
    const entries = await client.expenseEntries.list({ user: 'ALL' }).toArray()
    const [itemization] = await client.expenseItemizations
      .list({ user: 'ALL' }, { limit: 1 })
      .pages()
      [Symbol.asyncIterator]()
      .next()
      .then((r) => r.value!.items)
    const itemized = entries.find((e) => e.ID === itemization!.EntryID)!
    const reportId = String(itemized.ReportID)
    const ofReport = await client.reportEntries(reportId, { user: 'ALL' }).toArray()
    expect(ofReport.map((e) => e.ID)).toEqual(entries.filter((e) => e.ReportID === reportId).map((e) => e.ID))
    const items = await client.entryItemizations(String(itemized.ID), { user: 'ALL' }).toArray()
    expect(items.length).toBeGreaterThan(0)
    expect(items.every((i) => i.EntryID === itemized.ID)).toBe(true)
    // An allocation of an entry (allocations of itemizations name the itemization in EntryID).
    const entryIds = new Set(entries.map((e) => String(e.ID)))
    const allocs = await client.expenseAllocations.list({ user: 'ALL' }).toArray()
    const allocated = String(allocs.find((a) => entryIds.has(String(a.EntryID)))!.EntryID)
    const allocations = await client.entryAllocations(allocated, { user: 'ALL' }).toArray()
    expect(allocations.length).toBeGreaterThan(0)
    expect(allocations.every((a) => a.EntryID === allocated)).toBe(true)
    const associations = await client.entryAttendeeAssociations.list({ user: 'ALL' }).toArray()
    const withAttendees = String(associations[0]!.EntryID)
    const attendees = await client.entryAttendees(withAttendees, { user: 'ALL' })
    expect(attendees.length).toBeGreaterThan(0)
    expect(attendees.map((a) => a.ID).sort()).toEqual(
      associations
        .filter((a) => a.EntryID === withAttendees)
        .map((a) => a.AttendeeID)
        .sort(),
    )
  })

  it('receipt image bytes: the PNG of each image record, the same bytes on every read', async () => {
    const client = await f.client()
    const images = await client.receiptImages.list({ user: 'ALL' }).toArray()
    expect(images.length).toBeGreaterThan(1)
    const seen = new Set<string>()
    for (const image of images.slice(0, 5)) {
      const a = await client.receiptImage(String(image.ID))
      const b = await client.receiptImage(String(image.ID))
      expect(a.contentType).toMatch(/^image\/png/)
      expect(a.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
      expect(a.bytes.subarray(12, 16).toString('ascii')).toBe('IHDR')
      expect(Buffer.compare(a.bytes, b.bytes)).toBe(0)
      seen.add(a.bytes.toString('base64'))
    }
    expect(seen.size).toBe(Math.min(5, images.length))
    const missing = await client.receiptImage('gWnope').catch((e: unknown) => e)
    expect((missing as ConcurRequestError).status).toBe(404)
  })
})

/** Filters on fields the item does not show (or that hold no value here): a plausible value; the narrowed manifest is the judge. */
const FIXED: Record<string, string | number> = {
  Status: 'ACTIVE',
  ReimbursementMethod: 'CNQRPAY',
  reimbursementMethod: 'CNQRPAY',
  bookingType: 'Air',
  includeVirtualTrip: 1,
  attendeeTypeCode: 'BUSGUEST',
  ReportCountry: 'US',
  city: 'Seattle',
  createdAfterDate: '2024-06-01',
  createdBeforeDate: '2024-06-01',
  ModifiedAfterDate: '2024-06-01T00:00:00',
  ModifiedBeforeDate: '2024-06-01T00:00:00',
  entryTransactionDateAfter: '2024-06-01',
  entryTransactionDateBefore: '2024-06-01',
  submitDateAfter: '2024-06-01',
  submitDateBefore: '2024-06-01',
}

const middle = <T>(list: readonly T[]): T => list[Math.floor(list.length / 2)]!
const norm = (v: unknown) => String(v).replace(/Z$/, '').slice(0, 19)

/**
 * A value for a documented filter, taken from the data, and (when the filter names a visible
 * field) the predicate every returned item must satisfy.
 */
function filterCase(
  name: ResourceName,
  filter: FilterDefinition,
  items: readonly Item[],
): { value: string | number | boolean; check?: (item: Item) => boolean; selects?: boolean } {
  const field = filter.field
  if (filter.type === 'boolean') {
    return { value: true, ...(field ? { check: (i: Item) => i[field] === true || i[field] === 'true' } : {}) }
  }
  if (field && filter.param === 'itemizationID') {
    // Allocations name their itemization in EntryID: a value from the itemizations, not from EntryID.
    const v = sampleFor(name, filter.param)
    return { value: v, check: (i) => String(i[field]) === v }
  }
  if (field) {
    const withValue = items.filter((i) => i[field] !== null && i[field] !== undefined && i[field] !== '')
    if (withValue.length > 0 && !(filter.param in FIXED)) {
      const v = String(middle(withValue)[field])
      const c = fieldCase(filter, field, v, withValue)
      return { ...c, selects: true }
    }
  }
  if (filter.param in FIXED) return { value: FIXED[filter.param]! }
  if (filter.values?.[0]) return { value: filter.values[0] }
  return { value: sampleFor(name, filter.param) }
}

function fieldCase(
  filter: FilterDefinition,
  field: string,
  v: string,
  withValue: readonly Item[],
): { value: string; check: (item: Item) => boolean } {
  switch (filter.op) {
    case 'after':
      if (filter.type === 'date')
        return { value: v.slice(0, 10), check: (i) => String(i[field]).slice(0, 10) >= v.slice(0, 10) }
      return { value: norm(v), check: (i) => norm(i[field]) >= norm(v) }
    case 'before':
      if (filter.type === 'date')
        return { value: v.slice(0, 10), check: (i) => String(i[field]).slice(0, 10) <= v.slice(0, 10) }
      return { value: norm(v), check: (i) => norm(i[field]) <= norm(v) }
    case 'in': {
      const two = [String(withValue[0]![field]), v]
      return { value: two.join(','), check: (i) => two.includes(String(i[field])) }
    }
    case 'ieq':
      return { value: v, check: (i) => String(i[field]).toLowerCase() === v.toLowerCase() }
    case 'prefix':
      return { value: v.slice(0, 3), check: (i) => String(i[field]).startsWith(v.slice(0, 3)) }
    default:
      return { value: v, check: (i) => String(i[field]) === v }
  }
}

/** Values of fieldless id filters, from the records of related resources (filled in `beforeAll`). */
const samples = new Map<string, string>()
function sampleFor(name: ResourceName, param: string): string {
  return samples.get(param) ?? samples.get(`${name}.${param}`) ?? 'NONE'
}

describe('complete walks (the contract’s complete queries and partitions)', () => {
  let f: MockFixture
  beforeAll(async () => {
    f = await startMock({ seed: 3, size: 1_500 })
  })
  afterAll(() => f.close())

  it('v2.0 reports beyond the 1000 cap: windows bisected until each answer is under the cap, ACTIVE and PAYMENTCONFIRMED unioned', async () => {
    const client = await f.client()
    const [active, confirmed] = await Promise.all([
      f.manifest('reports-detail', { Status: 'ACTIVE' }),
      f.manifest('reports-detail', { Status: 'PAYMENTCONFIRMED' }),
    ])
    expect(active.count).toBeGreaterThan(1_000)
    // One plain answer stops at the cap.
    expect((await client.reportsDetail.list().toArray()).length).toBe(1_000)
    const all = await client.reportsDetail.list({}, { complete: true }).toArray()
    expect(all.length).toBe(active.count + confirmed.count)
    expect(new Set(all.map((r) => r.ReportId)).size).toBe(all.length)
    // Narrowed to one status, the records sorted by ReportId are the manifest's (mock README).
    const byId = (rs: Item[]) => [...rs].sort((a, b) => (String(a.ReportId) < String(b.ReportId) ? -1 : 1))
    const onlyActive = await client.reportsDetail.list({ Status: 'ACTIVE' }, { complete: true }).toArray()
    expect(digest(byId(onlyActive))).toEqual(active)
  })

  it('trips: the complete query reads every trip of every traveller', async () => {
    const client = await f.client()
    const got = digest(await client.travelItineraries.list({}, { complete: true }).toArray())
    expect(got.count).toBeGreaterThan(0)
    expect(got).toEqual(await f.manifest('travel-itineraries'))
  })
})
