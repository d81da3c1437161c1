import type {
  FilterDefinition,
  LegacyXmlMapping,
  ResourceDefinition,
  ResourceName,
} from '@concurkit/contract'
import { getResource, LEGACY_XML_MAPPINGS, RESOURCES } from '@concurkit/contract'
import { firstPageParams } from '@concurkit/contract/internal'
import type { TargetContext } from '../context.js'
import { type CheckDefinition, expect, fail, pass, warn } from '../types.js'
import {
  companyWide,
  completeQueries,
  completeQuery,
  type Item,
  keyOf,
  largestPagesWalk,
  ownPath,
  rawWalk,
  recordsOf,
  sessionFor,
  sharedWalk,
} from './raw.js'

/** Whether Concur serves only the token owner's records (no user parameter). */
function perUser(r: ResourceDefinition): boolean {
  if (r.path.includes('{userId}')) return true
  return Boolean((LEGACY_XML_MAPPINGS[r.name] as { readonly perUser?: boolean } | undefined)?.perUser)
}

/**
 * What the manifest must be asked so it counts what the walk reads: the whole company for
 * `user=ALL` walks, the token owner for per-user resources, and the same complete query.
 */
function manifestScope(t: TargetContext, r: ResourceDefinition): Record<string, string> {
  // per-user resources, and rows whose path names the user (`{userId}`: the session's own)
  if (perUser(r) || r.path.includes('{userId}')) return { user: t.credentials.username }
  return { ...(r.userParam === 'user' ? { user: 'ALL' } : {}), ...completeQuery(r) }
}

async function manifestCount(
  t: TargetContext,
  r: ResourceDefinition,
  params: Record<string, string> = {},
): Promise<{ count: number }> {
  const company = t.fixtures?.companies[0]
  expect(company, 'no mock company')
  let count = 0
  // a resource read by several complete queries (v2.0 reports by Status) counts each once
  for (const query of completeQueries(r, params)) {
    const q = new URLSearchParams({ company: company.id, resource: r.name, ...query })
    const body = (await t.admin('GET', `/_mock/manifest?${q}`)) as {
      companies?: { id: string; resources?: Record<string, { count: number }> }[]
    }
    const entry = body.companies?.find((c) => c.id === company.id)?.resources?.[r.name]
    expect(entry && typeof entry.count === 'number', `the manifest has no count for ${r.name}`)
    count += entry.count
  }
  return { count }
}

/** A value to filter by, taken from the data (so the filter selects something) or the definition. */
function sampleValue(f: FilterDefinition, items: readonly Item[]): string | undefined {
  const field = f.field ?? guessField(f.param, items)
  const values = field
    ? items.map((i) => i[field]).filter((v) => v !== null && v !== undefined && v !== '')
    : []
  switch (f.type) {
    case 'boolean': {
      const v = values.find(
        (x) => typeof x === 'boolean' || x === 'Y' || x === 'N' || x === 'true' || x === 'false',
      )
      if (v === undefined) return 'true'
      return v === true || v === 'Y' || v === 'true' ? 'true' : 'false'
    }
    case 'enum': {
      const v = values.find((x) => typeof x === 'string' && (!f.values || f.values.includes(x)))
      return (v as string | undefined) ?? f.values?.[0]
    }
    case 'date':
    case 'datetime': {
      const dates = values
        .map((v) => String(v))
        .filter((v) => /^\d{4}-\d{2}-\d{2}/.test(v))
        .sort()
      const mid = dates[Math.floor(dates.length / 2)]
      const day = (mid ?? '2024-01-15').slice(0, 10)
      return f.type === 'date' ? day : `${day}T00:00:00.000`.slice(0, f.type === 'datetime' ? 23 : 10)
    }
    case 'int':
      return values.length > 0 ? String(values[0]) : '1'
    case 'csv':
    case 'string': {
      const v = values.find((x) => typeof x === 'string' || typeof x === 'number')
      return v === undefined ? undefined : String(v)
    }
    default:
      return undefined
  }
}

/** Filter walks read big pages: paging itself is judged by the shared walk. */
function filterPageSize(r: ResourceDefinition): number | undefined {
  if (r.paging.kind === 'v3') return r.paging.maxLimit
  if (r.paging.kind === 'trips') return r.paging.maxItemsPerPage
  return undefined
}

/** The first non-empty value of `field` in another resource's shared walk. */
async function valueIn(
  t: TargetContext,
  name: ResourceName,
  field: string,
  pick: (item: Item) => boolean = () => true,
): Promise<string | undefined> {
  const w = await sharedWalk(t, getResource(name))
  for (const item of w.items) {
    const v = item[field]
    if (v !== null && v !== undefined && v !== '' && pick(item)) return String(v)
  }
  return undefined
}

/**
 * Where a value for a filter whose field the records do not show comes from: the related resource
 * that does show it (the report's entries, attendees, group configurations ...).
 */
const RELATED_SAMPLES: Readonly<
  Record<
    string,
    { from: ResourceName; field: string; value: (t: TargetContext) => Promise<string | undefined> }
  >
> = {
  'expense-reports.paymentType': related('expense-entries', 'PaymentTypeID'),
  'expense-reports.expenseTypeCode': related('expense-entries', 'ExpenseTypeCode'),
  'expense-reports.attendeeTypeCode': related('expense-attendees', 'AttendeeTypeCode'),
  'expense-reports.vendorName': related('expense-entries', 'VendorDescription'),
  'expense-reports.expenseGroupConfigID': related('expense-group-configurations', 'ID'),
  'expense-entries.attendeeTypeCode': related('expense-attendees', 'AttendeeTypeCode'),
  'expense-entries.attendeeID': related('entry-attendee-associations', 'AttendeeID'),
  'expense-allocations.reportID': {
    from: 'expense-entries',
    field: 'ReportID',
    async value(t) {
      const allocated = new Set(
        (await sharedWalk(t, getResource('expense-allocations'))).items.map((a) => String(a.EntryID)),
      )
      return valueIn(t, 'expense-entries', 'ReportID', (e) => allocated.has(String(e.ID)))
    },
  },
  'reports-detail.PaymentTypeID': related('expense-entries', 'PaymentTypeID'),
  'reports-detail.ReportCountry': related('expense-reports', 'Country'),
  'reports-detail.JobKey': {
    from: 'extract-jobs',
    field: 'id',
    async value(t) {
      const id = await valueIn(t, 'extract-jobs', 'id')
      return id?.replace(/\/+$/, '').split('/').pop()
    },
  },
  'locations.city': {
    from: 'locations',
    field: 'Name',
    async value(t) {
      return (await valueIn(t, 'locations', 'Name', (l) => String(l.Name).includes(',')))
        ?.split(',')[0]
        ?.trim()
    },
  },
}

/**
 * Values taken from a related resource even though the records show the field: an allocation's
 * `EntryID` names an entry or an itemization, so `entryID` takes an entry's id that allocations
 * carry and `itemizationID` an itemization's.
 */
const PREFERRED_SAMPLES: Readonly<Record<string, ReturnType<typeof related>>> = {
  'expense-allocations.entryID': allocatedTo('expense-entries'),
  'expense-allocations.itemizationID': allocatedTo('expense-itemizations'),
}

function allocatedTo(owner: ResourceName) {
  return {
    from: owner,
    field: 'ID',
    async value(t: TargetContext) {
      const allocated = new Set(
        (await sharedWalk(t, getResource('expense-allocations'))).items.map((a) => String(a.EntryID)),
      )
      return valueIn(t, owner, 'ID', (o) => allocated.has(String(o.ID)))
    },
  }
}

function related(from: ResourceName, field: string) {
  return { from, field, value: (t: TargetContext) => valueIn(t, from, field) }
}

/** A value to filter by, and where it came from. */
interface FilterSample {
  readonly value: string
  /** `resource.field` when taken from a related resource. */
  readonly from?: string
  /** Why no record has a value: the check then proves the filter narrows to nothing. */
  readonly unmatched?: string
}

/** A value no record carries (well-formed for ids and codes: letters and digits, under 32 characters). */
const UNMATCHED = 'ZZNOMATCH0000000001'

async function filterSample(
  t: TargetContext,
  r: ResourceDefinition,
  f: FilterDefinition,
  items: readonly Item[],
): Promise<FilterSample> {
  // a parameter the complete queries set (v2.0 Status): its last, non-default value
  const queries = (LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined)?.completeQueries ?? []
  const fromQueries = queries.length > 1 ? queries[queries.length - 1]?.[f.param] : undefined
  if (fromQueries !== undefined) return { value: fromQueries, from: 'a non-default value' }
  const preferred = PREFERRED_SAMPLES[`${r.name}.${f.param}`]
  if (preferred) {
    const value = await preferred.value(t)
    if (value !== undefined) return { value, from: `${preferred.from}.${preferred.field}` }
  }
  const own = sampleValue(f, items)
  if (own !== undefined) return { value: own }
  const source = RELATED_SAMPLES[`${r.name}.${f.param}`]
  if (source) {
    const value = await source.value(t)
    if (value !== undefined) return { value, from: `${source.from}.${source.field}` }
  }
  return {
    value: UNMATCHED,
    unmatched: f.field
      ? `no record has a ${f.field} value`
      : `no record shows the ${f.param} value (no resource exposes it)`,
  }
}

function guessField(param: string, items: readonly Item[]): string | undefined {
  const first = items[0]
  if (!first) return undefined
  const lower = param.toLowerCase()
  return Object.keys(first).find((k) => k.toLowerCase() === lower)
}

/** Milliseconds of a Concur date or date-time (no zone means UTC). */
function timeOf(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(v)) return undefined
  const text = v.length === 10 ? `${v}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`
  const t = Date.parse(text)
  return Number.isNaN(t) ? undefined : t
}

/** Whether an item satisfies `param=value` by the filter's declared field and operator. */
function satisfies(f: FilterDefinition, value: string, item: Item): boolean {
  if (!f.field) return true
  const actual = item[f.field]
  switch (f.op ?? 'eq') {
    case 'eq':
      if (f.type === 'boolean') {
        const b = actual === true || actual === 'Y' || actual === 'true'
        return b === (value === 'true')
      }
      return String(actual) === value
    case 'ieq':
      return String(actual).toLowerCase() === value.toLowerCase()
    case 'in':
      return value.split(',').includes(String(actual))
    case 'prefix':
      return String(actual).toLowerCase().startsWith(value.toLowerCase())
    case 'after':
    case 'before': {
      // after is inclusive, before exclusive (a bound without a time is that day's midnight, UTC);
      // a missing date never satisfies a bound
      const t = timeOf(actual)
      const v = timeOf(value)
      if (t === undefined || v === undefined) return false
      // a date-only `before` bound (the trips window's endDate) takes in that whole day
      const end = f.type === 'date' ? v + 86_400_000 : v
      return f.op === 'after' ? t >= v : t < end
    }
    default:
      return true
  }
}

function paramsExercised(r: ResourceDefinition): string[] {
  if (r.paging.kind === 'json') return r.paging.size ? [r.paging.size.param] : []
  return r.paging.kind === 'v3' ? ['limit', 'offset'] : []
}

/** The page-size parameter of a row's list, when its paging has one. */
function sizeParamOf(r: ResourceDefinition): string | undefined {
  if (r.paging.kind === 'v3') return 'limit'
  if (r.paging.kind === 'trips') return 'ItemsPerPage'
  if (r.paging.kind === 'json') return r.paging.size?.param
  return undefined
}

/** Canonical text of a field value, for field-by-field comparison. */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/**
 * Per-resource checks generated from the registry: a new row gets them for free.
 *
 * @example
 * resourceChecks(RESOURCES).map((c) => c.id) // ['reports.expense-reports.schema', ...]
 */
export function resourceChecks(resources: readonly ResourceDefinition[] = RESOURCES): CheckDefinition[] {
  const checks: CheckDefinition[] = []
  for (const r of resources) {
    const group = `reports.${r.name}`
    const ref = r.reference
    checks.push({
      id: `reports.${r.name}.schema`,
      title: `every ${r.title} record matches the registry's item schema`,
      reference: ref,
      group,
      resource: r.name,
      async run(t) {
        const w = await sharedWalk(t, r)
        expect(
          w.invalid.count === 0,
          `${w.invalid.count}/${w.items.length} records on the wire do not match: ${w.invalid.first}`,
        )
        if (w.items.length === 0) return warn('no records to check')
        return pass(`${w.items.length} records valid (raw bytes, the contract's schema)`)
      },
    })
    checks.push({
      id: `reports.${r.name}.paging.no-duplicates`,
      title: `walking ${r.title} returns every record once`,
      reference: 'C.0',
      group,
      resource: r.name,
      params: paramsExercised(r),
      async run(t) {
        const w = await sharedWalk(t, r)
        const seen = new Map<string, number>()
        for (const item of w.items) seen.set(keyOf(r, item), (seen.get(keyOf(r, item)) ?? 0) + 1)
        const dups = [...seen.values()].filter((n) => n > 1).length
        expect(dups === 0, `${dups} record id(s) returned more than once over ${w.pageSizes.length} pages`)
        return pass(`${w.items.length} distinct records over ${w.pageSizes.length} page(s)`)
      },
    })
    checks.push({
      id: `reports.${r.name}.paging.terminates`,
      title: `paging ${r.title} ends (the last page has no next page)`,
      reference: 'C.0',
      group,
      resource: r.name,
      params: paramsExercised(r),
      async run(t) {
        const w = await sharedWalk(t, r)
        expect(!w.endless, `paging does not end: ${w.endless}`)
        if (w.partial)
          return pass(
            `stopped after ${w.pageSizes.length} pages of ${w.limit} (page cap); no loop, no repeated page`,
          )
        return pass(`ended after ${w.pageSizes.length} page(s)${w.limit ? ` of ${w.limit}` : ''}`)
      },
    })
    const sizeParam = sizeParamOf(r)
    if (sizeParam !== undefined) {
      checks.push({
        id: `reports.${r.name}.paging.limit`,
        title: `${r.title} pages never exceed the requested size`,
        reference: 'C.0',
        group,
        resource: r.name,
        params: [sizeParam],
        async run(t) {
          const w = await sharedWalk(t, r)
          const limit = w.limit ?? 0
          const over = w.pageSizes.filter((n) => n > limit).length
          expect(
            over === 0,
            `${over} page(s) larger than ${sizeParam}=${limit}: sizes ${w.pageSizes.slice(0, 8).join(',')}`,
          )
          const short = w.pageSizes.slice(0, -1).filter((n) => n < limit).length
          expect(
            short === 0,
            `a page before the last is short (${w.pageSizes.slice(0, 12).join(',')}) with ${sizeParam}=${limit}`,
          )
          return pass(`${sizeParam}=${limit} honoured on ${w.pageSizes.length} page(s)`)
        },
      })
      checks.push({
        id: `reports.${r.name}.paging.same-records`,
        title: `small pages of ${r.title} hold the same records, in the same order, as the largest pages`,
        reference: 'C.0',
        group,
        resource: r.name,
        params: [sizeParam],
        async run(t) {
          const small = await sharedWalk(t, r)
          const big = await largestPagesWalk(t, r)
          const a = small.items.map((i) => keyOf(r, i))
          const b = big.items.map((i) => keyOf(r, i))
          const n = small.partial || big.partial ? Math.min(a.length, b.length) : Math.max(a.length, b.length)
          for (let i = 0; i < n; i++) {
            if (a[i] !== b[i])
              fail(
                `record ${i + 1} differs: ${a[i] === undefined ? 'missing' : 'one record'} with ${sizeParam}=${small.limit}, ${b[i] === undefined ? 'missing' : 'another'} with ${sizeParam}=${big.limit} (${a.length} vs ${b.length} records)`,
              )
          }
          return pass(
            `${n} records identical with ${sizeParam}=${small.limit} (${small.pageSizes.length} pages) and ${sizeParam}=${big.limit} (${big.pageSizes.length})`,
          )
        },
      })
    }
    checks.push({
      id: `reports.${r.name}.count.manifest`,
      title: `the count of ${r.title} equals the mock's manifest`,
      reference: ref,
      group,
      resource: r.name,
      requires: ['admin'],
      unavailable:
        "the manifest is the mock's (GET /_mock/manifest); against Concur the same completeness is judged by paging.same-records and the filter checks",
      async run(t) {
        const w = await sharedWalk(t, r)
        const m = await manifestCount(t, r, manifestScope(t, r))
        expect(w.items.length === m.count, `walked ${w.items.length} records, the manifest says ${m.count}`)
        return pass(`${m.count} records, as the manifest`)
      },
    })
    checks.push({
      id: `reports.${r.name}.negotiation`,
      title:
        r.format === 'xml'
          ? `${r.title} answers XML (the API is XML only)`
          : r.format === 'json'
            ? `${r.title} answers JSON (the API is JSON only)`
            : `${r.title} answers JSON or XML by Accept`,
      reference: '0, C.0',
      group,
      resource: r.name,
      async run(t) {
        const s = await sessionFor(t, r)
        const path = listUrl(r)
        if (!path) return pass('no plain list URL to negotiate on (fan-out resource; covered by its parent)')
        const query = new URLSearchParams({
          ...companyWide(r),
          ...completeQuery(r),
          ...(r.paging.kind === 'v3' ? { limit: '2' } : {}),
        }).toString()
        const url = `${s.geolocation}${path}${query ? `?${query}` : ''}`
        if (r.format === 'json') {
          const json = await t.wire.request({ url, token: s.accessToken, accept: 'application/json' })
          expect(json.status === 200, `Accept JSON answered ${json.status}`)
          expect(json.contentType.includes('json'), `Accept JSON answered ${json.contentType}`)
          const page = recordsOf(r, { ...json, url }, `GET ${path}`, true)
          return pass(`JSON with ${page.items.length} record(s) on the first page`)
        }
        const xml = await t.wire.request({
          url,
          token: s.accessToken,
          accept: 'application/xml',
          record: `GET ${path} (xml)`,
        })
        expect(xml.status === 200, `Accept XML answered ${xml.status}`)
        expect(xml.contentType.includes('xml'), `Accept XML answered ${xml.contentType}`)
        const doc = xml.xml()
        if (r.xml) {
          const root = Object.keys(doc).find((k) => !k.startsWith('?'))
          const expected = r.paging.kind === 'trips' ? 'ConnectResponse' : r.xml.listRoot
          const mapping = LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined
          const listRoot = mapping ? mapping.listPath[0] : expected
          expect(
            root === expected || root === listRoot,
            `the XML root is <${root ?? 'none'}>, not <${listRoot}>`,
          )
        }
        if (r.format === 'xml') return pass('XML')
        const json = await t.wire.request({
          url,
          token: s.accessToken,
          accept: 'application/json',
          record: `GET ${path}`,
        })
        expect(json.status === 200, `Accept JSON answered ${json.status}`)
        expect(json.contentType.includes('json'), `Accept JSON answered ${json.contentType}`)
        const body = json.json() as { Items?: unknown[] }
        expect(Array.isArray(body.Items), 'the JSON body has no Items array')
        return pass('JSON and XML by Accept')
      },
    })
    if (r.itemPath?.includes('{id}')) {
      checks.push({
        id: `reports.${r.name}.get-by-id`,
        title: `one ${r.title} record by id equals the listed one`,
        reference: ref,
        group,
        resource: r.name,
        async run(t) {
          const w = await sharedWalk(t, r)
          if (w.items.length === 0) return warn('no record to read')
          const s = await sessionFor(t, r)
          // the first, a middle and the last listed record: one wrong answer is enough to fail
          const picks = [...new Set([0, Math.floor(w.items.length / 2), w.items.length - 1])].map(
            (i) => w.items[i]!,
          )
          for (const listed of picks) {
            const id = String(listed[r.idField])
            const url = `${s.geolocation}${r.itemPath!.replace('{id}', encodeURIComponent(id))}`
            const res = await t.wire.request({ url, token: s.accessToken, accept: 'application/json' })
            expect(res.status === 200, `GET by id ${id.slice(0, 12)}… answered ${res.status}`)
            const one = res.json() as Item
            expect(one && typeof one === 'object', 'GET by id answered no object')
            if (r.name === 'receipt-images') {
              // GET by id answers an Image (`Id` + temporary `Url`), not the collection's {ID, URI}
              expect(String(one.Id) === id, `asked for image ${id.slice(0, 12)}…, got Id ${String(one.Id)}`)
              continue
            }
            const differ = Object.keys(listed).filter((k) => !same(listed[k], one[k]))
            expect(
              differ.length === 0,
              `GET by id ${id.slice(0, 12)}… differs from the listed record in ${differ.length} field(s): ${differ
                .slice(0, 5)
                .map(
                  (k) =>
                    `${k} (listed ${JSON.stringify(listed[k] ?? null).slice(0, 30)}, by id ${JSON.stringify(one[k] ?? null).slice(0, 30)})`,
                )
                .join(', ')}`,
            )
          }
          if (r.name === 'receipt-images') {
            const client = await t.client()
            const image = await client.receiptImage(String(picks[0]![r.idField]))
            expect(image.bytes.length > 0, 'the image has no bytes')
            return pass(
              `${picks.length} image(s) by id; the temporary URL serves ${image.bytes.length} bytes of ${image.contentType}`,
            )
          }
          return pass(
            `${picks.length} record(s) by id equal the listed ones in all ${Object.keys(picks[0]!).length} fields`,
          )
        },
      })
    }
    for (const f of r.filters) checks.push(filterCheck(r, f))
  }
  return checks.map((c) => {
    const r = c.resource ? getResource(c.resource) : undefined
    if (!r?.tokenKinds || r.tokenKinds.includes('user')) return c
    return { ...c, requires: [...(c.requires ?? []), 'company-token'] }
  })
}

function listUrl(r: ResourceDefinition): string | undefined {
  // a fan-out row has no list of its own, even when its path has no placeholder (payment requests)
  return r.path.includes('{') || r.paging.kind === 'fanout' ? undefined : r.path
}

/** Filters that widen the answer (`includeCanceledTrips`) or name whose data is read: no contrast value. */
function contrastOf(r: ResourceDefinition, f: FilterDefinition, value: string): string | undefined {
  if (/^include/i.test(f.param) || f.param === r.userParam || f.param === 'userid_type') return undefined
  switch (f.type) {
    case 'boolean':
      // a flag documented as "Only `true`" has no false value to contrast with
      if (/only `true`/i.test(f.description)) return undefined
      return value === 'true' ? 'false' : 'true'
    case 'enum': {
      if (f.param === 'bookingType') return undefined // a trip holds bookings of several types
      const other = f.values?.find((v) => v !== value)
      return other
    }
    case 'date':
    case 'datetime': {
      const after = f.op === 'after' || (!f.op && /after|^start/i.test(f.param))
      const before = f.op === 'before' || (!f.op && /before|^end/i.test(f.param))
      if (after) return f.type === 'date' ? '2099-12-31' : '2099-12-31T00:00:00'
      if (before) return f.type === 'date' ? '1901-01-01' : '1901-01-01T00:00:00'
      return undefined
    }
    case 'string':
    case 'csv':
      return value === UNMATCHED ? undefined : UNMATCHED
    default:
      return undefined
  }
}

/** Whether a value of this filter holds for exactly one value per record (a status, a flag). */
function partitions(f: FilterDefinition): boolean {
  return f.type === 'boolean' || (f.type === 'enum' && f.param !== 'bookingType')
}

/** The first page with `param=value`: its records, or the 400 that refuses the value. */
async function firstPage(
  t: TargetContext,
  r: ResourceDefinition,
  params: Record<string, string>,
): Promise<{ status: number; items: Item[] }> {
  const s = await sessionFor(t, r)
  const q = new URLSearchParams({ ...companyWide(r), ...completeQuery(r), ...params })
  if (r.paging.kind === 'v3') q.set('limit', String(r.paging.maxLimit))
  if (r.paging.kind === 'trips') {
    q.set('includeMetadata', 'true')
    q.set('ItemsPerPage', String(r.paging.maxItemsPerPage))
    q.set('Page', '1')
  }
  if (r.paging.kind === 'json') for (const [k, v] of Object.entries(firstPageParams(r.paging))) q.set(k, v)
  const url = `${s.geolocation}${ownPath(r, s)}?${q}`
  const res = await t.wire.request({
    url,
    token: s.accessToken,
    accept: r.format === 'xml' ? 'application/xml' : 'application/json',
  })
  if (res.status === 400) return { status: 400, items: [] }
  return {
    status: res.status,
    items: recordsOf(r, { ...res, url }, `${r.path}?${Object.keys(params).join('&')}`, true).items,
  }
}

function filterCheck(r: ResourceDefinition, f: FilterDefinition): CheckDefinition {
  return {
    id: `reports.${r.name}.filter.${f.param}`,
    title: f.field
      ? `${f.param} returns only ${r.title} records whose ${f.field} satisfies it`
      : `${f.param} is accepted and narrows ${r.title}`,
    reference: r.reference,
    group: `reports.${r.name}`,
    resource: r.name,
    params: [f.param],
    async run(t) {
      // the unfiltered set at the same (largest) page size as the filtered walk: paging on small
      // pages is the paging checks' business
      const all = await largestPagesWalk(t, r)
      const sample = await filterSample(t, r, f, all.items)
      const value = sample.value
      const narrowed = await rawWalk(t, r, { [f.param]: value }, filterPageSize(r))
      expect(!narrowed.endless, `${f.param}=${value}: paging does not end: ${narrowed.endless}`)
      const complete = !all.partial && !narrowed.partial
      const allKeys = new Set(all.items.map((i) => keyOf(r, i)))
      const gotKeys = new Set(narrowed.items.map((i) => keyOf(r, i)))
      const notes: string[] = []
      if (f.field) {
        // the oracle: the subset of the unfiltered walk that the row's definition selects
        const bad = narrowed.items.filter((i) => !satisfies(f, value, i))
        expect(
          bad.length === 0,
          `${bad.length}/${narrowed.items.length} records with ${f.param}=${value} have ${f.field}=${String(bad[0]?.[f.field])}`,
        )
        const expected = all.items.filter((i) => satisfies(f, value, i)).map((i) => keyOf(r, i))
        if (!narrowed.partial) {
          const missing = expected.filter((k) => !gotKeys.has(k)).length
          expect(
            missing === 0,
            `${f.param}=${value} left out ${missing} of the ${expected.length} records whose ${f.field} satisfies it`,
          )
        }
        if (complete) {
          expect(
            gotKeys.size === new Set(expected).size,
            `${f.param}=${value} returned ${gotKeys.size} records, the unfiltered walk has ${new Set(expected).size} that satisfy it`,
          )
        }
        notes.push(`as computed from the unfiltered walk by ${f.field} ${f.op ?? 'eq'}`)
      }
      if (complete) {
        const extra = [...gotKeys].filter((k) => !allKeys.has(k)).length
        expect(
          extra === 0,
          `${f.param}=${value} returned ${extra} record(s) the unfiltered walk does not have`,
        )
      }
      if (t.capabilities.has('admin')) {
        const m = await manifestCount(t, r, { ...manifestScope(t, r), [f.param]: value })
        expect(
          narrowed.items.length === m.count,
          `${f.param}=${value} returned ${narrowed.items.length} records, the manifest narrowed the same way says ${m.count}`,
        )
        notes.push('as the manifest')
      }
      if (sample.unmatched) {
        expect(
          narrowed.items.length === 0,
          `${f.param}=${value} (a value no record has) returned ${narrowed.items.length} records: the filter is ignored`,
        )
        return pass(
          `${sample.unmatched}; ${f.param}=${value} narrows to 0 records${notes.length ? `, ${notes.join(', ')}` : ''}`,
        )
      }
      const contrast = contrastOf(r, f, value)
      if (contrast !== undefined) {
        const other = await firstPage(t, r, { [f.param]: contrast })
        if (other.status === 200) {
          if (partitions(f)) {
            const both = other.items.filter((i) => gotKeys.has(keyOf(r, i))).length
            expect(
              both === 0 || narrowed.items.length === 0,
              `${both} record(s) come back both with ${f.param}=${value} and ${f.param}=${contrast}: the value is ignored`,
            )
            notes.push(`disjoint from ${f.param}=${contrast}`)
          } else {
            expect(
              other.items.length === 0,
              `${f.param}=${contrast} (no record can match) returned ${other.items.length} records: the value is ignored`,
            )
            notes.push(`${f.param}=${contrast} gives 0`)
          }
        } else notes.push(`${f.param}=${contrast} refused with 400`)
      }
      return pass(
        `${f.param}=${value}${sample.from ? ` (from ${sample.from})` : ''}: ${narrowed.items.length}/${all.items.length} records${notes.length ? `, ${notes.join(', ')}` : ''}`,
      )
    },
  }
}
