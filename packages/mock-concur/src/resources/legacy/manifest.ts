import { digestRecords as contractDigest, type ResourceName } from '@concurkit/contract'
import type { MockCompany } from '../../companies.js'
import { datasetOf } from '../../dataset/dataset.js'
import { cardChargesOf, delegatorsOf } from '../../dataset/legacy/cards.js'
import { EXTRACT_DEFINITIONS } from '../../dataset/legacy/extract.js'
import { FORM_TYPES, formFieldsOf, formsOf } from '../../dataset/legacy/forms.js'
import { reportDetailsAt } from '../../dataset/legacy/reports.js'
import { itineraryInfo } from '../../dataset/legacy/trips.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { MockState } from '../../state.js'
import { definitionRecord, EXTRACT_JOB_LIST_LIMIT, jobRecord, jobsOf } from './extract.js'
import { createdReports, detailsOf, patchedReport } from './overlay.js'
import { v2QueryFrom, v2Summaries } from './reports-v2.js'
import { selectTrips, travellerIndex, tripSelectionFrom } from './trips.js'

/** Count and checksum of a resource's records for one company (and filter). */
export interface ManifestEntry {
  readonly count: number
  readonly sha256: string
}

export { canonicalJson } from '@concurkit/contract'

/** A built record as the client reads it back: `i:nil` elements become `null`. */
export function asParsed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asParsed)
  if (value === null || typeof value !== 'object') return value
  const obj = value as Record<string, unknown>
  if (obj['@_i:nil'] === 'true') return null
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(obj)) if (!k.startsWith('@_')) out[k] = asParsed(v)
  return out
}

/** Count and SHA-256 over the canonical JSON lines (`record\n`) of records, in the order given. */
export const digestRecords: (records: Iterable<unknown>) => ManifestEntry = contractDigest

function ownerFilter(state: MockState, company: MockCompany, filters: Record<string, string>, param: string) {
  const login = filters[param]
  if (login === undefined || login.toUpperCase() === 'ALL') return undefined
  const index = travellerIndex(state.options.seed, company, login)
  if (index === undefined) throw new ConcurHttpError(400, `no user ${login} in company ${company.id}`)
  return index
}

function* perUser<T>(
  company: MockCompany,
  only: number | undefined,
  records: (userIndex: number) => readonly T[],
): Generator<T> {
  if (only !== undefined) {
    yield* records(only)
    return
  }
  for (let u = 0; u < company.userCount; u++) yield* records(u)
}

/** The legacy resources this module counts. */
export const LEGACY_MANIFEST_RESOURCES: readonly ResourceName[] = [
  'company-card-transactions',
  'expense-delegators',
  'expense-form',
  'expense-reports-detail',
  'extract-definitions',
  'extract-jobs',
  'reports-detail',
  'travel-itineraries',
]

/**
 * The records of an XML-only resource for a company in canonical order, as the client sees them
 * after parsing, narrowed by the resource's filters (`user` narrows the per-user resources to one
 * login; trips take their list parameters without Concur's default window, so no filter = all trips).
 */
export function* legacyRecords(
  state: MockState,
  company: MockCompany,
  name: ResourceName,
  filters: Record<string, string> = {},
): Generator<unknown> {
  const seed = state.options.seed
  switch (name) {
    case 'company-card-transactions':
      yield* perUser(company, ownerFilter(state, company, filters, 'user'), (u) =>
        cardChargesOf(seed, company, u),
      )
      return
    case 'expense-delegators':
      yield* perUser(company, ownerFilter(state, company, filters, 'user'), (u) =>
        delegatorsOf(seed, company, u),
      )
      return
    case 'expense-form':
      for (const type of FORM_TYPES) {
        const forms = formsOf(seed, company, type.FormCode)
        for (const [j, form] of forms.entries()) {
          for (const field of formFieldsOf(seed, company, type.FormCode, j)) {
            yield {
              ...field,
              FormTypeName: type.Name,
              FormCode: type.FormCode,
              FormName: form.Name,
              FormId: form.FormId,
            }
          }
        }
      }
      return
    case 'travel-itineraries': {
      const q = new Map(Object.entries(filters))
      const owner = ownerFilter(state, company, filters, 'userid_value')
      q.delete('userid_value')
      q.delete('userid_type')
      const sel = tripSelectionFrom(q, owner, undefined)
      const baseUrl = state.baseUrl(company.datacenter)
      // As the registry's complete query reads them: canceled trips included, so TripStatus shown.
      const withStatus = filters.includeCanceledTrips?.toLowerCase() !== 'false'
      for (const t of selectTrips(seed, company, sel)) {
        yield itineraryInfo(seed, company, t, { baseUrl, withStatus, withLogin: true })
      }
      return
    }
    case 'reports-detail': {
      // The v2.0 list's own semantics (Status defaults to ACTIVE) without its 1000-report cap.
      const q = v2QueryFrom(state, company, new Map(Object.entries(filters)))
      yield* v2Summaries(state, company, q, state.baseUrl(company.datacenter))
      return
    }
    case 'expense-reports-detail': {
      // One record per report (fan-out from expense-reports with user=ALL), as an administrator reads it.
      const ds = datasetOf(seed, company)
      const owner = ownerFilter(state, company, filters, 'user')
      for (let r = owner ?? 0; r < ds.reports; r += owner === undefined ? 1 : ds.users) {
        const record = patchedReport(state, company, r)
        yield asParsed(reportDetailsAt(ds, r, { admin: true }, record))
      }
      for (const ref of createdReports(state, company)) {
        if (owner === undefined || ref.owner === owner) yield asParsed(detailsOf(state, company, ref, true))
      }
      return
    }
    case 'extract-definitions':
      for (let k = 0; k < EXTRACT_DEFINITIONS.length; k++) yield definitionRecord(state, company, k)
      return
    case 'extract-jobs':
      for (let k = 0; k < EXTRACT_DEFINITIONS.length; k++) {
        for (const j of jobsOf(state, company, k).slice(0, EXTRACT_JOB_LIST_LIMIT))
          yield jobRecord(state, company, j)
      }
      return
    default:
      throw new RangeError(`${name} is not counted by the legacy manifest`)
  }
}

/**
 * Count and checksum of an XML-only resource for a company (and filter).
 *
 * @example
 * legacyManifestEntry(state, state.companies[0], 'expense-delegators').count
 */
export function legacyManifestEntry(
  state: MockState,
  company: MockCompany,
  name: ResourceName,
  filters: Record<string, string> = {},
): ManifestEntry {
  return digestRecords(legacyRecords(state, company, name, filters))
}
