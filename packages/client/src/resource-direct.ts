import { firstPageParams } from '@concurkit/contract/internal'
import { invalidArgument } from './errors.js'
import { buildQuery, type ListFilter } from './filters.js'
import type { RawResponse } from './http.js'
import { type ParsedPage, parseListPage, peekNextPage } from './parse.js'
import {
  accept,
  decodePosition,
  encodePosition,
  fillPath,
  letItLeave,
  type Position,
  pageSize,
} from './resource-paths.js'
import { type ListOptions, type Page, PREFETCH, type ResourceHandle } from './resource-types.js'

/** The page reads of a directly paged row: the first page's URL and one page's request. */
function pageReader<T>(h: ResourceHandle<T>) {
  const { def, ctx } = h
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
  return { fetchPage, firstUrl }
}

/** Direct paging (v3.0 `NextPage`, trips pages, JSON tokens, single answers), with optional read-ahead. */
export async function* directPages<T>(
  h: ResourceHandle<T>,
  filter: ListFilter,
  options: ListOptions,
): AsyncGenerator<Page<T>> {
  const { def, finish, checkTokenKind } = h
  const { fetchPage, firstUrl } = pageReader(h)
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
