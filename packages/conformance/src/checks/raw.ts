import {
  getResource,
  LEGACY_XML_MAPPINGS,
  type LegacyXmlMapping,
  type ResourceDefinition,
} from '@concurkit/contract'
import {
  firstPageParams,
  normalizeXmlNode,
  readJsonPage,
  recordsAt,
  xmlParserOptions,
} from '@concurkit/contract/internal'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { TargetContext, TokenSet } from '../context.js'
import { fail } from '../types.js'
import { tokenSubject } from './bodies.js'

/** One record as read from the wire (not validated, not cleaned). */
export type Item = Record<string, unknown>

/**
 * A walk of one resource read from the raw bytes by this suite (not through `@concurkit/client`),
 * so every oracle judges what the server sent, not what a client accepted.
 */
export interface RawWalk {
  readonly items: Item[]
  /** Records per page, in order. */
  readonly pageSizes: number[]
  /** The walk stopped at the target's page cap before the last page (remote targets only). */
  readonly partial: boolean
  /** Page size asked for (`limit` / `ItemsPerPage`), when the paging model has one. */
  readonly limit: number | undefined
  /** Why the walk stopped without reaching a last page: a loop, a repeated page, no end. */
  readonly endless?: string
  /** Records that did not parse against the registry's item schema, with the first error. */
  readonly invalid: { readonly count: number; readonly first: string }
  /** Requests made. */
  readonly requests: number
}

/** Where the next page starts must move on: these are the ways it fails to. */
function describeLoop(seen: Map<string, number>, url: string, page: number): string | undefined {
  const before = seen.get(url)
  if (before === undefined) return undefined
  return before === page - 1
    ? `the next-page link of page ${page} points at page ${page} itself (${redactQuery(url)})`
    : `the next-page link of page ${page} goes back to page ${before + 1} (a loop)`
}

function redactQuery(url: string): string {
  const u = new URL(url)
  return `${u.pathname}${u.search.length > 60 ? `${u.search.slice(0, 57)}...` : u.search}`
}

/** A URL with its query sorted, so `?a=1&b=2` and `?b=2&a=1` are the same page. */
function canonical(url: string): string {
  const u = new URL(url)
  u.searchParams.sort()
  return u.toString()
}

export function keyOf(r: ResourceDefinition, item: Item): string {
  const mapping = LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined
  const fields = mapping?.key ?? r.keyFields ?? [r.idField]
  return fields.map((f) => String(item[f] ?? '')).join('\u0000')
}

function parseXmlBody(text: string, mapping: Pick<LegacyXmlMapping, 'arrays' | 'containers'>, what: string) {
  const valid = XMLValidator.validate(text)
  if (valid !== true) fail(`${what}: the body is not well-formed XML (${valid.err.msg})`)
  return normalizeXmlNode(
    new XMLParser({ ...xmlParserOptions(mapping), processEntities: true }).parse(text),
    mapping,
  )
}

/** The records of one list answer (JSON `Items`, or XML along the registry's element path). */
export function recordsOf(
  r: ResourceDefinition,
  res: { status: number; text: string; contentType: string; url?: string },
  what: string,
  paged = false,
): { items: Item[]; next?: string } {
  if (res.status !== 200) fail(`${what} answered ${res.status}: ${res.text.slice(0, 120)}`)
  if (r.paging.kind === 'json') {
    let body: unknown
    try {
      body = JSON.parse(res.text)
    } catch {
      fail(`${what}: the body is not JSON`)
    }
    try {
      const page = readJsonPage(r.paging, body, res.url ?? 'http://localhost/')
      return { items: page.items as Item[], ...(page.next ? { next: page.next } : {}) }
    } catch (err) {
      fail(`${what}: ${(err as Error).message}`)
    }
  }
  const mapping = LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined
  // the body is read by the resource's format whatever its label: content types are the
  // negotiation check's business, so one mislabelled answer fails that check, not every other
  if (!mapping) {
    let body: unknown
    try {
      body = JSON.parse(res.text)
    } catch {
      fail(`${what}: the body is not JSON`)
    }
    const o = body as { Items?: unknown; NextPage?: unknown }
    if (!o || typeof o !== 'object' || !Array.isArray(o.Items)) fail(`${what}: the body has no Items array`)
    if (o.NextPage !== null && o.NextPage !== undefined && typeof o.NextPage !== 'string')
      fail(`${what}: NextPage is ${typeof o.NextPage}, not a URL or null`)
    const next = typeof o.NextPage === 'string' && o.NextPage.trim() !== '' ? o.NextPage.trim() : undefined
    return { items: o.Items as Item[], ...(next ? { next } : {}) }
  }
  const doc = parseXmlBody(res.text, mapping, what)
  if (paged && mapping.pagedListPath) {
    const paging = ((doc as { ConnectResponse?: { Metadata?: { Paging?: Record<string, unknown> } } })
      .ConnectResponse?.Metadata?.Paging ?? {}) as Record<string, unknown>
    const next = typeof paging.NextPageURL === 'string' ? paging.NextPageURL.replace(/\s+/g, '') : ''
    return { items: recordsAt(doc, mapping.pagedListPath) as Item[], ...(next ? { next } : {}) }
  }
  return { items: recordsAt(doc, mapping.listPath) as Item[] }
}

/**
 * The session a resource is read with: the main (user) session, or the app's company token
 * (client_credentials) for rows whose API accepts company tokens only (Identity v4).
 */
export function sessionFor(t: TargetContext, r: ResourceDefinition): Promise<TokenSet> {
  return r.tokenKinds && !r.tokenKinds.includes('user') ? t.companySession() : t.session()
}

/** The connector filter that reads company-wide data (`user=ALL`, `userid_value=ALL`). */
export function companyWide(r: ResourceDefinition): Record<string, string> {
  if (r.paging.kind === 'fanout') return companyWide(getResource(r.paging.from))
  if (r.userParam === 'user') return { user: 'ALL' }
  return {}
}

/** The resource's complete query when there is exactly one (trips: every window, canceled and guest trips too). */
export function completeQuery(r: ResourceDefinition): Record<string, string> {
  const queries = (LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined)?.completeQueries
  return queries?.length === 1 ? { ...queries[0] } : {}
}

/**
 * The distinct queries that together read everything `params` selects: the row's complete queries
 * (v2.0 reports: `Status=ACTIVE` and `Status=PAYMENTCONFIRMED`) each merged with `params`; one query
 * when the row has at most one.
 */
export function completeQueries(
  r: ResourceDefinition,
  params: Record<string, string>,
): Record<string, string>[] {
  const queries = (LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined)?.completeQueries ?? []
  if (queries.length < 2) return [{ ...completeQuery(r), ...params }]
  const seen = new Map<string, Record<string, string>>()
  for (const q of queries) {
    const merged = { ...q, ...params }
    seen.set(JSON.stringify(Object.entries(merged).sort()), merged)
  }
  return [...seen.values()]
}

/**
 * The list path of a row for a session: a `{userId}` placeholder (APIs that read one user's data,
 * such as Cards v4) is the session's user — the `sub` of its access token.
 */
export function ownPath(r: ResourceDefinition, s: { accessToken: string }): string {
  if (!r.path.includes('{userId}')) return r.path
  const sub =
    tokenSubject(s.accessToken) ?? fail(`${r.name} reads the token's user, but the token names none`)
  return r.path.replace('{userId}', encodeURIComponent(sub))
}

function withQuery(base: string, path: string, query: Record<string, string>): string {
  const u = new URL(`${base}${path}`)
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v)
  return u.toString()
}

/**
 * Walks a resource on the wire with its own paging model, at `pageSize` records a page (small, so
 * paging really happens), up to the target's page cap, and validates every record's raw value with
 * the registry's item schema.
 *
 * @example
 * const w = await rawWalk(t, getResource('expense-reports'), { approvalStatusCode: 'A_APPR' }, 7)
 */
export async function rawWalk(
  t: TargetContext,
  r: ResourceDefinition,
  params: Record<string, string> = {},
  pageSize?: number,
): Promise<RawWalk> {
  const s = await sessionFor(t, r)
  const items: Item[] = []
  const pageSizes: number[] = []
  let requests = 0
  let partial = false
  let endless: string | undefined
  const get = async (url: string, accept: string) => {
    requests++
    return t.wire.request({
      url,
      token: s.accessToken,
      accept,
      record: `GET ${new URL(url).pathname} (walk)`,
    })
  }
  const query = { ...companyWide(r), ...completeQuery(r), ...params }
  const p = r.paging
  let limit: number | undefined
  if (p.kind === 'v3' || p.kind === 'trips' || p.kind === 'json') {
    limit =
      p.kind === 'json'
        ? p.size
          ? (pageSize ?? p.size.max)
          : undefined
        : (pageSize ?? (p.kind === 'v3' ? p.maxLimit : p.maxItemsPerPage))
    const first =
      p.kind === 'json'
        ? withQuery(s.geolocation, ownPath(r, s), { ...query, ...firstPageParams(p, limit) })
        : p.kind === 'v3'
          ? withQuery(s.geolocation, ownPath(r, s), { ...query, limit: String(limit) })
          : withQuery(s.geolocation, ownPath(r, s), {
              ...query,
              includeMetadata: 'true',
              ItemsPerPage: String(limit),
              Page: '1',
            })
    const seenUrls = new Map<string, number>()
    const seenPages = new Map<string, number>()
    let url: string | undefined = first
    while (url) {
      const page = pageSizes.length
      seenUrls.set(canonical(url), page)
      const res = await get(url, p.kind === 'trips' ? 'application/xml' : 'application/json')
      const parsed = recordsOf(r, { ...res, url }, `GET ${r.path} page ${page + 1}`, true)
      pageSizes.push(parsed.items.length)
      items.push(...parsed.items)
      const signature = parsed.items.map((i) => keyOf(r, i)).join('\u0001')
      const repeated = parsed.items.length > 0 ? seenPages.get(signature) : undefined
      if (repeated !== undefined) {
        endless = `page ${page + 1} repeats page ${repeated + 1} (same ${parsed.items.length} records)`
        break
      }
      seenPages.set(signature, page)
      if (!parsed.next) break
      const next = new URL(parsed.next, url).toString()
      endless = describeLoop(seenUrls, canonical(next), page + 1)
      if (endless) break
      if (pageSizes.length >= t.maxPages) {
        if (t.kind === 'mock') endless = `still a next page after ${pageSizes.length} pages`
        else partial = true
        break
      }
      url = next
    }
  } else if (p.kind === 'none') {
    const mapping = LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined
    if (mapping?.walk) {
      items.push(...(await stepWalk(t, mapping, get)))
    } else {
      const seen = new Set<string>()
      for (const q of completeQueries(r, { ...companyWide(r), ...params })) {
        const url = withQuery(s.geolocation, ownPath(r, s), q)
        const res = await get(url, r.format === 'xml' ? 'application/xml' : 'application/json')
        // a record an earlier query already gave is not read twice; repeats within one answer stay
        const answer = recordsOf(r, res, `GET ${r.path}`).items
        items.push(...answer.filter((item) => !seen.has(keyOf(r, item))))
        for (const item of answer) seen.add(keyOf(r, item))
      }
    }
    pageSizes.push(items.length)
  } else {
    const parent = getResource(p.from)
    const parentWalk = await sharedWalk(t, parent)
    const mapping = LEGACY_XML_MAPPINGS[r.name] as LegacyXmlMapping | undefined
    const how = mapping?.fanout
    const from = p.field ?? how?.from ?? parent.idField
    const page: Item[] = []
    for (const parentItem of parentWalk.items.slice(0, t.kind === 'mock' ? 5_000 : 50)) {
      let v = String(parentItem[from] ?? '')
      if (how?.take === 'lastPathSegment') v = v.replace(/\/+$/, '').split('/').pop() ?? v
      if (r.format === 'json' || (r.itemPath !== undefined && !r.path.includes('{'))) {
        // a JSON detail API (or one whose path lists nothing, e.g. payment requests): one record per
        // parent, read by id
        const template = r.itemPath ?? r.path
        const res = await get(
          `${s.geolocation}${template.replace(/\{[^}]+\}/, encodeURIComponent(v))}`,
          'application/json',
        )
        if (res.status !== 200) fail(`GET ${template} answered ${res.status}: ${res.text.slice(0, 120)}`)
        try {
          page.push(JSON.parse(res.text) as Item)
        } catch {
          fail(`GET ${template}: the body is not JSON`)
        }
        continue
      }
      const path = r.path.replace(/\{[^}]+\}/, encodeURIComponent(v))
      const res = await get(`${s.geolocation}${path}`, 'application/xml')
      page.push(...recordsOf(r, res, `GET ${r.path}`).items)
    }
    items.push(...page)
    pageSizes.push(page.length)
    partial = parentWalk.partial
  }
  let invalidCount = 0
  let first = ''
  for (const item of items) {
    const parsed = r.item.safeParse(item)
    if (!parsed.success) {
      invalidCount++
      if (!first) {
        const issue = parsed.error.issues[0]
        first = `${keyOf(r, item).slice(0, 24) || 'a record'}: ${issue?.path.join('.') || '(record)'} ${issue?.message ?? ''}`
      }
    }
  }
  for (const item of items.slice(0, 50)) t.recorder?.add(`${r.name} item`, item)
  return {
    items,
    pageSizes,
    partial,
    limit,
    ...(endless ? { endless } : {}),
    invalid: { count: invalidCount, first },
    requests,
  }
}

/** The largest page the paging model allows (filter walks and the reference walk read these). */
export function largestPage(r: ResourceDefinition): number | undefined {
  if (r.paging.kind === 'v3') return r.paging.maxLimit
  if (r.paging.kind === 'trips') return r.paging.maxItemsPerPage
  if (r.paging.kind === 'json') return r.paging.size?.max
  return undefined
}

/** The walk with the largest pages, once per run: the reference the small pages are compared with. */
export function largestPagesWalk(t: TargetContext, r: ResourceDefinition): Promise<RawWalk> {
  if (largestPage(r) === undefined) return sharedWalk(t, r)
  return t.memo(`walk-big:${r.name}`, () => rawWalk(t, r, {}, largestPage(r)))
}

/**
 * The walk every per-resource check shares, once per run: small pages on every target, so paging
 * really happens — at most 7 (v3.0) or 5 (trips) records a page, and at most half the records the
 * largest pages found, so any resource with two records is read in two pages or more.
 */
export function sharedWalk(t: TargetContext, r: ResourceDefinition): Promise<RawWalk> {
  return t.memo(`walk:${r.name}`, async () => {
    const cap =
      r.paging.kind === 'v3' || (r.paging.kind === 'json' && r.paging.size)
        ? 7
        : r.paging.kind === 'trips'
          ? 5
          : undefined
    if (cap === undefined) return rawWalk(t, r, {})
    const reference = await largestPagesWalk(t, r)
    return rawWalk(t, r, {}, Math.max(1, Math.min(cap, Math.floor(reference.items.length / 2))))
  })
}

/** Multi-call XML resources (the expense form): each step's records carry values into the next. */
async function stepWalk(
  t: TargetContext,
  mapping: LegacyXmlMapping,
  get: (url: string, accept: string) => ReturnType<TargetContext['wire']['request']>,
): Promise<Item[]> {
  const s = await t.session()
  let carried: Record<string, string>[] = [{}]
  let records: Item[] = []
  const steps = mapping.walk ?? []
  for (const [n, step] of steps.entries()) {
    const last = n === steps.length - 1
    const next: Record<string, string>[] = []
    const out: Item[] = []
    for (const values of carried) {
      const path = step.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
        encodeURIComponent(values[name] ?? ''),
      )
      const res = await get(`${s.geolocation}${path}`, 'application/xml')
      if (res.status !== 200) fail(`GET ${step.path} answered ${res.status}`)
      const els = recordsAt(parseXmlBody(res.text, mapping, `GET ${step.path}`), step.listPath) as Item[]
      for (const el of els) {
        if (last) out.push({ ...values, ...el })
        else {
          const v: Record<string, string> = { ...values }
          for (const [name, element] of Object.entries(step.carry ?? {})) v[name] = String(el[element] ?? '')
          next.push(v)
        }
      }
    }
    if (last) records = out
    else carried = next
  }
  return records
}
