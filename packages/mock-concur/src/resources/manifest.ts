import { getResource, isResourceName, RESOURCE_NAMES, type ResourceName } from '@concurkit/contract'
import { Hono } from 'hono'
import type { MockCompany } from '../companies.js'
import type { DcContext, MockEnv } from '../context.js'
import { datasetOf, userIndexOfLogin } from '../dataset/dataset.js'
import type { FilterValue } from '../dataset/filters.js'
import { providerOf } from '../dataset/providers.js'
import { scanAll } from '../dataset/scan.js'
import { ConcurHttpError } from '../http/errors.js'
import type { MockState } from '../state.js'
import { overlaysOf, parseFilters } from './engine.js'
import {
  digestRecords,
  LEGACY_MANIFEST_RESOURCES,
  legacyManifestEntry,
  type ManifestEntry,
} from './legacy/manifest.js'
import { rowProviderOf } from './row-providers.js'

export type { ManifestEntry }

/** Computes a resource's manifest entry for a company and filters (raw query values by name). */
export type ManifestFn = (
  state: MockState,
  company: MockCompany,
  filters: Record<string, string>,
) => ManifestEntry

const extra = new Map<ResourceName, ManifestFn>()

/**
 * Adds (or replaces) how the manifest counts a resource, for resources served outside the v3.0
 * engine and the legacy manifest module.
 *
 * @example
 * registerManifestResource('reports-detail', (state, company, filters) => digestRecords(records(...)))
 */
export function registerManifestResource(name: ResourceName, fn: ManifestFn): void {
  extra.set(name, fn)
}

/**
 * The records of a v3.0 resource for a company in canonical order — the paging order, which is id
 * order — as the client sees them without `URI`, narrowed by the resource's filters and `user`
 * (a login, or `ALL`/absent for the whole company).
 *
 * @example
 * for (const r of v3Records(state, company, 'expense-reports', { approvalStatusCode: 'A_APPR' })) ...
 */
export function* v3Records(
  state: MockState,
  company: MockCompany,
  name: string,
  filters: Record<string, string> = {},
): Generator<Record<string, unknown>> {
  const provider = providerOf(name)
  if (!provider) throw new RangeError(`${name} is not a v3.0 resource`)
  const ds = datasetOf(state.options.seed, company)
  const row = isResourceName(name) ? getResource(name) : undefined
  const userParam = row?.userParam
  const params = new URLSearchParams(filters)
  const parsed: Map<string, FilterValue> = parseFilters(
    provider.filters,
    params,
    userParam ? [userParam] : [],
  )
  // As on the list: `user=ALL` on the users list is no filter.
  if (provider.hooks?.userFilterAll && String(parsed.get('user') ?? '').toUpperCase() === 'ALL')
    parsed.delete('user')
  let owner: number | undefined
  const user = userParam ? params.get(userParam) : null
  if (user !== null && user.toUpperCase() !== 'ALL' && provider.owner) {
    owner = userIndexOfLogin(ds, user)
    if (owner === undefined)
      throw new ConcurHttpError(400, `Invalid value for parameter 'user': no user '${user}'`)
  }
  yield* scanAll(ds, provider, overlaysOf(state).peek(company.id, name), { filters: parsed, owner })
}

/** Whether the manifest can count a resource. */
export function manifestCovers(name: ResourceName): boolean {
  return (
    providerOf(name) !== undefined ||
    rowProviderOf(name) !== undefined ||
    LEGACY_MANIFEST_RESOURCES.includes(name) ||
    extra.has(name)
  )
}

/**
 * Count and SHA-256 of a resource's records for a company (and filters). The checksum is the
 * SHA-256 (hex) of the records' canonical JSON (keys sorted at every level, no whitespace, `URI`
 * left out), each followed by `\n`, in canonical order.
 *
 * @example
 * manifestEntry(state, state.companies[0]!, 'expense-reports').count
 */
export function manifestEntry(
  state: MockState,
  company: MockCompany,
  name: ResourceName,
  filters: Record<string, string> = {},
): ManifestEntry {
  if (providerOf(name)) return digestRecords(v3Records(state, company, name, filters))
  const fn = extra.get(name)
  if (fn) return fn(state, company, filters)
  const family = rowProviderOf(name)
  if (family)
    return digestRecords(
      family.records({ state, company, name, filters, origin: state.baseUrl(company.datacenter) }),
    )
  if (LEGACY_MANIFEST_RESOURCES.includes(name)) return legacyManifestEntry(state, company, name, filters)
  throw new RangeError(`the manifest does not cover ${name}`)
}

/** `GET /_mock/manifest[?company=&resource=&<filters>]`. */
export function manifestRoutes(ctx: DcContext): Hono<MockEnv> {
  const app = new Hono<MockEnv>()
  app.get('/_mock/manifest', (c) => {
    const { state } = ctx
    const url = new URL(c.req.url)
    const companyId = url.searchParams.get('company')
    const resource = url.searchParams.get('resource')
    const filters: Record<string, string> = {}
    for (const [k, v] of url.searchParams) {
      if (k !== 'company' && k !== 'resource' && !(k in filters)) filters[k] = v
    }
    if (resource !== null && (!isResourceName(resource) || !manifestCovers(resource)))
      throw new ConcurHttpError(400, `unknown or uncounted resource '${resource}'`)
    if (resource === null && Object.keys(filters).length > 0)
      throw new ConcurHttpError(400, 'filters need a resource parameter')
    const companies = companyId === null ? state.companies : state.companies.filter((x) => x.id === companyId)
    if (companies.length === 0) throw new ConcurHttpError(404, `no company '${companyId}'`)
    const names =
      resource !== null ? [resource as ResourceName] : RESOURCE_NAMES.filter((n) => manifestCovers(n))
    return c.json({
      companies: companies.map((company) => ({
        id: company.id,
        resources: Object.fromEntries(names.map((n) => [n, manifestEntry(state, company, n, filters)])),
      })),
    })
  })
  return app
}
