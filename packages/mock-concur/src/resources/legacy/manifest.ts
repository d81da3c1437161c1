import { digestRecords as contractDigest, type ResourceName } from '@concurkit/contract'
import type { MockCompany } from '../../companies.js'
import type { MockState } from '../../state.js'
import { LEGACY_ROW_PROVIDERS, legacyRowProviderOf } from './index.js'

/** Count and checksum of a resource's records for one company (and filter). */
export interface ManifestEntry {
  readonly count: number
  readonly sha256: string
}

export { canonicalJson } from '@concurkit/contract'
export { asParsed } from './rows-kit.js'

/** Count and SHA-256 over the canonical JSON lines (`record\n`) of records, in the order given. */
export const digestRecords: (records: Iterable<unknown>) => ManifestEntry = contractDigest

/** The legacy resources the XML-only row providers count. */
export const LEGACY_MANIFEST_RESOURCES: readonly ResourceName[] = LEGACY_ROW_PROVIDERS.flatMap((p) => p.names)

/**
 * The records of an XML-only resource for a company in canonical order, as the client sees them
 * after parsing, narrowed by the resource's filters (`user` narrows the per-user resources to one
 * login; trips take their list parameters without Concur's default window, so no filter = all
 * trips). Each row's provider (`legacy/<row>.ts`) yields them.
 */
export function legacyRecords(
  state: MockState,
  company: MockCompany,
  name: ResourceName,
  filters: Record<string, string> = {},
): Iterable<unknown> {
  const provider = legacyRowProviderOf(name)
  if (!provider) throw new RangeError(`${name} is not counted by the legacy manifest`)
  return provider.records({ state, company, name, filters, origin: state.baseUrl(company.datacenter) })
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
