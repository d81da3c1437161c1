import { setImmediate as nextTurn } from 'node:timers/promises'
import type { ResourceDefinition } from '@concurkit/contract'
import { invalidArgument } from './errors.js'
import type { ListFilter } from './filters.js'
import type { Page, RecordIterable } from './resource-types.js'

// Shared pieces of a resource handle: page positions, path filling, page sizes, the record iterable.

/**
 * Lets a request just started reach the socket before synchronous work (parsing, validating,
 * writing a page) runs: its dispatch goes through promise steps and undici writes it on a later
 * turn of the event loop; two turns were measured to be enough, and cost microseconds.
 */
export async function letItLeave(): Promise<void> {
  await nextTurn()
  await nextTurn()
}

export interface Position {
  /** Absolute URL of the page to read. */
  u: string
  /** Trips: page number. */
  p?: number
}

export function encodePosition(p: Position): string {
  return JSON.stringify(p)
}

export function decodePosition(s: string, def: ResourceDefinition): Position {
  try {
    const p = JSON.parse(s) as Position
    if (typeof p?.u === 'string') return p
  } catch {
    // fall through
  }
  return invalidArgument(`not a page position of ${def.name}: ${s.slice(0, 80)}`)
}

export const PLACEHOLDER = /\{([^}]+)\}/g

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

export function pageSize(def: ResourceDefinition, limit?: number): number | undefined {
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

export function recordIterable<T>(pages: () => AsyncIterable<Page<T>>): RecordIterable<T> {
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

export function accept(def: ResourceDefinition): string {
  return def.format === 'xml' ? 'application/xml' : 'application/json'
}
