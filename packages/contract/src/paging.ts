import type { JsonPaging } from './registry.js'

/** A page of a current-generation JSON API, read by its row's paging strategy. */
export interface JsonPage {
  /** The records of the page, as on the wire. */
  readonly items: readonly unknown[]
  /** Absolute URL of the next page; absent on the last page. */
  readonly next?: string
  /** The total the API states, when it does. */
  readonly total?: number
}

/** The value at a dot path (`page.totalElements`) of a parsed JSON body; `''` is the body itself. */
export function valueAt(body: unknown, path: string): unknown {
  if (path === '') return body
  let v: unknown = body
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[key]
  }
  return v
}

/**
 * Reads one page of a JSON row: its records, the URL of the next page (resolved against the page's
 * own URL) and the stated total. Throws a `TypeError` naming the path when the body does not have
 * the row's shape, so a caller can say which request failed and why.
 *
 * @example
 * const page = readJsonPage(REGISTRY['identity-users'].paging, body, url)
 * if (page.next) fetch(page.next)
 */
export function readJsonPage(paging: JsonPaging, body: unknown, pageUrl: string): JsonPage {
  const items = valueAt(body, paging.items)
  if (items !== undefined && items !== null && !Array.isArray(items))
    throw new TypeError(`"${paging.items || '(body)'}" is not an array of records`)
  const total = paging.total === undefined ? undefined : valueAt(body, paging.total)
  const next = nextUrl(paging, body, pageUrl)
  return {
    items: (items as unknown[] | undefined) ?? [],
    ...(next !== undefined ? { next } : {}),
    ...(typeof total === 'number' ? { total } : {}),
  }
}

function nextUrl(paging: JsonPaging, body: unknown, pageUrl: string): string | undefined {
  const rule = paging.next
  switch (rule.type) {
    case 'none':
      return undefined
    case 'url': {
      const v = valueAt(body, rule.field)
      if (v === undefined || v === null || v === '') return undefined
      if (typeof v !== 'string') throw new TypeError(`"${rule.field}" is not a URL`)
      return new URL(v, pageUrl).href
    }
    case 'link': {
      const links = valueAt(body, rule.field)
      if (links === undefined || links === null) return undefined
      if (!Array.isArray(links)) throw new TypeError(`"${rule.field}" is not an array of links`)
      const link = links.find(
        (l): l is { href: string } =>
          typeof l === 'object' &&
          l !== null &&
          String((l as { rel?: unknown }).rel).toLowerCase() === rule.rel.toLowerCase() &&
          typeof (l as { href?: unknown }).href === 'string',
      )
      return link ? new URL(link.href, pageUrl).href : undefined
    }
    case 'token': {
      const v = valueAt(body, rule.field)
      if (v === undefined || v === null || v === '') return undefined
      if (typeof v !== 'string' && typeof v !== 'number')
        throw new TypeError(`"${rule.field}" is not a token`)
      const u = new URL(pageUrl)
      u.searchParams.set(rule.param, String(v))
      return u.href
    }
  }
}

/**
 * The query parameters of a JSON row's first page: the page size (`size ?? default`), checked
 * against the row's maximum.
 *
 * @example
 * firstPageParams(REGISTRY['identity-users'].paging, 1000) // { count: '1000' }
 */
export function firstPageParams(paging: JsonPaging, size?: number): Record<string, string> {
  if (!paging.size) return {}
  const n = size ?? paging.size.default
  if (!Number.isInteger(n) || n < 1 || n > paging.size.max)
    throw new RangeError(`${paging.size.param} must be 1..${paging.size.max}`)
  return { [paging.size.param]: String(n) }
}
