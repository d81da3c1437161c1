import type { ListFilter } from '@concurkit/client'
import type { FilterDefinition, ResourceDefinition, ResourceName } from '@concurkit/contract'
import { getResource, LEGACY_XML_MAPPINGS, RESOURCES } from '@concurkit/contract'
import { z } from 'zod'
import type { TargetContext } from '../context.js'
import { type CheckDefinition, expect, fail, pass, warn } from '../types.js'

type Item = Record<string, unknown>

/** A full walk of one resource through `@concurkit/client`. */
interface Walk {
  readonly items: Item[]
  readonly pageSizes: number[]
  /** The walk stopped at the page cap (remote targets) before the last page. */
  readonly partial: boolean
  readonly limit: number | undefined
}

/** Page size the shared walk uses: small on the mock, so paging really happens. */
function walkLimit(r: ResourceDefinition, t: TargetContext): number | undefined {
  if (r.paging.kind === 'v3') return t.kind === 'mock' ? Math.min(7, r.paging.maxLimit) : r.paging.maxLimit
  if (r.paging.kind === 'trips') return t.kind === 'mock' ? 5 : r.paging.maxItemsPerPage
  return undefined
}

/**
 * The connector filter that reads company-wide data: `user=ALL` where the resource (or, for a
 * fan-out, its parent) takes a v3 `user` or trips `userid_value`; v2.0 `LoginID` lists are
 * company-wide already.
 */
function baseFilter(r: ResourceDefinition): ListFilter {
  if (r.paging.kind === 'fanout') return baseFilter(getResource(r.paging.from))
  return r.userParam && r.userParam !== 'LoginID' ? { user: 'ALL' } : {}
}

/**
 * Parameters that make one request return every record the caller may see (the registry's XML
 * mapping `completeQueries`, e.g. the trips window 1900..2099 with canceled, virtual and guest
 * trips); used only when a single query is complete.
 */
function completeQuery(r: ResourceDefinition): Record<string, string> {
  const mapping = LEGACY_XML_MAPPINGS[r.name] as
    | { readonly completeQueries?: readonly Readonly<Record<string, string>>[] }
    | undefined
  const queries = mapping?.completeQueries
  return queries?.length === 1 ? { ...queries[0] } : {}
}

/** Whether Concur serves only the token owner's records (no user parameter). */
function perUser(r: ResourceDefinition): boolean {
  return Boolean((LEGACY_XML_MAPPINGS[r.name] as { readonly perUser?: boolean } | undefined)?.perUser)
}

/**
 * What the manifest must be asked so it counts what the walk reads: the whole company for
 * `user=ALL` walks, the token owner for per-user resources, and the same complete query.
 */
function manifestScope(t: TargetContext, r: ResourceDefinition): Record<string, string> {
  if (perUser(r)) return { user: t.credentials.username }
  return { ...(r.userParam === 'user' ? { user: 'ALL' } : {}), ...completeQuery(r) }
}

const MAX_PAGES_REMOTE = 10
const MAX_PAGES_MOCK = 5_000

async function walk(
  t: TargetContext,
  r: ResourceDefinition,
  params?: Record<string, string>,
  pageSize?: number,
): Promise<Walk> {
  const client = await t.client()
  const limit = pageSize ?? walkLimit(r, t)
  const items: Item[] = []
  const pageSizes: number[] = []
  const seenPositions = new Set<string>()
  const maxPages = t.kind === 'mock' ? MAX_PAGES_MOCK : MAX_PAGES_REMOTE
  let partial = false
  const query = { ...completeQuery(r), ...params }
  for await (const page of client.resource(r.name).pages(baseFilter(r), {
    ...(limit ? { limit } : {}),
    ...(Object.keys(query).length > 0 ? { params: query } : {}),
  })) {
    pageSizes.push(page.items.length)
    items.push(...(page.items as Item[]))
    if (page.nextPosition !== undefined) {
      if (seenPositions.has(page.nextPosition))
        fail(`NextPage loops: position repeats after ${pageSizes.length} pages`)
      seenPositions.add(page.nextPosition)
    }
    if (pageSizes.length >= maxPages && page.nextPosition !== undefined) {
      partial = true
      break
    }
  }
  for (const item of items.slice(0, 50)) t.recorder?.add(`${r.name} item`, item)
  return { items, pageSizes, partial, limit }
}

function sharedWalk(t: TargetContext, r: ResourceDefinition): Promise<Walk> {
  return t.memo(`walk:${r.name}`, () => walk(t, r))
}

function keyOf(r: ResourceDefinition, item: Item): string {
  const fields = r.keyFields ?? [r.idField]
  return fields.map((f) => String(item[f] ?? '')).join('\u0000')
}

async function manifestCount(
  t: TargetContext,
  r: ResourceDefinition,
  params: Record<string, string> = {},
): Promise<{ count: number; sha256?: string }> {
  const company = t.fixtures?.companies[0]
  expect(company, 'no mock company')
  const q = new URLSearchParams({ company: company.id, resource: r.name, ...params })
  const body = (await t.admin('GET', `/_mock/manifest?${q}`)) as {
    companies?: { id: string; resources?: Record<string, { count: number; sha256?: string }> }[]
  }
  const entry = body.companies?.find((c) => c.id === company.id)?.resources?.[r.name]
  expect(entry && typeof entry.count === 'number', `the manifest has no count for ${r.name}`)
  return entry
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

function normaliseDate(v: unknown): string {
  return String(v).replace(/Z$/, '')
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
      return (
        actual !== null && actual !== undefined && normaliseDate(actual) >= normaliseDate(value).slice(0, 10)
      )
    case 'before':
      return (
        actual !== null && actual !== undefined && normaliseDate(actual) < normaliseDate(value) + '\uffff'
      )
    default:
      return true
  }
}

function paramsExercised(r: ResourceDefinition): string[] {
  return r.paging.kind === 'v3' ? ['limit', 'offset'] : []
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
        let bad = 0
        let first = ''
        for (const item of w.items) {
          const parsed = r.item.safeParse(item)
          if (!parsed.success) {
            bad++
            first ||= z.prettifyError(parsed.error).split('\n').slice(0, 2).join(' ')
          }
        }
        expect(bad === 0, `${bad}/${w.items.length} records do not match: ${first}`)
        if (w.items.length === 0) return warn('no records to check')
        return pass(`${w.items.length} records valid`)
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
        if (w.partial)
          return pass(`stopped after ${w.pageSizes.length} pages (remote page cap); no loop seen`)
        return pass(`ended after ${w.pageSizes.length} page(s)`)
      },
    })
    if (r.paging.kind === 'v3' || r.paging.kind === 'trips') {
      checks.push({
        id: `reports.${r.name}.paging.limit`,
        title: `${r.title} pages never exceed the requested size`,
        reference: 'C.0',
        group,
        resource: r.name,
        params: r.paging.kind === 'v3' ? ['limit'] : ['ItemsPerPage'],
        async run(t) {
          const w = await sharedWalk(t, r)
          const limit = w.limit ?? 0
          const over = w.pageSizes.filter((n) => n > limit).length
          expect(
            over === 0,
            `${over} page(s) larger than limit=${limit}: sizes ${w.pageSizes.slice(0, 8).join(',')}`,
          )
          const short = w.pageSizes.slice(0, -1).filter((n) => n < limit).length
          expect(
            short === 0,
            `a page before the last is short (${w.pageSizes.join(',')}) with limit=${limit}`,
          )
          return pass(`limit=${limit} honoured on ${w.pageSizes.length} page(s)`)
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
          : `${r.title} answers JSON or XML by Accept`,
      reference: '0, C.0',
      group,
      resource: r.name,
      async run(t) {
        const s = await t.session()
        const path = listUrl(r)
        if (!path) return pass('no plain list URL to negotiate on (fan-out resource; covered by its parent)')
        const q = r.paging.kind === 'v3' ? '?limit=2' : ''
        const xml = await t.wire.request({
          url: `${s.geolocation}${path}${q}`,
          token: s.accessToken,
          accept: 'application/xml',
          record: `GET ${path} (xml)`,
        })
        expect(xml.status === 200, `Accept XML answered ${xml.status}`)
        expect(xml.contentType.includes('xml'), `Accept XML answered ${xml.contentType}`)
        xml.xml()
        if (r.format === 'xml') return pass('XML')
        const json = await t.wire.request({
          url: `${s.geolocation}${path}${q}`,
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
          const first = w.items[0]
          if (!first) return warn('no record to read')
          const id = String(first[r.idField])
          const client = await t.client()
          if (r.name === 'receipt-images') {
            // GET by id answers an Image (`Id` + temporary `Url`), not the collection's {ID, URI}
            const image = await client.receiptImage(id)
            expect(image.bytes.length > 0, `image ${id.slice(0, 12)}… has no bytes`)
            return pass(
              `GET by id gave a temporary URL serving ${image.bytes.length} bytes of ${image.contentType}`,
            )
          }
          const one = (await client.resource(r.name).get(id)) as Item
          expect(String(one[r.idField]) === id, `asked for ${id}, got ${String(one[r.idField])}`)
          return pass(`GET by id returned ${r.idField} ${id.slice(0, 12)}…`)
        },
      })
    }
    for (const f of r.filters) checks.push(filterCheck(r, f))
  }
  return checks
}

function listUrl(r: ResourceDefinition): string | undefined {
  return r.path.includes('{') ? undefined : r.path
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
      const all = await sharedWalk(t, r)
      const sample = await filterSample(t, r, f, all.items)
      const value = sample.value
      const narrowed = await walk(t, r, { [f.param]: value }, filterPageSize(r))
      const bad = narrowed.items.filter((i) => !satisfies(f, value, i))
      expect(
        bad.length === 0,
        `${bad.length}/${narrowed.items.length} records with ${f.param}=${value} have ${f.field}=${String(bad[0]?.[f.field ?? ''])}`,
      )
      if (!all.partial && !narrowed.partial) {
        expect(
          narrowed.items.length <= all.items.length,
          `${f.param}=${value} returned ${narrowed.items.length} records, more than the ${all.items.length} unfiltered`,
        )
      }
      if (t.capabilities.has('admin')) {
        const m = await manifestCount(t, r, { ...manifestScope(t, r), [f.param]: value })
        expect(
          narrowed.items.length === m.count,
          `${f.param}=${value} returned ${narrowed.items.length} records, the manifest narrowed the same way says ${m.count}`,
        )
      }
      if (sample.unmatched) {
        expect(
          narrowed.items.length === 0,
          `${f.param}=${value} (a value no record has) returned ${narrowed.items.length} records: the filter is ignored`,
        )
        return pass(
          `${sample.unmatched}; ${f.param}=${value} narrows to 0 records${t.capabilities.has('admin') ? ', as the manifest' : ''}`,
        )
      }
      const judged = f.field ? 'all satisfy it' : 'as the manifest narrowed the same way'
      return pass(
        `${f.param}=${value}${sample.from ? ` (from ${sample.from})` : ''}: ${narrowed.items.length}/${all.items.length} records, ${t.capabilities.has('admin') || f.field ? judged : 'accepted'}`,
      )
    },
  }
}
