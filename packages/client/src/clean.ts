/**
 * Recursively removes `null` values from objects (array elements are kept, their objects cleaned).
 * The Cloud Elements connector does this by default.
 *
 * @example
 * dropNulls({ a: 1, b: null, c: { d: null } }) // { a: 1, c: {} }
 */
export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v)) as T
  if (value === null || typeof value !== 'object' || value instanceof Date) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null) out[k] = dropNulls(v)
  }
  return out as T
}

function isCustomField(v: unknown): v is { Value?: unknown; Type?: unknown; Code?: unknown } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false
  const o = v as Record<string, unknown>
  return 'Value' in o && ('Type' in o || 'Code' in o || 'ListItemID' in o)
}

/**
 * Replaces v3 CustomField objects (`{Type, Value, Code, ListItemID}`) by their `Value`, at the top
 * level of a record (`Custom1`, `OrgUnit3` …).
 *
 * @example
 * flattenCustomFields({ Custom1: { Type: 'Text', Value: 'A', Code: null } }) // { Custom1: 'A' }
 */
export function flattenCustomFields<T>(record: T): T {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return record
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(record as Record<string, unknown>)) {
    out[k] = isCustomField(v) ? (v.Value ?? null) : v
  }
  return out as T
}

/** Cleaning applied to every record after validation. */
export interface CleanOptions {
  /** Drop null values recursively. Default false (records keep the documented shape). */
  dropNulls?: boolean
  /** Replace CustomField objects by their value. Default false. */
  flattenCustomFields?: boolean
}

/** Applies `CleanOptions` to one record. */
export function cleanRecord<T>(record: T, options: CleanOptions): T {
  let r = record
  if (options.flattenCustomFields) r = flattenCustomFields(r)
  if (options.dropNulls) r = dropNulls(r)
  return r
}
