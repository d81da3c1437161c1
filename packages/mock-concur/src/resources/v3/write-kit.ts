import { RESOURCES } from '@concurkit/contract'
import type { z } from 'zod'
import type { WireRecord } from '../../dataset/providers.js'
import { EXPENSE_TYPES } from '../../dataset/tables.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { UpdateInput } from './row.js'

/*
 * What the v3.0 rows' write rules share: merging a body into a record the way the item schema
 * types it, blank records, required fields and expense types.
 */

export const CUSTOM = /^(Custom|OrgUnit)\d+$/

/** The item schema's fields of every v3.0 endpoint (registry rows and their related endpoints), by key. */
const ITEM_FIELDS: ReadonlyMap<string, Readonly<Record<string, z.ZodType>>> = new Map(
  RESOURCES.filter((r) => r.api === 'v3.0').flatMap((r) =>
    [{ key: r.name, item: r.item }, ...(r.related ?? []).map((e) => ({ key: e.key, item: e.item }))].map(
      ({ key, item }) =>
        [key, (item as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {}] as const,
    ),
  ),
)

/**
 * Turns a write-body value into the item's value: a custom/org-unit string becomes a `CustomField`
 * object only where the item documents one (reports, entries); where the item documents a string
 * (entry-attendee associations) it stays a string, whatever the field held before.
 */
function itemValue(field: z.ZodType | undefined, key: string, value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (CUSTOM.test(key) && typeof value === 'string' && field && !field.safeParse(value).success) {
    const object = { Type: 'Text', Value: value.slice(0, 48), Code: null, ListItemID: null }
    if (field.safeParse(object).success) return object
  }
  return value
}

/**
 * Applies body fields to a record of resource `key` (only fields the item has); returns a new
 * record whose fields keep the item schema's documented types.
 */
export function mergeFields(key: string, record: WireRecord, body: Record<string, unknown>): WireRecord {
  const fields = ITEM_FIELDS.get(key) ?? {}
  const out: WireRecord = { ...record }
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined || !(k in record) || k === 'ID' || k === 'URI') continue
    out[k] = itemValue(fields[k], k, v)
  }
  return out
}

/** A blank record of a resource: every item field null, in the item's field order. */
export function blankRecord(keys: readonly string[]): WireRecord {
  const out: WireRecord = {}
  for (const k of keys) if (k !== 'URI') out[k] = null
  return out
}

/** A 400 naming the first of `keys` the body lacks (absent, null or empty). */
export function required(body: Record<string, unknown>, ...keys: string[]): void {
  for (const k of keys) {
    if (body[k] === undefined || body[k] === null || body[k] === '')
      throw new ConcurHttpError(400, `The field '${k}' is required`)
  }
}

/** The expense type of a body's `ExpenseTypeCode`; a 400 when it is not one. */
export function expenseTypeOf(code: unknown) {
  const type = EXPENSE_TYPES[code as keyof typeof EXPENSE_TYPES]
  if (!type) throw new ConcurHttpError(400, `The expense type '${String(code)}' is not valid`)
  return type
}

/**
 * The update rule entries and itemizations share: a changed `ExpenseTypeCode` must be valid and
 * brings its names, a changed `TransactionAmount` its posted and approved amounts.
 */
export function updateExpenseFields({ body, record: rec }: UpdateInput): void {
  const type = EXPENSE_TYPES[rec.ExpenseTypeCode as keyof typeof EXPENSE_TYPES]
  if (body.ExpenseTypeCode !== undefined && !type)
    throw new ConcurHttpError(400, `The expense type '${String(body.ExpenseTypeCode)}' is not valid`)
  if (type)
    Object.assign(rec, {
      ExpenseTypeName: type.name,
      SpendCategoryCode: type.spendCode,
      SpendCategoryName: type.spendName,
    })
  if (typeof body.TransactionAmount === 'number')
    Object.assign(rec, { PostedAmount: body.TransactionAmount, ApprovedAmount: body.TransactionAmount })
}
