import { setImmediate as nextTurn } from 'node:timers/promises'
import {
  firstPageParams,
  LEGACY_XML_MAPPINGS,
  type Registry,
  type ResourceDefinition,
  type ResourceName,
  recordsAt,
} from '@concurkit/contract'
import type { z } from 'zod'
import { type CleanOptions, cleanRecord } from './clean.js'
import { invalidArgument } from './errors.js'
import { buildQuery, type FilterOf, type ListFilter } from './filters.js'
import type { RawResponse, Transport } from './http.js'
import { createLimit, mapLimit } from './limit.js'
import {
  type ParsedPage,
  parseItem,
  parseListPage,
  parseMappedXml,
  peekNextPage,
  validateItem,
} from './parse.js'

/** One page of records. */
export interface Page<T> {
  readonly items: T[]
  /** 0-based page number within this walk. */
  readonly index: number
  /** Where this page starts: pass it as `from` to read again from this page. */
  readonly position: string
  /** Where the next page starts, absent on the last page. */
  readonly nextPosition?: string
  /** Total records, when the API reports it. */
  readonly total?: number
}

/** Options of `list()` / `pages()`. */
export interface ListOptions extends CleanOptions {
  signal?: AbortSignal
  /** Page size; default the documented maximum. */
  limit?: number
  /** Start at this page position (from a previous `Page.position`/`nextPosition`). */
  from?: string
  /** Detail fetches in flight for fan-out resources. Default the client's `concurrency`. */
  concurrency?: number
  /** Extra raw query parameters (sent as is, after the filter's). */
  params?: Readonly<Record<string, string>>
  /** Clock for relative dates (`10d`). Default now. */
  now?: Date
  /**
   * Read everything the caller may see the way the contract says it is complete: the union of the
   * row's `completeQueries` (each merged with `filter`, records de-duplicated by key), and answers
   * that reach the row's cap split into `partition` windows, bisected until each is under the cap
   * (v2.0 reports: 1000 per answer). Records come window by window, so not in id order.
   */
  complete?: boolean
  /**
   * @internal Request the next page while the current one is validated and consumed (one page
   * ahead, direct paging only). `extract()` sets it: the page after the last one consumed may be
   * requested and discarded when the walk stops early.
   */
  [PREFETCH]?: boolean
}

/** @internal Key of the read-ahead flag of `ListOptions` (not exported from the package). */
export const PREFETCH: unique symbol = Symbol('concurkit.prefetch')

/** Options of `get()`. */
export interface GetOptions extends CleanOptions {
  signal?: AbortSignal
  params?: Readonly<Record<string, string>>
}

/**
 * Lets a request just started reach the socket before synchronous work (parsing, validating,
 * writing a page) runs: its dispatch goes through promise steps and undici writes it on a later
 * turn of the event loop; two turns were measured to be enough, and cost microseconds.
 */
async function letItLeave(): Promise<void> {
  await nextTurn()
  await nextTurn()
}

/**
 * An async iterable of records that also offers page-level iteration (like openai-node's
 * `PagePromise`).
 */
export interface RecordIterable<T> extends AsyncIterable<T> {
  /** Pages instead of records. */
  pages(): AsyncIterable<Page<T>>
  /** Collects every record (mind the memory on big resources). */
  toArray(): Promise<T[]>
}

/** An object type without its index signature (loose schemas add `[k: string]: unknown`). */
type KnownFields<T> = { [K in keyof T as string extends K ? never : K]: T[K] }

/**
 * The record type of a registry resource: the output of its row's `item` schema, with the
 * documented fields only (records may carry more; read those as `Record<string, unknown>`).
 * `flattenCustomFields` replaces custom field objects by their value at run time; the type keeps
 * the documented shape.
 *
 * @example
 * const report: ItemOf<'expense-reports'> = await client.expenseReports.get(id)
 * report.ID // string
 */
export type ItemOf<N extends ResourceName> = KnownFields<z.output<Registry[N]['item']>>

/** `true` when `N` is one resource name, not a union of several. */
type IsOneName<N, All = N> = N extends unknown ? ([All] extends [N] ? true : false) : never

/**
 * The client of resource `N`: typed records and filters for one name; for a name only known at
 * run time (a `ResourceName` union), records are `Record<string, unknown>` and the filter is
 * checked when the request is built.
 */
export type ResourceClientOf<N extends ResourceName> =
  IsOneName<N> extends true ? ResourceClient<ItemOf<N>, FilterOf<N>> : ResourceClient

/** Typed access to one registry resource. */
export interface ResourceClient<T = Record<string, unknown>, F extends ListFilter = ListFilter> {
  readonly definition: ResourceDefinition
  /**
   * Every record matching `filter`, following the resource's paging model.
   *
   * @example
   * for await (const r of client.expenseReports.list({ user: 'ALL', approvalStatus: 'A_APPR' })) console.log(r.ID)
   */
  list(filter?: F, options?: ListOptions): RecordIterable<T>
  /** Page-level iteration of `list()`. */
  pages(filter?: F, options?: ListOptions): AsyncIterable<Page<T>>
  /** One record by id (the registry's `itemPath`). */
  get(id: string, options?: GetOptions): Promise<T>
  /** Fan-out rows: the resource whose records this one fans out from. */
  readonly parent?: ResourceClient<Record<string, unknown>>
  /**
   * Fan-out rows: the records of the given parent pages (one page per parent page, each parent
   * id read once), e.g. of the parent's changes only (incremental sync by the parent's modified field).
   */
  fanout?(
    parentPages: AsyncIterable<Page<Record<string, unknown>>>,
    options?: ListOptions,
  ): AsyncIterable<Page<T>>
}

/** What a resource handle needs from the client. */
export interface ResourceContext {
  transport: Transport
  resolve(name: ResourceDefinition['name']): ResourceDefinition
  concurrency: number
  clean: CleanOptions
  now?: () => Date
  /** The `concur.type` of the current access token (`user`, `company`, `app`), when it says. */
  tokenKind?: () => Promise<string | undefined>
  /** The user a user token belongs to (its `sub`): fills a `{userId}` path of one user's data. */
  tokenUser?: () => Promise<string | undefined>
}

interface Position {
  /** Absolute URL of the page to read. */
  u: string
  /** Trips: page number. */
  p?: number
}

function encodePosition(p: Position): string {
  return JSON.stringify(p)
}

function decodePosition(s: string, def: ResourceDefinition): Position {
  try {
    const p = JSON.parse(s) as Position
    if (typeof p?.u === 'string') return p
  } catch {
    // fall through
  }
  return invalidArgument(`not a page position of ${def.name}: ${s.slice(0, 80)}`)
}

const PLACEHOLDER = /\{([^}]+)\}/g

const DAY_MS = 86_400_000
/** Fan-out: parent pages whose detail reads may be in flight beyond the page being yielded. */
const AHEAD_PAGES = 2
/** Lower bound of the first partition window (older than any Concur record). */
const PARTITION_START = Date.UTC(1990, 0, 1)
const isoSeconds = (ms: number) => new Date(ms).toISOString().slice(0, 19)

/** Where a complete walk stands: the query index and the partition windows still to read. */
interface CompleteState {
  q: number
  w: [number, number][]
}

function encodeComplete(state: CompleteState): string {
  return JSON.stringify({ complete: state })
}

function decodeComplete(s: string, def: ResourceDefinition): CompleteState {
  try {
    const v = (JSON.parse(s) as { complete?: CompleteState }).complete
    if (v && Number.isInteger(v.q) && Array.isArray(v.w)) return v
  } catch {
    // fall through
  }
  return invalidArgument(`not a page position of a complete ${def.name} walk: ${s.slice(0, 80)}`)
}

/**
 * Encodes one path segment, leaving the characters RFC 3986 allows in a segment that Concur's ids
 * carry (`$` in `nYoPK$pZmcow…`, `:`, `@`, `,`) as they are, so a URL built from an id matches the
 * id Concur put in its own links.
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%(24|3A|40|2C)/gi, (m) => decodeURIComponent(m))
}

/** Substitutes `{param}` placeholders of a path; returns the path and the filter without those keys. */
export function fillPath(
  def: ResourceDefinition,
  path: string,
  filter: ListFilter,
): { path: string; rest: ListFilter } {
  const rest: ListFilter = { ...filter }
  const filled = path.replace(PLACEHOLDER, (_, name: string) => {
    const v = rest[name]
    if (v === undefined || v === '') invalidArgument(`${def.name} needs "${name}" (a path parameter)`)
    delete rest[name]
    return pathSegment(String(v))
  })
  return { path: filled, rest }
}

/** The last path segment of an id that is a URL (extract ids are URLs). */
export function idFromUrl(id: string): string {
  if (!/^https?:\/\//i.test(id)) return id
  const segs = new URL(id.trim()).pathname.split('/').filter(Boolean)
  return decodeURIComponent(segs[segs.length - 1] ?? id)
}

function pageSize(def: ResourceDefinition, limit?: number): number | undefined {
  const p = def.paging
  if (p.kind === 'v3') {
    const n = limit ?? p.maxLimit
    if (!Number.isInteger(n) || n < 1 || n > p.maxLimit) invalidArgument(`limit must be 1..${p.maxLimit}`)
    return n
  }
  if (p.kind === 'trips') {
    const n = limit ?? p.maxItemsPerPage
    if (!Number.isInteger(n) || n < 1 || n > p.maxItemsPerPage)
      invalidArgument(`limit must be 1..${p.maxItemsPerPage}`)
    return n
  }
  if (p.kind === 'json' && p.size) {
    const n = limit ?? p.size.max
    if (!Number.isInteger(n) || n < 1 || n > p.size.max) invalidArgument(`limit must be 1..${p.size.max}`)
    return n
  }
  return undefined
}

function recordIterable<T>(pages: () => AsyncIterable<Page<T>>): RecordIterable<T> {
  return {
    pages,
    async *[Symbol.asyncIterator]() {
      for await (const page of pages()) yield* page.items
    },
    async toArray() {
      const out: T[] = []
      for await (const page of pages()) out.push(...page.items)
      return out
    },
  }
}

function accept(def: ResourceDefinition): string {
  return def.format === 'xml' ? 'application/xml' : 'application/json'
}

/**
 * Creates the handle of one registry resource: list (all paging models), pages, get.
 *
 * @example
 * const reports = createResourceClient(getResource('expense-reports'), ctx)
 * const first = await reports.get('gWpkOyRx…')
 */
export function createResourceClient<T = Record<string, unknown>, F extends ListFilter = ListFilter>(
  def: ResourceDefinition,
  ctx: ResourceContext,
): ResourceClient<T, F> {
  const finish = (raw: unknown, where: string, clean: CleanOptions): T =>
    cleanRecord(validateItem(def.item, raw, where), { ...ctx.clean, ...clean }) as T

  async function fetchPage(
    url: string,
    signal: AbortSignal | undefined,
    onBody?: (res: RawResponse) => boolean,
  ): Promise<ParsedPage> {
    return ctx.transport.send(
      { url, accept: accept(def), ...(signal ? { signal } : {}) },
      async (res: RawResponse) => {
        // A request started from this body leaves before the (synchronous) parse below.
        if (onBody?.(res)) await letItLeave()
        return parseListPage(def, res, url)
      },
    )
  }

  /** A row that accepts some token kinds only (Identity v4: company) refuses another before any request. */
  async function checkTokenKind(): Promise<void> {
    if (!def.tokenKinds || !ctx.tokenKind) return
    const kind = await ctx.tokenKind()
    if (kind !== undefined && !(def.tokenKinds as readonly string[]).includes(kind))
      invalidArgument(
        `${def.name} (${def.api}) accepts ${def.tokenKinds.join(' or ')}-level access tokens only; this is a ${kind} token (concur.type=${kind})${def.tokenKinds.includes('company') ? '. Get a company token with the company request token grant (credtype=authtoken)' : ''}`,
      )
  }

  async function firstUrl(filter: ListFilter, options: ListOptions): Promise<URL> {
    // A row of one user's data (`/users/{userId}/…`, Cards v4) reads the token's own user by default.
    if (
      def.path.includes('{userId}') &&
      (filter.userId === undefined || filter.userId === '') &&
      ctx.tokenUser
    ) {
      const me = await ctx.tokenUser()
      if (me) filter = { ...filter, userId: me }
    }
    const { path, rest } = fillPath(def, def.path, filter)
    const query = buildQuery(def, rest, options.now ?? ctx.now?.() ?? new Date())
    const base = await ctx.transport.baseUrl()
    const url = new URL(base + path)
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
    for (const [k, v] of Object.entries(options.params ?? {})) url.searchParams.set(k, v)
    const size = pageSize(def, (filter.limit as number | undefined) ?? options.limit)
    if (def.paging.kind === 'v3' && size !== undefined) url.searchParams.set('limit', String(size))
    if (def.paging.kind === 'json' && size !== undefined)
      for (const [k, v] of Object.entries(firstPageParams(def.paging, size))) url.searchParams.set(k, v)
    if (def.paging.kind === 'trips' && size !== undefined) {
      url.searchParams.set('includeMetadata', 'true')
      url.searchParams.set('ItemsPerPage', String(size))
      url.searchParams.set('Page', '1')
    }
    return url
  }

  async function* directPages(filter: ListFilter, options: ListOptions): AsyncGenerator<Page<T>> {
    await checkTokenKind()
    const signal = options.signal
    let pos: Position | undefined = options.from
      ? decodePosition(options.from, def)
      : def.paging.kind === 'trips'
        ? { u: (await firstUrl(filter, options)).href, p: 1 }
        : { u: (await firstUrl(filter, options)).href }
    let index = 0
    const seen = new Set<string>()
    // Read-ahead: the next page is requested before this one is parsed and handed over, so the
    // server works on it while this side parses, validates and writes. For v3.0 JSON the next URL
    // is read from the end of the body as it arrives (`peekNextPage`), before the page is parsed;
    // otherwise once parsed. The parsed `NextPage` decides: a guess that differs is aborted and
    // never used. At most one request is ahead; all are aborted when the walk stops early.
    const readAhead = options[PREFETCH] === true
    const ahead = new Map<string, { page: Promise<ParsedPage>; abort: AbortController }>()
    const startAhead = (url: string) => {
      if (ahead.has(url) || seen.has(url)) return
      const abort = new AbortController()
      const page = fetchPage(url, signal ? AbortSignal.any([signal, abort.signal]) : abort.signal, onBody)
      // Its failure surfaces when the walk reaches it; a walk that stops first never sees it.
      page.catch(() => undefined)
      ahead.set(url, { page, abort })
    }
    const onBody =
      readAhead && def.paging.kind === 'v3'
        ? (res: RawResponse) => {
            if (res.status !== 200 || ahead.size > 0) return false
            const guess = peekNextPage(res.body)
            if (!guess || seen.has(guess)) return false
            startAhead(guess)
            return true
          }
        : undefined
    try {
      while (pos) {
        if (seen.has(pos.u)) invalidArgument(`${def.name}: the API returned a paging loop at ${pos.u}`)
        seen.add(pos.u)
        const early = ahead.get(pos.u)
        ahead.delete(pos.u)
        const parsed: ParsedPage = await (early ? early.page : fetchPage(pos.u, signal, onBody))
        let items = parsed.items
        if (def.paging.kind === 'none' && def.paging.cap !== undefined) items = items.slice(0, def.paging.cap)
        let next: Position | undefined
        if ((def.paging.kind === 'v3' || def.paging.kind === 'json') && parsed.next) next = { u: parsed.next }
        if (def.paging.kind === 'trips') {
          const current: number = pos.p ?? 1
          const more =
            parsed.totalPages !== undefined
              ? current < parsed.totalPages
              : parsed.next !== undefined && items.length > 0
          if (more) {
            const u: URL = new URL(pos.u)
            u.searchParams.set('Page', String(current + 1))
            next = { u: u.href, p: current + 1 }
          }
        }
        for (const [url, a] of ahead) {
          if (url === next?.u) continue
          a.abort.abort()
          ahead.delete(url)
        }
        if (readAhead && next && !ahead.has(next.u) && !seen.has(next.u)) {
          startAhead(next.u)
          await letItLeave()
        }
        const records = items.map((raw, i) => finish(raw, `${def.name} page ${index} item ${i}`, options))
        const page: Page<T> = {
          items: records,
          index,
          position: encodePosition(pos),
          ...(next ? { nextPosition: encodePosition(next) } : {}),
          ...(parsed.total !== undefined ? { total: parsed.total } : {}),
        }
        yield page
        index += 1
        pos = next
      }
    } finally {
      for (const a of ahead.values()) a.abort.abort()
    }
  }

  /** Fan-out: one child page per parent page, children fetched concurrently, in parent order. */
  async function* fanoutPages(
    filter: ListFilter,
    options: ListOptions,
    parentPages?: AsyncIterable<Page<Record<string, unknown>>>,
  ): AsyncGenerator<Page<T>> {
    if (def.paging.kind !== 'fanout') return
    await checkTokenKind()
    const parentDef = ctx.resolve(def.paging.from)
    const parent = createResourceClient<Record<string, unknown>>(parentDef, ctx)
    const signal = options.signal
    const concurrency = options.concurrency ?? ctx.concurrency
    const placeholders = [...def.path.matchAll(PLACEHOLDER)].map((m) => m[1]!)
    // A JSON row whose list path is its item path (Expense v4 reports) reads one record per parent.
    const perParentList = placeholders.length > 0 && !(def.format === 'json' && def.itemPath === def.path)
    // Filters that are path parameters or the parent's own go to the parent walk.
    const parentFilter: ListFilter = {}
    const childFilter: ListFilter = {}
    for (const [k, v] of Object.entries(filter)) {
      if (placeholders.includes(k)) continue
      const ownsFilter = def.filters.some((f) => f.param.toLowerCase() === k.toLowerCase())
      if (ownsFilter && perParentList) childFilter[k] = v
      else parentFilter[k] = v
    }
    const parentOptions: ListOptions = { ...options, dropNulls: false, flattenCustomFields: false }
    const how = LEGACY_XML_MAPPINGS[def.name]?.fanout
    const fromField = def.paging.field ?? how?.from ?? parentDef.idField
    const take = (v: string) => (how?.take === 'value' ? v : idFromUrl(v))
    // A record read through its own endpoint is read once, even if a parent shows up twice (a
    // parent modified during the walk can move to a later page).
    const seen = perParentList ? undefined : new Set<string>()
    // One detail limit shared by every parent page: the reads of the next parent pages start while
    // the slowest read of the current one is still in flight (a sliding window over parents), and
    // pages are still yielded whole and in parent order. At most `AHEAD_PAGES` parent pages beyond
    // the one being yielded are in flight, so memory stays bounded.
    const limit = createLimit(concurrency)
    let stopped = false
    const detail = async (parentId: string, i: number): Promise<T[]> => {
      if (stopped) return []
      if (!parentId) invalidArgument(`${parentDef.name} record ${i} has no ${fromField}`)
      if (perParentList) {
        const args: ListFilter = { ...childFilter }
        for (const name of placeholders) args[name] = filter[name] ?? take(parentId)
        const child = createResourceClient<T>({ ...def, paging: { kind: 'none' } }, ctx)
        return child.list(args, { ...options, from: undefined as never }).toArray()
      }
      return [await get(take(parentId), { ...options })]
    }
    // Given parent pages (an incremental sync's changes) are not read ahead: their cursor moves as
    // they are read, and `Changes.cursor()` must cover only the pages yielded so far.
    const ahead = parentPages ? 0 : AHEAD_PAGES
    const window: { pp: Page<Record<string, unknown>>; groups: Promise<T[][]> }[] = []
    let index = 0
    const pageOf = async (w: (typeof window)[number]): Promise<Page<T>> => ({
      items: (await w.groups).flat(),
      index: index++,
      position: w.pp.position,
      ...(w.pp.nextPosition ? { nextPosition: w.pp.nextPosition } : {}),
    })
    try {
      for await (const pp of parentPages ?? parent.pages(parentFilter, parentOptions)) {
        const ids = pp.items
          .map((p) => String(p[fromField] ?? ''))
          .filter((id) => {
            if (!seen || id === '') return true
            if (seen.has(id)) return false
            seen.add(id)
            return true
          })
        const groups = Promise.all(ids.map((id, i) => limit(() => detail(id, i))))
        // Awaited in order below; this only keeps a failure from being reported as unhandled first.
        groups.catch(() => {})
        window.push({ pp, groups })
        if (window.length > ahead) {
          yield await pageOf(window.shift()!)
          if (signal?.aborted) return
        }
      }
      while (window.length > 0) {
        yield await pageOf(window.shift()!)
        if (signal?.aborted) return
      }
    } finally {
      // Stopped early (break, error, abort): reads not started yet are skipped.
      stopped = true
    }
  }

  /** Multi-call XML resources (expense form): walk the steps, carrying values; one page in all. */
  async function* walkPages(options: ListOptions): AsyncGenerator<Page<T>> {
    const mapping = LEGACY_XML_MAPPINGS[def.name]
    const steps = mapping?.walk ?? []
    const concurrency = options.concurrency ?? ctx.concurrency
    let carried: Record<string, string>[] = [{}]
    let records: unknown[] = []
    for (const [n, step] of steps.entries()) {
      const last = n === steps.length - 1
      const results = await mapLimit(carried, concurrency, async (values) => {
        const path = step.path.replace(PLACEHOLDER, (_, name: string) => pathSegment(values[name] ?? ''))
        const els = await ctx.transport.send(
          { url: path, accept: 'application/xml', ...(options.signal ? { signal: options.signal } : {}) },
          (res) => recordsAt(parseMappedXml(mapping!, res.body), step.listPath),
        )
        return els.map((el) => {
          const o = (el ?? {}) as Record<string, unknown>
          if (last) return { ...values, ...o }
          const next: Record<string, string> = { ...values }
          for (const [name, element] of Object.entries(step.carry ?? {}))
            next[name] = String(o[element] ?? '')
          return next
        })
      })
      if (last) records = results.flat()
      else carried = results.flat() as Record<string, string>[]
    }
    const position = encodePosition({ u: `walk:${def.name}` })
    yield {
      items: records.map((raw, i) => finish(raw, `${def.name} item ${i}`, options)),
      index: 0,
      position,
    }
  }

  /** `complete: true`: the union of the complete queries, capped answers bisected by the partition pair. */
  async function* completePages(filter: ListFilter, options: ListOptions): AsyncGenerator<Page<T>> {
    const mapping = LEGACY_XML_MAPPINGS[def.name]
    const queries = mapping?.completeQueries?.length ? mapping.completeQueries : [{}]
    const partition = mapping?.partition
    const cap = def.paging.kind === 'none' ? def.paging.cap : undefined
    const key = (r: unknown) => {
      const o = r as Record<string, unknown>
      return JSON.stringify((mapping?.key ?? def.keyFields ?? [def.idField]).map((k) => o[k] ?? null))
    }
    const seen = new Set<string>()
    const inner: ListOptions = { ...options, complete: false, from: undefined as never }
    let state: CompleteState = options.from
      ? decodeComplete(options.from, def)
      : { q: 0, w: partition && cap !== undefined ? [[PARTITION_START, Date.now() + 2 * DAY_MS]] : [] }
    let index = 0
    while (state.q < queries.length) {
      const query: ListFilter = { ...queries[state.q], ...filter }
      const windows = state.w
      let items: T[]
      let next: CompleteState
      if (windows.length > 0 && partition && cap !== undefined) {
        const [lo, hi] = windows[0]!
        const windowed: ListFilter = {
          ...query,
          [partition.after]: isoSeconds(lo),
          [partition.before]: isoSeconds(hi),
        }
        const got = await createResourceClient<T>(def, ctx).list(windowed, inner).toArray()
        if (got.length >= cap) {
          if (hi - lo <= 1000)
            invalidArgument(
              `${def.name}: more than ${cap} records modified within one second; cannot partition further`,
            )
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000
          state = { q: state.q, w: [[lo, mid], [mid, hi], ...windows.slice(1)] }
          continue
        }
        items = got
        const rest = windows.slice(1)
        next =
          rest.length > 0
            ? { q: state.q, w: rest }
            : { q: state.q + 1, w: [[PARTITION_START, windows.at(-1)![1]]] }
      } else {
        items = await createResourceClient<T>(def, ctx).list(query, inner).toArray()
        next = { q: state.q + 1, w: state.w }
      }
      const fresh = items.filter((r) => {
        const k = key(r)
        if (seen.has(k)) return false
        seen.add(k)
        return true
      })
      const position = encodeComplete(state)
      state = next
      yield {
        items: fresh,
        index,
        position,
        ...(state.q < queries.length ? { nextPosition: encodeComplete(state) } : {}),
      }
      index += 1
    }
  }

  function pages(filter: ListFilter = {}, options: ListOptions = {}): AsyncIterable<Page<T>> {
    if (options.complete) return { [Symbol.asyncIterator]: () => completePages(filter, options) }
    const walks =
      (LEGACY_XML_MAPPINGS[def.name]?.walk?.length ?? 0) > 0 &&
      [...def.path.matchAll(PLACEHOLDER)].some((m) => filter[m[1]!] === undefined)
    return {
      [Symbol.asyncIterator]: () =>
        walks
          ? walkPages(options)
          : def.paging.kind === 'fanout'
            ? fanoutPages(filter, options)
            : directPages(filter, options),
    }
  }

  async function get(id: string, options: GetOptions = {}): Promise<T> {
    if (typeof id !== 'string' || id.trim() === '') invalidArgument(`${def.name}.get needs an id`)
    const itemPath = def.itemPath
    if (!itemPath) invalidArgument(`${def.name} has no single-record endpoint`)
    await checkTokenKind()
    const names = [...itemPath.matchAll(PLACEHOLDER)].map((m) => m[1]!)
    const last = names[names.length - 1]
    const args: Record<string, string> = {}
    for (const n of names) args[n] = n === last ? id : String(options.params?.[n] ?? '')
    const { path } = fillPath(def, itemPath, args)
    const query = Object.fromEntries(Object.entries(options.params ?? {}).filter(([k]) => !names.includes(k)))
    return ctx.transport.send(
      { url: path, query, accept: accept(def), ...(options.signal ? { signal: options.signal } : {}) },
      (res) => finish(parseItem(def, res), `${def.name} ${id}`, options),
    )
  }

  const fanoutFrom = def.paging.kind === 'fanout' ? def.paging.from : undefined
  return {
    definition: def,
    list: (filter, options) => recordIterable(() => pages(filter, options)),
    pages,
    get,
    ...(fanoutFrom
      ? {
          parent: createResourceClient<Record<string, unknown>>(ctx.resolve(fanoutFrom), ctx),
          fanout: (parentPages: AsyncIterable<Page<Record<string, unknown>>>, options: ListOptions = {}) => ({
            [Symbol.asyncIterator]: () => fanoutPages({}, options, parentPages),
          }),
        }
      : {}),
  }
}
