import type { Registry, ResourceDefinition, ResourceName } from '@concurkit/contract'
import type { z } from 'zod'
import type { CleanOptions } from './clean.js'
import type { FilterOf, ListFilter } from './filters.js'
import type { Transport } from './http.js'

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

/**
 * @internal What the parts of a resource handle share: the row, the client, and the handle's own
 * record finishing, token-kind check and `get`.
 */
export interface ResourceHandle<T> {
  readonly def: ResourceDefinition
  readonly ctx: ResourceContext
  /** Validates and cleans one raw record. */
  readonly finish: (raw: unknown, where: string, clean: CleanOptions) => T
  readonly checkTokenKind: () => Promise<void>
  readonly get: (id: string, options?: GetOptions) => Promise<T>
  /** `createResourceClient`, for the handles of a parent row or a narrowed query. */
  readonly create: <U = Record<string, unknown>>(
    def: ResourceDefinition,
    ctx: ResourceContext,
  ) => ResourceClient<U>
}
