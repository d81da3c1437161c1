import { RESOURCES, type ResourceName, type ResourceRowOf } from '@concurkit/contract'
import { hashHex } from '../util/hash.js'

/** Id prefixes of the seeded tables the v3.0 rows refer to, which are no registry row. */
const TABLE_ID_PREFIX = {
  'payment-types': 'gWp',
  policies: 'gWo',
  batches: 'gWb',
  forms: 'gWf',
} as const

/** The registry rows with an `idScheme` (the v3.0 rows). */
type RowIdKind = {
  [N in ResourceName]: ResourceRowOf<N> extends { readonly idScheme: object } ? N : never
}[ResourceName]

/** The related endpoints with an `idScheme` (e.g. `lists` with list items). */
type RelatedIdKind = {
  [N in ResourceName]: ResourceRowOf<N> extends { readonly related: readonly (infer E)[] }
    ? E extends { readonly key: infer K extends string; readonly idScheme: object }
      ? K
      : never
    : never
}[ResourceName]

/** What an id can name: a v3.0 row, a related endpoint of one, or a seeded table. */
export type IdKind = RowIdKind | RelatedIdKind | keyof typeof TABLE_ID_PREFIX

/**
 * Record ids: `<prefix><company tag: 8 hex><index: 12 hex>`, upper-case hex of fixed width, so that
 * the id order (UTF-16 code units) is the index order, which is the paging order. The company tag
 * makes ids of different companies (and seeds) distinct; an id that does not decode is unknown.
 * A row's prefix is its registry row's `idScheme` (a new v3.0 row needs no line here).
 */
export const ID_PREFIX: Readonly<Record<IdKind, string>> = Object.fromEntries([
  ...RESOURCES.flatMap((r) => [
    ...(r.idScheme ? [[r.name, r.idScheme.prefix] as const] : []),
    ...(r.related ?? []).flatMap((e) => (e.idScheme ? [[e.key, e.idScheme.prefix] as const] : [])),
  ]),
  ...Object.entries(TABLE_ID_PREFIX),
]) as Record<IdKind, string>

const INDEX_WIDTH = 12
const MAX_INDEX = 16 ** INDEX_WIDTH

/**
 * The 8-hex tag of a company for a seed.
 *
 * @example
 * companyTag(42, company.id) // 'A1B2C3D4'
 */
export function companyTag(seed: number, companyId: string): string {
  return hashHex(seed, companyId, 'id-tag').slice(0, 8).toUpperCase()
}

/**
 * The id of record `index` of a kind.
 *
 * @example
 * encodeId('expense-reports', tag, 0) // 'A1B2C3D4000000000000'
 */
export function encodeId(kind: IdKind, tag: string, index: number): string {
  return `${ID_PREFIX[kind]}${tag}${index.toString(16).toUpperCase().padStart(INDEX_WIDTH, '0')}`
}

/**
 * The index an id encodes, or undefined when it is not an id of this kind and company.
 *
 * @example
 * decodeId('expense-reports', tag, encodeId('expense-reports', tag, 7)) // 7
 */
export function decodeId(kind: IdKind, tag: string, id: string): number | undefined {
  const prefix = ID_PREFIX[kind] + tag
  if (id.length !== prefix.length + INDEX_WIDTH || !id.startsWith(prefix)) return undefined
  const hex = id.slice(prefix.length)
  if (!/^[0-9A-F]+$/.test(hex)) return undefined
  const index = Number.parseInt(hex, 16)
  return Number.isSafeInteger(index) && index < MAX_INDEX ? index : undefined
}
