/**
 * A bounded cache of rendered list pages. The seeded data is a pure function of (seed, company,
 * size, index), so a page's bytes only change with the write overlay; callers key entries on the
 * overlay generation (which grows with every write and reset), the request origin, the company, the
 * principal's visibility, the query and the representation. Bounded by entry count and by bytes,
 * never by dataset size; least recently used entries go first.
 */
export interface CachedPage {
  readonly body: Uint8Array
  readonly contentType: string
}

/**
 * One v3.0 list page to render, as plain data (it crosses to a worker thread): the endpoint, the
 * dataset (seed, size, datacenters, company), the validated query and the request URL. Rendered
 * from the seeded data only — the caller sends a job only while nothing has been written.
 */
export interface V3PageJob {
  /** The endpoint's key (`V3Endpoint.key`). */
  readonly key: string
  readonly seed: number
  readonly size: number
  readonly datacenters: readonly string[]
  readonly companyIndex: number
  readonly companyId: string
  readonly filters: ReadonlyMap<string, string | boolean | number | readonly string[]>
  readonly owner: number | undefined
  readonly from: number
  readonly limit: number
  /** The request URL (origin, path and query in its order): `URI`s and `NextPage` are built on it. */
  readonly url: string
  readonly xml: boolean
}

/** Renders v3.0 list pages away from the request's thread (set on the state by `listen({ workers })`). */
export interface PageRenderer {
  render(job: V3PageJob): Promise<CachedPage>
}

/** Limits of a page cache. */
export interface PageCacheLimits {
  /** Most entries kept (default 256). */
  readonly maxEntries?: number
  /** Most body bytes kept in all (default 8 MiB). */
  readonly maxBytes?: number
  /** Bodies larger than this are not cached (default 1 MiB). */
  readonly maxEntryBytes?: number
}

/** A bounded LRU of rendered pages (see `createPageCache`). */
export interface PageCache {
  get(key: string): CachedPage | undefined
  set(key: string, page: CachedPage): void
  /** Entries and bytes held now. */
  size(): { entries: number; bytes: number }
  /** Drops every entry (called by `MockState.reset()` through the state's stores). */
  reset(): void
}

/**
 * A bounded LRU cache of rendered pages.
 *
 * @example
 * const cache = createPageCache({ maxEntries: 64 })
 * cache.set('k', { body: new TextEncoder().encode('{}'), contentType: 'application/json' })
 * cache.get('k')?.body.length // 2
 */
export function createPageCache(limits: PageCacheLimits = {}): PageCache {
  const maxEntries = limits.maxEntries ?? 256
  const maxBytes = limits.maxBytes ?? 8 * 2 ** 20
  const maxEntryBytes = Math.min(limits.maxEntryBytes ?? 2 ** 20, maxBytes)
  const map = new Map<string, CachedPage>()
  let bytes = 0
  return {
    get(key) {
      const hit = map.get(key)
      if (hit) {
        // Most recently used last (Map keeps insertion order).
        map.delete(key)
        map.set(key, hit)
      }
      return hit
    },
    set(key, page) {
      if (page.body.byteLength > maxEntryBytes) return
      const old = map.get(key)
      if (old) {
        bytes -= old.body.byteLength
        map.delete(key)
      }
      map.set(key, page)
      bytes += page.body.byteLength
      for (const [k, v] of map) {
        if (map.size <= maxEntries && bytes <= maxBytes) break
        map.delete(k)
        bytes -= v.body.byteLength
      }
    },
    size() {
      return { entries: map.size, bytes }
    },
    reset() {
      map.clear()
      bytes = 0
    },
  }
}
