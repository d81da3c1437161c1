import type { z } from 'zod'
import { ACTIVE, type Lifecycle } from './lifecycle.js'
import type { Scope } from './oauth.js'
import type { ResourceName } from './resources/index.js'

/** How a query parameter's value is typed on the wire. */
export type FilterType = 'string' | 'boolean' | 'date' | 'datetime' | 'int' | 'enum' | 'csv'

/**
 * One documented query parameter of a resource, with enough semantics that the mock can apply it,
 * the client can type it and the conformance suite can check that returned items satisfy it.
 */
export interface FilterDefinition {
  /** The parameter's exact wire name, e.g. `approvalStatusCode`, `modifiedDateAfter`. */
  readonly param: string
  readonly type: FilterType
  /** Allowed values for `enum` filters. */
  readonly values?: readonly string[]
  /** The item field the filter is applied to (for checks); absent when not visible in the item. */
  readonly field?: string
  /** How `field` relates to the value: equality, date bounds, membership in a comma list, prefix. */
  readonly op?: 'eq' | 'after' | 'before' | 'in' | 'prefix' | 'ieq'
  readonly description: string
}

/** The paging model of a resource's list endpoint. */
export type PagingModel<From extends string = ResourceName> =
  /** v3.0: `limit` + opaque `offset`, `{"Items": [...], "NextPage": url|null}`. */
  | { readonly kind: 'v3'; readonly defaultLimit: number; readonly maxLimit: number }
  /** Trips v1.1: `includeMetadata=true&ItemsPerPage=&Page=`, `<ConnectResponse><Metadata><Paging>`. */
  | { readonly kind: 'trips'; readonly defaultItemsPerPage: number; readonly maxItemsPerPage: number }
  /** One response holds everything (optionally capped, e.g. v2.0 Reports at 1000). */
  | { readonly kind: 'none'; readonly cap?: number }
  /**
   * Records are fetched one by one for each record of another resource (e.g. report details):
   * `field` of each parent record (default: the parent's `idField`) fills the placeholder of the
   * row's `itemPath` (JSON rows) or `path`.
   */
  | { readonly kind: 'fanout'; readonly from: From; readonly field?: string }
  /**
   * A current-generation JSON API (v4, v4.1, v5, v3.1): records in an array of the body, the next
   * page named by a URL, a link or a token (see `JsonPaging` and `readJsonPage`).
   */
  | JsonPaging

/** Where a JSON API names its next page. */
export type NextPageRule =
  /** `body[field]` is the next page's absolute URL; empty or absent on the last page (`NextPage`, Receipts `next`). */
  | { readonly type: 'url'; readonly field: string }
  /** `body[field]` is `[{rel, href}]` and the next page is the `href` of `rel` (List v4 `links`, Request v4 `operations`). */
  | { readonly type: 'link'; readonly field: string; readonly rel: string }
  /** `body[field]` is a token sent back as `?param=` (Identity v4.1 `nextCursor` → `cursor`, Cards v4 `paging.nextPageToken` → `pageToken`). */
  | { readonly type: 'token'; readonly field: string; readonly param: string }
  /** One page holds everything. */
  | { readonly type: 'none' }

/** The paging of a current-generation JSON API, as data: one strategy per `next` rule. */
export interface JsonPaging {
  readonly kind: 'json'
  /** Dot path of the record array in the body (`content`, `Resources`, `data`); `''` when the body is the array. */
  readonly items: string
  /** The page-size query parameter, its default and its maximum. */
  readonly size?: { readonly param: string; readonly default: number; readonly max: number }
  readonly next: NextPageRule
  /** Dot path of the total number of records, when the API states it (`page.totalElements`, `TotalCount`). */
  readonly total?: string
}

/** The wire format(s) a resource speaks. v3.0 honours `Accept`; v1.x/v2.0/extract are XML only; v4 and later JSON only. */
export type WireFormat = 'json+xml' | 'xml' | 'json'

/** XML naming of a resource (element names exactly as Concur's). */
export interface XmlNaming {
  readonly namespace: string
  /** Root element of the list response, e.g. `CardCharges`. */
  readonly listRoot: string
  /** Element of one record, e.g. `CardCharge`. */
  readonly item: string
}

/**
 * How the mock spells a resource's record ids: `<prefix><company tag: 8 hex><index: 12 hex>`, upper-case
 * hex of fixed width, so that id order is index order (the paging order). Concur's ids are opaque;
 * the prefix only keeps the ids of different resources apart. Each resource's prefix is distinct.
 */
export interface IdScheme {
  /** E.g. `gWe` for expense entries; `''` for expense reports. */
  readonly prefix: string
}

/** The version of Concur's API a resource belongs to. */
export type ApiVersion = 'v1.0' | 'v1.1' | 'v2.0' | 'v3.0' | 'v3.1' | 'v4' | 'v4.1' | 'v5'

/** The kind of OAuth2 token an endpoint accepts: a company's (app) token or a user's. */
export type TokenKind = 'company' | 'user'

/** The fields of a registry row (see `ResourceDefinition`). */
interface RowFields<Name extends string, From extends string, Item extends z.ZodType> {
  readonly name: Name
  /** Human title (the connector's report name), e.g. `Expense Reports`. */
  readonly title: string
  readonly api: ApiVersion
  /** List path, e.g. `/api/v3.0/expense/reports`. May hold `{param}` placeholders (fan-out parents). */
  readonly path: string
  /** Path of one record, e.g. `/api/v3.0/expense/reports/{id}`, when the API has one. */
  readonly itemPath?: string
  readonly format: WireFormat
  readonly paging: PagingModel<From>
  /**
   * The OAuth scope that grants read access: a Connect scope (`EXPRPT`) or, for the current APIs, a
   * scope name (`identity.user.core.read`, `list.read`).
   */
  readonly scope: Scope | (string & {})
  /** Schema of one record as the client sees it (JSON, or XML parsed into the same field names). */
  readonly item: Item
  /** Field holding the record's stable id (used for de-duplication and checksums). */
  readonly idField: string
  /**
   * When Concur's record has no single id (XML-only resources such as card charges or form fields):
   * the fields whose values together identify a record; `idField` is then the first of them.
   */
  readonly keyFields?: readonly string[]
  /** Documented query parameters (excluding paging parameters). */
  readonly filters: readonly FilterDefinition[]
  /** The parameter naming whose data is read (`user`, `LoginID`, `userid_value`), if any. */
  readonly userParam?: string
  /** Only Web Services Administrators (company-level principals) may read it. */
  readonly adminOnly: boolean
  /** Field holding the last-modified timestamp, for incremental sync. */
  readonly modifiedField?: string
  /** Query parameter pair that bounds `modifiedField`, for incremental sync. */
  readonly modifiedFilter?: { readonly after: string; readonly before?: string }
  /** Writes Concur documents for this resource. */
  readonly writes: readonly ('create' | 'update' | 'delete')[]
  readonly xml?: XmlNaming
  /** How the mock's seeded records are identified (v3.0 rows, whose ids the mock encodes). */
  readonly idScheme?: IdScheme
  /** Section of the reference this row comes from, e.g. `C.1`. */
  readonly reference: string
  /** Read endpoints served with this resource (e.g. `/common/lists` with list items). */
  readonly related?: readonly RelatedEndpoint<z.ZodType, From>[]
  /**
   * Where the resource stands in Concur's deprecation policy (status, dates, replacement). The
   * mock answers deprecated endpoints with `x-api-warn` and `sunset`, the CLI warns before an
   * extract and the conformance suite checks that a target signals it.
   */
  readonly lifecycle: Lifecycle
  /** Writes Concur deprecated separately from the resource (e.g. v3.0 DELETEs, 2025-06-26). */
  readonly writeLifecycle?: { readonly delete?: Lifecycle }
  /** The token kinds the list endpoint accepts; both when absent. */
  readonly tokenKinds?: readonly TokenKind[]
  /** Schema of the family's error body (SCIM, List v4, Expense v4 `ErrorMessage`, …); the v3.0 body when absent. */
  readonly errorBody?: z.ZodType
}

/**
 * One row of the resource registry: everything the mock needs to serve a resource, the client to
 * read it and the conformance suite to check it. The registry's own rows keep their literal types
 * (`Registry[N]`); this is the widened view of any row.
 */
export interface ResourceDefinition<Item extends z.ZodType = z.ZodType>
  extends RowFields<ResourceName, ResourceName, Item> {}

/**
 * What `defineResource` takes: a row whose names are not checked against the registry yet (the
 * registry is built from these rows, so its names cannot constrain them); `lifecycle` defaults to
 * `active`.
 */
export type ResourceRow = Omit<RowFields<string, string, z.ZodType>, 'lifecycle'> & {
  readonly lifecycle?: Lifecycle
}

/**
 * Typed identity helper for registry rows; a row that does not say otherwise is `active`. The row
 * keeps its literal types (name, item schema, filter names, types and enum values), so the client
 * can type `list()` filters and records from it.
 *
 * @example
 * const row = defineResource({ name: 'expense-reports', title: 'Expense Reports', … })
 */
export function defineResource<const Row extends ResourceRow>(
  def: Row,
): Row & { readonly lifecycle: Lifecycle } {
  return Object.freeze({ ...def, lifecycle: def.lifecycle ?? ACTIVE })
}

/**
 * A read endpoint served alongside a resource without being one of the twenty (e.g. `/common/lists`
 * next to list items). Routes are generated from it like from a row.
 */
export interface RelatedEndpoint<Item extends z.ZodType = z.ZodType, From extends string = ResourceName> {
  /** Stable key, e.g. `lists`. */
  readonly key: string
  readonly title: string
  readonly path: string
  readonly itemPath?: string
  readonly paging: PagingModel<From>
  readonly scope: Scope
  readonly item: Item
  readonly idField: string
  readonly filters: readonly FilterDefinition[]
  readonly writes: readonly ('create' | 'update' | 'delete')[]
  readonly xml?: XmlNaming
  /** How the mock's seeded records are identified (see `IdScheme`). */
  readonly idScheme?: IdScheme
  /** Defaults to the lifecycle of the resource it is served with. */
  readonly lifecycle?: Lifecycle
}
