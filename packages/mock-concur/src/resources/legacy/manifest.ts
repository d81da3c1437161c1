import { createHash } from 'node:crypto'
import type { ResourceName } from '@concurkit/contract'
import type { MockCompany } from '../../companies.js'
import { cardChargesOf, delegatorsOf } from '../../dataset/legacy/cards.js'
import { FORM_TYPES, formFieldsOf, formsOf } from '../../dataset/legacy/forms.js'
import { itineraryInfo } from '../../dataset/legacy/trips.js'
import { ConcurHttpError } from '../../http/errors.js'
import type { MockState } from '../../state.js'
import { selectTrips, travellerIndex, tripSelectionFrom } from './trips.js'

/** Count and checksum of a resource's records for one company (and filter). */
export interface ManifestEntry {
  readonly count: number
  readonly sha256: string
}

/**
 * Canonical JSON of a record as the client sees it after parsing: keys sorted at every level, so the
 * checksum does not depend on element order or on how a client merged carried values.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`
}

/** Count and SHA-256 over the canonical JSON lines (`record\n`) of records, in the order given. */
export function digestRecords(records: Iterable<unknown>): ManifestEntry {
  const h = createHash('sha256')
  let count = 0
  for (const r of records) {
    h.update(canonicalJson(r))
    h.update('\n')
    count++
  }
  return { count, sha256: h.digest('hex') }
}

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
      const withStatus = filters.includeCanceledTrips?.toLowerCase() === 'true'
      for (const t of selectTrips(seed, company, sel)) {
        yield itineraryInfo(seed, company, t, { baseUrl, withStatus, withLogin: true })
      }
      return
    }
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
