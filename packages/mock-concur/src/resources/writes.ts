import type { z } from 'zod'
import type { MockUser } from '../companies.js'
import type { Dataset } from '../dataset/dataset.js'
import type { CreatedRecord, DatasetOverlay } from '../dataset/overlay.js'
import { providerOf, type WireRecord } from '../dataset/providers.js'
import { formatV3Date } from '../dataset/time.js'
import { ConcurHttpError } from '../http/errors.js'
import { V3_ROWS } from './v3/index.js'
import { type FoundRecord, findRecord, stampRow } from './v3/records.js'
import { blankRecord, mergeFields } from './v3/write-kit.js'

export { adjustReportTotals } from './v3/expense-entries.js'
export { type FoundRecord, findRecord, nextCreatedId } from './v3/records.js'
export { blankRecord, mergeFields } from './v3/write-kit.js'

/*
 * The v3.0 writes, dispatched to each row's write rules (`resources/v3/<row>.ts`): the entry points
 * the engine, the v4 APIs writing v3.0 records and the dataset admin API call.
 */

/** The schema of write bodies per resource (from each row's write rules). */
export const WRITE_SCHEMAS: Readonly<Record<string, z.ZodType>> = Object.fromEntries(
  V3_ROWS.flatMap((r) => (r.writeRules?.schema ? [[r.key, r.writeRules.schema]] : [])),
)

function ref(ds: Dataset, overlays: DatasetOverlay, key: string, id: unknown, field: string): FoundRecord {
  const provider = providerOf(key)!
  const found =
    typeof id === 'string' ? findRecord(ds, provider, overlays.peek(ds.company.id, key), id) : undefined
  if (!found) throw new ConcurHttpError(400, `The ${field} '${String(id)}' was not found`)
  return found
}

/**
 * Builds a created record (`POST`) from a validated body with the row's `create` rule: item fields
 * in order, defaults like Concur's (a new report is "Not Submitted"), relations checked, owner and
 * hidden filter values set. A row without one answers 405.
 */
export function buildCreated(
  ds: Dataset,
  overlays: DatasetOverlay,
  key: string,
  keys: readonly string[],
  body: Record<string, unknown>,
  owner: number | undefined,
  id: string,
  nowMs: number,
  /** The owner as the token service knows it (a user added at run time is not in the seeded dataset). */
  ownerUser?: MockUser,
): Omit<CreatedRecord, 'bytes'> {
  const create = providerOf(key)?.writeRules?.create
  if (!create) throw new ConcurHttpError(405, 'Method Not Allowed')
  return create({
    ds,
    overlays,
    keys,
    body,
    owner,
    id,
    nowMs,
    now: formatV3Date(nowMs),
    ownerUser,
    blank: blankRecord(keys),
    fields: (rec) => mergeFields(key, rec, body),
    ref: (k, refId, field) => ref(ds, overlays, k, refId, field),
  })
}

/** Applies a `PUT` body to an existing record (and the row's `update` rule) and stamps its modification time. */
export function buildUpdated(
  ds: Dataset,
  key: string,
  record: WireRecord,
  body: Record<string, unknown>,
  nowMs: number,
): WireRecord {
  const rec = mergeFields(key, record, body)
  providerOf(key)?.writeRules?.update?.({ ds, body, record: rec })
  stampModified(key, rec, nowMs)
  return rec
}

/** Sets a record's modification field (if it has one) to the mock clock's now. */
export function stampModified(key: string, rec: WireRecord, nowMs: number): void {
  stampRow(providerOf(key), rec, nowMs)
}
