import type { MockCompany } from '../../companies.js'
import { datasetOf } from '../../dataset/dataset.js'
import {
  createdReportDetails,
  reportDetailsAt,
  V2_STATUS_GROUPS,
  type V2ReportQuery,
} from '../../dataset/legacy/reports.js'
import { providerOf } from '../../dataset/providers.js'
import { parseV3Date } from '../../dataset/time.js'
import type { MockState } from '../../state.js'
import { overlaysOf } from '../engine.js'
import { findRecord } from '../writes.js'

/** A report as the v2.0/v1.1 XML APIs see it: seeded (maybe modified through v3.0) or created through v3.0. */
export interface ReportRef {
  readonly index: number
  /** The record from the v3.0 write overlay (a modified seeded report, or a created one). */
  readonly record?: Record<string, unknown>
  readonly owner: number
  readonly created: boolean
}

const overlayOf = (state: MockState, company: MockCompany) =>
  overlaysOf(state).peek(company.id, 'expense-reports')

/** Finds a report by id in the seeded dataset and the v3.0 write overlay; undefined when unknown. */
export function findReport(state: MockState, company: MockCompany, id: string): ReportRef | undefined {
  const provider = providerOf('expense-reports')
  if (!provider) return undefined
  const ds = datasetOf(state.options.seed, company)
  const overlay = overlayOf(state, company)
  const found = findRecord(ds, provider, overlay, id.toUpperCase())
  if (!found) return undefined
  const created = found.index >= ds.reports
  const patched = !created && overlay?.patches.has(found.index)
  return {
    index: found.index,
    ...(created || patched ? { record: found.record } : {}),
    owner: found.owner ?? found.index % ds.users,
    created,
  }
}

/** The report ids created through v3.0, in creation order (after every seeded report). */
export function* createdReports(state: MockState, company: MockCompany): Generator<ReportRef> {
  const ds = datasetOf(state.options.seed, company)
  const overlay = overlayOf(state, company)
  for (const [k, c] of (overlay?.created ?? []).entries()) {
    if (c.record) yield { index: ds.reports + k, record: c.record, owner: c.owner ?? 0, created: true }
  }
}

/** The seeded reports changed through v3.0, by index (looked up once per request, not per report). */
export function reportPatches(
  state: MockState,
  company: MockCompany,
): ReadonlyMap<number, Record<string, unknown> | null> | undefined {
  return overlayOf(state, company)?.patches
}

/** The modified record of seeded report *r*, if it was changed through v3.0. */
export function patchedReport(
  state: MockState,
  company: MockCompany,
  r: number,
): Record<string, unknown> | undefined {
  return overlayOf(state, company)?.patches.get(r) ?? undefined
}

/** `ReportDetails` of a report reference. */
export function detailsOf(state: MockState, company: MockCompany, ref: ReportRef, admin: boolean) {
  const ds = datasetOf(state.options.seed, company)
  return ref.created && ref.record
    ? createdReportDetails(ds, ref.index, ref.record, ref.owner, { admin })
    : reportDetailsAt(ds, ref.index, { admin }, ref.record)
}

/**
 * Whether a report created through v3.0 matches a v2.0 list query. Filters it has no value for
 * (batch, payment type, reimbursement, attendees, extract job) exclude it.
 */
export function createdMatches(ref: ReportRef, q: V2ReportQuery): boolean {
  const rec = ref.record
  if (!rec) return false
  if (
    q.status === '*' ||
    !V2_STATUS_GROUPS[q.status]?.(String(rec.ApprovalStatusCode), String(rec.PaymentStatusCode))
  )
    return false
  if (q.owner !== undefined && ref.owner !== q.owner) return false
  const modified = parseV3Date(String(rec.LastModifiedDate ?? '')) ?? 0
  if (q.modifiedAfterMs !== undefined && modified < q.modifiedAfterMs) return false
  if (q.modifiedBeforeMs !== undefined && modified >= q.modifiedBeforeMs) return false
  if (q.currency !== undefined && String(rec.CurrencyCode) !== q.currency.toUpperCase()) return false
  if (q.country !== undefined && String(rec.Country) !== q.country.toUpperCase()) return false
  return (
    q.batchId === undefined &&
    q.paymentTypeId === undefined &&
    q.reimbursement === undefined &&
    !q.hasAttendees &&
    q.extractedBeforeMs === undefined
  )
}
