import { ConcurkitError, type FilterDefinition, MOCK_ERROR_CODES } from '@concurkit/contract'
import { parseV3Date } from './time.js'

/** A parsed filter value: text, boolean, instant (ms, for dates) or a list (csv). */
export type FilterValue = string | boolean | number | readonly string[]

/** Parsed filters by parameter name. */
export type Filters = ReadonlyMap<string, FilterValue>

/** Why a query parameter was refused. */
export class FilterError extends ConcurkitError {
  declare readonly code: typeof MOCK_ERROR_CODES.BAD_PARAMETER
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(MOCK_ERROR_CODES.BAD_PARAMETER, message)
    this.name = 'FilterError'
  }
}

/**
 * Parses one query parameter against its registry definition (throws `FilterError` naming it).
 *
 * @example
 * parseFilterValue({ param: 'hasVAT', type: 'boolean', description: '' }, 'true') // true
 */
export function parseFilterValue(def: FilterDefinition, raw: string): FilterValue {
  const bad = (why: string) =>
    new FilterError(def.param, `Invalid value for parameter '${def.param}': ${why}`)
  switch (def.type) {
    case 'boolean': {
      const v = raw.toLowerCase()
      if (v !== 'true' && v !== 'false') throw bad('expected true or false')
      return v === 'true'
    }
    case 'date':
    case 'datetime': {
      const t = parseV3Date(raw)
      if (t === undefined) throw bad('expected yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss.SSS')
      return t
    }
    case 'enum':
      if (!def.values?.includes(raw)) throw bad(`expected one of ${def.values?.join(', ')}`)
      return raw
    case 'int':
      if (!/^-?\d+$/.test(raw)) throw bad('expected an integer')
      return raw
    case 'csv': {
      const list = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
      if (list.length === 0) throw bad('expected a comma-separated list')
      if (list.length > 10) throw bad('at most 10 values')
      return list
    }
    default:
      if (raw.length === 0) throw bad('empty value')
      if (raw.length > 255) throw bad('too long')
      return raw
  }
}

/**
 * Whether a record satisfies a filter that names a field (as the conformance suite checks it).
 * `after` is inclusive, `before` exclusive; `null` fields never satisfy a date bound.
 *
 * @example
 * fieldMatches({ param: 'currencyCode', type: 'string', field: 'CurrencyCode', op: 'eq', description: '' }, 'USD', item)
 */
export function fieldMatches(
  def: FilterDefinition,
  value: FilterValue,
  record: Record<string, unknown>,
): boolean {
  if (!def.field) return true
  const actual = record[def.field]
  switch (def.op ?? 'eq') {
    case 'after':
    case 'before': {
      if (typeof actual !== 'string') return false
      const t = parseV3Date(actual)
      if (t === undefined) return false
      return def.op === 'after' ? t >= (value as number) : t < (value as number)
    }
    case 'in':
      return typeof actual === 'string' && (value as readonly string[]).includes(actual)
    case 'ieq':
      return typeof actual === 'string' && actual.toLowerCase() === String(value).toLowerCase()
    case 'prefix':
      return typeof actual === 'string' && actual.startsWith(String(value))
    default:
      return typeof value === 'boolean' ? actual === value : actual === value
  }
}
