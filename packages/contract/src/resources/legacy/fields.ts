import { z } from 'zod'

/** Any text value (XML text is always a string under the parsing convention). */
export const XmlText = z.string()
/** Concur's `Y`/`N` flag, kept as the wire string. */
export const YesNo = z.enum(['Y', 'N'])
/** A decimal as Concur writes it in XML (`283.88000000`). */
export const XmlDecimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string')
/** A decimal or an empty element. */
export const XmlDecimalOrEmpty = z.union([XmlDecimal, z.literal('')])
/** An integer as text. */
export const XmlInt = z.string().regex(/^-?\d+$/, 'integer string')
/** A date-time as Concur writes it in XML (`2010-08-19T00:00:00`, optional fraction and `Z`). */
export const XmlDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z?$/, 'date-time yyyy-MM-ddTHH:mm:ss')
/** A date-time that may be `i:nil="true"` (→ `null`) or empty. */
export const XmlNullableDateTime = z.union([XmlDateTime, z.literal(''), z.null()])
/** A percentage as written in v1.1/v2.0 allocations (`100.00000000%`). */
export const XmlPercentage = z.string().regex(/^\d+(\.\d+)?%$/, 'percentage')

/** The numbers 1..N as a union type (N up to a few dozen). */
export type UpTo<N extends number, Seen extends unknown[] = []> = Seen['length'] extends N
  ? never
  : [...Seen, unknown]['length'] | UpTo<N, [...Seen, unknown]>

/** The names `${prefix}1` … `${prefix}N` (e.g. `Custom1` … `Custom20`). */
export type NumberedField<P extends string, N extends number> = `${P}${UpTo<N> & number}`

/**
 * Builds `{ Custom1: schema, ..., CustomN: schema }` (and the like for other numbered fields),
 * typed with the field names so records read from them are typed too.
 */
export function numbered<const P extends string, const N extends number, S extends z.ZodType>(
  prefix: P,
  count: N,
  schema: S,
): Record<NumberedField<P, N>, S> {
  const out: Partial<Record<NumberedField<P, N>, S>> = {}
  for (let i = 1; i <= count; i++) out[`${prefix}${i}` as NumberedField<P, N>] = schema
  return out as Record<NumberedField<P, N>, S>
}
