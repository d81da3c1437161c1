import { hashHex } from '../util/hash.js'

/**
 * Record ids: `<prefix><company tag: 8 hex><index: 12 hex>`, upper-case hex of fixed width, so that
 * the id order (UTF-16 code units) is the index order, which is the paging order. The company tag
 * makes ids of different companies (and seeds) distinct; an id that does not decode is unknown.
 */
export const ID_PREFIX = {
  'expense-reports': '',
  'expense-entries': 'gWe',
  'expense-itemizations': 'gWi',
  'expense-allocations': 'gWa',
  'expense-attendees': 'gWt',
  'expense-attendee-types': 'gWy',
  'entry-attendee-associations': 'gWs',
  'expense-group-configurations': 'gWg',
  'receipt-images': 'gWr',
  'user-information': 'gWu',
  'list-items': 'gWk',
  lists: 'gWl',
  locations: 'gWc',
  'payment-types': 'gWp',
  policies: 'gWo',
  batches: 'gWb',
  forms: 'gWf',
} as const
export type IdKind = keyof typeof ID_PREFIX

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
